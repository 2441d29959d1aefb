"""Faults under load: PostgreSQL restarted, and Redis killed, while requests keep coming.

Run: .venv/bin/python bench/bench_faults.py  (root; prints a Markdown section)

Nobody else is disturbed: it creates a throwaway PostgreSQL 15 cluster `faults` on port 5434
(`pg_createcluster`, trust on 127.0.0.1 only) and a throwaway redis-server on a free port, seeds the
demo into it, serves it with granian (two workers, as `make run-pg`), and drops both at the end.
Four client threads send requests without pause (a public page, the catalog and verification APIs, a
signed-in workbench) and record every status. Then:

1. PostgreSQL stopped (`pg_ctlcluster 15 faults stop -m fast`) for --outage seconds and started again;
2. PostgreSQL restarted in one command (`pg_ctlcluster 15 faults restart -m fast`);
3. Redis killed for --outage seconds, then started again.

Expected: during a database outage every failed request is a 503 with Retry-After — the Chinese page,
or `{"detail", "code": "database_unavailable"}` from the API — never a 500 or a dropped connection,
and requests succeed again within seconds of the database being back, with the same app processes.
With Redis down every request still succeeds (cache and rate limits fail open, sessions are in the
database). Exit status 1 when any of that does not hold.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import stack  # noqa: E402

CLUSTER = ("15", "faults")
PG_PORT = 5434
DB = "cunwu_faults"
CONF = Path("/etc/postgresql/15/faults")


def sh(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), capture_output=True, text=True, check=check)


def cluster_create() -> None:
    if sh("pg_lsclusters", "-h").stdout.count(" faults "):
        cluster_drop()
    sh("pg_createcluster", *CLUSTER, "--port", str(PG_PORT))
    (CONF / "pg_hba.conf").write_text("local all postgres peer\nhost all all 127.0.0.1/32 trust\n")
    with (CONF / "postgresql.conf").open("a") as fh:
        fh.write("\nlisten_addresses = '127.0.0.1'\nshared_buffers = 64MB\nfsync = off\nmax_connections = 50\n")
    sh("pg_ctlcluster", *CLUSTER, "start")
    sh("psql", "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", "-c", f'CREATE DATABASE "{DB}"')


def cluster_drop() -> None:
    sh("pg_dropcluster", *CLUSTER, "--stop", check=False)


@dataclass
class Hit:
    at: float
    path: str
    status: int  # 0: no HTTP answer at all
    clean: bool  # a 503 carrying the Chinese page or the JSON code, with Retry-After
    ms: float


class Load:
    def __init__(self, port: int, paths: list[tuple[str, dict[str, str]]], threads: int = 4) -> None:
        self.port, self.paths = port, paths
        self.hits: list[Hit] = []
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.run, args=(n,), daemon=True) for n in range(threads)]
        self.lock = threading.Lock()

    def run(self, n: int) -> None:
        i = n
        while not self.stop.is_set():
            path, headers = self.paths[i % len(self.paths)]
            i += 1
            t = time.monotonic()
            status, clean = 0, False
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
                conn.request("GET", path, headers=headers)
                r = conn.getresponse()
                body = r.read().decode("utf-8", "replace")
                status = r.status
                if status == 503:
                    retry = r.headers.get("Retry-After") is not None
                    if path.startswith("/api/"):
                        clean = retry and json.loads(body).get("code") == "database_unavailable"
                    else:
                        clean = retry and "系统暂时无法服务" in body and "Traceback" not in body
                conn.close()
            except (OSError, http.client.HTTPException, ValueError):
                pass
            with self.lock:
                self.hits.append(Hit(t, path, status, clean, (time.monotonic() - t) * 1000))

    def __enter__(self) -> Load:
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for t in self.threads:
            t.join()


def window(hits: list[Hit], start: float, end: float) -> list[Hit]:
    return [h for h in hits if start <= h.at < end]


def summary(hits: list[Hit]) -> str:
    counts = Counter(h.status for h in hits)
    return ", ".join(f"{'no answer' if s == 0 else s}: {n}" for s, n in sorted(counts.items())) or "—"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--outage", type=float, default=3.0, help="seconds PostgreSQL (and Redis) stay down")
    parser.add_argument("--steady", type=float, default=5.0, help="seconds of load before and after each fault")
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("run as root: pg_createcluster and pg_ctlcluster manage a throwaway cluster")
    var = tempfile.mkdtemp(prefix="cunwu-bench-faults-")
    redis_port = stack.free_port()
    redis: subprocess.Popen[bytes] | None = None
    app: subprocess.Popen[bytes] | None = None

    def redis_start() -> subprocess.Popen[bytes]:
        proc = subprocess.Popen(
            ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(0.5)
        return proc

    load_before = os.getloadavg()
    cluster_create()
    try:
        redis = redis_start()
        env = stack.app_env(f"postgres://postgres@127.0.0.1:{PG_PORT}/{DB}", f"redis://127.0.0.1:{redis_port}/0", var)
        stack.prepare(env, seed=True)
        password = env.get("CUNWU_DEMO_PASSWORD") or (Path(var) / "demo-password.txt").read_text().strip()
        token = (
            stack.manage(
                env,
                "shell",
                "-c",
                "from cunwu.certificates.models import Certificate;"
                "print(Certificate.objects.values_list('token', flat=True).first())",
            )
            .strip()
            .splitlines()[-1]
        )
        port = stack.free_port()
        app = stack.start_app(env, port)
        workers_before = sorted(stack.worker_pids(app.pid))
        cookie = stack.login_cookie(port, "village_clerk", password)
        paths = [
            (f"/zhaocun/?q={urllib.parse.quote('罗免')}", {}),
            ("/api/v1/catalogs/duty", {}),
            (f"/api/v1/certificates/verify?token={token}", {}),
            ("/accounts/workbench/", {"Cookie": cookie}),
        ]
        phases: list[tuple[str, float, float, float, float]] = []  # name, start, down, up, end
        with Load(port, paths) as load:
            time.sleep(args.steady)

            t0 = time.monotonic()
            sh("pg_ctlcluster", *CLUSTER, "stop", "-m", "fast")
            down = time.monotonic()
            time.sleep(args.outage)
            sh("pg_ctlcluster", *CLUSTER, "start")
            up = time.monotonic()
            time.sleep(args.steady * 2)
            phases.append((f"PostgreSQL stopped for {args.outage:.0f} s, then started", t0, down, up, time.monotonic()))

            t0 = time.monotonic()
            sh("pg_ctlcluster", *CLUSTER, "restart", "-m", "fast")
            up = time.monotonic()
            time.sleep(args.steady * 2)
            phases.append(("PostgreSQL restarted (`pg_ctlcluster restart -m fast`)", t0, t0, up, time.monotonic()))

            t0 = time.monotonic()
            redis.kill()
            redis.wait()
            down = time.monotonic()
            time.sleep(args.outage * 2)
            redis = redis_start()
            up = time.monotonic()
            time.sleep(args.steady)
            phases.append((f"Redis killed for {args.outage * 2:.0f} s, then started", t0, down, up, time.monotonic()))
        hits = load.hits
        workers_after = sorted(stack.worker_pids(app.pid))
        same_workers = workers_before == workers_after
        steady = window(hits, hits[0].at, phases[0][1])
    finally:
        if app is not None:
            stack.stop_app(app)
        if redis is not None:
            redis.kill()
        cluster_drop()
        shutil.rmtree(var, ignore_errors=True)

    print("## Faults under load: PostgreSQL restarted, Redis killed")
    print()
    print(
        "Command: `.venv/bin/python bench/bench_faults.py` — a throwaway PostgreSQL 15 cluster on port 5434 and "
        "a throwaway redis-server, demo data, granian `--workers 2 --blocking-threads 4`; four client threads "
        "loop over `/zhaocun/?q=罗免`, `/api/v1/catalogs/duty`, `/api/v1/certificates/verify?token=…` and a "
        "signed-in `/accounts/workbench/`."
    )
    print()
    print(
        f"Load average before: {load_before[0]:.2f} / {load_before[1]:.2f} / {load_before[2]:.2f}, after: "
        f"{os.getloadavg()[0]:.2f}. Before any fault: {summary(steady)}."
    )
    print()
    print(
        "| fault | statuses while it lasted | 503s with the Chinese page / JSON code and Retry-After | "
        "500s or no answer | first 200 after the service was back | statuses afterwards |"
    )
    print("|---|---|---|---:|---:|---|")
    ok = same_workers and all(h.status == 200 for h in steady)
    for name, start, _down, up, end in phases:
        during = window(hits, start, up)
        after = window(hits, up, end)
        bad_after = [h for h in after if h.status != 200]
        last_bad = max((h.at + h.ms / 1000 for h in bad_after), default=up)
        first_ok = min(
            (h.at + h.ms / 1000 for h in after if h.status == 200 and h.at >= last_bad - 0.001), default=None
        )
        recovered = f"{first_ok - up:.2f} s" if first_ok is not None else "never"
        n503 = [h for h in during + after if h.status == 503]
        clean = sum(h.clean for h in n503)
        broken = [h for h in during + after if h.status not in (200, 503)]
        print(
            f"| {name} | {summary(during)} | {clean} of {len(n503)} | {len(broken)} | {recovered} | "
            f"{summary(window(hits, last_bad, end))} |"
        )
        ok = ok and not broken and clean == len(n503) and first_ok is not None
        if name.startswith("Redis"):
            ok = ok and not n503
    print()
    print(
        f"The same two worker processes served throughout ({'yes' if same_workers else 'NO'}: "
        f"pids {workers_before} before, {workers_after} after); nothing was restarted but the database and Redis."
    )
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
