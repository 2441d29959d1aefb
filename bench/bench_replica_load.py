"""The read replica under load: the `make run-pg` stack (granian, two workers; Redis) with
`CUNWU_REPLICA_URL` pointing at a streaming replica, serving the dashboards, public pages and an
export under wrk, with the database's own counters saying which server answered.

Run: .venv/bin/python bench/bench_replica_load.py [--db cunwu_bench_replica_load]
     [--redis-url redis://127.0.0.1:6379/7] [--duration 8] [--connections 8]

Needs root (runuser) and the local PostgreSQL 15 cluster, like bench_deploy.py, whose start_replica()
makes the replica (pg_basebackup -R, port 5433, a temp data directory removed afterwards). The
database (--db, created afresh and dropped afterwards) is migrated and seeded with the demo.

For each endpoint: wrk for --duration seconds, then pg_stat_database for the app database on both
servers (xact_commit, tup_returned + tup_fetched) before and after. A backend reports its counters
at most every 10 s while its connection stays open, so each reading waits STATS_SETTLE seconds.
Then read-your-writes: with replay paused on the replica, the province admin refreshes the figures
(a POST) and the dashboard it is sent back to shows the new time although the replica does not have
it. Last, fallback: mixed traffic over the same pages, the replica stopped with `pg_ctl -m fast`
part-way through; wrk counts the responses that were not 2xx/3xx.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import stack  # noqa: E402
from bench.bench_deploy import PG_SERVER, REPLICA_PORT, pg_ctl_stop, start_replica  # noqa: E402
from bench.bench_load import LUA_MIX, LUA_ONE, lua_string, run_wrk  # noqa: E402

PROVINCE = "530000000000"
PIN_COOKIE = "cunwu_primary"  # cunwu/dbrouting.py: set after any POST, reads go to the primary meanwhile
PROVINCE_USER = "province_admin"
COUNTY_USER = "county_admin"
CLERK_USER = "village_clerk"
STATS_SETTLE = 12.0  # seconds: PostgreSQL 15 backends flush pending counters within 10 s of going idle
REFRESHED = re.compile(r"最近一次 (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)")


@dataclass
class Counters:
    xact: int
    tuples: int


def counters(port: int, db: str) -> Counters:
    """This database's committed transactions and tuples read (returned + fetched) on one server."""
    with psycopg.connect(f"postgres://postgres@127.0.0.1:{port}/postgres", autocommit=True) as conn:
        row = conn.execute(
            "SELECT xact_commit, tup_returned + tup_fetched FROM pg_stat_database WHERE datname = %s", [db]
        ).fetchone()
    assert row is not None, db
    return Counters(int(row[0]), int(row[1]))


def both(db: str, replica_up: bool = True) -> tuple[Counters, Counters | None]:
    time.sleep(STATS_SETTLE)
    return counters(5432, db), counters(REPLICA_PORT, db) if replica_up else None


LAG_SQL = """
SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
            ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 1e9) END
"""


def replica_lag() -> float:
    """Replay lag as the router computes it (cunwu/dbrouting.py), read over the `postgres` database so
    the app database's counters are untouched."""
    with psycopg.connect(f"postgres://postgres@127.0.0.1:{REPLICA_PORT}/postgres", autocommit=True) as conn:
        row = conn.execute(LAG_SQL).fetchone()
    return float(row[0]) if row else 1e9


def wait_caught_up(limit: float = 180.0) -> float:
    """A fresh replica first replays the WAL written since the base backup; wait until it is current."""
    t = time.perf_counter()
    while replica_lag() > 1.0:
        if time.perf_counter() - t > limit:
            sys.exit(f"the replica did not catch up within {limit:.0f} s")
        time.sleep(0.5)
    return time.perf_counter() - t


class LagSampler:
    """The replica's lag every half second while a run lasts; `worst` is the largest seen."""

    def __init__(self) -> None:
        self.worst = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            self.worst = max(self.worst, replica_lag())

    def __enter__(self) -> LagSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def endpoints(county: str) -> list[tuple[str, str, str | None]]:
    """(label, path, who signs in): the views marked @reads_from_replica, then a page that is not."""
    return [
        ("province dashboard `/oversight/r/<province>/`", f"/oversight/r/{PROVINCE}/", PROVINCE_USER),
        ("county dashboard `/oversight/r/<county>/`", f"/oversight/r/{county}/", COUNTY_USER),
        ("county dashboard export `…/export.xlsx`", f"/oversight/r/{county}/export.xlsx", COUNTY_USER),
        ("portal home `/`", "/", None),
        ("catalog page `/gongkai/<province>/duty/`", f"/gongkai/{PROVINCE}/duty/", None),
        ("open data `/gongkai/fudan.json`", "/gongkai/fudan.json", None),
        ("control, not routed: clerk workbench `/accounts/workbench/`", "/accounts/workbench/", CLERK_USER),
    ]


def unpinned(cookie: str) -> str:
    """The session cookie without the sign-in's `cunwu_primary` pin, which a browser drops after
    REPLICA_MAX_LAG + 1 seconds (wrk would send it for the whole run)."""
    return "; ".join(c for c in cookie.split("; ") if not c.startswith(PIN_COOKIE + "="))


def refreshed_on(port: int, path: str, cookie: str) -> str:
    status, body = stack.get(port, path, {"Cookie": cookie}, timeout=60)
    m = REFRESHED.search(body.decode())
    if status != 200 or m is None:
        sys.exit(f"{path} answered {status} without the refresh time")
    return m.group(1)


def post_refresh(port: int, cookie: str) -> str:
    """POST /oversight/refresh/ with the dashboard form's CSRF token; returns the pin cookie it sets."""
    status, body = stack.get(port, f"/oversight/r/{PROVINCE}/", {"Cookie": cookie}, timeout=60)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body.decode())
    if status != 200 or token is None:
        sys.exit("no refresh form on the province dashboard")
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request(
            "POST",
            "/oversight/refresh/",
            body=urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1)}),
            headers={
                "Cookie": cookie,
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{port}/oversight/r/{PROVINCE}/",
            },
        )
        r = conn.getresponse()
        r.read()
        pin = [c.split(";")[0] for c in r.headers.get_all("Set-Cookie") or [] if c.startswith("cunwu_primary=")]
    finally:
        conn.close()
    if r.status != 302 or not pin:
        sys.exit(f"refresh answered {r.status} without the pin cookie")
    return pin[0]


def replica_sql(db: str, sql: str) -> Any:
    with psycopg.connect(f"postgres://postgres@127.0.0.1:{REPLICA_PORT}/{db}", autocommit=True) as conn:
        row = conn.execute(sql).fetchone()
    return row[0] if row else None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="cunwu_bench_replica_load", help="database made (and dropped) here")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/7")
    parser.add_argument("--duration", type=int, default=8, help="seconds of wrk per endpoint")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--fallback", type=int, default=24, help="seconds of mixed traffic, replica stopped at 1/3")
    args = parser.parse_args()
    db = args.db
    # A fresh database each run: the demo accounts' password is generated in this run's var directory.
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{db}"')

    var = tempfile.mkdtemp(prefix="cunwu-bench-replica-load-")
    pgdir = Path(tempfile.mkdtemp(prefix="cunwu-bench-replica-"))
    datadir = pgdir / "data"
    env = stack.app_env(f"{PG_SERVER}/{db}", args.redis_url, var)
    app = None
    try:
        t = time.perf_counter()
        stack.prepare(env, seed=True)
        seeded = time.perf_counter() - t
        password = stack.manage(
            env, "shell", "-c", "from cunwu.accounts.demo import demo_password; print(demo_password())"
        )
        password = password.strip().splitlines()[-1]
        datadir, basebackup = start_replica(pgdir)
        catch_up = wait_caught_up()
        env["CUNWU_REPLICA_URL"] = f"postgres://postgres@127.0.0.1:{REPLICA_PORT}/{db}"
        port = stack.free_port()
        app = stack.start_app(env, port)
        cookies = {
            who: unpinned(stack.login_cookie(port, who, password)) for who in (PROVINCE_USER, COUNTY_USER, CLERK_USER)
        }
        county = stack.location(port, "/oversight/", cookies[COUNTY_USER]).rstrip("/").rsplit("/", 1)[-1]
        rows = measure(args, port, db, cookies, county)
        ryw = read_your_writes(port, db, cookies[PROVINCE_USER])
        fallback = stop_mid_run(args, port, db, cookies, county, lambda: pg_ctl_stop(datadir))
    finally:
        if app is not None:
            stack.stop_app(app)
        pg_ctl_stop(datadir)
        shutil.rmtree(pgdir, ignore_errors=True)
        shutil.rmtree(var, ignore_errors=True)
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    report(args, seeded, basebackup, catch_up, rows, ryw, fallback)
    routed_rows = [r for r in rows if not r[0].startswith("control")]
    # A routed page that reads rows reads some on the replica (the portal home makes no query at all).
    # The primary still reads for it: sign-in, and the once-a-minute refresh decided there (ensure_fresh).
    failed = any(r["errors"] or r["socket_errors"] for _, r, _, _, _ in rows) or any(
        p.tuples + q.tuples > 0 and q.tuples == 0 for _, _, p, q, _ in routed_rows
    )
    if failed or not ryw["own_write_seen"] or fallback["after"]["errors"]:
        sys.exit(1)


def measure(args, port, db, cookies, county):  # type: ignore[no-untyped-def]
    """Each endpoint under wrk; the counters of both servers before and after, per request."""
    rows = []
    for label, path, who in endpoints(county):
        cookie = cookies.get(who or "", "")
        status, body = stack.get(port, path, {"Cookie": cookie} if cookie else None, timeout=60)
        if status != 200:
            sys.exit(f"{path} answers {status} before the load: {body[:300]!r}")
        script = LUA_ONE.format(method="GET", cookie=cookie, body="")
        run_wrk(port, path, script, 2, args.connections)  # warm both workers
        wait_caught_up()
        p0, r0 = both(db)
        with LagSampler() as lag:
            result = run_wrk(port, path, script, args.duration, args.connections)
        p1, r1 = both(db)
        assert r0 is not None and r1 is not None
        n = result["total"]
        primary = Counters(p1.xact - p0.xact, p1.tuples - p0.tuples)
        replica = Counters(r1.xact - r0.xact, r1.tuples - r0.tuples)
        rows.append((label, result, primary, replica, lag.worst))
        print(
            f"{label}: {result['rps']:.0f} req/s, errors {result['errors']}; per request: replica "
            f"{replica.xact / n:.1f} xact, primary {primary.xact / n:.1f} xact",
            file=sys.stderr,
        )
    return rows


def read_your_writes(port: int, db: str, cookie: str) -> dict:
    """Replay paused on the replica: a POST that writes, then the page it leads to, pinned and not."""
    path = f"/oversight/r/{PROVINCE}/"
    wait_caught_up()
    before = refreshed_on(port, path, cookie)
    replica_sql(db, "SELECT pg_wal_replay_pause()")
    try:
        time.sleep(1.1)  # the page shows seconds
        pin = post_refresh(port, cookie)
        pinned = refreshed_on(port, path, f"{cookie}; {pin}")
        unpinned = refreshed_on(port, path, cookie)
        on_replica = replica_sql(
            db,
            "SELECT to_char(max(refreshed_at) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS') "
            "FROM oversight_monthrefresh",
        )
        lag = replica_sql(db, "SELECT EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())")
    finally:
        replica_sql(db, "SELECT pg_wal_replay_resume()")
    return {
        "before": before,
        "pinned": pinned,
        "unpinned": unpinned,
        "on_replica": on_replica,
        "replay_age": float(lag or 0),
        "own_write_seen": pinned > before and pinned != on_replica,
    }


def stop_mid_run(args, port, db, cookies, county, stop_replica):  # type: ignore[no-untyped-def]
    """Mixed traffic over the routed pages; the replica is stopped a third of the way in."""
    mix = [
        (path, cookies.get(who or "", "")) for label, path, who in endpoints(county) if not label.startswith("control")
    ]
    script = LUA_MIX.format(
        paths=", ".join(lua_string(p) for p, _ in mix),
        methods=", ".join(lua_string("GET") for _ in mix),
        cookies=", ".join(lua_string(c) for _, c in mix),
        triage="",
    )
    wait_caught_up()
    p0, r0 = both(db)
    stopped: dict[str, float] = {}

    def stop_later() -> None:
        time.sleep(args.fallback / 3)
        t = time.perf_counter()
        stop_replica()
        stopped["seconds"] = time.perf_counter() - t

    stopper = threading.Thread(target=stop_later)
    stopper.start()
    during = run_wrk(port, "/", script, args.fallback, args.connections)
    stopper.join()
    p1, _ = both(db, replica_up=False)
    after = run_wrk(port, "/", script, args.duration, args.connections)
    p2, _ = both(db, replica_up=False)
    assert r0 is not None
    return {
        "during": during,
        "after": after,
        "stop_seconds": stopped.get("seconds", 0.0),
        "primary_during": Counters(p1.xact - p0.xact, p1.tuples - p0.tuples),
        "primary_after": Counters(p2.xact - p1.xact, p2.tuples - p1.tuples),
    }


def report(args, seeded, basebackup, catch_up, rows, ryw, fallback) -> None:  # type: ignore[no-untyped-def]
    print("## Deployment: the read replica under load (PostgreSQL streaming replica, Redis, two granian workers)")
    print()
    print(
        f"Command: `.venv/bin/python bench/bench_replica_load.py --db {args.db} --redis-url {args.redis_url} "
        f"--duration {args.duration} --connections {args.connections} --fallback {args.fallback}` — demo data "
        f"(migrate + `cunwu seed --scale demo`, {seeded:.0f} s), the replica made with `pg_basebackup -R` "
        f"({basebackup:.1f} s; replaying the WAL written meanwhile took {catch_up:.0f} s more) on port "
        f"{REPLICA_PORT}, the app as `make run-pg` (granian `--workers 2 "
        f"--blocking-threads 4`) with `CUNWU_REPLICA_URL` set; wrk `-t2 -c{args.connections}`, {args.duration} s "
        "per page after a 2 s warm-up, loopback; 2 cores shared with other sessions."
    )
    print()
    print(
        "Counters are `pg_stat_database` for the app database on each server (xact_commit; tuples = "
        "tup_returned + tup_fetched), read before and after each run; “per request” divides by the requests wrk "
        "completed. Sign-in (session, user, memberships) is read by middleware outside the view, on the primary, "
        "and so is the dashboards' once-a-minute freshness check and refresh (`aggregation.ensure_fresh`, "
        "`primary_reads()`); the view's other queries are what `@reads_from_replica` routes."
    )
    print()
    print(
        "| page | req/s | p50 | p99 | requests | non-2xx/3xx | worst replica lag | replica xact/req | replica tuples | "
        "primary xact/req | primary tuples |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for label, r, p, q, lag in rows:
        n = max(r["total"], 1)
        print(
            f"| {label} | {r['rps']:,.0f} | {r['p50']:.1f} ms | {r['p99']:.1f} ms | {r['total']:,} | "
            f"{r['errors'] + r['socket_errors']} | {lag:.2f} s | {q.xact / n:.1f} | {q.tuples:,} | {p.xact / n:.1f} | "
            f"{p.tuples:,} |"
        )
    print()
    print(
        f"Read-your-writes: with WAL replay paused on the replica, the province admin's `POST /oversight/refresh/` "
        f"(a write) sets the `cunwu_primary` cookie; the province dashboard then shows refresh time "
        f"{ryw['pinned']} (before: {ryw['before']}), while the replica still holds {ryw['on_replica']} — "
        f"the page read its own write from the primary. The same page without the cookie showed {ryw['unpinned']} "
        f"(the replica's last replayed transaction was {ryw['replay_age']:.1f} s old; the router falls back to the "
        "primary once replay lags more than `CUNWU_REPLICA_MAX_LAG` = 5 s)."
    )
    print()
    d, a = fallback["during"], fallback["after"]
    print(
        f"Fallback: mixed traffic over the six routed pages above for {args.fallback} s, the replica stopped "
        f"(`pg_ctl -m fast`, {fallback['stop_seconds']:.1f} s) after {args.fallback // 3} s:"
    )
    print()
    print("| run | req/s | p50 | p99 | requests | non-2xx/3xx | socket errors | primary xact/req |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, r, p in (
        ("replica stopped mid-run", d, fallback["primary_during"]),
        ("afterwards, replica down", a, fallback["primary_after"]),
    ):
        print(
            f"| {name} | {r['rps']:,.0f} | {r['p50']:.1f} ms | {r['p99']:.1f} ms | {r['total']:,} | {r['errors']} | "
            f"{r['socket_errors']} | {p.xact / max(r['total'], 1):.1f} |"
        )


if __name__ == "__main__":
    main()
