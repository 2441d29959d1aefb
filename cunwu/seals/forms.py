"""Page forms of the seals area: parsing only; the decisions are in rules and services."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings

from cunwu.documents import validate_upload_size
from cunwu.textinput import TextForm

from .choices import Category, MeetingKind, QuorumBasis, SealKind, SealStatus
from .rules import MAX_IMPRESSIONS, MAX_MATTER, MAX_REMARKS

_UPLOAD_HELP = f"PDF、JPEG 或 PNG，最大 {settings.UPLOAD_MAX_BYTES // (1024 * 1024)} MB；系统记录文件的 SHA-256 摘要"


def _choices(form: forms.Form, name: str) -> forms.ChoiceField:
    """A choice field of the form, to fill its choices at run time."""
    return cast(forms.ChoiceField, form.fields[name])


def _people_choices(people: list[Any]) -> list[tuple[int, str]]:
    return [(p.pk, f"{p.display_name or p.username}（{p.username}）") for p in people]


class SealForm(TextForm):
    organisation = forms.TypedChoiceField(label="所属组织", coerce=int)
    kind = forms.ChoiceField(label="印章类别", choices=SealKind.choices)
    name = forms.CharField(label="印章名称（印文）", max_length=64, help_text="与印面文字一致，如“某某村民委员会”")
    scope_of_use = forms.CharField(
        label="用印范围",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="写明该印章可用于哪些事项，范围以外不得使用（十四）",
    )
    custodian = forms.TypedChoiceField(label="保管人", coerce=int, help_text="须在本村担任印章保管人")
    approvers = forms.TypedMultipleChoiceField(
        label="用印审批人",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text="审批人与保管人不得为同一人（十四）",
    )

    def __init__(
        self, *args: Any, organisations: list[Any], custodians: list[Any], approvers: list[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "organisation").choices = [(o.pk, o.name) for o in organisations]
        _choices(self, "custodian").choices = [("", "请选择"), *_people_choices(custodians)]
        _choices(self, "approvers").choices = _people_choices(approvers)


class SealEditForm(TextForm):
    scope_of_use = forms.CharField(label="用印范围", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    approvers = forms.TypedMultipleChoiceField(
        label="用印审批人",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text="审批人与保管人不得为同一人（十四）",
    )

    def __init__(self, *args: Any, approvers: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "approvers").choices = _people_choices(approvers)


class FilingForm(TextForm):
    filed_on = forms.DateField(label="备案日期", widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label="备案编号", max_length=64)


class StatusForm(TextForm):
    status = forms.ChoiceField(label="新状态", choices=SealStatus.choices)
    on = forms.DateField(label="发生日期", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="原因", max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class ResolutionFields(TextForm):
    """A villagers' (representatives') meeting resolution: the scan, the date, the attendance."""

    resolution_file = forms.FileField(
        label="会议决议（扫描件）", help_text=_UPLOAD_HELP, validators=[validate_upload_size]
    )
    meeting_kind = forms.ChoiceField(label="会议类型", choices=MeetingKind.choices)
    basis = forms.ChoiceField(
        label="应到人数口径",
        choices=QuorumBasis.choices,
        help_text="村民会议：十八周岁以上村民过半数，或三分之二以上户的代表参加；村民代表会议：三分之二以上组成人员参加",
    )
    held_on = forms.DateField(label="会议日期", widget=forms.DateInput(attrs={"type": "date"}))
    members_total = forms.IntegerField(label="应到人数（户数）", min_value=1)
    attended = forms.IntegerField(label="实到人数（户数）", min_value=0)
    in_favour = forms.IntegerField(label="同意人数", min_value=0, help_text="须超过实到人数的一半")


class RequestForm(TextForm):
    seal = forms.TypedChoiceField(label="印章", coerce=int)
    category = forms.ChoiceField(label="用印类别", choices=Category.choices)
    matter = forms.CharField(
        label="用印事由",
        max_length=MAX_MATTER,
        help_text="一次申请只写一个事项，不得附带其他事项（搭车）",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    impressions = forms.IntegerField(label="用印次数", min_value=1, max_value=MAX_IMPRESSIONS, initial=1)
    remarks = forms.CharField(
        label="备注", max_length=MAX_REMARKS, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    certificate_serial = forms.CharField(
        label="证明编号（出具证明时填写）",
        max_length=40,
        required=False,
        help_text="本平台开具的证明编号（如 530124103200-2027-000001），用印后证明记录这次用印",
    )
    document = forms.FileField(
        label="需盖章的文件", help_text=_UPLOAD_HELP, required=False, validators=[validate_upload_size]
    )

    def __init__(self, *args: Any, seals: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "seal").choices = [
            ("", "请选择"),
            *[(s.pk, f"{s.region.name} · {s.name}（{s.get_kind_display()}）") for s in seals],
        ]


class DocumentForm(TextForm):
    file = forms.FileField(label="需盖章的文件", help_text=_UPLOAD_HELP, validators=[validate_upload_size])


class ApproveForm(TextForm):
    note = forms.CharField(label="审批意见", max_length=300, required=False)


class RejectForm(TextForm):
    reason = forms.CharField(label="不予批准的理由", max_length=300)


class WithdrawForm(TextForm):
    reason = forms.CharField(label="撤回原因", max_length=300, required=False)


class StampForm(TextForm):
    document_sha256 = forms.ChoiceField(label="所盖文件")
    impressions = forms.IntegerField(label="实际用印次数", min_value=1, max_value=MAX_IMPRESSIONS)

    def __init__(self, *args: Any, documents: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "document_sha256").choices = [
            (d.sha256, f"{d.title}（SHA-256 {d.sha256[:12]}…）") for d in documents
        ]


class HandoverForm(TextForm):
    to_user = forms.TypedChoiceField(label="接收人", coerce=int, help_text="须在本村担任印章保管人")
    witness = forms.TypedChoiceField(label="监交人", coerce=int, help_text="如村务监督委员会成员或乡镇工作人员")
    seals = forms.TypedMultipleChoiceField(label="移交的印章", coerce=int, widget=forms.CheckboxSelectMultiple)
    condition = forms.CharField(label="印章状况", max_length=120, initial="印面完好，无缺损")
    note = forms.CharField(label="移交说明", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, receivers: list[Any], witnesses: list[Any], seals: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "to_user").choices = [("", "请选择"), *_people_choices(receivers)]
        _choices(self, "witness").choices = [("", "请选择"), *_people_choices(witnesses)]
        _choices(self, "seals").choices = [(s.pk, f"{s.name}（{s.get_status_display()}）") for s in seals]


class RefuseForm(TextForm):
    reason = forms.CharField(label="拒收原因", max_length=300)
