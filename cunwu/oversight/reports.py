"""Progress reports upward (closing paragraph of the measures: 各州（市）有关工作进展情况，及时报送):
a county's or prefecture's monthly or quarterly report built from the figures, the ledger and the
alerts, frozen when submitted (county → prefecture → province), as xlsx and as an A4 PDF."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from cunwu.accounts.permissions import Perm
from cunwu.accounts.scope import scope_for
from cunwu.audit.services import audit_record
from cunwu.documents.pdf import cjk_font_name
from cunwu.errors import Conflict, Forbidden, Invalid, NotFound
from cunwu.regions import codes
from cunwu.regions.selectors import regions_at_level

from . import charts, figures, rules, selectors
from .models import Alert, AlertStatus, LedgerTask, ProgressReport, ReportStatus, TaskStatus

REPORTING_LEVELS = (codes.COUNTY, codes.PREFECTURE)
OUTSIDE = "找不到该报告，或不在您的管辖范围内。"


def build(user: Any, code: str, period: rules.Period) -> dict[str, Any]:
    """The report's numbers as they stand now (what will be frozen on submission)."""
    if period.kind == "year":
        raise Invalid.field("period", "进展报告按月或按季度报送，请选择月份或季度。")
    burden = selectors.burden_for(user, code, period)
    labels = figures.all_figures()
    low, high = codes.code_range(code, codes.level_of(code))
    today = timezone.localdate()
    tasks = LedgerTask.objects.filter(region_code__gte=low, region_code__lte=high).aggregate(
        total=Count("id"),
        done=Count("id", filter=Q(status=TaskStatus.DONE)),
        overdue=Count("id", filter=~Q(status=TaskStatus.DONE) & Q(deadline__lt=today)),
    )
    alerts = Alert.objects.filter(region_code__gte=low, region_code__lte=high).aggregate(
        open=Count("id", filter=Q(status=AlertStatus.OPEN)), closed=Count("id", filter=Q(status=AlertStatus.CLOSED))
    )
    return {
        "region": {"code": burden.region.code, "name": burden.region.name, "level": burden.region.level},
        "period": period.key,
        "period_label": period.label,
        "formula_version": burden.formula_version,
        "threshold": burden.threshold,
        "index": burden.region.index,
        "villages": burden.region.villages,
        "villages_over": burden.region.villages_over,
        "components": [
            {
                "name": n,
                "label": f.label,
                "unit": f.unit,
                "clause": f.clause,
                "value": burden.region.components.get(n, 0),
            }
            for n, f in labels.items()
        ],
        "children": [
            {"code": c.code, "name": c.name, "index": c.index, "villages": c.villages, "over": c.villages_over}
            for c in burden.children
        ],
        "ledger": tasks,
        "alerts": alerts,
        "built_at": timezone.now().isoformat(),
    }


def _submitter(user: Any, code: str) -> None:
    if not any(g.region_code == code and Perm.OVERSIGHT_REPORT in g.perms for g in scope_for(user).grants):
        raise Forbidden("只有本级（县或州市）可以报送本级的进展报告。")


def report_submit(*, actor: Any, code: str, period: rules.Period, note: str = "") -> ProgressReport:
    """Freeze the numbers and send the report upward; a second submission for the period → 409."""
    selectors.region_for(actor, code)
    if codes.level_of(code) not in REPORTING_LEVELS:
        raise Invalid.field("region", "进展报告由县（市、区）和州（市）报送。")
    _submitter(actor, code)
    note = (note or "").strip()
    if len(note) > 4000:
        raise Invalid.field("note", "工作进展说明不超过 4000 字。")
    if ProgressReport.objects.filter(region_code=code, period=period.key).exists():
        raise Conflict(f"{period.label}的进展报告已报送，不能重复报送。", code="already_submitted")
    data = build(actor, code, period)
    try:
        with transaction.atomic():
            report = ProgressReport.objects.create(
                region_code=code,
                period=period.key,
                data=data,
                formula_version=data["formula_version"],
                note=note,
                submitted_by=actor,
            )
            audit_record(
                actor=actor,
                action="oversight.report.submit",
                obj=report,
                region_code=code,
                after={"period": period.key, "index": data["index"], "formula_version": data["formula_version"]},
            )
    except IntegrityError:
        raise Conflict(f"{period.label}的进展报告已报送，不能重复报送。", code="already_submitted") from None
    return report


def reports_for(user: Any) -> QuerySet[ProgressReport]:
    scope = scope_for(user)
    return ProgressReport.objects.filter(scope.region_q("region_code", Perm.OVERSIGHT_VIEW)).select_related(
        "submitted_by", "received_by"
    )


def report_get_for(user: Any, pk: int) -> ProgressReport:
    found = reports_for(user).filter(pk=pk).first()
    if found is None:
        raise NotFound(OUTSIDE)
    return found


def can_receive(user: Any, report: ProgressReport) -> bool:
    """The level directly above (the prefecture for a county, the province for a prefecture)."""
    parent = codes.ancestor_codes(report.region_code)[-1]
    return any(g.region_code == parent and Perm.OVERSIGHT_REPORT in g.perms for g in scope_for(user).grants)


def report_receive(*, actor: Any, report: ProgressReport) -> ProgressReport:
    if not can_receive(actor, report):
        raise Forbidden("只有上一级可以签收报告。")
    with transaction.atomic():
        changed = ProgressReport.objects.filter(pk=report.pk, status=ReportStatus.SUBMITTED).update(
            status=ReportStatus.RECEIVED, received_by=actor, received_at=timezone.now()
        )
        if not changed:
            raise Conflict("该报告已签收。")
        audit_record(actor=actor, action="oversight.report.receive", obj=report, region_code=report.region_code)
    report.refresh_from_db()
    return report


def province_summary(user: Any, period: rules.Period) -> list[dict[str, Any]]:
    """Per prefecture: its own report (status, index) and how many of its counties reported."""
    home = selectors.home_code_for(user)
    if home is None or codes.level_of(home) != codes.PROVINCE:
        raise Forbidden("省级汇总仅供省级查看。")
    selectors.region_for(user, home)
    reports = {r.region_code: r for r in ProgressReport.objects.filter(period=period.key)}
    out = []
    for pref in regions_at_level(home, codes.PREFECTURE):
        counties = regions_at_level(pref.code, codes.COUNTY)
        own = reports.get(pref.code)
        out.append(
            {
                "code": pref.code,
                "name": pref.name,
                "report": own,
                "index": own.data["index"] if own else None,
                "counties": len(counties),
                "counties_reported": sum(1 for c in counties if c.code in reports),
            }
        )
    return out


# --- files ---------------------------------------------------------------------------------------


def to_xlsx(data: dict[str, Any], meta: dict[str, str]) -> bytes:
    """概况 / 分项 / 下级 sheets in the layout officials use: header row bold, one item a row."""
    wb = Workbook()
    ws = wb.active
    ws.title = "概况"
    bold = Font(bold=True)
    rows: list[tuple[str, Any]] = [
        ("报送单位", data["region"]["name"]),
        ("期间", data["period_label"]),
        ("负担指数（所辖村平均）", data["index"]),
        ("村（社区）数", data["villages"]),
        ("超过预警阈值的村（社区）", data["villages_over"]),
        ("预警阈值", data["threshold"]),
        ("公式版本", f"v{data['formula_version']}"),
        (
            "工作台账事项（完成 / 总数 / 逾期）",
            f"{data['ledger']['done']} / {data['ledger']['total']} / {data['ledger']['overdue']}",
        ),
        ("预警（待处理 / 已处理）", f"{data['alerts']['open']} / {data['alerts']['closed']}"),
        *meta.items(),
    ]
    for label, value in rows:
        ws.append([label, value])
        ws.cell(ws.max_row, 1).font = bold
    ws.column_dimensions["A"].width = 36
    ws.column_dimensions["B"].width = 40
    items = wb.create_sheet("分项")
    items.append(["指标", "数量", "单位", "条款"])
    for c in data["components"]:
        items.append([c["label"], c["value"], c["unit"], c["clause"]])
    children = wb.create_sheet("下级")
    children.append(["区划代码", "名称", "负担指数", "村（社区）数", "超阈值村"])
    for c in data["children"]:
        children.append([c["code"], c["name"], c["index"], c["villages"], c["over"]])
    for sheet in (items, children):
        for cell in sheet[1]:
            cell.font = bold
        sheet.column_dimensions["A"].width = 40
        sheet.column_dimensions["B"].width = 16
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def to_pdf(data: dict[str, Any], meta: dict[str, str]) -> bytes:
    """A4: a cover page, then the figures table, the children table and their chart."""
    font = cjk_font_name()
    title_style = ParagraphStyle("t", fontName=font, fontSize=22, leading=30, alignment=1)
    h2 = ParagraphStyle("h2", fontName=font, fontSize=14, leading=20, spaceBefore=8, spaceAfter=6)
    body = ParagraphStyle("b", fontName=font, fontSize=10.5, leading=16)
    cell = ParagraphStyle("c", fontName=font, fontSize=9, leading=12)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        title=f"{data['region']['name']}{data['period_label']}减负工作进展报告",
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
    )
    story: list[Any] = [
        Spacer(1, 60 * mm),
        Paragraph(f"{data['region']['name']}", title_style),
        Spacer(1, 6 * mm),
        Paragraph(f"{data['period_label']}规范村级组织工作事务<br/>减轻基层负担工作进展报告", title_style),
        Spacer(1, 30 * mm),
    ]
    story += [Paragraph(f"{k}：{escape(str(v))}", body) for k, v in meta.items() if k != "工作进展说明"]
    story += [Paragraph(f"负担指数公式：v{data['formula_version']}（见 docs/burden-index.md）", body), PageBreak()]

    def table(header: list[str], rows: list[list[Any]], widths: list[float]) -> Table:
        t = Table(
            [[Paragraph(escape(str(h)), cell) for h in header]]
            + [[Paragraph(escape(str(v)), cell) for v in r] for r in rows],
            colWidths=widths,
            repeatRows=1,
        )
        t.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#888888")),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ]
            )
        )
        return t

    story.append(Paragraph("一、概况", h2))
    story.append(
        Paragraph(
            f"所辖 {data['villages']} 个村（社区）负担指数平均 {data['index']}，超过预警阈值（{data['threshold']}）的 "
            f"{data['villages_over']} 个；工作台账事项 {data['ledger']['total']} 项，已完成 {data['ledger']['done']} 项，"
            f"逾期 {data['ledger']['overdue']} 项；预警待处理 {data['alerts']['open']} 条，已处理 {data['alerts']['closed']} 条。",
            body,
        )
    )
    story.append(Paragraph("二、分项", h2))
    story.append(
        table(
            ["指标", "数量", "单位", "条款"],
            [[c["label"], c["value"], c["unit"], c["clause"]] for c in data["components"]],
            [95 * mm, 25 * mm, 20 * mm, 30 * mm],
        )
    )
    if data["children"]:
        story.append(Paragraph("三、下级负担指数", h2))
        ordered = sorted(data["children"], key=lambda c: -c["index"])
        story.append(charts.bar_chart([c["name"] for c in ordered], [c["index"] for c in ordered], "下级负担指数"))
        story.append(
            table(
                ["区划代码", "名称", "负担指数", "村（社区）数", "超阈值村"],
                [[c["code"], c["name"], c["index"], c["villages"], c["over"]] for c in ordered],
                [35 * mm, 55 * mm, 25 * mm, 30 * mm, 25 * mm],
            )
        )
    if meta.get("工作进展说明"):
        story.append(Paragraph("四、工作进展说明", h2))
        story.append(Paragraph(escape(meta["工作进展说明"]).replace("\n", "<br/>"), body))
    doc.build(story)
    return buf.getvalue()


def meta_of(report: ProgressReport) -> dict[str, str]:
    out = {
        "报送人": report.submitted_by.username,
        "报送时间": timezone.localtime(report.submitted_at).strftime("%Y-%m-%d %H:%M"),
        "状态": report.get_status_display(),
    }
    if report.note:
        out["工作进展说明"] = report.note
    return out
