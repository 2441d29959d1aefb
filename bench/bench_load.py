"""Load and soak of the province stack (`make run-pg`: PostgreSQL, Redis, granian with two workers).

Run: .venv/bin/python bench/bench_load.py --database-url postgres://postgres@127.0.0.1:5432/cunwu_load
     [--redis-url redis://127.0.0.1:6379/5] [--duration 10] [--connections 16] [--soak 600] [--prepare]

The database must already hold the data to measure at (`--prepare` migrates it and seeds the demo
when it is empty; for a province, run `cunwu seed --scale yunnan` — or the three-year generator — on
it first, then pass the same --database-url). wrk (Debian package) drives each endpoint for
--duration seconds with --connections connections over two threads and reports requests/s, p50 and
p99 and the responses that were not 2xx/3xx — which must be zero: any is printed and the run fails.
Signed-in pages get the session cookie of a demo account that this script signs in through the
login form. Then the soak: --soak seconds of mixed traffic over every endpoint, the resident memory
of each granian worker read from /proc before (after a warm-up) and after; growth above 10 % fails.

Rate limits: the app counts every request in Redis as in production, but this script starts it with
the per-client allowances raised (bench/stack.py BENCH_RATES) because all of wrk is one client
(127.0.0.1); the defaults in cunwu/settings.py are untouched.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import stack  # noqa: E402

PROVINCE = "530000000000"
TRIAGE_BODY = json.dumps({"text": "社区让我开一个居住证明"}, ensure_ascii=False)
HOME_USER = "village_clerk"
OVERSIGHT_USER = "county_admin"


def q(text: str) -> str:
    return urllib.parse.quote(text)


def endpoints(token: str) -> list[tuple[str, str, str, str | None]]:
    """(label, method, path, who signs in) — None for the public."""
    return [
        ("portal home `/`", "GET", "/", None),
        ("village search `/zhaocun/?q=罗免`", "GET", f"/zhaocun/?q={q('罗免')}", None),
        ("catalog page `/gongkai/<province>/duty/`", "GET", f"/gongkai/{PROVINCE}/duty/", None),
        ("open data `/gongkai/fudan.json`", "GET", "/gongkai/fudan.json", None),
        ("triage API `POST /api/v1/certificates/triage`", "POST", "/api/v1/certificates/triage", None),
        ("verify API `/api/v1/certificates/verify`", "GET", f"/api/v1/certificates/verify?token={token}", None),
        ("verify page `/v/<token>`", "GET", f"/v/{token}", None),
        ("JWKS `/.well-known/jwks.json`", "GET", "/.well-known/jwks.json", None),
        ("catalog API `/api/v1/catalogs/duty`", "GET", "/api/v1/catalogs/duty", None),
        ("`/livez` (reference)", "GET", "/livez", None),
        ("clerk workbench `/accounts/workbench/`", "GET", "/accounts/workbench/", HOME_USER),
        ("clerk certificate register `/certificates/`", "GET", "/certificates/", HOME_USER),
        ("county burden dashboard `/oversight/r/<county>/`", "GET", "/oversight/", OVERSIGHT_USER),
    ]


LUA_ONE = """
wrk.method = "{method}"
wrk.headers["Cookie"] = "{cookie}"
wrk.headers["Content-Type"] = "application/json"
{body}
"""

LUA_MIX = """
local paths = {{ {paths} }}
local cookies = {{ {cookies} }}
local methods = {{ {methods} }}
local i = 0
request = function()
  i = i % #paths + 1
  local h = {{ ["Cookie"] = cookies[i], ["Content-Type"] = "application/json" }}
  local body = nil
  if methods[i] == "POST" then body = '{triage}' end
  return wrk.format(methods[i], paths[i], h, body)
end
"""


def lua_string(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def run_wrk(port: int, path: str, script: str, duration: int, connections: int, threads: int = 2) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(script)
    try:
        out = subprocess.run(
            [
                "wrk",
                f"-t{threads}",
                f"-c{connections}",
                f"-d{duration}s",
                "--timeout",
                "10s",
                "--latency",
                "-s",
                fh.name,
                f"http://127.0.0.1:{port}{path}",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(fh.name)
    return parse_wrk(out)


def _ms(text: str) -> float:
    m = re.match(r"([\d.]+)(us|ms|s|m)", text)
    assert m is not None, text
    value, unit = float(m.group(1)), m.group(2)
    return value * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse_wrk(out: str) -> dict:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    socket = (
        dict(zip(("connect", "read", "write", "timeout"), (int(x) for x in sock.groups()), strict=True)) if sock else {}
    )
    socket_errors = sum(socket.values())
    return {
        "rps": rps,
        "total": total,
        "p50": p50,
        "p99": p99,
        "errors": int(bad.group(1)) if bad else 0,
        "socket_errors": socket_errors,
        "socket": ", ".join(f"{k} {v}" for k, v in socket.items() if v),
        "raw": out,
    }


def data_scale(env: dict[str, str]) -> str:
    code = (
        "from cunwu.regions.models import Region;from cunwu.certificates.models import Application, Certificate;"
        "from cunwu.seals.models import SealUse;"
        "print(Region.objects.filter(level__in=['village','community']).count(), Application.objects.count(),"
        " Certificate.objects.count(), SealUse.objects.count())"
    )
    out = subprocess.run(
        [stack.PY, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    villages, apps, certs, seals = (int(x) for x in out[-4:])
    return f"{villages:,} villages and communities, {apps:,} certificate applications, {certs:,} certificates, {seals:,} seal uses"


def first_token(env: dict[str, str]) -> str:
    code = (
        "from cunwu.certificates.models import Certificate;"
        "print(Certificate.objects.order_by('-pk').values_list('token', flat=True).first() or '')"
    )
    out = subprocess.run(
        [stack.PY, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    if not out:
        sys.exit("no certificate in the database to verify: seed the demo first (--prepare)")
    return out.splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per endpoint")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--soak", type=int, default=600, help="seconds of mixed traffic (0: no soak)")
    parser.add_argument("--soak-connections", type=int, default=8)
    parser.add_argument("--prepare", action="store_true", help="migrate, seed the demo when empty")
    parser.add_argument("--password", default=os.environ.get("CUNWU_DEMO_PASSWORD", ""))
    args = parser.parse_args()

    var = tempfile.mkdtemp(prefix="cunwu-bench-load-")
    env = stack.app_env(args.database_url, args.redis_url, var)
    stack.prepare(env, seed=args.prepare)
    password = (
        args.password
        or stack.manage(env, "shell", "-c", "from cunwu.accounts.demo import demo_password; print(demo_password())")
        .strip()
        .splitlines()[-1]
    )
    scale = data_scale(env)
    token = first_token(env)
    port = stack.free_port()
    load_before = os.getloadavg()
    app = stack.start_app(env, port)
    rows = []
    try:
        cookies = {who: stack.login_cookie(port, who, password) for who in (HOME_USER, OVERSIGHT_USER)}
        eps = endpoints(token)
        # The county dashboard: /oversight/ redirects to the person's own region; wrk follows no redirect.
        dashboard = stack.location(port, "/oversight/", cookies[OVERSIGHT_USER])
        eps = [(label, m, dashboard if p == "/oversight/" else p, who) for label, m, p, who in eps]
        for label, method, path, who in eps:
            cookie = cookies.get(who or "", "")
            if method == "GET":
                status, body = stack.get(port, path, {"Cookie": cookie} if cookie else None, timeout=60)
                if status != 200:
                    sys.exit(f"{path} answers {status} before the load: {body[:300]!r}")
            script = LUA_ONE.format(
                method=method,
                cookie=cookie,
                body=f"wrk.body = {lua_string(TRIAGE_BODY)}" if method == "POST" else "",
            )
            run_wrk(port, path, script, 2, args.connections)  # warm both workers
            result = run_wrk(port, path, script, args.duration, args.connections)
            rows.append((label, result))
            print(f"{label}: {result['rps']:.0f} req/s, errors {result['errors']}", file=sys.stderr)

        soak = None
        if args.soak:
            mix = [(p, m, cookies.get(who or "", "")) for _, m, p, who in eps]
            script = LUA_MIX.format(
                paths=", ".join(lua_string(p) for p, _, _ in mix),
                methods=", ".join(lua_string(m) for _, m, _ in mix),
                cookies=", ".join(lua_string(c) for _, _, c in mix),
                triage=TRIAGE_BODY.replace("'", "\\'"),
            )
            run_wrk(port, "/", script, 30, args.soak_connections)  # warm-up before the first sample
            workers = stack.worker_pids(app.pid)
            before = {pid: stack.rss_mb(pid) for pid in workers}
            samples: list[dict[int, float]] = []
            stop = threading.Event()

            def sample() -> None:
                while not stop.wait(30):
                    samples.append({pid: stack.rss_mb(pid) for pid in workers})

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            load_soak = os.getloadavg()
            result = run_wrk(port, "/", script, args.soak, args.soak_connections)
            stop.set()
            after = {pid: stack.rss_mb(pid) for pid in workers}
            peak = {pid: max([before[pid], after[pid], *(s.get(pid, 0) for s in samples)]) for pid in workers}
            soak = (result, before, after, peak, load_soak, os.getloadavg())
    finally:
        stack.stop_app(app)
    load_after = os.getloadavg()
    report(args, scale, rows, soak, load_before, load_after)
    failed = any(r["errors"] or r["socket_errors"] for _, r in rows)
    if soak:
        result, before, after, *_ = soak
        failed = failed or bool(result["errors"]) or any(after[p] > before[p] * 1.10 for p in before)
    if failed:
        sys.exit(1)


def report(args, scale, rows, soak, load_before, load_after) -> None:  # type: ignore[no-untyped-def]
    print("## Load and soak: the province stack (PostgreSQL, Redis, two granian workers)")
    print()
    url = re.sub(r"//([^:@/]*):[^@/]*@", r"//\1@", args.database_url)  # no password in the report
    print(
        f"Command: `.venv/bin/python bench/bench_load.py --database-url {url} --duration {args.duration} "
        f"--connections {args.connections} --soak {args.soak}` — wrk `-t2 -c{args.connections} --latency`, "
        f"{args.duration} s per endpoint after a 2 s warm-up; granian `--workers 2 --blocking-threads 4` "
        "as `make run-pg`; rate limits counted in Redis with raised bench allowances (`bench/stack.py`)."
    )
    print()
    print(
        f"Data: {scale}. Load average (1/5/15 min): before {load_before[0]:.2f} / {load_before[1]:.2f} / "
        f"{load_before[2]:.2f}, after {load_after[0]:.2f} / {load_after[1]:.2f} / {load_after[2]:.2f} "
        "(2 cores shared with other sessions)."
    )
    print()
    print("| endpoint | req/s | p50 | p99 | requests | non-2xx/3xx | socket errors |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, r in rows:
        print(
            f"| {label} | {r['rps']:,.0f} | {r['p50']:.1f} ms | {r['p99']:.1f} ms | {r['total']:,} | "
            f"{r['errors']} | {r['socket_errors']} |"
        )
    if soak:
        result, before, after, peak, load_soak, load_end = soak
        print()
        print(
            f"Soak: {args.soak} s of mixed traffic (every endpoint above in turn, wrk -t2 -c{args.soak_connections}): "
            f"{result['total']:,} requests, {result['rps']:,.0f} req/s, p50 {result['p50']:.1f} ms, "
            f"p99 {result['p99']:.1f} ms, non-2xx/3xx {result['errors']}, socket errors {result['socket_errors']} "
            f"({result['socket'] or 'none'}; wrk counts a request unanswered after its 10 s timeout here); "
            f"load average {load_soak[0]:.2f} at the start, {load_end[0]:.2f} at the end."
        )
        print()
        print("| worker | RSS before (after 30 s warm-up) | peak (sampled every 30 s) | after | growth |")
        print("|---|---:|---:|---:|---:|")
        for n, pid in enumerate(sorted(before), 1):
            growth = after[pid] / before[pid] - 1
            print(f"| {n} | {before[pid]:.1f} MB | {peak[pid]:.1f} MB | {after[pid]:.1f} MB | {growth:+.1%} |")


if __name__ == "__main__":
    main()
