"""Personal data sealed at rest: the cipher, the fields, rotation without downtime and audited full views."""

from __future__ import annotations

import io

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection

from cunwu import keywrap
from cunwu.audit.models import AuditEntry
from cunwu.certificates.models import Application
from cunwu.certificates.selectors import application_status_lookup
from cunwu.certificates.tests.helpers import id_number, make_application
from cunwu.privacy import cipher
from cunwu.privacy.models import DataKey, KeyPurpose

pytestmark = pytest.mark.django_db
AAD = "certificates.application.applicant_id_number"


@pytest.fixture(autouse=True)
def _fresh_keys():
    cipher.clear_caches()
    yield
    cipher.clear_caches()


def raw(app: Application, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM certificates_application WHERE id = %s", [app.pk])
        return cursor.fetchone()[0]


def test_sealed_values_round_trip_and_are_bound_to_their_column() -> None:
    sealed = cipher.encrypt("530124198001011234", aad=AAD)
    assert sealed.startswith("pii1.") and "530124" not in sealed
    assert cipher.encrypt("530124198001011234", aad=AAD) != sealed  # a fresh nonce every time
    assert cipher.decrypt(sealed, aad=AAD) == "530124198001011234"
    with pytest.raises(cipher.PersonalDataError):
        cipher.decrypt(sealed, aad="certificates.application.applicant_phone")
    with pytest.raises(cipher.PersonalDataError):
        cipher.decrypt(sealed[:-4] + ("AAAA" if sealed[-4:] != "AAAA" else "BBBB"), aad=AAD)
    assert cipher.encrypt("", aad=AAD) == ""


def test_blind_index_normalises_full_width_digits() -> None:
    assert cipher.blind_index("５３０１２４１９８００１０１１２３x") == cipher.blind_index("53012419800101123X")
    assert cipher.blind_index("53012419800101123X") != cipher.blind_index("530124198001011239")
    assert cipher.blind_index("") == ""


def test_application_is_stored_sealed_and_found_by_its_blind_index(clerk, village) -> None:
    ident = id_number("19850715", "041")
    app = make_application(clerk, village, applicant_id_number=ident, applicant_phone="13987654321")
    for column in ("applicant_name", "applicant_id_number", "applicant_phone"):
        assert raw(app, column).startswith("pii1.")
    assert raw(app, "applicant_name_masked") == "张*丰"
    assert "1398765" not in raw(app, "applicant_phone_hmac") and len(raw(app, "applicant_phone_hmac")) == 64
    found = application_status_lookup(village.code, app.receipt_number, ident.lower())
    assert found is not None and found.applicant_id_number == ident and found.applicant_phone == "13987654321"
    assert application_status_lookup(village.code, app.receipt_number, id_number("19850715", "042")) is None
    with pytest.raises(FieldError):
        Application.objects.filter(applicant_id_number=ident).exists()


def test_rotate_pii_reencrypts_every_row_and_keeps_lookups_working(clerk, village, monkeypatch) -> None:
    monkeypatch.setenv(keywrap.ENV_VAR, Fernet.generate_key().decode())
    apps = [make_application(clerk, village, applicant_id_number=id_number("19900101", f"{i:03d}")) for i in range(3)]
    old = cipher.key_id(raw(apps[0], "applicant_id_number"))
    out = io.StringIO()
    call_command("keys", "rotate-pii", "--batch", "2", "--index", stdout=out, stderr=io.StringIO())
    new = DataKey.objects.get(purpose=KeyPurpose.ENCRYPT, current=True)
    assert new.kid != old and new.encrypted and "已用当前密钥重新加密" in out.getvalue()
    assert {cipher.key_id(raw(a, "applicant_id_number")) for a in apps} == {new.kid}
    assert DataKey.objects.filter(purpose=KeyPurpose.INDEX).count() == 2
    for i, a in enumerate(apps):
        assert application_status_lookup(village.code, a.receipt_number, id_number("19900101", f"{i:03d}")) == a
    assert AuditEntry.objects.filter(action="privacy.key.rotate").count() == 2
    # The wrapped key is useless without the key-encryption key.
    cipher.clear_caches()
    monkeypatch.delenv(keywrap.ENV_VAR)
    with pytest.raises(keywrap.KeyConfigError):
        Application.objects.get(pk=apps[0].pk)


def test_full_personal_data_only_for_the_handling_clerk_and_audited(
    client, clerk, township_officer, other_clerk, village
) -> None:
    app = make_application(clerk, village, applicant_phone="13987654321")
    url = f"/certificates/a/{app.pk}/personal/"
    client.force_login(clerk)
    page = client.get(f"/certificates/a/{app.pk}/").content.decode()
    assert "查看完整个人信息" in page and app.applicant_id_number not in page
    assert client.get(url).status_code == 405
    response = client.post(url, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and app.applicant_id_number in body and "13987654321" in body
    assert response["Cache-Control"] == "no-store"
    entry = AuditEntry.objects.get(action="privacy.reveal")
    assert entry.actor == clerk and app.applicant_id_number not in str(entry.after)
    client.force_login(township_officer)  # sees the register, does not handle applications: masked only
    assert client.post(url).status_code == 403
    client.force_login(other_clerk)
    assert client.post(url).status_code == 404
    assert AuditEntry.objects.filter(action="privacy.reveal").count() == 1


def test_secure_delete_is_on_for_sqlite_connections() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        assert cursor.fetchone()[0] == 1
