"""The audit log is append-only: not through the ORM, not through the admin, not on PostgreSQL's tables."""

from __future__ import annotations

from unittest import mock

import pytest
from django.contrib.admin.sites import site
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from cunwu.accounts.permissions import Role
from cunwu.accounts.tests.factories import make_user
from cunwu.audit.admin import AuditEntryAdmin
from cunwu.audit.models import AppendOnlyError, AuditEntry
from cunwu.audit.services import audit_record


@pytest.fixture
def entry(db):
    with transaction.atomic():
        return audit_record(
            actor="system",
            action="test.write",
            object_type="test",
            object_id="1",
            region_code="530124103200",
            after={"x": 1},
        )


def test_audit_record_needs_the_services_transaction(db):
    # Tests run inside a transaction; pretend the connection is in autocommit, as outside a service.
    class Autocommit:
        in_atomic_block = False

    with (
        mock.patch("cunwu.audit.services.transaction.get_connection", return_value=Autocommit()),
        pytest.raises(RuntimeError),
    ):
        audit_record(actor="system", action="test.outside")
    assert not AuditEntry.objects.filter(action="test.outside").exists()


def test_audit_record_keeps_actor_object_region_and_time(clerk):
    with transaction.atomic():
        row = audit_record(
            actor=clerk,
            action="test.by_user",
            obj=clerk,
            region_code="530124103200",
            before={"a": 1},
            after={"a": 2},
            note="说明",
        )
    row.refresh_from_db()
    assert (row.actor, row.actor_name, row.object_type, row.object_id) == (
        clerk,
        "village_clerk",
        "accounts.user",
        str(clerk.pk),
    )
    assert (row.before, row.after, row.note) == ({"a": 1}, {"a": 2}, "说明")
    assert row.at is not None


def test_rows_cannot_be_changed_or_deleted_through_the_orm(entry):
    entry.note = "改写"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(note="改写")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.bulk_update([entry], ["note"])
    entry.refresh_from_db()
    assert entry.note == ""


def test_deleting_an_account_leaves_its_audit_rows_untouched(county_admin):
    user = make_user("to_delete", Role.VILLAGE_CLERK, "530124103200")
    with transaction.atomic():
        row = audit_record(actor=user, action="test.by_deleted", object_type="test")
    user.delete()
    row = AuditEntry.objects.get(pk=row.pk)
    assert row.actor_name == "to_delete" and row.actor_id is not None


def test_the_admin_can_browse_but_never_change_or_delete(entry, province_admin, client_for):
    request = RequestFactory().get("/admin/")
    request.user = province_admin
    model_admin = AuditEntryAdmin(AuditEntry, site)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, entry)
    assert not model_admin.has_delete_permission(request, entry)
    client = client_for(province_admin)
    assert client.get("/admin/audit/auditentry/").status_code == 200
    page = client.get(f"/admin/audit/auditentry/{entry.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.post(f"/admin/audit/auditentry/{entry.pk}/change/", {"note": "改写"}).status_code == 403
    assert client.post(f"/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    changelist = client.post(
        "/admin/audit/auditentry/", {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"}
    )
    assert changelist.status_code in (200, 302)
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the append-only trigger exists on PostgreSQL only")
def test_postgresql_trigger_refuses_raw_update_and_delete(entry):
    for sql in ("UPDATE audit_auditentry SET note = 'x' WHERE id = %s", "DELETE FROM audit_auditentry WHERE id = %s"):
        with pytest.raises(DatabaseError) as exc, transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])
        assert "append-only" in str(exc.value)
    assert AuditEntry.objects.filter(pk=entry.pk, note="").exists()
