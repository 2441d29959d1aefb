"""`make bench`: run every bench/bench_*.py in its own process and rewrite docs/benchmarks.md.

Each script prints a Markdown section ("## Title", the command, the figures). A script that fails or
times out still gets its section, saying so with the tail of its stderr: failures are never hidden,
and this runner exits non-zero after writing the page.

Usage: .venv/bin/python bench/run.py [NAME ...] [--no-write]
  NAME        run only these (e.g. regions ledger); the page is then not rewritten unless --write
  --no-write  print the sections without rewriting docs/benchmarks.md
Environment: CUNWU_BENCH_TIMEOUT (seconds per script, default 900).
"""

from __future__ import annotations

import os
import platform
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
DOC = ROOT / "docs" / "benchmarks.md"
TIMEOUT = int(os.environ.get("CUNWU_BENCH_TIMEOUT", "900"))
PG_URL = os.environ.get("CUNWU_BENCH_PG", "postgres://postgres@127.0.0.1:5432") + "/postgres"
# Foundation first, then the shared pieces, then the areas in the order data flows (DESIGN.md §1).
ORDER = [
    "regions",
    "matching",
    "documents",
    "ledger",
    "catalogs",
    "admission",
    "reporting",
    "signs",
    "certificates",
    "seals",
    "oversight",
    "portal",
]
STDERR_TAIL = 40


@dataclass
class Outcome:
    name: str
    ok: bool
    seconds: float
    section: str


def scripts(only: list[str]) -> list[Path]:
    found = {p.stem.removeprefix("bench_"): p for p in BENCH.glob("bench_*.py")}
    names = sorted(found, key=lambda n: (ORDER.index(n) if n in ORDER else len(ORDER), n))
    if only:
        unknown = [n for n in only if n not in found]
        if unknown:
            raise SystemExit(f"no such benchmark: {', '.join(unknown)} (have: {', '.join(names)})")
        names = [n for n in names if n in only]
    return [found[n] for n in names]


def _tail(text: str, lines: int = STDERR_TAIL) -> str:
    return "\n".join(text.rstrip().splitlines()[-lines:])


def run_one(path: Path) -> Outcome:
    name = path.stem.removeprefix("bench_")
    env = os.environ | {"PYTHONUNBUFFERED": "1"}
    started = time.perf_counter()
    try:
        proc = subprocess.run(
            [sys.executable, str(path)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=TIMEOUT
        )
    except subprocess.TimeoutExpired as exc:
        seconds = time.perf_counter() - started
        stderr = exc.stderr.decode() if isinstance(exc.stderr, bytes) else (exc.stderr or "")
        stdout = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        return Outcome(name, False, seconds, _failed(name, f"timed out after {TIMEOUT} s", stdout, stderr))
    seconds = time.perf_counter() - started
    stdout = proc.stdout.strip()
    if proc.returncode != 0:
        return Outcome(name, False, seconds, _failed(name, f"exit status {proc.returncode}", stdout, proc.stderr))
    if not stdout.startswith("## "):
        return Outcome(
            name, False, seconds, _failed(name, "printed no Markdown section starting with “## ”", stdout, proc.stderr)
        )
    return Outcome(name, True, seconds, stdout)


def _failed(name: str, why: str, stdout: str, stderr: str) -> str:
    parts = [
        f"## {name} — FAILED\n",
        f"`bench/bench_{name}.py` failed: {why}. Its figures are missing from this page.\n",
    ]
    if stdout.strip():
        parts.append("Standard output (tail):\n\n```\n" + _tail(stdout) + "\n```\n")
    parts.append("Standard error (tail):\n\n```\n" + (_tail(stderr) or "(empty)") + "\n```")
    return "\n".join(parts)


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def machine() -> list[tuple[str, str]]:
    cpuinfo = _read("/proc/cpuinfo")
    model = next(
        (line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")),
        platform.processor() or "unknown",
    )
    meminfo = _read("/proc/meminfo")
    mem_kb = next((int(line.split()[1]) for line in meminfo.splitlines() if line.startswith("MemTotal:")), 0)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    try:
        import django

        django_version = django.get_version()
    except ImportError:
        django_version = "not installed"
    return [
        ("CPU", f"{model} — {cores} cores available (nproc)"),
        ("Memory", f"{mem_kb / 1024 / 1024:.1f} GiB" if mem_kb else "unknown"),
        ("System", f"{platform.system()} {platform.release()} ({_os_name()})"),
        ("Python", platform.python_version()),
        ("Django", django_version),
        ("SQLite", sqlite3.sqlite_version),
        ("PostgreSQL", _postgres_version()),
        (
            "Commit",
            _git("rev-parse", "--short", "HEAD")
            + (" (with uncommitted changes)" if _git("status", "--porcelain", "--untracked-files=no") else ""),
        ),
    ]


def _os_name() -> str:
    for line in _read("/etc/os-release").splitlines():
        if line.startswith("PRETTY_NAME="):
            return line.split("=", 1)[1].strip('"')
    return "unknown"


def _postgres_version() -> str:
    try:
        import psycopg

        with psycopg.connect(PG_URL, connect_timeout=3) as conn:
            row = conn.execute("SHOW server_version").fetchone()
            return str(row[0]) if row else "unknown"
    except Exception as exc:  # noqa: BLE001 - report the reason, whatever it is
        return f"not reachable ({type(exc).__name__})"


def _git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def page(outcomes: list[Outcome], started: datetime, total: float) -> str:
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (which runs `.venv/bin/python bench/run.py`); do not edit by hand — rerun it.",
        "Each `bench/bench_*.py` runs in a process of its own and prints its section below; tests never assert timings.",
        "",
        f"- Date: {started.strftime('%Y-%m-%d %H:%M %z')} (total {total:.0f} s)",
    ]
    lines += [f"- {label}: {value}" for label, value in machine()]
    failed = [o.name for o in outcomes if not o.ok]
    lines.append(
        f"- Result: {len(outcomes) - len(failed)} of {len(outcomes)} benchmarks ran"
        + (f"; **failed: {', '.join(failed)}**" if failed else "")
    )
    lines.append("")
    lines.append("| benchmark | status | time |")
    lines.append("|---|---|---:|")
    lines += [f"| {o.name} | {'ok' if o.ok else '**FAILED**'} | {o.seconds:.0f} s |" for o in outcomes]
    lines.append("")
    for o in outcomes:
        lines += [o.section.rstrip(), ""]
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str]) -> int:
    write = "--no-write" not in argv
    only = [a.removeprefix("bench_").removesuffix(".py") for a in argv if not a.startswith("--")]
    if only and "--write" not in argv:
        write = False
    started = datetime.now().astimezone()
    t0 = time.perf_counter()
    outcomes = []
    for path in scripts(only):
        print(f"… {path.name}", file=sys.stderr, flush=True)
        outcome = run_one(path)
        print(
            f"{'ok' if outcome.ok else 'FAILED'}: {path.name} in {outcome.seconds:.0f} s", file=sys.stderr, flush=True
        )
        print(outcome.section + "\n", flush=True)
        outcomes.append(outcome)
    if write:
        DOC.parent.mkdir(parents=True, exist_ok=True)
        DOC.write_text(page(outcomes, started, time.perf_counter() - t0), encoding="utf-8")
        print(f"wrote {DOC.relative_to(ROOT)}", file=sys.stderr)
    return 0 if all(o.ok for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
