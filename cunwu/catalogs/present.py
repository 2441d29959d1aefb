"""How catalog items read on pages: labelled facts per kind, and where an item comes from.

Pure presentation over CatalogItem values (no ORM besides the cached selectors).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from cunwu.documents import Document
from cunwu.regions import codes
from cunwu.regions.selectors import region_path, region_unsaved

from . import kinds, rules
from .selectors import CatalogItem, catalog_in_force, defining_regions, region_name

if TYPE_CHECKING:
    from cunwu.regions.models import Region

BASE, REFINED, LOCAL = "base", "refined", "local"


@dataclass(frozen=True)
class ItemCard:
    """An item as a card: the item, where it comes from, and its kind's facts as (label, text)."""

    item: CatalogItem
    origin: str
    origin_label: str
    facts: list[tuple[str, str]]

    @property
    def code(self) -> str:
        return self.item.code


def item_facts(item: CatalogItem) -> list[tuple[str, str]]:
    """The kind's own fields, labelled in Chinese, skipping blanks."""
    out = []
    for spec in kinds.KIND_FIELDS[item.kind]:
        if spec.key == "category":
            continue
        text = kinds.field_label(spec.key, item.get(spec.key))
        if text:
            out.append((spec.header, text))
    return out


def _level_region(code: str) -> Region:
    # catalog_in_force only reads code and level; an unsaved Region avoids a query per level.
    significant = code.rstrip("0")
    level = codes.PROVINCE if len(significant) <= 2 else codes.PREFECTURE if len(significant) <= 4 else codes.COUNTY
    return region_unsaved(code, level)


def origins(kind: str, region: Region, at: date) -> dict[str, str]:
    """For each code set below the province: refined (a parent level has the code) or local."""
    chain = defining_regions(region)
    out: dict[str, str] = {}
    above: set[str] = set()
    for depth, code in enumerate(chain):
        items = catalog_in_force(kind, _level_region(code), at)
        for item in items:
            if item.defined_by == code and depth > 0:
                out[item.code] = REFINED if item.code in above else LOCAL
        above = {i.code for i in items}
    return out


def origin_label(item: CatalogItem, origin: str) -> str:
    if origin == BASE:
        return "示例目录" if item.is_example else "省级目录"
    name = region_name(item.defined_by)
    return f"{name}细化" if origin == REFINED else f"{name}新增"


def item_cards(
    kind: str, region: Region, at: date, items: list[CatalogItem] | tuple[CatalogItem, ...]
) -> list[ItemCard]:
    found = origins(kind, region, at)
    cards = []
    for item in items:
        origin = found.get(item.code, BASE) if item.defined_by != defining_regions(region)[0] else BASE
        cards.append(ItemCard(item, origin, origin_label(item, origin), item_facts(item)))
    return cards


# ---------------------------------------------------------------------------- 运行流程 and 办事指南 （一）


@dataclass(frozen=True)
class Step:
    """One step of a procedure as people read it."""

    number: int
    body: str
    body_label: str
    actor: str
    action: str
    days: int
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    channel: str
    hands_to: int | None  # None: the procedure ends here

    @property
    def who(self) -> str:
        return f"{self.body_label}·{self.actor}" if self.actor else self.body_label

    def as_api(self) -> dict[str, object]:
        return {
            "number": self.number,
            "body": self.body,
            "body_label": self.body_label,
            "actor": self.actor,
            "action": self.action,
            "days": self.days,
            "inputs": list(self.inputs),
            "outputs": list(self.outputs),
            "channel": self.channel,
            "hands_to": self.hands_to,
        }


@dataclass(frozen=True)
class Procedure:
    """An item's 运行流程: its steps and the working days from the first step to the end."""

    steps: tuple[Step, ...]
    working_days: int
    defined_by: str

    def as_api(self) -> dict[str, object]:
        return {
            "steps": [s.as_api() for s in self.steps],
            "working_days": self.working_days,
            "defined_by": self.defined_by,
        }


def procedure_of(item: CatalogItem) -> Procedure | None:
    """The procedure stated with the item by the level that set it, or None when none is stated."""
    raw = item.get(kinds.PROCEDURE.key) if item.kind in kinds.PROCEDURE_KINDS else None
    if not raw:
        return None
    count = len(raw)
    steps = tuple(
        Step(
            number=i,
            body=s.get("body", ""),
            body_label=kinds.BODIES.get(s.get("body", ""), ""),
            actor=s.get("actor", ""),
            action=s.get("action", ""),
            days=int(s.get("days") or 0),
            inputs=tuple(s.get("inputs") or ()),
            outputs=tuple(s.get("outputs") or ()),
            channel=s.get("channel", ""),
            hands_to=s.get("next") or (i + 1 if i < count else None),
        )
        for i, s in enumerate(raw, start=1)
    )
    return Procedure(steps, rules.procedure_days(raw), item.defined_by)


def guide_document(item: CatalogItem, procedure: Procedure, region: Region, *, url: str, today: date) -> Document:
    """The one-page 办事指南 of a duty or assist item: what, why, who does each step, in how long."""
    place = " ".join(r.name for r in region_path(region))
    channels = list(dict.fromkeys(s.channel for s in procedure.steps))
    fields: list[tuple[str, str]] = [
        ("事项", f"{item.code} {item.name}（{kinds.KIND_SHORT[item.kind]}）"),
        ("适用地区", place),
        ("设定依据", item.basis),
        *item_facts(item),
        ("办理时限", f"共 {procedure.working_days} 个工作日（各步骤时限之和）"),
        ("服务渠道", "；".join(channels)),
        ("流程制定", region_name(procedure.defined_by)),
        ("目录版本", f"{item.revision.document}（{item.revision.effective.isoformat()} 施行）"),
    ]
    for s in procedure.steps:
        line = f"{s.action}（{s.days}个工作日）"
        if s.inputs:
            line += f"；收到：{'、'.join(s.inputs)}"
        if s.outputs:
            line += f"；交出：{'、'.join(s.outputs)}"
        line += f"；渠道：{s.channel}"
        line += f"；办完交第{s.hands_to}步" if s.hands_to and s.hands_to != s.number + 1 else ""
        line += "" if s.hands_to else "；办结"
        fields.append((f"第{s.number}步 {s.who}", line))
    paragraphs = []
    if item.is_example:
        paragraphs.append("说明：本条目来自示例目录，正式目录公布后以正式目录为准。")
    return Document(
        title=f"办事指南：{item.name}",
        paragraphs=paragraphs,
        fields=fields,
        qr_url=url,
        qr_caption="扫码查看最新办事指南",
        date_text=f"{today.year}年{today.month}月{today.day}日",
        footer="依据《云南省规范村级组织工作事务、机制牌子和证明事项的若干措施》（一）：明晰制度依据、职责范围、运行流程",
    )
