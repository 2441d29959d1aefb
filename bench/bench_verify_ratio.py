"""Issue 17's ratio: the verification API against `/livez` on the same server, on both backends.

Run: .venv/bin/python bench/bench_verify_ratio.py [--duration S] [--connections C] [--repeats N]

For each backend a throwaway database is prepared in a child process (migrate, the demo divisions,
accounts and catalogs, a few issued certificates), then served the way the Makefile serves it:

* `make run`: SQLite under a temporary var/, `granian --interface wsgi --workers 1 --blocking-threads 4`,
  the in-process cache;
* `make run-pg`: a throwaway PostgreSQL database, Redis (cache and rate limits shared by the
  processes), `granian --interface wsgi --workers 2 --blocking-threads 4`.

Rate limits stay ON (CUNWU_RATE_LIMIT_ENABLED is not touched): every request still counts in the
limiter. One load client from one address would be refused after 300 requests a minute, so the
bench raises the verify bucket's allowance (CUNWU_RATE_VERIFY) for its own server only.

Each round runs `wrk -t2 -cC -dS --latency` on a genuine token's verification URL and then on `/livez`
back to back; the ratio of a round is verify/livez. The table gives every round and the median ratio.
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import stack  # noqa: E402

PG_SERVER = os.environ.get("CUNWU_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("CUNWU_BENCH_REDIS", "redis://127.0.0.1:6379/0")
TARGET = 0.5
# The verify bucket's allowance on the bench's own server: wrk from one address sends thousands a second.
BENCH_ALLOWANCE = "100000000"
BACKENDS = {
    "sqlite": ("`make run`: SQLite, in-process cache, granian 1 worker × 4 threads", 1),
    "pg": ("`make run-pg`: PostgreSQL + Redis, granian 2 workers × 4 threads", 2),
}


def base_env(var: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CUNWU_", "DATABASE_URL"))}
    env.update(
        {
            "CUNWU_VAR_DIR": var,
            "CUNWU_MEDIA_ROOT": f"{var}/media",
            "CUNWU_SECRET_KEY": "bench-only-secret-key",
            "CUNWU_RATE_VERIFY": BENCH_ALLOWANCE,
            "DJANGO_SETTINGS_MODULE": "cunwu.settings",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def prepare() -> None:
    """Child process: migrate, seed the demo base data, issue certificates, print one token."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from bench.bench_certificates import VILLAGE, id_number
    from cunwu.accounts import demo as accounts_demo
    from cunwu.accounts.models import User
    from cunwu.catalogs import demo as catalogs_demo
    from cunwu.certificates.services import application_decide, application_receive, certificate_issue
    from cunwu.regions.models import Region
    from cunwu.regions.seeding import seed_regions

    seed_regions("demo")
    accounts_demo.seed(scale="demo", stdout=io.StringIO())
    catalogs_demo.seed(scale="demo", stdout=io.StringIO())
    clerk, head = User.objects.get(username="village_clerk"), User.objects.get(username="village_head")
    app = application_receive(
        actor=clerk,
        region=Region.objects.get(code=VILLAGE),
        channel="desk",
        applicant_name="张三丰",
        applicant_id_number=id_number(1),
        request_text="派出所让我开居住证明",
        purpose="办理居住证",
        requesting_agency="富民县公安局罗免派出所",
    )
    application_decide(
        actor=clerk,
        application=app,
        action="issue",
        materials_checked=["身份证明", "租赁合同或房屋权属材料"],
        verified_facts="该同志自2020年3月起实际居住在本村第三村民小组12号。",
        validity_days=90,
    )
    print(certificate_issue(actor=head, application=app).token)


def revoke() -> None:
    """Child process: set up, say "ready", wait for a line on stdin, revoke the newest certificate,
    print the wall-clock time right after the commit."""
    import django

    django.setup()
    from cunwu.accounts.models import User
    from cunwu.certificates.models import Certificate
    from cunwu.certificates.services import certificate_revoke

    head = User.objects.get(username="village_head")
    cert = Certificate.objects.order_by("-pk")[0]
    print("ready", flush=True)
    sys.stdin.readline()
    certificate_revoke(actor=head, certificate=cert, reason="核验基准：撤销后一秒内可见")
    print(time.time(), flush=True)


def revocation_staleness(env: dict[str, str], port: int, token: str, connections: int) -> tuple[float, int]:
    """Revoke in another process while wrk keeps every worker's kept row warm; poll on fresh
    connections (any worker) for two seconds. Returns (seconds from the commit to the last answer
    still saying "valid", 0 when none did; polls made)."""
    path = f"/api/v1/certificates/verify?token={token}"
    child = subprocess.Popen(
        [sys.executable, __file__, "--revoke"], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert child.stdin and child.stdout
    if child.stdout.readline().strip() != "ready":
        raise SystemExit("the revoking process did not start")
    load = subprocess.Popen(
        ["wrk", "-t2", f"-c{connections}", "-d4s", f"http://127.0.0.1:{port}{path}"], stdout=subprocess.DEVNULL
    )
    time.sleep(1.0)
    child.stdin.write("go\n")
    child.stdin.flush()
    committed = float(child.stdout.readline())
    last_valid, polls = committed, 0
    while polls < 20 or time.time() < committed + 2.0:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", path)
        status = json.loads(conn.getresponse().read())["status"]
        conn.close()
        polls += 1
        if status == "valid":
            last_valid = time.time()
        elif status != "revoked":
            raise SystemExit(f"unexpected status after revocation: {status}")
    load.wait(30)
    child.wait(60)
    return last_valid - committed, polls


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(url: str, duration: int, connections: int) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = int(non2xx.group(1)) if non2xx else 0
    if socket_errors:
        errors += sum(int(g) for g in socket_errors.groups())
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50": _ms(re.search(r"\s50%\s+(\S+)", out).group(1)),  # type: ignore[union-attr]
        "p99": _ms(re.search(r"\s99%\s+(\S+)", out).group(1)),  # type: ignore[union-attr]
        "errors": errors,
    }


def check_answer(port: int, token: str) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.request("GET", f"/api/v1/certificates/verify?token={token}")
    body = json.loads(conn.getresponse().read())
    if body.get("status") != "valid":
        raise SystemExit(f"the bench token does not verify as valid: {body}")


staleness: dict[str, tuple[float, int]] = {}


def run_backend(name: str, args: argparse.Namespace) -> list[dict[str, float]]:
    var = tempfile.mkdtemp(prefix=f"cunwu-bench-ratio-{name}-")
    env = base_env(var)
    db = f"cunwu_bench_ratio_{os.getpid()}"
    if name == "pg":
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{db}"')
        env["DATABASE_URL"] = f"{PG_SERVER}/{db}"
        env["CUNWU_REDIS_URL"] = REDIS_URL
    rounds: list[dict[str, float]] = []
    try:
        prepared = subprocess.run(
            [sys.executable, __file__, "--prepare"], env=env, capture_output=True, text=True, check=False
        )
        if prepared.returncode != 0:
            raise SystemExit(f"preparing the {name} database failed:\n{prepared.stderr[-3000:]}")
        token = prepared.stdout.split()[-1]
        port = stack.free_port()
        server = stack.start_app(env, port, workers=BACKENDS[name][1])
        try:
            check_answer(port, token)
            verify_url = f"http://127.0.0.1:{port}/api/v1/certificates/verify?token={token}"
            livez_url = f"http://127.0.0.1:{port}/livez"
            wrk(verify_url, 2, args.connections)  # warm both workers' connections and caches
            wrk(livez_url, 1, args.connections)
            for _ in range(args.repeats):
                load = os.getloadavg()[0]
                verify = wrk(verify_url, args.duration, args.connections)
                livez = wrk(livez_url, args.duration, args.connections)
                rounds.append({"load": load, "ratio": verify["rps"] / livez["rps"], "verify": verify, "livez": livez})  # type: ignore[dict-item]
            staleness[name] = revocation_staleness(env, port, token, args.connections)
        finally:
            stack.stop_app(server)
    finally:
        if name == "pg":
            import psycopg

            with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        shutil.rmtree(var, ignore_errors=True)
    return rounds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--backends", default="sqlite,pg")
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--revoke", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        prepare()
        return
    if args.revoke:
        revoke()
        return
    if not shutil.which("wrk"):
        print("## Verification vs /livez (issue 17)\n\n`wrk` is not installed (`apt-get install wrk`); not run.")
        raise SystemExit(1)
    results = {name: run_backend(name, args) for name in args.backends.split(",")}

    print("## Verification vs /livez (issue 17)\n")
    print(
        f"Command: `.venv/bin/python bench/bench_verify_ratio.py --duration {args.duration} "
        f"--connections {args.connections} --repeats {args.repeats}`; load from "
        f"`wrk -t2 -c{args.connections} -d{args.duration}s --latency` on the same {os.cpu_count()}-core machine "
        "(shared with other work), verify then `/livez` back to back in each round. Rate limits on; the bench's "
        f"server allows {int(BENCH_ALLOWANCE):,} verifications a minute per address (CUNWU_RATE_VERIFY) so "
        "that one load client is counted but not refused.\n"
    )
    print(
        "| server | round | load avg | verify req/s | verify p50 / p99 ms | `/livez` req/s | `/livez` p50 / p99 ms "
        "| errors | ratio |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    medians = {}
    for name, rounds in results.items():
        for i, r in enumerate(rounds, 1):
            v, lz = r["verify"], r["livez"]
            print(
                f"| {BACKENDS[name][0]} | {i} | {r['load']:.2f} | {v['rps']:,.0f} | {v['p50']:.2f} / {v['p99']:.2f} "  # type: ignore[index]
                f"| {lz['rps']:,.0f} | {lz['p50']:.2f} / {lz['p99']:.2f} | {v['errors'] + lz['errors']:.0f} "  # type: ignore[index]
                f"| {r['ratio']:.0%} |"
            )
        medians[name] = statistics.median(r["ratio"] for r in rounds)
    print()
    for name, ratio in medians.items():
        verdict = "meets" if ratio >= TARGET else "MISSES"
        print(f"- {BACKENDS[name][0]}: median ratio **{ratio:.0%}** ({verdict} the {TARGET:.0%} target).")
    print(
        "\nRevocation: after the rounds, the certificate is revoked by another process (the service, committed) "
        "while wrk keeps every worker's kept row warm; fresh connections then poll for two seconds.\n"
    )
    for name, (stale, polls) in staleness.items():
        verdict = "within" if stale < 1.0 else "NOT within"
        print(
            f"- {BACKENDS[name][0]}: last answer still saying valid {stale * 1000:.0f} ms after the commit "
            f"({polls} polls; {verdict} one second)."
        )


if __name__ == "__main__":
    main()
