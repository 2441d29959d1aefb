"""The five catalogs (附件1–5) and the fields each item carries beyond code, name and basis.

Field names are the column names of the official example CSVs and of the public API (DESIGN.md §4).
"""

from __future__ import annotations

from dataclasses import dataclass

DUTY, ASSIST, SIGN, CERT_RETAINED, CERT_FORBIDDEN = "duty", "assist", "sign", "cert_retained", "cert_forbidden"
KINDS = (DUTY, ASSIST, SIGN, CERT_RETAINED, CERT_FORBIDDEN)

KIND_LABELS = {
    DUTY: "村级组织履行职责事项指导目录",
    ASSIST: "村级组织协助服务事项指导目录",
    SIGN: "村级组织保留挂牌指导目录",
    CERT_RETAINED: "保留村级组织出具证明事项指导目录",
    CERT_FORBIDDEN: "不应由村级组织出具证明事项指导目录",
}
KIND_SHORT = {
    DUTY: "履职事项",
    ASSIST: "协助服务事项",
    SIGN: "保留挂牌",
    CERT_RETAINED: "保留证明事项",
    CERT_FORBIDDEN: "不应出具证明事项",
}
KIND_ATTACHMENT = {DUTY: "附件1", ASSIST: "附件2", SIGN: "附件3", CERT_RETAINED: "附件4", CERT_FORBIDDEN: "附件5"}

PLACEMENTS = {"exterior_mark": "外部标识", "gate": "门口标牌", "interior": "内部标牌"}
ALTERNATIVE_KINDS = {
    "license": "法定证照",
    "legal_document": "法定文书",
    "contract": "合同凭证",
    "dept_check": "部门核查",
    "online_check": "网络核验",
    "commitment": "告知承诺",
    "written_notice": "书面告知",
    "other_material": "其他材料涵盖",
}
CHANGES = {"立": "立（新设）", "改": "改（修改）", "废": "废（废止）", "释": "释（解释）"}


@dataclass(frozen=True)
class FieldSpec:
    """One kind-specific field: its key (CSV column), Chinese header, and how it is typed."""

    key: str
    header: str
    required: bool = False
    type: str = "text"  # text | list | int | choice
    choices: tuple[str, ...] = ()
    help: str = ""


COMMON_FIELDS = (
    FieldSpec("code", "编码", True, help="本目录内唯一，如 D01、R05；细化上级事项时填写上级事项编码"),
    FieldSpec("name", "事项名称", True),
    FieldSpec("aliases", "别名", type="list", help="群众常用说法，多个用 | 或顿号分隔"),
    FieldSpec("basis", "设定依据", True, help="法律法规、党内法规或政策文件名称及条款"),
    FieldSpec("source", "来源", help="本条目出处，如正式目录文号及序号"),
)

KIND_FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    DUTY: (
        FieldSpec("category", "类别"),
        FieldSpec("scope", "职责范围", True),
        FieldSpec("department", "业务指导部门"),
    ),
    ASSIST: (
        FieldSpec("category", "类别"),
        FieldSpec("department", "协助的部门", True),
        FieldSpec("conditions", "部门提供的工作条件", True, help="经费、培训、设备等（三）"),
    ),
    SIGN: (
        FieldSpec(
            "placement",
            "悬挂位置",
            True,
            "choice",
            tuple(PLACEMENTS),
            "exterior_mark 外部标识 / gate 门口标牌 / interior 内部标牌",
        ),
        FieldSpec("max_count", "最多块数", True, "int", help="正整数"),
        FieldSpec("style", "式样"),
    ),
    CERT_RETAINED: (
        FieldSpec("requesting_agency", "索要单位", True),
        FieldSpec("materials", "所需材料", type="list", help="多个用 | 或顿号分隔"),
        FieldSpec("guide", "办事指南"),
    ),
    CERT_FORBIDDEN: (
        FieldSpec(
            "alternative_kind",
            "替代方式类别",
            True,
            "choice",
            tuple(ALTERNATIVE_KINDS),
            "license/legal_document/contract/dept_check/online_check/commitment/written_notice/other_material",
        ),
        FieldSpec("alternative_agency", "替代办理机构", True),
        FieldSpec("alternative_text", "群众怎么办", True),
    ),
}


# 运行流程 （一）: the steps of a duty or assist item, who acts, in how many working days, with what.
# Stored in a statement's fields as a list of steps; in spreadsheets one step per line (rules.procedure_text).
PROCEDURE_KINDS = (DUTY, ASSIST)
PROCEDURE = FieldSpec(
    "procedure",
    "运行流程",
    type="procedure",
    help=(
        "每行一个步骤：办理主体｜办什么｜时限（工作日）｜收到的材料｜交出的材料｜服务渠道［｜交给第几步］；"
        "办理主体写“村：承办人”“乡镇：承办机构”或“部门：部门名称”；不填“交给”即交给下一步，最后一步办结"
    ),
)
BODIES = {"village": "村（社区）", "township": "乡镇（街道）", "department": "部门"}


def all_fields(kind: str) -> tuple[FieldSpec, ...]:
    return COMMON_FIELDS + KIND_FIELDS[kind] + ((PROCEDURE,) if kind in PROCEDURE_KINDS else ())


def has_category(kind: str) -> bool:
    return any(f.key == "category" for f in KIND_FIELDS[kind])


# What one row of an import or one statement does to an item in the importing region.
OPS = {"set": "设立或修改", "withdraw": "取消"}
# Words officials write in the 操作 column, mapped to the statement's op.
OP_WORDS = {
    "": "set",
    "set": "set",
    "设立": "set",
    "新增": "set",
    "新设": "set",
    "增加": "set",
    "保留": "set",
    "细化": "set",
    "修改": "set",
    "调整": "set",
    "设立或修改": "set",
    "withdraw": "withdraw",
    "取消": "withdraw",
    "废止": "withdraw",
    "删除": "withdraw",
    "撤销": "withdraw",
}
# Label shown for a kind's choice field value (placement, alternative kind).
CHOICE_LABELS = {"placement": PLACEMENTS, "alternative_kind": ALTERNATIVE_KINDS}


def field_label(key: str, value: object) -> str:
    """A kind field's value as people read it: choice keys become their Chinese labels."""
    labels = CHOICE_LABELS.get(key)
    if labels is not None:
        return labels.get(str(value), str(value or ""))
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    return "" if value is None else str(value)
