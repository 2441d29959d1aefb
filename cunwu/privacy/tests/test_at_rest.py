"""No plain copy of an ID number, phone number or name survives on disk once the migration ran.

Rows are written in plain text at the schema before encryption (as a live site had them), then the
real `cunwu migrate` runs in its own process; the raw SQLite file with its WAL, or a `pg_dump` of the
PostgreSQL database, is then searched byte for byte. The same values are still found through their
blind index and read back in clear.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from cunwu.masking import id_check_digit

ROOT = Path(__file__).resolve().parents[3]
ID_NUMBER = "53012419850715041" + id_check_digit("53012419850715041")
PHONE = "13987654321"
STAFF_PHONE = "13711112222"
NAME = "岩温香"
SECRETS = [ID_NUMBER.encode(), PHONE.encode(), STAFF_PHONE.encode(), NAME.encode()]

# Runs inside `manage.py shell` at the schema before encryption: raw inserts, as the old code wrote.
PLANT = """
import json
from django.core.management import call_command
from django.db import connection, transaction
call_command("migrate", "certificates", "0001_initial", verbosity=0)
call_command("migrate", "accounts", "0001_initial", verbosity=0)
FILL = {"BooleanField": False, "DateTimeField": "2026-12-01T09:00:00+08:00", "DateField": "2026-12-01",
        "JSONField": "[]"}

def insert(table, values):
    with connection.cursor() as cursor:
        row = {}
        for col in connection.introspection.get_table_description(cursor, table):
            if col.name in values:
                row[col.name] = values[col.name]
            elif not col.null_ok and col.name != "id":
                kind = connection.introspection.get_field_type(col.type_code, col)
                row[col.name] = FILL.get(kind, 0 if "Integer" in kind else "")
        names = ", ".join(connection.ops.quote_name(n) for n in row)
        marks = ", ".join(["%s"] * len(row))
        cursor.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(row.values()))
        if table == "regions_region":
            return None
        cursor.execute(f"SELECT MAX(id) FROM {table}")
        return cursor.fetchone()[0]

with transaction.atomic():
    insert("regions_region", {"code": "530124103200", "name": "测试村", "level": "village"})
    user = insert("accounts_user", {"username": "clerk", "password": "!", "phone": "@STAFF@"})
    app = insert("certificates_application", {
        "region_id": "530124103200", "receipt_number": "SL2026-0001", "channel": "desk", "status": "issued",
        "outcome": "retained", "applicant_name": "@NAME@", "applicant_id_number": "@ID@",
        "applicant_phone": "@PHONE@", "request_text": "居住证明", "purpose": "办理居住证"})
    insert("certificates_certificate", {
        "application_id": app, "region_id": "530124103200", "year": 2026, "seq": 1, "serial": "ZM2026-0001",
        "status": "valid", "signer_id": user, "subject_masked": "岩*香",
        "content": json.dumps({"姓名": "@NAME@", "身份证号": "@ID@"}, ensure_ascii=False)})
"""

CHECK = """
from cunwu.accounts.models import User
from cunwu.certificates.models import Application, Certificate
from cunwu.certificates.selectors import application_status_lookup
app = application_status_lookup("530124103200", "SL2026-0001", "@ID@")
cert = Certificate.objects.get()
print(app.applicant_id_number, app.applicant_phone, app.applicant_name, app.applicant_name_masked,
      cert.content["身份证号"], User.objects.get().phone)
"""


def _script(text: str) -> str:
    for key, value in (("@ID@", ID_NUMBER), ("@PHONE@", PHONE), ("@STAFF@", STAFF_PHONE), ("@NAME@", NAME)):
        text = text.replace(key, value)
    return text


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def _found(data: bytes) -> list[bytes]:
    return [s for s in SECRETS if s in data]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite file; PostgreSQL has its own test")
def test_sqlite_file_and_wal_hold_no_plain_personal_data(tmp_path: Path) -> None:
    var = tmp_path / "var"
    var.mkdir(mode=0o755)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(CUNWU_VAR_DIR=str(var), CUNWU_SECRET_KEY="test")
    _manage(env, "shell", "-c", _script(PLANT))
    db = var / "cunwu.sqlite3"
    files = [db, Path(f"{db}-wal")]
    before = b"".join(f.read_bytes() for f in files if f.exists())
    assert _found(before) == SECRETS  # the search finds them while they are there
    for f in files:  # as the issue found them: world-readable
        if f.exists():
            f.chmod(0o644)
    var.chmod(0o755)
    _manage(env, "migrate", "--noinput", "-v", "0")
    out = _manage(env, "shell", "-v", "0", "-c", _script(CHECK)).stdout.splitlines()[-1].split()
    assert out == [ID_NUMBER, PHONE, NAME, "岩*香", ID_NUMBER, STAFF_PHONE]
    after = b"".join(f.read_bytes() for f in [*files, Path(f"{db}-shm")] if f.exists())
    assert _found(after) == []
    assert oct(var.stat().st_mode & 0o777) == "0o700"
    for f in files:
        if f.exists():
            assert oct(f.stat().st_mode & 0o777) == "0o600", f


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump of a PostgreSQL database")
@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump not installed")
def test_postgresql_dump_holds_no_plain_personal_data(tmp_path: Path) -> None:
    settings = connection.settings_dict
    name = f"{settings['NAME']}_atrest_{uuid.uuid4().hex[:6]}"
    host, port, user = settings["HOST"] or "127.0.0.1", str(settings["PORT"] or 5432), settings["USER"] or "postgres"
    admin = psycopg.connect(host=host, port=port, user=user, dbname="postgres", autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        env = {**os.environ, "DATABASE_URL": f"postgres://{user}@{host}:{port}/{name}", "CUNWU_SECRET_KEY": "test"}
        env["CUNWU_VAR_DIR"] = str(tmp_path / "var")
        _manage(env, "shell", "-c", _script(PLANT))
        dump = ["pg_dump", "-h", host, "-p", port, "-U", user, name]
        assert _found(subprocess.run(dump, capture_output=True, check=True).stdout) == SECRETS
        _manage(env, "migrate", "--noinput", "-v", "0")
        out = _manage(env, "shell", "-v", "0", "-c", _script(CHECK)).stdout.splitlines()[-1].split()
        assert out == [ID_NUMBER, PHONE, NAME, "岩*香", ID_NUMBER, STAFF_PHONE]
        assert _found(subprocess.run(dump, capture_output=True, check=True).stdout) == []
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
