"""`cunwu audit verify` and `cunwu ledger checkpoint`: output and exit codes."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cunwu.ledger.models import Checkpoint

from .helpers import CHAIN, OTHER, make_entries, tampering

ROOT = Path(__file__).resolve().parents[3]


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_verify_passes_with_a_summary() -> None:
    make_entries(3)
    make_entries(2, chain=OTHER)
    out = run("audit", "verify")
    assert "存证链校验通过" in out
    assert "2 条链" in out and "5 条记录" in out and "秒" in out


@pytest.mark.django_db
def test_verify_passes_on_an_empty_register() -> None:
    assert "0 条链" in run("audit", "verify")


@pytest.mark.django_db
def test_verify_fails_with_exit_code_1_naming_the_first_problem() -> None:
    make_entries(3)
    make_entries(3, chain=OTHER)
    with tampering() as cursor:
        cursor.execute("DELETE FROM ledger_chainentry WHERE chain = %s AND seq = 2", [CHAIN])
        cursor.execute("UPDATE ledger_chainentry SET kind = 'x' WHERE chain = %s AND seq = 1", [OTHER])
    with pytest.raises(CommandError) as caught:
        run("audit", "verify")
    assert caught.value.returncode == 1
    message = str(caught.value)
    assert f"首个问题：村（社区）{CHAIN}，第 2 条，记录被删除（deleted）" in message
    assert "2 条链有问题" in message


@pytest.mark.django_db
def test_verify_one_chain() -> None:
    make_entries(2)
    make_entries(2, chain=OTHER)
    with tampering() as cursor:
        cursor.execute("UPDATE ledger_chainentry SET ref_id = '9' WHERE chain = %s AND seq = 2", [OTHER])
    assert "1 条链" in run("audit", "verify", "--chain", CHAIN)
    with pytest.raises(CommandError) as caught:
        run("audit", "verify", "--chain", OTHER)
    assert "（changed）" in str(caught.value)


@pytest.mark.django_db
def test_verify_refuses_a_bad_chain_code() -> None:
    with pytest.raises(CommandError, match="12 位"):
        run("audit", "verify", "--chain", "abc")


@pytest.mark.django_db
def test_checkpoint_command() -> None:
    make_entries(2)
    assert "新生成 1 个存证点" in run("ledger", "checkpoint")
    assert "新生成 0 个存证点" in run("ledger", "checkpoint")
    assert Checkpoint.objects.count() == 1


@pytest.mark.django_db
def test_checkpoint_command_fails_on_a_broken_chain() -> None:
    make_entries(2)
    with tampering() as cursor:
        cursor.execute("UPDATE ledger_chainentry SET kind = 'x' WHERE chain = %s AND seq = 2", [CHAIN])
    with pytest.raises(CommandError) as caught:
        run("ledger", "checkpoint")
    assert caught.value.returncode == 1
    assert not Checkpoint.objects.exists()


def test_exit_codes_of_the_real_console_command() -> None:
    """The process itself exits 0 when the chains hold and 1 after the database was changed."""
    import sqlite3

    with tempfile.TemporaryDirectory() as var:
        env = {**os.environ, "CUNWU_VAR_DIR": var, "CUNWU_SECRET_KEY": "test", "DATABASE_URL": ""}
        env.pop("DATABASE_URL")
        manage = [sys.executable, str(ROOT / "manage.py")]

        def cunwu(*args: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run([*manage, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)

        # One process sets up only what the ledger needs (fast, independent of other apps) and appends.
        script = (
            "from django.core.management import call_command\n"
            "from django.db import transaction\n"
            "from cunwu.ledger.services import chain_append\n"
            "call_command('migrate', 'audit', verbosity=0)\n"
            "call_command('migrate', 'ledger', verbosity=0)\n"
            "for i in range(3):\n"
            "    with transaction.atomic():\n"
            f"        chain_append(chain='{CHAIN}', kind='seal.use', payload={{'i': i}})\n"
        )
        setup = cunwu("shell", "-c", script)
        assert setup.returncode == 0, setup.stderr
        ok = cunwu("audit", "verify")
        assert ok.returncode == 0, ok.stderr
        assert "存证链校验通过" in ok.stdout
        with sqlite3.connect(Path(var) / "cunwu.sqlite3") as db:
            db.execute("UPDATE ledger_chainentry SET kind = 'certificate.issue' WHERE seq = 2")
        bad = cunwu("audit", "verify")
        assert bad.returncode == 1
        assert f"村（社区）{CHAIN}，第 2 条" in bad.stderr and "changed" in bad.stderr


@pytest.mark.django_db
def test_verify_against_a_saved_copy(tmp_path, client) -> None:
    make_entries(2)
    run("ledger", "checkpoint")
    saved = tmp_path / "heads.json"
    saved.write_bytes(client.get("/api/v1/ledger/heads").content)
    assert "1 个存证点副本" in run("audit", "verify", "--checkpoints", str(saved))
    with tampering("ledger_checkpoint", "ledger_treeleaf") as cursor:
        cursor.execute("DELETE FROM ledger_treeleaf")
        cursor.execute("DELETE FROM ledger_checkpoint")
    with pytest.raises(CommandError) as caught:
        run("audit", "verify", "--checkpoints", str(saved))
    assert caught.value.returncode == 1 and "（checkpoint_mismatch）" in str(caught.value)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "words"), [(None, "无法读取"), ("{", "不是有效的 JSON"), ('{"heads": [{"chain": "1"}]}', "chain")]
)
def test_bad_saved_copy_is_explained(tmp_path, content, words) -> None:
    path = tmp_path / "heads.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(CommandError, match=words):
        run("audit", "verify", "--checkpoints", str(path))
