"""Input parsing for catalog pages and the API: dates, region codes, kinds, the import and item forms."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from django import forms
from django.utils import timezone

from cunwu.documents import validate_upload_size
from cunwu.errors import FieldError, Invalid, NotFound
from cunwu.regions import codes
from cunwu.textinput import TextForm

from . import kinds
from .selectors import region_cached
from .triage import MAX_TEXT

if TYPE_CHECKING:
    from cunwu.regions.models import Region

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATE_MESSAGE = "日期格式应为 YYYY-MM-DD，例如 2027-03-01。"


def parse_day(value: str | None, field: str = "at") -> date:
    """A YYYY-MM-DD query value; blank means today (Asia/Shanghai); anything else is 422 at `field`."""
    text = (value or "").strip()
    if not text:
        return timezone.localdate()
    if not _DAY.match(text):
        raise Invalid(f"{field}：{DATE_MESSAGE}", [FieldError(field, DATE_MESSAGE)])
    try:
        return date.fromisoformat(text)
    except ValueError:
        message = f"日期“{text}”不存在，请检查年、月、日。"
        raise Invalid(f"{field}：{message}", [FieldError(field, message)]) from None


def region_param(code: str | None, field: str = "region", *, default: str = codes.PROVINCE_CODE) -> Region:
    """A region from a code parameter: blank → the province; malformed → 422 at `field`; unknown → 404."""
    code = (code or "").strip() or default
    try:
        return region_cached(code)
    except Invalid as exc:
        raise Invalid(exc.detail, [FieldError(field, exc.detail)], code=exc.code) from None


def kind_param(kind: str) -> str:
    if kind not in kinds.KINDS:
        raise NotFound(f"没有名为“{kind}”的目录。可选：{'、'.join(kinds.KINDS)}。", "unknown_kind")
    return kind


CHANGE_CHOICES = [(k, v) for k, v in kinds.CHANGES.items()]


class RevisionHeaderForm(TextForm):
    """What every revision records （二）（十一）: the level, the catalog, why, the document and the date."""

    region = forms.ChoiceField(label="制定层级", help_text="本次调整由哪一级制定（省、州市或县市区）")
    kind = forms.ChoiceField(
        label="目录", choices=[(k, f"{kinds.KIND_ATTACHMENT[k]} {kinds.KIND_LABELS[k]}") for k in kinds.KINDS]
    )
    change = forms.ChoiceField(label="调整类型", choices=CHANGE_CHOICES, help_text="依据法律法规和政策的立、改、废、释")
    document = forms.CharField(label="文号", max_length=128, help_text="如“富政办发〔2027〕12号”")
    effective = forms.DateField(
        label="施行日期",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="批准后自该日起生效并公开",
        error_messages={"invalid": DATE_MESSAGE, "required": "请填写施行日期。"},
    )
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)

    def __init__(self, *args: object, regions: list[Region], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.regions = {r.code: r for r in regions}
        region_field = self.fields["region"]
        assert isinstance(region_field, forms.ChoiceField)
        region_field.choices = [(r.code, f"{r.name}（{r.code}）") for r in regions]
        for name, message in (("document", "请填写引起本次调整的文件文号。"), ("region", "请选择制定层级。")):
            self.fields[name].error_messages["required"] = message
        self.fields["region"].error_messages["invalid_choice"] = "该层级不存在或不在您的编辑范围内。"


class ImportForm(RevisionHeaderForm):
    file = forms.FileField(
        label="目录表格",
        help_text="按模板填写的 .xlsx，或 UTF-8、GBK 编码的 .csv",
        validators=[validate_upload_size],
        error_messages={"required": "请选择要上传的表格文件。", "empty": "上传的文件是空的。"},
    )


class ItemForm(RevisionHeaderForm):
    """One item set at a level: a local item, or a local wording that replaces a parent item （一）（十一）."""

    code = forms.CharField(
        label="编码", max_length=32, help_text="细化上级事项时沿用上级事项的编码；本地新增事项用新编码，如 FM-R01"
    )
    name = forms.CharField(label="事项名称", max_length=200)
    aliases = forms.CharField(
        label="别名", required=False, max_length=2000, help_text="群众常用说法，多个用 | 或顿号分隔"
    )
    basis = forms.CharField(
        label="设定依据",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        help_text="法律法规、党内法规或政策文件名称及条款（十一）",
    )
    source = forms.CharField(label="来源", required=False, max_length=4000, help_text="本条出处，如本级目录文号及序号")
    reason = forms.CharField(label="调整理由", required=False, max_length=4000)
    where_now = forms.CharField(
        label="群众今后到哪里办理",
        required=False,
        max_length=200,
        help_text="村里不再承担后，群众到哪个部门、在哪里办理（十七），会在公开页面上告诉群众",
    )

    def __init__(self, *args: object, kind: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        del self.fields["kind"]
        if kind not in (kinds.DUTY, kinds.ASSIST):
            del self.fields["where_now"]
        self.catalog_kind = kind
        for spec in kinds.KIND_FIELDS[kind]:
            label = spec.header
            if spec.type == "choice":
                choices = [("", "请选择"), *kinds.CHOICE_LABELS[spec.key].items()]
                field: forms.Field = forms.ChoiceField(label=label, choices=choices, required=spec.required)
            elif spec.type == "int":
                field = forms.IntegerField(label=label, min_value=1, max_value=10_000, required=spec.required)
            else:
                field = forms.CharField(label=label, required=spec.required, max_length=4000, help_text=spec.help)
            field.error_messages["required"] = f"“{label}”不能为空。"
            self.fields[spec.key] = field
        if kind in kinds.PROCEDURE_KINDS:
            self.fields["procedure"] = forms.CharField(
                label="运行流程",
                required=False,
                max_length=8000,
                widget=forms.Textarea(attrs={"rows": 6}),
                help_text=(
                    "每行一个步骤，如“【1】村：村民委员会｜受理申请并入户核实｜3｜申请书、户口簿｜入户调查表｜村便民服务站”；"
                    "依次为办理主体（村、乡镇或部门）、办什么、时限（工作日）、收到的材料、交出的材料、服务渠道，"
                    "默认交给下一步，需要时末尾加“｜交给的步骤序号”（一）"
                ),
            )
        self.fields["name"].error_messages["required"] = "“事项名称”不能为空。"
        self.fields["code"].error_messages["required"] = "“编码”不能为空。"
        self.fields["basis"].error_messages["required"] = "“设定依据”不能为空。每个事项都应列明设定依据（十一）。"


class WithdrawForm(RevisionHeaderForm):
    """The withdrawal of an item in a level's region, always with its basis."""

    basis = forms.CharField(
        label="取消依据",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        help_text="废止或修改的法律法规、政策文件及条款",
        error_messages={"required": "取消事项也须写明依据（废止或修改的法律法规、政策文件）。"},
    )
    reason = forms.CharField(label="调整理由", required=False, max_length=4000)
    where_now = forms.CharField(
        label="群众今后到哪里办理",
        required=False,
        max_length=200,
        help_text="村里不再承担后，群众到哪个部门、在哪里办理（十七），会在公开页面上告诉群众",
    )

    def __init__(self, *args: object, kind: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        del self.fields["kind"]
        if kind not in (kinds.DUTY, kinds.ASSIST):
            del self.fields["where_now"]
        self.catalog_kind = kind


class TriageForm(TextForm):
    text = forms.CharField(
        label="要开什么证明？",
        max_length=MAX_TEXT,
        widget=forms.Textarea(
            attrs={"rows": 3, "placeholder": "例如：派出所让我到村里开亲属关系证明", "maxlength": MAX_TEXT}
        ),
        help_text="用自己的话说就行，比如谁让开、开来做什么。",
        error_messages={
            "required": "请写一写要开什么证明，例如“亲属关系证明”或“派出所让我开居住证明”。",
            "max_length": f"内容过长，请控制在 {MAX_TEXT} 字以内，写明要开什么证明即可。",
        },
    )
