"""The production environment named in docs/security.md passes `check --deploy`; `make run`'s does not
switch HTTPS on; production requires two-factor sign-in and refuses the demo seed (issue 10)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def production_env() -> dict[str, str]:
    """The variables of the "## Production settings" section of docs/security.md, as documented."""
    text = (ROOT / "docs" / "security.md").read_text()
    section = text.split("## Production settings", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```(?:sh|bash)?\n(.*?)```", section, re.S)
    assert block, "docs/security.md names the production environment in a code block"
    env = {}
    for line in block.group(1).splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            env[key] = value
    return env


def _run(args: list[str], env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("CUNWU_", "DATABASE_URL", "DJANGO_ALLOW_ASYNC"))}
    full = base | env | {"CUNWU_VAR_DIR": str(tmp_path)}
    # Placeholders in the docs stand for secrets the operator generates.
    full["CUNWU_SECRET_KEY"] = "k" + "x9Q-" * 15
    full["CUNWU_KEY_ENCRYPTION_KEY"] = "r0m0y8eSL1pJbF6y4m4n0hJXbq6m0o0QWq2oYc7uQ2U="
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=full, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_in_the_documented_production_environment(tmp_path):
    env = production_env()
    assert env["CUNWU_ENV"] == "production" and env["CUNWU_HTTPS"] == "1"
    result = _run(["check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_seed_refuses_to_run_in_production(tmp_path):
    result = _run(["seed", "--scale", "demo"], production_env(), tmp_path)
    assert result.returncode != 0 and "生产环境" in result.stderr


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "False 0 False False False"),
        ({"CUNWU_HTTPS": "1"}, "True 31536000 True True False"),
        ({"CUNWU_ENV": "production"}, "False 0 False False True"),
    ],
)
def test_https_switches_everything_together_and_production_requires_two_factor(tmp_path, env, expected):
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'cunwu.settings'); django.setup();"
        "from django.conf import settings as s;"
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.CUNWU_2FA_REQUIRED)"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith(("CUNWU_", "DATABASE_URL", "DJANGO_ALLOW_ASYNC"))}
    full = base | {"CUNWU_SECRET_KEY": "x" * 60, "CUNWU_VAR_DIR": str(tmp_path)} | env
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=full, capture_output=True, text=True)
    assert result.stdout.strip() == expected, result.stderr
