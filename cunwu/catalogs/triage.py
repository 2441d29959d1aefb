"""我要开证明: is a requested certificate retained, forbidden, or in neither catalog?

The answer cites the clauses a villager and a clerk need: （十一）（十二） for retained items,
（十二） and （十三） for forbidden ones (with the alternative and the township's coordination),
（十三） for anything unlisted (issue only what the village can verify).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from cunwu.documents import Document
from cunwu.errors import Invalid
from cunwu.regions import codes
from cunwu.regions.selectors import province, region_path, region_place_names

from . import kinds
from .selectors import CatalogItem, catalog_matcher, region_name

if TYPE_CHECKING:
    from cunwu.regions.models import Region

MAX_TEXT = 2000
# Below this a request is "unlisted". Lower than the matcher's default: readings through the lexicon
# and homophones make short colloquial requests score lower while still being right (tuned on
# cert_requests_wild; docs/benchmarks.md).
TRIAGE_THRESHOLD = 0.35
RETAINED, FORBIDDEN, UNLISTED = "retained", "forbidden", "unlisted"
OUTCOME_LABELS = {
    RETAINED: "村（社区）可以出具",
    FORBIDDEN: "村（社区）不应出具",
    UNLISTED: "不在目录中：能核实的才出具",
}


@dataclass(frozen=True)
class Triage:
    outcome: str
    item: CatalogItem | None
    candidates: list[dict[str, Any]]
    advice: str
    clauses: list[str]

    def as_api(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "item": self.item.as_api() if self.item else None,
            "candidates": self.candidates,
            "advice": self.advice,
            "clauses": self.clauses,
        }

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self.outcome]


def check_text(text: str | None) -> str:
    text = (text or "").strip()
    if not text:
        raise Invalid.field("text", "请填写需要开具的证明，例如“亲属关系证明”或“派出所让我开居住证明”。")
    if len(text) > MAX_TEXT:
        raise Invalid.field("text", f"内容过长（{len(text)} 字），请控制在 {MAX_TEXT} 字以内，写明要开什么证明即可。")
    return text


def township_of(region: Region | None) -> str:
    """The township (乡镇/街道) that coordinates refused certificates for a village （十三）."""
    if region is None or codes.PREFIX_LENGTH[region.level] < codes.PREFIX_LENGTH[codes.TOWNSHIP]:
        return ""
    name = region_name(codes.prefix(region.code, codes.TOWNSHIP) + "000")
    return "" if name.isdigit() else name


def advice_for(outcome: str, item: CatalogItem | None, township: str = "") -> tuple[str, list[str]]:
    """The Chinese advice and the clauses it rests on."""
    coordinator = f"{township}党委和政府" if township else "乡镇（街道）党委和政府"
    if outcome == FORBIDDEN and item is not None:
        alt_kind = kinds.ALTERNATIVE_KINDS.get(item.get("alternative_kind", ""), "其他方式")
        return (
            f"“{item.name}”属于不应由村级组织出具的证明事项，村（社区）不予出具（十二）。"
            f"替代方式（{alt_kind}）：{item.get('alternative_text', '')}；办理机构：{item.get('alternative_agency', '')}。"
            f"如有关单位仍坚持索要村级组织证明，请向{coordinator}反映，由乡镇协调处理（十三），"
            "也可通过本平台举报。",
            ["（十二）", "（十三）"],
        )
    if outcome == RETAINED and item is not None:
        materials = "、".join(item.get("materials") or []) or "身份证明材料"
        guide = item.get("guide") or ""
        return (
            f"“{item.name}”属于保留的村级组织出具证明事项，村（社区）依法据实出具（十二）。"
            f"索要单位：{item.get('requesting_agency', '')}；请携带：{materials}；设定依据：{item.basis}。"
            + (f"办理指南：{guide}。" if guide else "")
            + "申请时请说明索要证明的原因、依据和用途（十二）。",
            ["（十一）", "（十二）"],
        )
    return (
        "该证明不在保留目录和不应出具目录中。因工作、学习、生活需要确需出具的，村级组织可对能够核实的事项据实出具（十三）；"
        "没有法律法规依据、能通过法定证照、法定文书、合同凭证、部门核查、网络核验等证明的，或村级组织无法核实的，不予出具（十二）。"
        "涉及重大问题的须调查核实，必要时经村民会议或村民代表会议讨论决定；存在法律风险的须经律师等专业力量评估（十三）。",
        ["（十二）", "（十三）"],
    )


def certificate_triage(
    text: str, region: Region | None, at: date | None = None, *, region_names: list[str] | None = None
) -> Triage:
    """Match free text against the retained and forbidden certificate catalogs in force for a region.

    For a village the names of its own regions and organisations are stripped before matching,
    so 大箐村委会 in "大箐村委会开亲属关系证明" does not count as evidence for any item.
    """
    text = check_text(text)
    if region is None:
        region = province()
    matcher, items = catalog_matcher([kinds.CERT_RETAINED, kinds.CERT_FORBIDDEN], region, at)
    strip = region_names if region_names is not None else region_place_names(region)
    ranked = matcher.match(text, strip_names=strip, limit=5)
    best = ranked[0] if ranked and ranked[0].score >= TRIAGE_THRESHOLD else None
    candidates = [{"code": c.code, "name": c.name, "kind": c.kind, "score": c.score} for c in ranked]
    township = township_of(region)
    if best is None:
        advice, clauses = advice_for(UNLISTED, None, township)
        return Triage(UNLISTED, None, candidates, advice, clauses)
    item = items[(best.kind, best.code)]
    outcome = RETAINED if best.kind == kinds.CERT_RETAINED else FORBIDDEN
    advice, clauses = advice_for(outcome, item, township)
    return Triage(outcome, item, candidates, advice, clauses)


def triage_notice(triage: Triage, text: str, region: Region | None, *, url: str, today: date) -> Document:
    """A one-page printable notice (告知单) of a triage answer, to show an agency or a clerk."""
    place = " ".join(r.name for r in region_path(region)) if region is not None else "云南省（省级目录）"
    fields: list[tuple[str, str]] = [("所问事项", text[:200]), ("适用地区", place), ("结论", triage.label)]
    item = triage.item
    if item is not None:
        fields.append(("目录事项", f"{item.code} {item.name}（{kinds.KIND_LABELS[item.kind]}）"))
        fields.append(("设定依据", item.basis))
        if triage.outcome == RETAINED:
            fields.append(("索要单位", str(item.get("requesting_agency") or "")))
            fields.append(("请携带", "、".join(item.get("materials") or []) or "身份证明材料"))
            if item.get("guide"):
                fields.append(("办理指南", str(item.get("guide"))))
        else:
            fields.append(("替代方式", kinds.ALTERNATIVE_KINDS.get(item.get("alternative_kind", ""), "")))
            fields.append(("办理机构", str(item.get("alternative_agency") or "")))
            fields.append(("群众怎么办", str(item.get("alternative_text") or "")))
        fields.append(("目录版本", f"{item.revision.document}（{item.revision.effective.isoformat()} 施行）"))
    paragraphs = [triage.advice]
    if item is not None and item.is_example:
        paragraphs.append("说明：本条目来自示例目录，正式目录公布后以正式目录为准。")
    return Document(
        title="证明事项办理告知单",
        paragraphs=paragraphs,
        fields=fields,
        qr_url=url,
        qr_caption="扫码查看最新目录",
        date_text=f"{today.year}年{today.month}月{today.day}日",
        footer="依据《云南省规范村级组织工作事务、机制牌子和证明事项的若干措施》（十一）（十二）（十三）",
    )
