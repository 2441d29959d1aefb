"""make_<noun>() helpers for the oversight tests: records are made through the producing apps' services."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from cunwu.admission import services as admission
from cunwu.admission.tests.factories import make_approved
from cunwu.regions.selectors import region_get

VILLAGE = "530124103200"
OTHER_VILLAGE = "530124103201"
TOWNSHIP = "530124103000"
COUNTY = "530124000000"
PREFECTURE = "530100000000"


def province_code() -> str:
    return "53" + "0" * 10


def make_offlist(clerk: Any, *, n: int = 1, department_name: str = "富民县农业农村局") -> None:
    for i in range(n):
        admission.offlist_report(
            actor=clerk,
            village=region_get(VILLAGE),
            department=None,
            department_name=department_name,
            what=f"电话要求村里当天报送春耕进度表（第{i + 1}次）",
            channel="phone",
            received_on=timezone.localdate(),
        )


def make_assignment(department: Any, reviewer: Any, **over: Any) -> Any:
    return make_approved(department, reviewer, **over)


def make_the_figures_the_world_lacks(world: dict[str, Any]) -> None:
    """Records for the figures the access world has none of, through the apps' services where they
    are short to drive; dates and statuses moved with the ORM where a service would take weeks."""
    from cunwu.admission import services as admission
    from cunwu.admission.models import WorkRequest
    from cunwu.admission.tests.factories import make_approved, make_request
    from cunwu.complaints.models import Complaint
    from cunwu.reporting import services as reporting
    from cunwu.reporting.models import Filing
    from cunwu.reporting.services import FieldIn
    from cunwu.reporting.tests.factories import make_request as make_form_request
    from cunwu.signs.models import Campaign
    from cunwu.tests.world import user

    today = timezone.localdate()
    rejected = make_request(
        user("department_officer"),
        title="协助开展农村低保对象入户走访",
        content="请各村协助县民政局入户走访低保对象，核实家庭人口变化，本季度内完成。",
    )
    admission.request_decide(
        actor=user("county_reviewer"),
        request=rejected,
        outcome="reject",
        reasons="属部门职责，不得转嫁",
        clauses=["（二）"],
    )
    # screening refuses a separate evaluation （五）; one approved before that rule is shaped with the ORM
    evaluation = make_approved(
        user("department_officer"),
        user("county_reviewer"),
        title="协助开展农村危房排查登记",
        content="请各村协助县住建局逐户排查农村危房并登记，本季度内完成。",
    )
    WorkRequest.objects.filter(pk=evaluation.pk).update(type="evaluation")
    form = make_form_request(user("department_officer"), [FieldIn("河长巡河次数", "integer", "次")], title="巡河统计表")
    reporting.request_decide(actor=user("county_reviewer"), request=form, approve=False, reason="属临时性填表")
    now = timezone.now()
    Filing.objects.filter(pk=world["filing"]).update(
        status="returned", return_reason="低保户数与上月不符，请核对", submitted_at=now, decided_at=now
    )
    Complaint.objects.filter(tracking_code=world["complaint"]).update(due=today - timedelta(days=3))
    Campaign.objects.filter(pk=world["campaign"]).update(deadline=today - timedelta(days=1))
