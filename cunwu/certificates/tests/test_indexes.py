"""The indexes of the tables that grow with the province: only those a query uses (docs/scaling.md, disk)."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="index methods and opclasses are PostgreSQL's"),
]

GROWING = (
    "certificates_application",
    "certificates_certificate",
    "seals_sealrequest",
    "seals_sealuse",
    "audit_auditentry",
    "ledger_chainentry",
)


def indexes(table: str) -> dict[str, str]:
    """Index name → definition, of the table itself (a partitioned table's own indexes)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [table])
        return dict(cursor.fetchall())


def test_blind_index_is_a_hash_index_and_serves_the_lookup() -> None:
    assert "USING hash (applicant_id_number_hmac)" in indexes("certificates_application")["certapp_id_number_hmac_idx"]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM certificates_application WHERE applicant_id_number_hmac = ANY(%s)", [["a", "b"]]
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "certapp_id_number_hmac_idx" in plan


def test_no_pattern_twins_or_single_column_region_indexes() -> None:
    found = {name: d for table in GROWING for name, d in indexes(table).items()}
    twins = sorted(n for n, d in found.items() if "pattern_ops" in d)
    assert twins == ["audit_region_prefix_idx"]  # the audit log's region filter is a prefix match
    alone = sorted(n for n, d in found.items() if d.endswith("(region_id)") or d.endswith("(seal_id)"))
    assert alone == []
    dropped = ("certapp_phone_hmac_idx", "audit_audit_object__3eefc4_idx", "certificate_item_co_623485_idx")
    assert not set(dropped) & set(found)
