"""Writing catalogs: drafts, approval by someone else, discarding; all-or-nothing and audited."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from cunwu.accounts.models import Notification
from cunwu.audit.models import AuditEntry
from cunwu.catalogs.models import Revision, RevisionStatus, Statement
from cunwu.catalogs.services import revision_approve, revision_discard, revision_draft
from cunwu.errors import Conflict, Forbidden, Invalid

from .helpers import FUMIN, OTHER_COUNTY, make_revision, region, retained_row


def draft(actor, rows, code=FUMIN, **kw):
    return revision_draft(
        actor=actor,
        region=region(code),
        kind=kw.pop("kind", "cert_retained"),
        change=kw.pop("change", "改"),
        document=kw.pop("document", "富政办〔2024〕1号"),
        effective=kw.pop("effective", date(2024, 3, 1)),
        rows=rows,
        **kw,
    )


def test_draft_writes_revision_statements_audit_and_tells_the_approvers(county_admin):
    revision = draft(
        county_admin,
        [retained_row(name="富民表述"), {"code": "R04", "op": "取消", "basis": "县规定"}],
        note="按县委要求细化",
    )
    assert (
        revision.status == RevisionStatus.DRAFT and revision.drafted_by == county_admin and revision.approved_at is None
    )
    statements = {s.code: s for s in revision.statements.all()}
    assert statements["R05"].name == "富民表述" and statements["R05"].fields["materials"] == [
        "身份证明",
        "租赁合同或房屋权属材料",
    ]
    assert statements["R04"].op == "withdraw" and statements["R04"].basis == "县规定"
    entry = AuditEntry.objects.get(action="catalog.revision_draft", object_id=str(revision.pk))
    assert entry.actor == county_admin and entry.after["items"] == 2 and entry.after["withdrawn"] == 1
    note = Notification.objects.get(subject_type="catalogs.revision", subject_id=str(revision.pk))
    assert note.role == "county_admin" and note.region_id == FUMIN and note.done_at is None


def test_rows_repeating_the_catalog_in_force_are_left_out(county_admin):
    revision = draft(county_admin, [retained_row(), retained_row(code="R06", name="新表述")])
    assert revision.unchanged_rows == 1
    assert list(revision.statements.values_list("code", flat=True)) == ["R06"]


def test_nothing_new_is_no_change_and_writes_nothing(county_admin):
    before = Revision.objects.count()
    with pytest.raises(Conflict) as exc:
        draft(county_admin, [retained_row(), retained_row(code="R06")])
    assert exc.value.code == "no_change"
    first = draft(county_admin, [retained_row(name="新表述")])
    with pytest.raises(Conflict) as exc:
        draft(county_admin, [retained_row(name="新表述")], document="另一个文号")
    assert exc.value.code == "no_change" and f"#{first.pk}" in exc.value.detail
    assert Revision.objects.count() == before + 1


def test_bad_rows_write_nothing_and_name_each_field(county_admin):
    before = (Revision.objects.count(), Statement.objects.count(), AuditEntry.objects.count())
    with pytest.raises(Invalid) as exc:
        draft(
            county_admin,
            [retained_row(basis=""), retained_row(code="R05"), {"code": "R99", "op": "取消", "basis": "b"}],
            document="",
        )
    fields = [e.field for e in exc.value.errors]
    assert fields == ["document", "rows.0.basis", "rows.1.code", "rows.2.code"]
    assert (Revision.objects.count(), Statement.objects.count(), AuditEntry.objects.count()) == before


def test_only_defining_levels_and_editors_draft(county_admin, clerk, township):
    with pytest.raises(Invalid) as exc:
        revision_draft(
            actor=county_admin,
            region=township,
            kind="duty",
            change="改",
            document="x",
            effective=date(2024, 1, 1),
            rows=[{}],
        )
    assert exc.value.errors[0].field == "region"
    with pytest.raises(Forbidden):
        draft(clerk, [retained_row(name="x")])
    with pytest.raises(Forbidden):
        draft(county_admin, [retained_row(name="x")], code=OTHER_COUNTY)
    with pytest.raises(Invalid):
        revision_draft(
            actor=county_admin,
            region=region(FUMIN),
            kind="seals",
            change="改",
            document="x",
            effective=date(2024, 1, 1),
            rows=[{}],
        )


def test_approval_by_another_admin_publishes(county_admin, prefecture_admin):
    revision = draft(county_admin, [retained_row(name="富民表述")])
    approved = revision_approve(actor=prefecture_admin, revision=revision)
    assert (
        approved.status == RevisionStatus.APPROVED and approved.approved_by == prefecture_admin and approved.approved_at
    )
    assert AuditEntry.objects.filter(
        action="catalog.revision_approve", object_id=str(revision.pk), actor=prefecture_admin
    ).exists()
    assert Notification.objects.get(subject_id=str(revision.pk), subject_type="catalogs.revision").done_at is not None
    with pytest.raises(Conflict) as exc:
        revision_approve(actor=prefecture_admin, revision=revision)
    assert exc.value.code == "already_decided"


def test_drafter_cannot_approve_and_others_need_the_permission(county_admin, clerk, reviewer):
    revision = draft(county_admin, [retained_row(name="富民表述")])
    with pytest.raises(Forbidden) as exc:
        revision_approve(actor=county_admin, revision=revision)
    assert exc.value.code == "self_approval"
    for user in (clerk, reviewer):
        with pytest.raises(Forbidden):
            revision_approve(actor=user, revision=revision)
    assert Revision.objects.get(pk=revision.pk).status == RevisionStatus.DRAFT


def test_database_refuses_drafter_as_approver(county_admin):
    revision = draft(county_admin, [retained_row(name="富民表述")])
    with pytest.raises(IntegrityError), transaction.atomic():
        Revision.objects.filter(pk=revision.pk).update(
            status="approved", approved_by=county_admin, approved_at=revision.created_at
        )


def test_discard_a_draft(county_admin, clerk):
    revision = draft(county_admin, [retained_row(name="富民表述")])
    with pytest.raises(Forbidden):
        revision_discard(actor=clerk, revision=revision, reason="x")
    revision_discard(actor=county_admin, revision=revision, reason="文号填错")
    assert Revision.objects.get(pk=revision.pk).status == RevisionStatus.DISCARDED
    assert AuditEntry.objects.get(action="catalog.revision_discard", object_id=str(revision.pk)).note == "文号填错"
    with pytest.raises(Conflict):
        revision_discard(actor=county_admin, revision=revision)
    # A discarded draft no longer blocks the same content.
    assert draft(county_admin, [retained_row(name="富民表述")]).pk != revision.pk


def test_approved_revisions_cannot_be_discarded(county_admin):
    revision = make_revision(rows=[retained_row(name="x")])
    with pytest.raises(Conflict):
        revision_discard(actor=county_admin, revision=revision)
