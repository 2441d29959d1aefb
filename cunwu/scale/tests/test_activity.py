"""`cunwu seed --years N`: the county work around the villages (admission, plates, complaints) that
the app's pages read and the audit checks accept."""

from __future__ import annotations

import datetime as dt
import io

from django.core.management import call_command
from django.db import connection
from django.test import Client

from cunwu.accounts.models import User
from cunwu.admission import selectors as admission_selectors
from cunwu.admission.models import Assignment, AssignmentEvent, AssignmentStatus, Decision, RequestVersion, WorkRequest
from cunwu.audit.models import AuditEntry
from cunwu.complaints import rules as complaint_rules
from cunwu.complaints import selectors as complaint_selectors
from cunwu.complaints.models import Complaint, Event
from cunwu.regions.selectors import region_get
from cunwu.reporting.models import DataValue, Filing, Plan, PlanElement, Window
from cunwu.scale import activity, history
from cunwu.signs.models import Campaign, CampaignTask, Sign, SignStatus, TaskStatus

from .test_history import on_postgres


@on_postgres
def test_county_work_is_loaded_audited_and_read_by_the_pages() -> None:
    out = io.StringIO()
    call_command("seed", scale="demo", years=2, fraction=0.3, jobs=2, stdout=out)
    assert "县级工作" in out.getvalue()

    # Admission: filed, screened, decided; approved village work reaches the villages and is done.
    statuses = set(WorkRequest.objects.values_list("status", flat=True))
    assert {"approved", "returned", "rejected"} <= statuses
    assert RequestVersion.objects.count() == WorkRequest.objects.count()
    decided = WorkRequest.objects.filter(decided_at__isnull=False)
    assert Decision.objects.count() == decided.count()
    rejected = Decision.objects.filter(outcome="reject").first()
    assert rejected is not None and rejected.clauses  # cites the clauses the screening found
    assert Assignment.objects.filter(status=AssignmentStatus.DONE, completed_at__isnull=False).exists()
    for a in Assignment.objects.select_related("request")[:50]:
        assert a.request.status == "approved" and a.request.triage in ("duty", "assist")
        assert (
            a.village_id in a.request.targets
            or any(a.village_id.startswith(t[:9]) for t in a.request.targets)
            or (a.request.targets == [a.village_id[:6] + "000000"])
        )
    # One audit row per action the services audit.
    assert (
        AuditEntry.objects.filter(action__startswith="admission.assignment.").count() == AssignmentEvent.objects.count()
    )
    assert AuditEntry.objects.filter(action="admission.request.file").count() == WorkRequest.objects.count()

    # Plates: catalog and off-catalog, most off-catalog ones taken down in the county campaign.
    generated = Sign.objects.filter(created_by__username__startswith="village_clerk_")  # not the demo village's
    assert generated.count() > 100
    removed = generated.filter(status=SignStatus.REMOVED)
    assert removed.exists() and generated.filter(status=SignStatus.HANGING).exists()
    assert CampaignTask.objects.filter(status=TaskStatus.DONE).count() == removed.count()
    assert Campaign.objects.exists()
    added = AuditEntry.objects.filter(action="signs.sign_add", actor_name__startswith="village_clerk_")
    assert set(added.values_list("object_id", flat=True)) == {str(pk) for pk in generated.values_list("pk", flat=True)}
    gone = AuditEntry.objects.filter(action="signs.sign_remove", actor_name__startswith="village_clerk_")
    assert gone.count() == removed.count()

    # Filings: one per loaded village and quarter of the published plan, 24 values once submitted.
    plan = Plan.objects.filter(status="published").first()
    assert plan is not None and PlanElement.objects.filter(plan=plan).count() == 24
    accepted = Filing.objects.filter(status="accepted").first()
    assert accepted is not None
    assert DataValue.objects.filter(filing=accepted).count() == 24
    assert Window.objects.filter(plan_id=accepted.plan_id, period=accepted.period).exists()
    assert AuditEntry.objects.filter(action="reporting.filing_open").count() == Filing.objects.count()
    assert (
        AuditEntry.objects.filter(action="reporting.filing_submit").count()
        == Filing.objects.exclude(status="draft").count()
    )

    # Complaints: tracking codes in the app's format, due in 15 working days, handled.
    complaint = Complaint.objects.filter(status="concluded").first()
    assert complaint is not None
    assert complaint_rules.TRACKING_RE.fullmatch(complaint.tracking_code)
    assert complaint.due == complaint_rules.due_date(complaint.received_at.astimezone(activity._tz()).date())
    assert AuditEntry.objects.filter(action__startswith="complaint.").count() == Event.objects.count()

    # The county's generated reviewer sees its register and its complaints, on the pages too.
    reviewer = User.objects.get(username=f"county_reviewer_{complaint.handler_id}")
    mine = admission_selectors.request_list_for(reviewer)
    assert mine.exists() and set(mine.values_list("county_id", flat=True)) == {complaint.handler_id}
    assert complaint_selectors.complaint_list_for(reviewer).filter(pk=complaint.pk).exists()
    client = Client()
    client.force_login(reviewer)
    page = client.get("/admission/requests/")
    assert page.status_code == 200
    assert mine.first().title in page.content.decode()  # type: ignore[union-attr]
    queue = client.get("/complaints/", {"status": "concluded"})
    assert queue.status_code == 200
    newest = complaint_selectors.complaint_list_for(reviewer, status="concluded").first()
    assert newest is not None and newest.tracking_code in queue.content.decode()

    # The chains and the register still check out with the county work loaded.
    audit = io.StringIO()
    call_command("audit", "verify", stdout=audit)
    assert "存证链校验通过" in audit.getvalue()
    seals = io.StringIO()
    call_command("seals", "verify", stdout=seals)
    assert "用印登记核验通过" in seals.getvalue()
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexrelid::regclass::text FROM pg_index WHERE NOT indisvalid")
        assert cursor.fetchall() == []


@on_postgres
def test_same_seed_same_county_work() -> None:
    call_command("seed", scale="demo", stdout=io.StringIO())

    village = history.villages_for(0.3, 2027)[0]
    county = activity.counties_for([village.code], {village.code: (7, f"village_clerk_{village.code}")})[0]
    calendar = history._Calendar(dt.date(2025, 1, 1), dt.date(2026, 6, 30))
    region = region_get(county.code)
    job = {
        "years": 1,
        "calendar": calendar,
        "end": dt.date(2026, 6, 30),
        "now": dt.datetime(2026, 7, 1, tzinfo=history.TZ),
        "seed": 2027,
        "screened": activity._screened(region, calendar.days[0]),
        "snapshots": activity._snapshots(),
        "signs": [("村党群服务中心", "exterior_mark", 1), ("功能区域门牌", "interior", 12)],
        "first": dict.fromkeys(activity.NUMBERED, 1),
    }

    def rows() -> list[list[object]]:
        t, out = activity.county_rows(county, job)
        return [r for table in t.order() for r in out[id(table)]]

    first = rows()
    assert len(first) > 50
    assert rows() == first
