"""The printed documents: certificate, receipt (受理回执), refusal notice (告知书), commitment
letter (告知承诺书) and a 式样 sample. A4 PDFs via cunwu.documents; a seal area is left blank."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from cunwu.catalogs import kinds
from cunwu.documents import Document, render_pdf
from cunwu.masking import mask_id_number, mask_name

from . import rules
from .models import Application, Certificate, CertificateTemplate, Channel, Outcome
from .selectors import issuer_name

POLICY = "《云南省规范村级组织工作事务、机制牌子和证明事项的若干措施》"


def verify_url(token: str) -> str:
    return f"{settings.BASE_URL}/v/{token}"


def certificate_pdf(cert: Certificate, *, copy_number: int = 1) -> bytes:
    """The certificate exactly as its `content` (the `dig` input) says, plus the QR and a footer."""
    c = cert.content
    copy_note = "原件" if copy_number == 1 else f"补打件（第 {copy_number} 份，与原件同一证明）"
    doc = Document(
        title=c["title"],
        serial=c["serial"],
        paragraphs=list(c["paragraphs"]),
        fields=[(label, value) for label, value in c["fields"]],
        qr_url=verify_url(cert.token),
        qr_caption="扫码核验真伪",
        issuer=c["issuer"]["name"],
        date_text=c["date_text"],
        seal_area=True,
        purpose_line=c["purpose_line"],
        validity_line=c["validity_line"],
        footer=(
            f"证明编号 {c['serial']}（出具单位代码 {c['issuer']['code']}）。扫描二维码或访问 {settings.BASE_URL}/v/ 核验真伪和是否撤销；"
            f"也可用公开密钥 {settings.BASE_URL}/.well-known/jwks.json 离线核验。{copy_note}。"
        ),
    )
    return render_pdf(doc)


def _date(value: dt.datetime) -> str:
    return rules.date_text(timezone.localtime(value).date())


def _issuer(app: Application) -> str:
    return issuer_name(app.region)


def receipt_pdf(app: Application) -> bytes:
    """受理回执: the receipt number, what was asked, the first assessment and what happens next."""
    outcome = Outcome(app.outcome).label + (f"：{app.item_code} {app.item_name}" if app.item_code else "")
    fields = [
        ("受理号", app.receipt_number),
        ("村（社区）代码", app.region_id),
        ("申请人", mask_name(app.applicant_name)),
        ("身份证号", mask_id_number(app.applicant_id_number)),
        ("申请事项", app.request_text[:200]),
        ("用途", app.purpose),
        ("索要单位", app.requesting_agency or "（未填写）"),
        ("初步判断", outcome),
        ("受理方式", Channel(app.channel).label + ("（委托代办）" if app.by_proxy else "")),
        ("受理时间", timezone.localtime(app.received_at).strftime("%Y-%m-%d %H:%M")),
        ("提交材料", f"{app.materials.count()} 份"),
    ]
    if app.by_proxy:
        fields.insert(3, ("代办人", mask_name(app.agent_name)))
    paragraphs = [
        "您的证明申请已受理。村（社区）将依法依规审查：属于保留证明事项的，核实后据实出具；"
        "属于不应由村级组织出具的，出具告知书并告知替代办理方式；目录外事项只对能够核实的内容出具（十二）（十三）。",
        f"初步判断说明：{app.triage_advice}" if app.triage_advice else "",
        "请凭受理号查询办理结果或领取证明。",
    ]
    doc = Document(
        title="证明事项受理回执",
        serial=app.receipt_number,
        paragraphs=[p for p in paragraphs if p],
        fields=fields,
        issuer=_issuer(app),
        date_text=_date(app.received_at),
        seal_area=False,
        footer=f"依据{POLICY}（十二）。回执中的个人信息已作脱敏处理。",
    )
    return render_pdf(doc)


def refusal_pdf(app: Application) -> bytes:
    """告知书: why the village does not issue, the clause, and what the applicant does instead."""
    assert app.decided_at is not None
    ground = rules.GROUNDS.get(app.refusal_ground)
    item = app.item_name or "所申请的证明"
    paragraphs = [
        f"{mask_name(app.applicant_name)}：",
        f"您于{_date(app.received_at)}申请出具“{item}”（受理号 {app.receipt_number}）。经审查，{app.decision_reason}",
        f"依据{POLICY}{app.decision_clause}的规定，本村（社区）不予出具该证明。",
    ]
    alt = app.alternative or {}
    fields = [
        ("申请事项", item),
        ("不予出具理由", ground.label if ground else app.refusal_ground),
        ("依据条款", app.decision_clause),
    ]
    if alt:
        paragraphs.append(
            f"替代办理方式（{alt.get('kind_label') or kinds.ALTERNATIVE_KINDS.get(alt.get('kind', ''), '')}）：{alt.get('text', '')}。"
        )
        fields += [("替代办理机构", alt.get("agency", "")), ("替代方式", alt.get("text", ""))]
    if app.outcome == Outcome.FORBIDDEN:
        township = app.region.parent.name if app.region.parent_id and app.region.parent else "乡镇（街道）"
        paragraphs.append(
            f"如有关单位仍要求您提供村级组织证明，可向{township}反映，由乡镇党委和政府协调处理（十三）；也可通过本平台举报。"
        )
    if alt.get("kind") == "commitment":
        paragraphs.append("该事项实行告知承诺，您可以持村（社区）提供的告知承诺书到办理机构办理（十一）。")
    doc = Document(
        title="不予出具证明告知书",
        serial=app.refusal_number,
        paragraphs=paragraphs,
        fields=fields,
        issuer=_issuer(app),
        date_text=_date(app.decided_at),
        seal_area=True,
        # The QR opens a report prefilled from this notice (village, item, agency; never the applicant).
        qr_url=f"{settings.BASE_URL}{reverse('complaints_public:file')}?region={app.region_id}&refusal={quote(app.refusal_number)}",
        qr_caption="对不予出具有异议，或单位仍坚持索要证明，扫码举报（十六）",
        footer=f"依据{POLICY}（十二）（十三）（十七）。清理取消的证明事项，村（社区）应做好解释说明。",
    )
    return render_pdf(doc)


def commitment_pdf(app: Application) -> bytes:
    """告知承诺书 the applicant fills in, signs and takes to the agency instead of a certificate （十一）."""
    alt = app.alternative or {}
    agency = alt.get("agency") or app.requesting_agency or "办理机构"
    paragraphs = [
        f"致{agency}：",
        f"本人因{app.purpose}，需要提供“{app.item_name}”。根据{POLICY}（十一）和该事项实行告知承诺的规定，"
        "本人已知晓所需证明的事项和要求，现郑重承诺：",
        "一、本人所述以下情况真实、准确、完整：",
        "＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿",
        "＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿",
        "二、本人知晓如承诺不实，将承担相应的法律责任，并同意有关部门依法核查。",
    ]
    fields = [
        ("承诺事项", app.item_name),
        ("承诺人", ""),
        ("公民身份号码", ""),
        ("联系电话", ""),
        ("承诺人签字", ""),
        ("日期", "      年    月    日"),
    ]
    doc = Document(
        title="告知承诺书",
        serial=app.refusal_number or app.receipt_number,
        paragraphs=paragraphs,
        fields=fields,
        footer=f"本承诺书由{_issuer(app)}依{POLICY}（十一）提供，替代村级组织出具“{app.item_name}”。受理号 {app.receipt_number}。",
    )
    return render_pdf(doc)


def template_sample_pdf(template: CertificateTemplate) -> bytes:
    """A 式样 as the public sees it on the portal: placeholders shown as blanks with their meaning."""
    sample = {k: f"【{v}】" for k, v in rules.PLACEHOLDERS.items()}
    doc = Document(
        title=template.title,
        serial="（编号）",
        paragraphs=rules.fill_template(template.body, sample),
        fields=[("证明事项", template.item_name), ("索要单位", template.requesting_agency), ("主要负责人签字", "")],
        issuer="（出具证明的村民委员会）",
        date_text="    年  月  日",
        seal_area=True,
        purpose_line="本证明仅用于【用途】，他用无效。",
        validity_line=f"本证明有效期 {template.validity_days} 天。" if template.validity_days else None,
        footer=f"式样：{template.requesting_agency}提出（{template.region.name}适用）。依据{POLICY}（十二）公开。",
    )
    return render_pdf(doc)
