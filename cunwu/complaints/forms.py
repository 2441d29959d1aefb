"""Page forms of the complaints app: they parse input only; services validate and write."""

from __future__ import annotations

from typing import Any

from django import forms

from cunwu.textinput import TextForm

from . import rules
from .models import Category, Decision, Finding

CATEGORY_CHOICES = [("", "请选择"), *Category.choices]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern); the service checks each one's bytes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return super().clean(data, initial)


class ComplaintForm(TextForm):
    category = forms.ChoiceField(
        label="反映什么问题", choices=CATEGORY_CHOICES, error_messages={"required": "请选择举报类别。"}
    )
    region = forms.CharField(
        label="涉及的地方（区划代码）",
        max_length=32,
        help_text="用上面的选择框逐级选到村（社区）、乡镇或县，也可以直接填 12 位区划代码。",
        error_messages={"required": "请选择涉及的地方。"},
    )
    subject = forms.CharField(
        label="涉及的部门、单位或事项",
        max_length=rules.SUBJECT_MAX,
        required=False,
        help_text="例如：县某某局、某某证明；不知道可以不填。",
    )
    text = forms.CharField(
        label="具体情况",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=rules.TEXT_MAX * 20,  # the service gives the clear message at 2000
        help_text=f"什么时间、谁、要求村里或您做什么（最多 {rules.TEXT_MAX} 字）。",
        error_messages={"required": "请填写具体情况。"},
        strip=False,
    )
    photos = MultipleFileField(
        label="照片（可选，最多 5 张）",
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp", "multiple": True}),
        help_text="上传后自动缩小，并清除拍摄时间、地点等信息。",
    )
    anonymous = forms.TypedChoiceField(
        label="是否匿名",
        choices=[("1", "匿名举报"), ("0", "实名举报（可以回访）")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        initial="1",
    )
    contact_name = forms.CharField(label="姓名（实名时填写）", max_length=64, required=False)
    contact_phone = forms.CharField(label="联系电话（实名时填写）", max_length=32, required=False)
    item = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)
    refusal = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)
    source = forms.CharField(required=False, widget=forms.HiddenInput, max_length=16)


class TrackForm(TextForm):
    code = forms.CharField(
        label="查询码",
        max_length=40,
        help_text="举报回执上的查询码，形如 JB-7K3M9Q2XA4TD。",
        error_messages={"required": "请填写查询码。"},
    )


class QuestionForm(TextForm):
    code = forms.CharField(widget=forms.HiddenInput, max_length=40)
    text = forms.CharField(
        label="补充情况或追问",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=rules.QUESTION_MAX * 20,
        error_messages={"required": "请填写补充或追问的内容。"},
    )


class ReasonForm(TextForm):
    reason = forms.CharField(
        label="理由",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": "请填写理由。"},
    )


class ConcludeForm(TextForm):
    finding = forms.ChoiceField(
        label="核查结论", choices=[("", "请选择"), *Finding.choices], error_messages={"required": "请选择核查结论。"}
    )
    outcome = forms.CharField(
        label="办理结果（反映人可见）",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=rules.OUTCOME_MAX * 5,
        error_messages={"required": "请填写办理结果。"},
    )


class NoteForm(TextForm):
    note = forms.CharField(
        label="说明",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": "请填写说明。"},
    )
    public = forms.BooleanField(label="反映人可见（不勾选则仅办理单位可见）", required=False)


class CallbackForm(TextForm):
    note = forms.CharField(
        label="回访情况",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": "请填写回访情况。"},
    )
    satisfied = forms.TypedChoiceField(
        label="反映人是否满意",
        choices=[("", "未表态"), ("1", "满意"), ("0", "不满意")],
        coerce=lambda v: v == "1",
        empty_value=None,
        required=False,
    )


class AnswerForm(TextForm):
    answer = forms.CharField(
        label="答复",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
        error_messages={"required": "请填写答复。"},
    )


class CaseForm(TextForm):
    title = forms.CharField(label="标题", max_length=100, error_messages={"required": "请填写标题。"})
    department = forms.CharField(
        label="涉及部门或单位", max_length=128, error_messages={"required": "请填写涉及部门或单位。"}
    )
    clause = forms.ChoiceField(label="违反条款", choices=[("", "请选择"), *[(c, c) for c in rules.CLAUSES]])
    summary = forms.CharField(
        label="案情摘要（不得出现个人姓名、身份证号、电话）",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "请填写案情摘要。"},
    )
    action_taken = forms.CharField(
        label="处理结果", widget=forms.Textarea(attrs={"rows": 3}), error_messages={"required": "请填写处理结果。"}
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)


class DocumentForm(TextForm):
    county = forms.ChoiceField(label="适用的县（市、区）")
    title = forms.CharField(label="文件名称", max_length=200, error_messages={"required": "请填写文件名称。"})
    issuer = forms.CharField(label="制发部门", max_length=128, error_messages={"required": "请填写制发部门。"})
    reference = forms.CharField(label="文号", max_length=64, required=False)
    file = forms.FileField(
        label="上传文件（docx 或 pdf）",
        required=False,
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".docx,.pdf,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        ),
    )
    text = forms.CharField(
        label="或粘贴文件正文", widget=forms.Textarea(attrs={"rows": 8}), required=False, strip=False
    )

    def __init__(self, *args: object, counties: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["county"].choices = counties  # type: ignore[attr-defined]


class DecideForm(TextForm):
    decision = forms.ChoiceField(
        label="处理", choices=[("", "请选择"), *Decision.choices], error_messages={"required": "请选择处理方式。"}
    )
    basis = forms.CharField(label="依据或说明", max_length=500, error_messages={"required": "请写明依据或说明。"})
