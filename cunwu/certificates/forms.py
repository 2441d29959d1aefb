"""Page forms of the certificates app. Services re-check everything; forms shape the input."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms

from cunwu.errors import Invalid
from cunwu.textinput import TextForm

from . import rules
from .models import CaseAction, CaseStatus, Outcome, Status

_TEXTAREA = {"rows": 3}


class IntakeForm(TextForm):
    """受理：申请人身份、要开的证明（原话）、用途、索要单位和依据、材料（十二）."""

    applicant_name = forms.CharField(label="申请人姓名", max_length=64)
    applicant_id_number = forms.CharField(
        label="申请人身份证号码", max_length=18, help_text="18 位，最后一位可以是 X；系统会检查校验位。"
    )
    applicant_phone = forms.CharField(label="联系电话", max_length=20, required=False)
    request_text = forms.CharField(
        label="要开什么证明（申请人原话）",
        widget=forms.Textarea(attrs=_TEXTAREA),
        max_length=rules.MAX_TEXT,
        help_text="照申请人的说法写，例如“派出所让我开居住证明”。系统会对照证明事项目录初步判断。",
    )
    purpose = forms.CharField(
        label="用途", max_length=rules.MAX_PURPOSE, help_text="例如：办理居住证、申请助学金。将印在证明上（仅用于……）。"
    )
    requesting_agency = forms.CharField(
        label="索要单位", max_length=rules.MAX_AGENCY, required=False, help_text="哪个单位要求提供这份证明。"
    )
    agency_basis = forms.CharField(
        label="索要单位说明的依据",
        max_length=rules.MAX_BASIS,
        required=False,
        help_text="索要单位引用的法规或文件（如有）。",
    )
    by_proxy = forms.BooleanField(label="委托他人代办", required=False)
    agent_name = forms.CharField(label="代办人姓名", max_length=64, required=False)
    agent_id_number = forms.CharField(label="代办人身份证号码", max_length=18, required=False)
    agent_phone = forms.CharField(label="代办人电话", max_length=20, required=False)

    def __init__(self, *args: Any, public: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if public:
            self.fields["applicant_name"].label = "您的姓名"
            self.fields["applicant_id_number"].label = "您的身份证号码"
            self.fields["applicant_phone"].label = "联系电话（用于通知办理结果）"
            self.fields["applicant_phone"].required = True
            self.fields["request_text"].label = "您要开什么证明"
            self.fields["request_text"].help_text = "用您自己的话写，例如“派出所让我开居住证明”。"

    def answers(self) -> dict[str, Any]:
        """The cleaned answers keyed as `services.application_receive` takes them (desk and online alike)."""
        return {name: self.cleaned_data[name] for name in self.fields}


def add_errors(form: forms.Form, exc: Invalid, skip: Iterable[str] = ()) -> None:
    """Put a service's field errors next to the matching inputs; `skip` names inputs shown elsewhere
    (file inputs, whose errors the template prints itself)."""
    if not exc.errors:
        form.add_error(None, exc.detail)
        return
    for err in exc.errors:
        name = err.field.split(".")[0]
        if name in skip:
            continue
        if name in form.fields:
            form.add_error(name, err.message)
        else:
            form.add_error(None, err.message)


ACTIONS = [(rules.ISSUE, "拟出具，报主要负责人签字"), (rules.REFUSE, "不予出具，出具告知书")]


class DecisionForm(TextForm):
    action = forms.ChoiceField(label="审查决定", choices=ACTIONS, widget=forms.RadioSelect)
    item_code = forms.CharField(label="证明事项", required=False, max_length=32)
    materials_checked = forms.MultipleChoiceField(
        label="已核验的材料", required=False, widget=forms.CheckboxSelectMultiple
    )
    verification_method = forms.CharField(
        label="核实方式",
        required=False,
        widget=forms.Textarea(attrs=_TEXTAREA),
        help_text="如何核实：入户走访、查阅村档案、询问村民小组长等。",
    )
    verified_facts = forms.CharField(
        label="经核实的事实",
        required=False,
        widget=forms.Textarea(attrs=_TEXTAREA),
        help_text="只写核实过的内容；将印在证明上。",
    )
    validity_days = forms.IntegerField(
        label="有效期（天）",
        required=False,
        min_value=1,
        max_value=rules.MAX_VALIDITY_DAYS,
        help_text="不填则按式样；式样未规定则长期有效。",
    )
    refusal_ground = forms.ChoiceField(label="不予出具的理由", required=False)
    note = forms.CharField(
        label="具体说明",
        required=False,
        widget=forms.Textarea(attrs=_TEXTAREA),
        help_text="将写入告知书，例如可以用哪种证照或核查方式证明。",
    )
    major_matter = forms.BooleanField(label="涉及重大问题（十三）", required=False)
    investigation_record = forms.CharField(label="调查核实记录", required=False, widget=forms.Textarea(attrs=_TEXTAREA))
    meeting_resolution = forms.CharField(
        label="村民会议或村民代表会议决定",
        required=False,
        widget=forms.Textarea(attrs=_TEXTAREA),
        help_text="会议名称、日期、到会人数和决定内容。",
    )
    legal_risk = forms.BooleanField(label="存在法律风险（十三）", required=False)
    lawyer_review = forms.CharField(
        label="律师等专业力量的评估意见",
        required=False,
        widget=forms.Textarea(attrs=_TEXTAREA),
        help_text="评估人、所在机构和评估结论。",
    )

    def __init__(
        self, *args: Any, materials: list[str] | None = None, grounds: list[str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        materials_field = self.fields["materials_checked"]
        ground_field = self.fields["refusal_ground"]
        assert isinstance(materials_field, forms.MultipleChoiceField) and isinstance(ground_field, forms.ChoiceField)
        materials_field.choices = [(m, m) for m in materials or []]
        ground_field.choices = [("", "（请选择）")] + [
            (g, f"{rules.GROUNDS[g].label}{rules.GROUNDS[g].clause}") for g in grounds or []
        ]


class NoteForm(TextForm):
    note = forms.CharField(label="退回原因", max_length=500, widget=forms.Textarea(attrs=_TEXTAREA))


class WithdrawForm(TextForm):
    reason = forms.CharField(label="撤回原因", max_length=200)


class RevokeForm(TextForm):
    reason = forms.CharField(
        label="撤销原因",
        max_length=300,
        widget=forms.Textarea(attrs=_TEXTAREA),
        help_text="核验页面会向查验人显示撤销日期和原因。",
    )


class PrintForm(TextForm):
    reason = forms.CharField(
        label="补打原因", max_length=200, required=False, help_text="原件丢失、污损等；首次打印可不填。"
    )


class CaseCloseForm(TextForm):
    action = forms.ChoiceField(label="处理方式", choices=[("", "（请选择）"), *CaseAction.choices])
    result = forms.CharField(
        label="处理情况",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="与哪个单位沟通、对方如何答复、群众如何办理。",
    )


class TemplateForm(TextForm):
    item_code = forms.CharField(
        label="证明事项编码",
        max_length=32,
        help_text="保留证明事项目录中的编码（如 R05）；目录外事项的通用式样填 UNLISTED。",
    )
    requesting_agency = forms.CharField(label="索要单位", max_length=128)
    title = forms.CharField(label="证明标题", max_length=100)
    body = forms.CharField(label="正文式样", widget=forms.Textarea(attrs={"rows": 8}), max_length=4000)
    validity_days = forms.IntegerField(
        label="有效期（天）", required=False, min_value=1, max_value=rules.MAX_VALIDITY_DAYS
    )
    region = forms.CharField(
        label="适用范围（区划代码）",
        max_length=12,
        required=False,
        help_text="县级或以上区划代码；不填则为您所在的区划。",
    )


class RegisterFilterForm(TextForm):
    status = forms.ChoiceField(
        label="结果",
        required=False,
        choices=[
            ("", "全部"),
            (Status.ISSUED, "已出具"),
            ("revoked", "已撤销"),
            (Status.REFUSED, "不予出具"),
            (Status.RECEIVED, "待审查"),
            (Status.PENDING, "待签字"),
        ],
    )
    outcome = forms.ChoiceField(label="事项类别", required=False, choices=[("", "全部"), *Outcome.choices])
    item = forms.CharField(label="事项", required=False, max_length=100)
    agency = forms.CharField(label="索要单位", required=False, max_length=128)
    region = forms.CharField(label="区划代码", required=False, max_length=12)
    q = forms.CharField(
        label="编号或姓名",
        required=False,
        max_length=64,
        help_text="受理号、证明编号、告知书编号；姓名或身份证号须完整填写。",
    )
    since = forms.DateField(label="受理日期从", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="至", required=False, widget=forms.DateInput(attrs={"type": "date"}))


class CaseFilterForm(TextForm):
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *CaseStatus.choices])


class StatusLookupForm(TextForm):
    receipt_number = forms.CharField(label="受理号", max_length=32)
    village = forms.CharField(label="村（社区）区划代码", max_length=12, help_text="受理回执上的 12 位代码。")
    id_number = forms.CharField(label="申请人身份证号码", max_length=18)
