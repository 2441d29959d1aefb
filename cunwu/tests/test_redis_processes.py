"""With Redis configured, two app processes share rate limits and cached values; Redis down fails open."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

REDIS = "redis://127.0.0.1:6379/15"
ROOT = Path(__file__).resolve().parents[2]


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


# What one app process does: hit the token bucket n times from one client address, read a shared key.
SCRIPT = """
import json, sys
import django
django.setup()
from django.core.cache import cache
from django.test import RequestFactory
from cunwu.throttling import RateLimited, check_rate
ip, n, action = sys.argv[1], int(sys.argv[2]), sys.argv[3]
refused = 0
for _ in range(n):
    try:
        check_rate(RequestFactory().post("/api/v1/auth/token", REMOTE_ADDR=ip), "token")
    except RateLimited:
        refused += 1
if action == "set":
    cache.set("shared:" + ip, "from-first-process", 60)
print(json.dumps({"refused": refused, "shared": cache.get("shared:" + ip)}))
"""


def _process(ip: str, n: int, action: str, redis_url: str = REDIS) -> dict[str, object]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="cunwu.settings",
        CUNWU_SECRET_KEY="test",
        CUNWU_REDIS_URL=redis_url,
        CUNWU_RATE_TOKEN="20",
        CUNWU_RATE_LIMIT_ENABLED="1",
    )
    env.pop("DATABASE_URL", None)  # these processes need no database
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, ip, str(n), action],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1]) | {"log": done.stderr}


@pytest.mark.skipif(not _redis_up(), reason="Redis is not running on 127.0.0.1:6379 (.ci/run starts it)")
def test_two_processes_share_one_rate_limit_and_one_cache() -> None:
    ip = f"203.0.113.{uuid.uuid4().int % 250 + 1}-{uuid.uuid4().hex[:6]}"
    first = _process(ip, 15, "set")
    second = _process(ip, 15, "get")
    assert (first["refused"], first["shared"]) == (0, "from-first-process")
    # 20 a minute for this client in all: the second process sees the first one's 15 requests.
    assert (second["refused"], second["shared"]) == (10, "from-first-process")


def test_redis_down_fails_open_with_a_warning() -> None:
    env_port = 1  # nothing listens on port 1: every Redis call fails at once
    result = _process("198.51.100.7", 30, "set", redis_url=f"redis://127.0.0.1:{env_port}/0")
    assert (result["refused"], result["shared"]) == (0, None)
    assert "Connection" in str(result["log"])  # logged, not silent
