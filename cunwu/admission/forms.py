"""Page forms of the admission area: they parse; services decide (and their errors come back here)."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from cunwu.errors import Invalid
from cunwu.textinput import TextForm

from . import rules
from .models import OffListStatus

DATE = forms.DateInput(attrs={"type": "date"})


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [f for f in files if f]


class RequestForm(TextForm):
    title = forms.CharField(label="标题", max_length=200)
    content = forms.CharField(
        label="工作内容",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20000,
        help_text="写明要村里做什么、怎么做。系统会立即对照清单和（二）（四）（五）（六）的规定筛查。",
    )
    type = forms.ChoiceField(label="事项类型", choices=list(rules.TYPES.items()), initial="task")
    basis = forms.CharField(label="依据（文件、法规）", max_length=500, required=False)
    targets = forms.MultipleChoiceField(
        label="派往区划",
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        help_text="可选整个乡镇（含其全部村、社区）或单个村（社区）。",
    )
    period_start = forms.DateField(label="起始日期", required=False, widget=DATE)
    period_end = forms.DateField(label="结束日期", required=False, widget=DATE)
    deadline = forms.DateField(label="完成时限", widget=DATE)
    pledge = forms.BooleanField(label="要求村里签订责任状（责任书、承诺书）", required=False)
    responsible_body = forms.CharField(
        label="责任主体", max_length=200, required=False, help_text="如：县民政局（村委会协助）"
    )
    evidence = forms.CharField(
        label="完成佐证方式", max_length=500, required=False, help_text="如：实地抽查、群众满意度回访"
    )
    provisions = forms.CharField(label="部门提供的工作条件（经费、培训、设备）", max_length=500, required=False)
    meeting_reason = forms.CharField(
        label="会议：为什么不能以文件、电话通知安排",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    note = forms.CharField(label="修改说明", max_length=500, required=False)
    attachments = MultipleFileField(label="附件（PDF 或图片，最多 5 个）", required=False)

    def __init__(
        self, *args: Any, target_choices: list[tuple[str, str]] | None = None, revising: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["targets"]).choices = target_choices or []
        if not revising:
            del self.fields["note"]

    def add_domain_errors(self, exc: Invalid) -> None:
        for err in exc.errors:
            name = err.field.split(".")[0]
            self.add_error(name if name in self.fields else None, err.message)
        if not exc.errors:
            self.add_error(None, exc.detail)


class DecisionForm(TextForm):
    outcome = forms.ChoiceField(
        label="审查决定",
        choices=[("approve", "准入并统一部署"), ("return", "退回修改"), ("reject", "不予准入")],
        widget=forms.RadioSelect,
    )
    triage = forms.ChoiceField(
        label="分流类别（（三））", choices=[("", "（准入时必选）"), *rules.TRIAGE.items()], required=False
    )
    deployment = forms.CharField(
        label="统一部署文号或说明", max_length=200, required=False, help_text="如：富办通〔2027〕12号"
    )
    service_channel = forms.CharField(
        label="群众办事渠道（（十七））",
        max_length=300,
        required=False,
        help_text="不由村里办、改由乡镇统筹或购买服务的，写明群众到哪里办、怎么办",
    )
    reasons = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000)
    clauses = forms.CharField(
        label="引用条款", required=False, max_length=100, help_text="不予准入时填写，如：（二）（五）"
    )


class AssignmentActForm(TextForm):
    action = forms.ChoiceField(choices=[("acknowledge", "签收"), ("progress", "报告进展"), ("complete", "办结")])
    progress = forms.IntegerField(label="进度（%）", min_value=0, max_value=99, required=False)
    note = forms.CharField(label="说明", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class OffListForm(TextForm):
    department = forms.ChoiceField(label="派出部门", choices=[], required=False)
    department_name = forms.CharField(label="其他部门（不在列表中时填写）", max_length=128, required=False)
    what = forms.CharField(label="交办了什么", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    channel = forms.ChoiceField(label="通过什么渠道", choices=list(rules.CHANNELS.items()))
    received_on = forms.DateField(label="收到日期", widget=DATE)

    def __init__(self, *args: Any, departments: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["department"]).choices = [("", "（请选择）"), *(departments or [])]


class OffListHandleForm(TextForm):
    status = forms.ChoiceField(
        label="核处结论",
        choices=[
            (OffListStatus.CONFIRMED, OffListStatus.CONFIRMED.label),
            (OffListStatus.DISMISSED, OffListStatus.DISMISSED.label),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label="核处意见", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class EvaluationForm(TextForm):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    title = forms.CharField(label="名称", max_length=200)


class IndicatorForm(TextForm):
    name = forms.CharField(label="指标名称", max_length=200)
    description = forms.CharField(label="评价内容", max_length=500, required=False)
    weight = forms.DecimalField(label="权重", min_value=0.01, max_value=100, decimal_places=2)
    evidence = forms.MultipleChoiceField(
        label="评价依据",
        choices=list(rules.EVIDENCE_KINDS.items()),
        widget=forms.CheckboxSelectMultiple,
        help_text="不能只有台账、截图、照片、视频（（五））。",
    )


class ChannelForm(TextForm):
    kind = forms.ChoiceField(label="类别", choices=list(rules.CHANNEL_KINDS.items()))
    name = forms.CharField(label="名称", max_length=128)
    owner = forms.ChoiceField(label="主管部门", choices=[])
    purpose = forms.CharField(label="用途", max_length=300)
    villages = forms.MultipleChoiceField(
        label="涉及的村（社区）", choices=[], widget=forms.SelectMultiple(attrs={"size": 8})
    )

    def __init__(
        self,
        *args: Any,
        owners: list[tuple[str, str]] | None = None,
        villages: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["owner"]).choices = owners or []
        cast(forms.ChoiceField, self.fields["villages"]).choices = villages or []


class ChannelDecideForm(TextForm):
    decision = forms.ChoiceField(label="清理决定", choices=list(rules.CLEANUP.items()))
    merged_into = forms.IntegerField(label="并入（编号）", required=False)
    note = forms.CharField(label="说明", max_length=300, required=False)
    decided_on = forms.DateField(label="决定日期", required=False, widget=DATE)


class RemitForm(TextForm):
    """A department's rural-revitalisation responsibilities and 履职方式 toward villages （一）."""

    responsibilities = forms.CharField(
        label="乡村振兴职责范围",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="本部门在全面推进乡村振兴中承担的职责，如“负责农村低保、特困供养等社会救助的审核确认”",
        error_messages={"required": "请填写乡村振兴职责范围。"},
    )
    own_work = forms.CharField(
        label="本部门自行承担的工作",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="由部门自己办、不交给村（社区）的工作，如审核审批、入户核查、资金发放",
        error_messages={"required": "请填写本部门自行承担的工作。"},
    )
    village_work = forms.CharField(
        label="请村（社区）协助的工作",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="没有则不填；有则写明协助做什么，并在下面选择所依的目录事项",
    )
    items = forms.MultipleChoiceField(
        label="请村协助所依的目录事项",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "所选事项不在本县施行的履职事项、协助服务事项目录中，请重新选择。"},
    )

    def __init__(self, *args: Any, item_names: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.MultipleChoiceField, self.fields["items"])
        field.choices = [(code, f"{code} {name}") for code, name in item_names.items()]

    def add_domain_errors(self, exc: Invalid) -> None:
        for err in exc.errors:
            self.add_error(err.field if err.field in self.fields else None, err.message)
        if not exc.errors:
            self.add_error(None, exc.detail)


class ApprovalForm(TextForm):
    """Recording an approval （二）（五）（六）: the choice pairs a kind with the level that records it."""

    target = forms.ChoiceField(label="类别和登记层级", choices=[])
    number = forms.CharField(label="文号", max_length=100, help_text="如：云发〔2027〕3号")
    title = forms.CharField(label="文件标题", max_length=200)
    issued_on = forms.DateField(label="印发日期", widget=DATE)
    scope = forms.CharField(label="适用范围", max_length=300, help_text="如：全省各村（社区）森林防火责任书")

    def __init__(self, *args: Any, targets: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["target"]).choices = targets or []


class RevokeForm(TextForm):
    reason = forms.CharField(label="撤销理由", max_length=300)


class RoutedForm(TextForm):
    status = forms.ChoiceField(label="状态", choices=[("in_progress", "办理中"), ("done", "已办结")])
    note = forms.CharField(label="进展说明", max_length=500)
    provider = forms.CharField(label="承接主体（购买服务时填写）", max_length=200, required=False)
