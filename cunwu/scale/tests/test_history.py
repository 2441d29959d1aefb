"""`cunwu seed --years N --fraction F`: years of activity loaded with COPY that the chain checks accept."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from cunwu import partitions
from cunwu.catalogs import kinds
from cunwu.catalogs.selectors import catalog_in_force
from cunwu.certificates.keys import token_check
from cunwu.certificates.models import Application, Certificate, CounterKind, SerialCounter, Status
from cunwu.ledger.models import ChainEntry, ChainHead
from cunwu.privacy.cipher import blind_indexes
from cunwu.regions import codes
from cunwu.regions.models import Region
from cunwu.scale import history
from cunwu.seals.models import SealRequest, SealUse

# The loader's workers use their own connections: the data must be committed (transaction=True).
# On SQLite the tests carry only the skip, so no database is set up (or flushed) for them.
on_postgres = (
    pytest.mark.django_db(transaction=True)
    if connection.vendor == "postgresql"
    else pytest.mark.skip(reason="按年生成只支持 PostgreSQL（COPY）")
)


@on_postgres
def test_years_load_and_every_chain_check_passes() -> None:
    out = io.StringIO()
    call_command("seed", scale="demo", years=1, fraction=0.05, jobs=2, stdout=out)
    assert "业务数据（1 年" in out.getvalue()

    issued = Certificate.objects.count()
    assert Application.objects.filter(status=Status.REFUSED).exists()
    assert issued > 100
    assert SealUse.objects.count() >= issued - 5  # every certificate stamped (the last minutes may wait)
    assert ChainEntry.objects.filter(kind="certificate.issue", ref_type="certificate").count() == issued
    assert ChainEntry.objects.filter(kind="seal.use").count() == SealUse.objects.count()

    with connection.cursor() as cursor:  # every row in its year's partition, none in DEFAULT
        for table in ("ledger_chainentry", "audit_auditentry"):
            if partitions.is_partitioned(cursor, table):
                cursor.execute(f'SELECT count(*) FROM "{partitions.default_name(table)}"')
                assert cursor.fetchone()[0] == 0
        # The indexes dropped for the load are back on every partition, none left invalid on a parent.
        cursor.execute("SELECT indexrelid::regclass::text FROM pg_index WHERE NOT indisvalid")
        assert cursor.fetchall() == []

    audit = io.StringIO()
    call_command("audit", "verify", stdout=audit)
    assert "存证链校验通过" in audit.getvalue()
    seals = io.StringIO()
    call_command("seals", "verify", stdout=seals)
    assert "用印登记核验通过" in seals.getvalue()

    # Serials per village and year: 1..N without gaps, and the counter holds N.
    cert = Certificate.objects.filter(valid_until__isnull=True).order_by("id").first()
    assert cert is not None
    seqs = sorted(Certificate.objects.filter(region_id=cert.region_id, year=cert.year).values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    counter = SerialCounter.objects.get(region_id=cert.region_id, year=cert.year, kind=CounterKind.CERTIFICATE)
    assert counter.last == len(seqs)
    head = ChainHead.objects.get(chain=cert.region_id)
    assert head.seq == ChainEntry.objects.filter(chain=cert.region_id).count()

    # The token verifies with the published key, publicly; the content digest is the printed one.
    assert token_check(cert.token).reason is None
    response = Client().get("/api/v1/certificates/verify", {"token": cert.token})
    assert response.status_code == 200
    assert response.json()["status"] == "valid"
    assert cert.content["serial"] == cert.serial

    # Personal data encrypted at rest, found by the blind index, masked elsewhere.
    app = cert.application
    with connection.cursor() as cursor:
        cursor.execute("SELECT applicant_id_number FROM certificates_application WHERE id = %s", [app.pk])
        stored = cursor.fetchone()[0]
    assert stored.startswith("pii1.") and app.applicant_id_number not in stored
    assert Application.objects.filter(applicant_id_number_hmac__in=blind_indexes(app.applicant_id_number)).exists()
    assert "*" in cert.subject_masked
    assert SealRequest.objects.filter(certificate_serial=cert.serial).exists()


@on_postgres
def test_a_second_run_adds_nothing() -> None:
    call_command("seed", scale="demo", years=1, fraction=0.02, jobs=1, stdout=io.StringIO())
    count, entries = Application.objects.count(), ChainEntry.objects.count()
    assert count > 0
    call_command("seed", scale="demo", years=1, fraction=0.02, jobs=2, stdout=io.StringIO())
    assert (Application.objects.count(), ChainEntry.objects.count()) == (count, entries)


@on_postgres
def test_same_seed_same_village_history() -> None:
    """Everything but the ciphertexts (fresh nonces) follows from the seed and the village code."""
    call_command("seed", scale="demo", stdout=io.StringIO())
    village = history.villages_for(0.05, 2027)[0]
    end = dt.date(2026, 6, 30)
    calendar = history._Calendar(dt.date(2025, 7, 1), end)
    now = dt.datetime(2026, 7, 1, tzinfo=history.TZ)
    region = Region.objects.get(code=codes.PROVINCE_CODE)
    retained = catalog_in_force(kinds.CERT_RETAINED, region, end)
    forbidden = catalog_in_force(kinds.CERT_FORBIDDEN, region, end)
    signer, sealer = history._Signer(), history._Sealer()

    def hashes() -> list[str]:
        tables = history._Tables()
        rows: dict[int, list[list[object]]] = {id(t): [] for t in tables.order()}
        ids = history._Ids(1, 1, 1, 1, 1)
        history._village(
            village,
            1,
            calendar,
            end,
            now,
            2027,
            retained,
            forbidden,
            ids,
            tables,
            rows,
            signer,
            sealer,
            history.Stats(),
        )
        at = tables.chain.position["hash"]
        return [str(r[at]) for r in rows[id(tables.chain)]]

    first = hashes()
    assert len(first) > 50
    assert hashes() == first


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite refuses --years")
def test_sqlite_refuses_years_clearly() -> None:
    with pytest.raises(CommandError, match="只支持 PostgreSQL"):
        call_command("seed", scale="demo", years=3, stdout=io.StringIO())
