"""Benchmark the province deployment pieces: a PostgreSQL streaming replica (set up here with
pg_basebackup -R, reads routed to it, lag measured, fallback when it stops) and backup/restore times.

Run: .venv/bin/python bench/bench_deploy.py  (prints a Markdown section to stdout; needs root for
runuser and the local PostgreSQL 15 cluster on 127.0.0.1:5432). It adds one pg_hba line
(`host replication all 127.0.0.1/32 trust`) when missing, reloads the primary, starts a replica on
port 5433 in a temp data directory and removes it afterwards.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PG_SERVER = os.environ.get("CUNWU_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PG_BIN = Path("/usr/lib/postgresql/15/bin")
HBA = Path("/etc/postgresql/15/main/pg_hba.conf")
REPLICA_PORT = 5433
DB = "cunwu_bench_deploy"


def sh(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), capture_output=True, text=True, check=check)


def psql(sql: str, db: str = "postgres", port: int = 5432) -> str:
    return sh("psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", db, "-Atc", sql).stdout.strip()


def allow_replication() -> None:
    line = "host replication all 127.0.0.1/32 trust"
    if line not in HBA.read_text():
        with HBA.open("a") as fh:
            fh.write(f"\n{line}\n")
        psql("SELECT pg_reload_conf()")


def pg_ctl_stop(datadir: Path) -> None:
    if (datadir / "postmaster.pid").exists():
        sh(
            "runuser",
            "-u",
            "postgres",
            "--",
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(datadir),
            "-m",
            "fast",
            "stop",
            check=False,
        )


def start_replica(pgdir: Path) -> tuple[Path, float]:
    """Copy the local cluster with `pg_basebackup -R` into pgdir/data and start it as a hot standby on
    REPLICA_PORT; returns the data directory and the seconds the base backup took. Stop it with
    pg_ctl_stop(datadir) and remove pgdir afterwards."""
    allow_replication()
    shutil.chown(pgdir, "postgres", "postgres")
    datadir = pgdir / "data"
    datadir.mkdir()
    shutil.chown(datadir, "postgres", "postgres")
    os.chmod(datadir, 0o700)
    t = time.perf_counter()
    sh(
        "runuser",
        "-u",
        "postgres",
        "--",
        str(PG_BIN / "pg_basebackup"),
        "-h",
        "127.0.0.1",
        "-p",
        "5432",
        "-U",
        "postgres",
        "-D",
        str(datadir),
        "-R",
        "-X",
        "stream",
        "-c",
        "fast",
    )
    basebackup = time.perf_counter() - t
    # Debian keeps the primary's configuration under /etc; the replica gets a minimal one of its own.
    (datadir / "postgresql.conf").write_text(
        f"port = {REPLICA_PORT}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{pgdir}'\n"
        "hot_standby = on\nhot_standby_feedback = on\nshared_buffers = 128MB\n"
    )
    (datadir / "pg_hba.conf").write_text("local all all trust\nhost all all 127.0.0.1/32 trust\n")
    for name in ("postgresql.conf", "pg_hba.conf"):
        shutil.chown(datadir / name, "postgres", "postgres")
    log = pgdir / "replica.log"
    sh("touch", str(log))
    shutil.chown(log, "postgres", "postgres")
    sh("runuser", "-u", "postgres", "--", str(PG_BIN / "pg_ctl"), "-D", str(datadir), "-l", str(log), "-w", "start")
    return datadir, basebackup


def setup_django(var: str) -> None:
    os.environ.update(
        CUNWU_VAR_DIR=var,
        CUNWU_SECRET_KEY="bench-only",
        DJANGO_SETTINGS_MODULE="cunwu.settings",
        DATABASE_URL=f"{PG_SERVER}/{DB}",
        CUNWU_REPLICA_URL=f"postgres://postgres@127.0.0.1:{REPLICA_PORT}/{DB}",
        CUNWU_MEDIA_ROOT=str(Path(var) / "media"),
    )
    import django

    django.setup()


def main() -> None:
    psql(f'DROP DATABASE IF EXISTS "{DB}"')
    psql(f'CREATE DATABASE "{DB}"')
    var = tempfile.mkdtemp(prefix="cunwu-bench-deploy-")
    pgdir = Path(tempfile.mkdtemp(prefix="cunwu-bench-replica-"))
    setup_django(var)
    from django.core.management import call_command
    from django.db import connections

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("seed", "--scale", "demo", stdout=quiet)
    seeded = time.perf_counter() - started

    datadir, basebackup = start_replica(pgdir)
    try:
        report(var, seeded, basebackup, lambda: pg_ctl_stop(datadir))
    finally:
        connections.close_all()
        pg_ctl_stop(datadir)
        psql(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
        shutil.rmtree(var, ignore_errors=True)
        shutil.rmtree(pgdir, ignore_errors=True)


def report(var: str, seeded: float, basebackup: float, stop_replica: Any) -> None:
    from django.db import connection, connections

    from cunwu.backups.archive import backup_create, backup_restore
    from cunwu.dbrouting import HEALTH_TTL, replica_lag, replica_reads
    from cunwu.regions.models import Region

    # Lag: a row committed on the primary, polled on the replica (over a kept connection) until it shows.
    with connection.cursor() as primary:
        primary.execute("CREATE TABLE bench_lag (n int)")
    time.sleep(1)
    lags = []
    with connection.cursor() as primary, connections["replica"].cursor() as replica:
        for n in range(50):
            primary.execute("INSERT INTO bench_lag (n) VALUES (%s)", [n])
            t = time.perf_counter()
            while True:
                replica.execute("SELECT count(*) FROM bench_lag WHERE n = %s", [n])
                if replica.fetchone()[0] == 1:
                    break
            lags.append((time.perf_counter() - t) * 1000)
    lags.sort()
    with replica_reads():
        routed = Region.objects.all().db
        with connections["replica"].cursor() as cur:
            cur.execute("SELECT pg_is_in_recovery()")
            in_recovery = cur.fetchone()[0]
    outside = Region.objects.all().db
    lag_now = replica_lag()
    stop_replica()
    time.sleep(HEALTH_TTL + 0.5)
    t = time.perf_counter()
    with replica_reads():
        fallback = Region.objects.all().db
        count = Region.objects.count()
    fallback_ms = (time.perf_counter() - t) * 1000

    # Backup and restore at demo scale on PostgreSQL.
    archive = Path(var) / "backup.tar.gz"
    t = time.perf_counter()
    manifest = backup_create(archive)
    backup_s = time.perf_counter() - t
    t = time.perf_counter()
    backup_restore(archive, force=True)
    restore_s = time.perf_counter() - t
    rows = sum(manifest.tables.values())

    print("## Deployment: read replica, backup and restore (PostgreSQL)")
    print()
    print(
        "Command: `.venv/bin/python bench/bench_deploy.py` (local PostgreSQL 15; the replica on port 5433 is made "
        "with `pg_basebackup -R -X stream` and started with `runuser -u postgres pg_ctl`, then removed)."
    )
    print()
    print("| what | figure |")
    print("|---|---|")
    print(f"| demo data (migrate + `cunwu seed --scale demo`) | {seeded:.1f} s |")
    print(f"| `pg_basebackup` of the whole local cluster | {basebackup:.1f} s |")
    print(
        f"| replication lag: insert committed on the primary → visible on the replica (50 rows) | "
        f"median {lags[25]:.1f} ms, max {lags[-1]:.1f} ms |"
    )
    print(f"| lag as the router measures it (idle) | {lag_now} s |")
    print(f"| a read inside `replica_reads()` goes to | `{routed}` (pg_is_in_recovery = {in_recovery}) |")
    print(f"| a read outside it goes to | `{outside}` |")
    print(
        f"| replica stopped: a read inside `replica_reads()` goes to | `{fallback}` ({count:,} regions read, "
        f"{fallback_ms:.0f} ms including the failed check) |"
    )
    print(
        f"| `cunwu backup` ({rows:,} rows, {len(manifest.files)} files, {archive.stat().st_size / 1e6:.1f} MB) "
        f"| {backup_s:.1f} s |"
    )
    print(
        f"| `cunwu restore --force` of that archive (pg_restore, row counts, into a database with data) | "
        f"{restore_s:.1f} s |"
    )


if __name__ == "__main__":
    main()
