"""One small world for the access matrix: the demo data of every app plus the few objects it lacks.

Everything is made through the apps' own demo seeds and services, inside the test's transaction.
`build_world()` returns names → values for filling URL path converters (`"seal"` → a pk,
`"village"` → a region code). A new app adds its objects with `@maker` in its own section.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

VILLAGE = "530124103200"  # the first village of 罗免镇 (root conftest.py)

World = dict[str, Any]
MAKERS: list[Callable[[World], None]] = []


def maker(fn: Callable[[World], None]) -> Callable[[World], None]:
    """Register a function that adds objects to the world (run in registration order)."""
    MAKERS.append(fn)
    return fn


def user(username: str) -> Any:
    from cunwu.accounts.models import User

    return User.objects.get(username=username)


def region(code: str) -> Any:
    from cunwu.regions.models import Region

    return Region.objects.get(code=code)


def _pdf() -> bytes:
    from cunwu.seals.demo import _pdf as seals_pdf

    return seals_pdf("access matrix")


def _jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 160, 90)).save(out, "JPEG")
    return out.getvalue()


@maker
def demo_data(world: World) -> None:
    from cunwu.admission import demo as admission_demo
    from cunwu.certificates import demo as certificates_demo
    from cunwu.seals import demo as seals_demo
    from cunwu.signs import demo as signs_demo

    for module in (admission_demo, certificates_demo, seals_demo, signs_demo):
        module.seed(scale="demo", stdout=io.StringIO())
    world.update(village=VILLAGE, township="530124103000", county="530124000000", chain=VILLAGE, action="acknowledge")


@maker
def accounts(world: World) -> None:
    clerk = user("village_clerk")
    world["user"] = clerk.pk
    world["membership"] = clerk.memberships.get(active=True).pk


@maker
def catalogs(world: World) -> None:
    from cunwu.catalogs.models import Revision

    revision = Revision.objects.filter(region__code=world["county"]).order_by("pk").first() or Revision.objects.first()
    assert revision is not None, "the example catalogs hold at least one revision"
    world.update(revision=revision.pk, kind="cert_retained", item="R05", fmt="csv")


@maker
def admission(world: World) -> None:
    from cunwu.admission import models
    from cunwu.admission.tests.factories import make_request

    # Filed by the owning department (富民县民政局, department_officer) with an attachment.
    request = make_request(user("department_officer"), attachments=[("通知.pdf", _pdf())])
    world["admission_request"] = request.pk
    world["attachment"] = request.attachments.get().pk
    world["assignment"] = models.Assignment.objects.filter(village__code=VILLAGE).order_by("pk").first().pk
    world["offlist"] = models.OffListReport.objects.order_by("pk").first().pk
    world["evaluation"] = models.Evaluation.objects.order_by("pk").first().pk
    world["channel"] = models.Channel.objects.order_by("pk").first().pk


@maker
def signs(world: World) -> None:
    from cunwu.signs import models, services
    from cunwu.signs.tests.helpers import open_campaign, request_approved

    clerk = user("village_clerk")
    sign = services.sign_add(
        actor=clerk,
        region=region(VILLAGE),
        name="村民委员会",
        placement="gate",
        photo=services.Upload(_jpeg(), "IMG_0001.jpg"),
    )
    world["sign"] = sign.pk
    world["photo"] = sign.photo_id
    world["mechanism"] = models.Mechanism.objects.filter(region__code=VILLAGE).order_by("pk").first().pk
    approved = request_approved(clerk, user("county_reviewer"), user("province_admin"), region(VILLAGE))
    world["sign_request"] = approved.pk
    campaign = open_campaign(user("county_admin"), region(world["county"]))
    world["campaign"] = campaign.pk
    task = models.CampaignTask.objects.filter(campaign=campaign, region__code=VILLAGE).order_by("pk").first()
    task = task or models.CampaignTask.objects.filter(campaign=campaign).order_by("pk").first()
    world["task"] = task.pk if task else 0


@maker
def certificates(world: World) -> None:
    from cunwu.certificates import models
    from cunwu.certificates.public_views import _ticket
    from cunwu.certificates.services import template_save
    from cunwu.certificates.tests.helpers import make_application, make_certificate, upload

    clerk, head, village = user("village_clerk"), user("village_head"), region(VILLAGE)
    application = make_application(clerk, village, materials=[upload()])
    world["application"] = application.pk
    world["material"] = application.materials.get().pk
    certificate = make_certificate(clerk, head, village)
    world["certificate"] = certificate.pk
    world["token"] = certificate.token
    world["ticket"] = _ticket(application)
    world["case"] = models.CoordinationCase.objects.order_by("pk").first().pk
    template = template_save(
        actor=user("county_admin"),
        region=region(world["county"]),
        item_code="R05",
        title="居住证明",
        body="兹证明{姓名}居住在{村}。\n{核实情况}",
        requesting_agency="有关单位",
    )
    world["template"] = template.pk


@maker
def seals(world: World) -> None:
    from cunwu.accounts.permissions import Role
    from cunwu.accounts.services import user_create
    from cunwu.seals import models, services

    seal = models.Seal.objects.filter(region__code=VILLAGE).order_by("pk").first()
    request = models.SealRequest.objects.filter(region__code=VILLAGE).order_by("pk").first()
    world["seal"] = seal.pk
    world["seal_request"] = request.pk
    world["document"] = request.documents.order_by("pk").first().pk
    world["seal_use"] = str(models.SealUse.objects.filter(region__code=VILLAGE).order_by("pk").first().pk)
    custodian = seal.custodian
    successor = user_create(
        actor=None,
        username="seal_keeper_next",
        password="not-used-here",
        display_name="赵保管",
        role=Role.SEAL_CUSTODIAN,
        region=region(VILLAGE),
        check_password=False,
    )
    handover = services.handover_create(
        actor=custodian,
        region=region(VILLAGE),
        from_user=custodian,
        to_user=successor,
        witness=user("supervisor"),
        items=[(seal, "印面完好")],
    )
    world["handover"] = handover.pk


def build_world() -> World:
    world: World = {}
    for make in MAKERS:
        make(world)
    return world


# --- accounts: tokens ----------------------------------------------------------------------------


@maker
def tokens(world: World) -> None:
    from cunwu.accounts.services import api_token_issue

    _key, token = api_token_issue(user=user("village_clerk"), label="access matrix (own token)")
    world["api_token"] = token.pk


# --- complaints ----------------------------------------------------------------------------------


@maker
def complaints(world: World) -> None:
    from cunwu.complaints import services

    open_report = services.complaint_file(
        services.Filing(
            category="pushed_work",
            region=VILLAGE,
            text="县某局要求村里每周上报防溺水巡查照片，不在清单内。",
            subject="富民县某局",
            photos=[services.Upload(_jpeg(), "IMG_0002.jpg")],
        )
    )
    question = services.question_ask(complaint=open_report, text="请问什么时候有结果？")
    world.update(
        complaint=open_report.tracking_code,
        complaint_photo=open_report.photos.get().pk,
        question=question.pk,
        complaint_action="accept",
    )
    concluded = services.complaint_file(
        services.Filing(category="forbidden_certificate", region=VILLAGE, text="派出所要村里开亲属关系证明。")
    )
    services.complaint_conclude(
        actor=user("county_reviewer"), complaint=concluded, outcome="属实，已纠正。", finding="substantiated"
    )
    case = services.typical_case_publish(
        actor=user("county_admin"),
        complaint=concluded,
        draft=services.CaseDraft("某所索要亲属关系证明", "该所要求村里开证明。", "某派出所", "（十二）", "已纠正"),
    )
    world["typical_case"] = case.pk
    document = services.document_review(
        actor=user("county_admin"),
        doc=services.DocumentInput(
            county=world["county"],
            title="关于加强村级安全生产工作的通知",
            issuer="富民县应急管理局",
            text="各村要签订安全生产目标责任书。各村每月报送工作台账和照片。",
            source="text",
        ),
    )
    world["reviewed_document"] = document.pk
    world["review_finding"] = document.findings.order_by("pk").first().pk


# --- reporting -----------------------------------------------------------------------------------


@maker
def reporting(world: World) -> None:
    from cunwu.reporting import services
    from cunwu.reporting.services import FieldIn
    from cunwu.reporting.tests.factories import YEAR, make_request

    form = make_request(user("department_officer"), [FieldIn("低保户数", "integer", "户")])
    services.request_decide(actor=user("county_reviewer"), request=form, approve=True)
    plan = services.plan_publish(actor=user("county_reviewer"), county_code=world["county"], year=YEAR)
    filing = services.filing_open(actor=user("village_clerk"), plan=plan, village_code=VILLAGE, period=f"{YEAR}-01")
    element = form.fields.get().element_id
    world.update(form_request=form.pk, year=YEAR, period=f"{YEAR}-01", filing=filing.pk, element=element)


# --- oversight -----------------------------------------------------------------------------------


@maker
def oversight(world: World) -> None:
    import datetime as dt

    from django.utils import timezone

    from cunwu.admission import services as admission
    from cunwu.oversight import aggregation, ledgers, reports, rules, services
    from cunwu.oversight.models import Alert

    for i in range(2):
        admission.offlist_report(
            actor=user("village_clerk"),
            village=region(VILLAGE),
            department=None,
            department_name="富民县农业农村局",
            what=f"电话要求村里当天报送春耕进度表（第{i + 1}次）",
            channel="phone",
            received_on=timezone.localdate(),
        )
    aggregation.refresh_months(aggregation.recent_months(timezone.localdate()))
    services.alerts_raise()
    world["alert"] = Alert.objects.order_by("pk").first().pk
    task = ledgers.task_add(
        actor=user("county_admin"),
        region_code=world["county"],
        title="清理村级工作群",
        responsible_body="县委组织部",
        deadline=timezone.localdate() + dt.timedelta(days=30),
    )
    world["ledger_task"] = task.pk
    last_month = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    report = reports.report_submit(
        actor=user("county_admin"),
        code=world["county"],
        period=rules.Period(last_month.year, month=last_month.month),
    )
    world["report"] = report.pk
    # --- records behind a figure, alert rules (issue 15 review)
    world["burden_figure"] = "admission_offlist"
    world["alert_rule"] = "village_meetings_over_plan"


# --- duty procedures and departments' responsibilities (（一）, issue 18) ----------------------------


@maker
def procedures_and_remits(world: World) -> None:
    from cunwu.regions.models import Organisation

    # A01 of the example assist catalog states its 运行流程, so its 办事指南 prints.
    world.update(procedure_kind="assist", procedure_item="A01")
    world["remit_department"] = Organisation.objects.get(region_id=world["county"], name="富民县民政局").pk


# --- villagework (issue 18: （五）（六）（七）（八）) --------------------------------------------------


@maker
def villagework(world: World) -> None:
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from cunwu.admission.models import Evaluation
    from cunwu.villagework import services

    today = timezone.localdate()
    evaluation = Evaluation.objects.get(pk=world["evaluation"])
    survey = services.survey_open(
        actor=user("county_admin"),
        evaluation=evaluation,
        village=region(VILLAGE),
        opens_on=dt.date(evaluation.year, 1, 1),
        closes_on=dt.date(evaluation.year, 12, 31),
    )
    world["survey"] = survey.pk
    funding = services.funding_add(
        actor=user("county_admin"),
        village=region(VILLAGE),
        kind="project",
        title="党群服务中心扩建",
        source_department="县财政局",
        amount=Decimal("200000"),
        year=today.year,
        status="planned",
        adds_area=Decimal("80"),
    )
    world["funding"] = funding.pk


# --- registries of approvals, routed work, rule misses, missed phrasings (issue 12) --------------


@maker
def text_understanding(world: World) -> None:
    import datetime as dt

    from django.utils import timezone

    from cunwu.admission import services
    from cunwu.admission.models import RuleMiss
    from cunwu.admission.tests.factories import make_request
    from cunwu.catalogs.services import phrasing_note
    from cunwu.regions.selectors import province

    approval = services.approval_register(
        actor=user("province_admin"),
        region=province(),
        kind="pledge",
        number="云发〔2026〕3号",
        title="关于森林防火目标责任书的通知",
        issued_on=timezone.localdate() - dt.timedelta(days=30),
        scope="全省各村（社区）森林防火责任书",
    )
    world["approval"] = approval.pk
    routed = make_request(user("department_officer"), title="村级道路养护")
    services.request_decide(
        actor=user("county_reviewer"),
        request=routed,
        outcome="approve",
        triage="township",
        deployment="富政发〔2026〕1号",
        service_channel="罗免镇便民服务中心",
    )
    world["routed"] = routed.routed.order_by("pk").first().pk
    missed = make_request(user("department_officer"), title="村级道路巡查")
    services.request_decide(
        actor=user("county_reviewer"), request=missed, outcome="reject", reasons="实为安全生产执法", clauses=["（二）"]
    )
    world["rule_miss"] = RuleMiss.objects.order_by("pk").first().pk
    found = phrasing_note(text="开个证明我跟我老公是两口子", source="triage")
    assert found is not None
    world["phrasing"] = found.pk
