"""The `make run-pg` stack for benchmarks: migrate and seed a database, serve it with granian (two
workers, four threads each, as `make run-pg` does), sign a demo account in over HTTP, and read each
worker's memory from /proc. Shared by bench_load.py and bench_faults.py."""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = str(ROOT / ".venv" / "bin" / "python")
GRANIAN = str(ROOT / ".venv" / "bin" / "granian")

# Benchmarks send thousands of requests a minute from 127.0.0.1, one client as far as the per-client
# limits can tell. They raise the allowances for this process only (the limiter still runs and counts
# in Redis); production keeps the defaults of cunwu/settings.py.
BENCH_RATES = {
    "CUNWU_RATE_PUBLIC": "100000000",
    "CUNWU_RATE_VERIFY": "100000000",
    "CUNWU_RATE_LOGIN": "1000",
    "CUNWU_RATE_TOKEN": "1000",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def app_env(database_url: str, redis_url: str, var: str) -> dict[str, str]:
    secret = ROOT / "var" / "secret-key"
    kek = ROOT / "var" / "key-encryption-key"
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        CUNWU_REDIS_URL=redis_url,
        CUNWU_VAR_DIR=var,
        CUNWU_MEDIA_ROOT=str(Path(var) / "media"),
        CUNWU_SECRET_KEY=secret.read_text().strip() if secret.exists() else "bench-only-secret",
        CUNWU_DEBUG="0",
        **BENCH_RATES,
    )
    if kek.exists():
        env["CUNWU_KEY_ENCRYPTION_KEY"] = kek.read_text().strip()
    # The demo accounts' password lives beside the secret key (cunwu/accounts/demo.py): the same one
    # as `make run-pg`, so a database seeded there can be signed into here.
    password = ROOT / "var" / "demo-password.txt"
    if password.exists() and "CUNWU_DEMO_PASSWORD" not in env:
        env["CUNWU_DEMO_PASSWORD"] = password.read_text().strip()
    return env


def manage(env: dict[str, str], *args: str) -> str:
    return subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout


def prepare(env: dict[str, str], *, seed: bool) -> None:
    """Migrate, collect the static files into the run's var directory and (optionally) seed the demo."""
    manage(env, "migrate", "--noinput", "-v", "0")
    if seed:
        manage(env, "seed", "--scale", "demo")
        manage(env, "ledger", "checkpoint")
    manage(env, "collectstatic", "--noinput", "-v", "0")


def start_app(env: dict[str, str], port: int, *, workers: int = 2) -> subprocess.Popen[bytes]:
    cmd = [
        GRANIAN,
        "--interface",
        "wsgi",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        "4",
        "--log-level",
        "warning",
        "cunwu.wsgi:application",
    ]
    log = open(Path(env["CUNWU_VAR_DIR"]) / "granian.log", "wb")  # noqa: SIM115 - kept open while it runs
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if get(port, "/livez")[0] == 200 and len(worker_pids(proc.pid)) >= workers:
                return proc
        except OSError:
            pass
        time.sleep(0.3)
    proc.kill()
    sys.exit("granian did not start; see " + log.name)


def stop_app(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


def get(port: int, path: str, headers: dict[str, str] | None = None, timeout: float = 10) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers or {})
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


def location(port: int, path: str, cookie: str) -> str:
    """Where a redirect from `path` leads (the path itself when it does not redirect)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers={"Cookie": cookie})
        r = conn.getresponse()
        r.read()
        return r.headers.get("Location") or path
    finally:
        conn.close()


def login_cookie(port: int, username: str, password: str) -> str:
    """Sign in through the login form (CSRF included); returns the Cookie header for the session."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    conn.request("GET", "/accounts/login/")
    r = conn.getresponse()
    page = r.read().decode()
    jar = SimpleCookie()
    for value in r.headers.get_all("Set-Cookie") or []:
        jar.load(value)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if csrf is None:
        sys.exit("no CSRF token on the login page")
    body = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": csrf.group(1)})
    cookie = "; ".join(f"{k}={m.value}" for k, m in jar.items())
    conn.request(
        "POST",
        "/accounts/login/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie,
            "Referer": f"http://127.0.0.1:{port}/accounts/login/",
        },
    )
    r = conn.getresponse()
    r.read()
    for value in r.headers.get_all("Set-Cookie") or []:
        jar.load(value)
    conn.close()
    if r.status != 302 or "sessionid" not in jar:
        sys.exit(f"sign-in as {username} failed ({r.status})")
    return "; ".join(f"{k}={m.value}" for k, m in jar.items() if m.value)


def worker_pids(pid: int) -> list[int]:
    """Granian's worker processes (children of the main process)."""
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        out.extend(int(c) for c in children)
    return out


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0
