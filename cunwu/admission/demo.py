"""Demo data for the admission area: requests in every state, dispatched work, an off-list
report, the county's evaluation and a chat group registry with look-alikes. Idempotent."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from cunwu.accounts.models import User
from cunwu.regions.models import Organisation, Region

from . import services
from .models import Channel, DepartmentRemit, Evaluation, OffListReport, WorkRequest

DEMO_MARK = "（演示）"


def seed(scale: str, stdout: Any) -> None:
    if scale != "demo":
        return  # the province-wide scale generates no admission traffic
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=[
                "department_officer",
                "department_officer2",
                "county_reviewer",
                "county_admin",
                "village_clerk",
            ]
        )
    }
    if "county_admin" in users:
        _seed_remits(users["county_admin"], stdout)
    if len(users) < 5 or WorkRequest.objects.filter(title__endswith=DEMO_MARK).exists():
        stdout.write("准入演示数据：已存在或缺少演示账号，跳过")
        return
    dep, police, reviewer, admin, clerk = (
        users[n]
        for n in ("department_officer", "department_officer2", "county_reviewer", "county_admin", "village_clerk")
    )
    county = Region.objects.get(code="530124000000")
    village = Region.objects.get(code="530124103200")
    soon = timezone.localdate() + timedelta(days=30)

    def file(actor: Any, title: str, content: str, **over: Any) -> WorkRequest:
        data = services.RequestData(
            title=title + DEMO_MARK,
            content=content,
            targets=over.pop("targets", ["530124103000"]),
            deadline=soon,
            **over,
        )
        return services.request_file(actor=actor, data=data)

    approved = file(
        dep,
        "关于协助开展低保对象入户调查的通知",
        "请各村协助县民政局开展低保申请家庭入户调查，核实家庭人口、收入和财产状况。",
        basis="《社会救助暂行办法》第四条",
        provisions="业务培训和每户 20 元入户调查经费",
        responsible_body="富民县民政局（村委会协助）",
    )
    services.request_decide(
        actor=reviewer, request=approved, outcome="approve", triage="assist", deployment="富办通〔演示〕1号"
    )
    file(
        dep,
        "关于协助做好高龄老人探访关爱的通知",
        "请各村协助开展高龄独居老人每月探访，县民政局提供探访经费。",
        provisions="探访经费",
    )
    file(dep, "关于签订安全生产目标责任书的通知", "要求各村签订年度安全生产目标责任书，发生事故的实行一票否决。")
    meeting = file(
        police,
        "关于召开全县禁毒工作推进会的通知",
        "请各村党组织书记到县公安局会议室参加禁毒工作推进会。",
        type="meeting",
        meeting_reason="需现场部署禁种铲毒专项行动并发放踏查设备，电话和文件无法完成设备交接。",
        targets=["530124103200", "530124103201"],
    )
    services.request_decide(
        actor=reviewer,
        request=meeting,
        outcome="approve",
        triage="duty",
        deployment="富办通〔演示〕2号",
        reasons="需现场交接踏查设备，理由成立，准予召开（（四））。",
    )
    returned = file(police, "关于报送出租房屋登记表的通知", "请各村每月5日前填报辖区出租房屋登记表并报送派出所。")
    services.request_decide(
        actor=reviewer,
        request=returned,
        outcome="return",
        reasons="属于年度计划外填表报数，请纳入县级一表通统一采集（（四））。",
    )
    if not OffListReport.objects.exists():
        services.offlist_report(
            actor=clerk,
            village=village,
            department=Organisation.objects.get(name="富民县公安局"),
            department_name="",
            what="工作群里要求每天上传治安巡逻照片" + DEMO_MARK,
            channel="chat_group",
            received_on=timezone.localdate(),
        )
    year = timezone.localdate().year
    if not Evaluation.objects.filter(county=county, year=year).exists():
        ev = services.evaluation_create(
            actor=admin, county=county, year=year, title=f"{year}年度村级组织综合考评" + DEMO_MARK
        )
        services.indicator_add(
            actor=admin,
            evaluation=ev,
            name="为民办实事成效",
            description="实地查看项目和服务",
            weight=50,
            evidence=["site_visit", "results_data"],
        )
        services.indicator_add(
            actor=admin,
            evaluation=ev,
            name="群众满意度",
            description="入户随机测评",
            weight=50,
            evidence=["villager_survey"],
        )
        services.evaluation_publish(actor=admin, evaluation=ev)
    if not Channel.objects.filter(county=county).exists():
        civil = Organisation.objects.get(name="富民县民政局")
        villages = list(Region.objects.filter(parent_id="530124103000").values_list("code", flat=True))
        a = services.channel_register(
            actor=reviewer,
            county=county,
            kind="wechat",
            name="富民县社会救助工作群",
            owner=civil,
            purpose="社会救助政策通知",
            villages=villages,
        )
        services.channel_register(
            actor=reviewer,
            county=county,
            kind="wechat",
            name="罗免镇社会救助工作群",
            owner=civil,
            purpose="社会救助政策通知",
            villages=villages[:3],
        )
        services.channel_register(
            actor=reviewer,
            county=county,
            kind="app",
            name="禁毒巡查打卡",
            owner=Organisation.objects.get(name="富民县公安局"),
            purpose="每日巡查打卡",
            villages=villages,
        )
        stdout.write(f"准入演示数据：工作群登记 3 条（其中 1 对疑似重复，可并入编号 {a.pk}）")
    stdout.write("准入演示数据：申请 5 件（准入 2、待审 1、筛查未通过 1、退回 1）、清单外摊派反映 1 条、统一考评 1 个")


REMITS = {
    "富民县民政局": (
        "负责农村低保、特困人员供养、临时救助的审核确认，统筹农村养老服务、殡葬改革和婚丧事宜移风易俗。",
        "低保、特困申请的审核确认和资金发放；入户核查抽查；养老服务设施建设和补助发放。",
        "协助困难群众提出救助申请、组织民主评议和公示；协助高龄独居老人探访关爱；协助殡葬改革和移风易俗宣传。",
        ["A01", "A10", "A12"],
    ),
    "富民县公安局": (
        "负责农村社会治安防控、禁毒、户籍管理和流动人口服务管理。",
        "治安巡逻、案件查处、户籍和居住证办理、出租房屋登记核查由派出所和社区民警负责。",
        "请村（社区）开展平安建设宣传、排查调解矛盾纠纷。",
        ["D09"],
    ),
}


def _seed_remits(admin: Any, stdout: Any) -> None:
    """富民县's departments' responsibilities and 履职方式 toward villages （一）."""
    county = Region.objects.get(code="530124000000")
    if DepartmentRemit.objects.filter(county=county).exists():
        return
    for name, (responsibilities, own_work, village_work, items) in REMITS.items():
        department = Organisation.objects.filter(region=county, name=name).first()
        if department is None:
            continue
        services.remit_save(
            actor=admin,
            county=county,
            department=department,
            responsibilities=responsibilities,
            own_work=own_work,
            village_work=village_work,
            items=items,
        )
    stdout.write(f"准入演示数据：部门乡村振兴职责 {len(REMITS)} 条")
