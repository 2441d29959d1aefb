"""Page forms of the signs app: they parse input only; services validate and write."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from cunwu.documents import validate_upload_size
from cunwu.textinput import TextForm

from .models import MechanismBasis, MechanismKind, MechanismStatus, Placement, RemovalReason, Zone

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PHOTO_HELP = "JPEG、PNG 或 WebP 图片；上传后自动缩小并清除拍摄地点等信息。"


def photo_field(label: str = "照片", required: bool = False, help_text: str = PHOTO_HELP) -> forms.FileField:
    return forms.FileField(
        label=label,
        required=required,
        help_text=help_text,
        validators=[validate_upload_size],
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        error_messages={"required": "请上传照片。"},
    )


class SignForm(TextForm):
    name = forms.CharField(
        label="牌子名称（按牌子上实际书写的文字）", max_length=100, error_messages={"required": "请填写牌子名称。"}
    )
    placement = forms.ChoiceField(
        label="悬挂位置",
        choices=[("", "请选择"), *Placement.choices],
        error_messages={"required": "请选择悬挂位置。"},
        help_text="外部标识：综合服务设施醒目位置；门口标牌：大院门口或办公楼门厅外；内部标牌：设施内部。",
    )
    size = forms.CharField(label="尺寸", max_length=40, required=False, help_text="如 60×200 厘米")
    material = forms.CharField(label="材质", max_length=40, required=False, help_text="如 不锈钢、铝塑板、木质")
    put_up_by = forms.CharField(
        label="制作或悬挂单位", max_length=64, required=False, help_text="如 县民政局、乡镇统一制作"
    )
    put_up_on = forms.DateField(label="悬挂日期", required=False, widget=DATE)
    photo = photo_field()


class RemoveForm(TextForm):
    removed_on = forms.DateField(label="摘除日期", widget=DATE, error_messages={"required": "请填写摘除日期。"})
    reason = forms.ChoiceField(
        label="摘除原因", choices=[(v, lbl) for v, lbl in RemovalReason.choices if v != RemovalReason.REPLACE]
    )
    note = forms.CharField(label="说明", max_length=200, required=False)
    photo = photo_field("摘除后的现场照片", help_text="清理行动中必须上传。" + PHOTO_HELP)


class FacilityForm(TextForm):
    building_area = forms.DecimalField(
        label="建筑面积（平方米）", max_digits=9, decimal_places=2, error_messages={"required": "请填写建筑面积。"}
    )
    households = forms.IntegerField(label="服务户数", error_messages={"required": "请填写服务户数。"})
    open_plan = forms.BooleanField(label="推行开放式办公", required=False)
    one_stop = forms.BooleanField(label="公共服务事项在设施内一站式办理", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for zone in Zone:
            self.fields[zone.value] = forms.DecimalField(
                label=f"{zone.label}（平方米）", max_digits=9, decimal_places=2, required=False, min_value=None
            )

    def zone_fields(self) -> list[Any]:
        return [self[z.value] for z in Zone]


class MechanismForm(TextForm):
    name = forms.CharField(label="机制名称", max_length=100, error_messages={"required": "请填写机制名称。"})
    kind = forms.ChoiceField(label="类别", choices=MechanismKind.choices)
    department = forms.CharField(label="设立部门", max_length=64, error_messages={"required": "请填写设立部门。"})
    basis_kind = forms.ChoiceField(
        label="设立依据类别",
        choices=[("", "请选择"), *MechanismBasis.choices],
        error_messages={"required": "请选择设立依据类别。"},
    )
    basis = forms.CharField(label="依据文件及条款", max_length=200, required=False)
    approval = forms.TypedChoiceField(label="关联省级批准", required=False, coerce=int, empty_value=None)
    approval_reference = forms.CharField(
        label="批准文号", max_length=100, required=False, help_text="经省委和省政府同意的，填写批准文号"
    )
    dedicated_posts = forms.IntegerField(label="要求的专人专岗数", min_value=0, initial=0, required=False)
    in_facility = forms.BooleanField(label="在综合服务设施内集中办公", required=False, initial=True)

    def __init__(self, *args: Any, approvals: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        approval = self.fields["approval"]
        assert isinstance(approval, forms.ChoiceField)
        approval.choices = [
            ("", "（无）"),
            *[(a.pk, f"{a.name}（{a.approval_reference}）") for a in approvals],
        ]


class MechanismEndForm(TextForm):
    status = forms.ChoiceField(
        label="处理方式", choices=[(v, lbl) for v, lbl in MechanismStatus.choices if v != MechanismStatus.ACTIVE]
    )
    ended_on = forms.DateField(label="日期", widget=DATE, error_messages={"required": "请填写日期。"})
    note = forms.CharField(
        label="说明", max_length=200, required=False, help_text="如 并入村级综合服务站，由“大岗位”承担"
    )


class RequestForm(TextForm):
    name = forms.CharField(label="名称", max_length=100, error_messages={"required": "请填写名称。"})
    placement = forms.ChoiceField(label="悬挂位置", choices=[("", "请选择"), *Placement.choices], required=False)
    style = forms.CharField(label="式样（尺寸、材质、颜色）", max_length=200, required=False)
    department = forms.CharField(
        label="提出的党政群机构", max_length=64, error_messages={"required": "请填写提出的党政群机构。"}
    )
    basis = forms.CharField(
        label="依据（法律法规或文件名称及条款）",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请写明依据。"},
    )
    reason = forms.CharField(label="协商论证情况", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    dedicated_posts = forms.IntegerField(label="要求的专人专岗数", min_value=0, initial=0, required=False)
    admission_reference = forms.CharField(
        label="准入审查编号", max_length=64, required=False, help_text="部门经村级事务准入提出的，填写准入编号"
    )


class ReviewForm(TextForm):
    action = forms.ChoiceField(
        label="审查结论", choices=[("forward", "审查通过，报省审批"), ("return", "退回")], widget=forms.RadioSelect
    )
    note = forms.CharField(label="审查意见", max_length=300, required=False)


class DecideForm(TextForm):
    action = forms.ChoiceField(
        label="审批结论", choices=[("approve", "批准"), ("reject", "不予批准")], widget=forms.RadioSelect
    )
    approval_reference = forms.CharField(label="批准文号", max_length=100, required=False)
    note = forms.CharField(label="审批意见", max_length=300, required=False)


class RevokeForm(TextForm):
    reason = forms.CharField(label="撤销理由", max_length=300, error_messages={"required": "请写明撤销理由。"})


class CampaignForm(TextForm):
    # Required-ness is checked by the service, so every problem is reported at once.
    title = forms.CharField(label="行动名称", max_length=100, required=False)
    deadline = forms.DateField(label="完成期限", widget=DATE, required=False)
    note = forms.CharField(label="工作要求", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class BatchForm(TextForm):
    title = forms.CharField(label="批次名称", max_length=100, error_messages={"required": "请填写批次名称。"})
    codes = forms.MultipleChoiceField(
        label="统一制作的标牌", widget=forms.CheckboxSelectMultiple, error_messages={"required": "请选择标牌。"}
    )
    made_by = forms.CharField(label="制作单位", max_length=64, error_messages={"required": "请填写制作单位。"})
    planned_on = forms.DateField(label="计划完成日期", widget=DATE, error_messages={"required": "请填写计划完成日期。"})
    township = forms.ChoiceField(label="范围", required=False)

    def __init__(self, *args: Any, catalog: Sequence[Any] = (), townships: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        codes, township = self.fields["codes"], self.fields["township"]
        assert isinstance(codes, forms.ChoiceField) and isinstance(township, forms.ChoiceField)
        codes.choices = [(c.code, f"{c.code} {c.name}") for c in catalog]
        township.choices = [("", "全县"), *[(t.code, t.name) for t in townships]]


class TaskForm(TextForm):
    done_on = forms.DateField(label="完成日期", widget=DATE, error_messages={"required": "请填写完成日期。"})
    placement = forms.ChoiceField(
        label="调整后的悬挂位置", choices=[("", "请选择"), *Placement.choices], required=False
    )
    name = forms.CharField(label="新牌子上的文字", max_length=100, required=False)
    size = forms.CharField(label="尺寸", max_length=40, required=False)
    material = forms.CharField(label="材质", max_length=40, required=False)
    note = forms.CharField(label="说明", max_length=200, required=False)
    photo = photo_field("现场照片", help_text="摘除、合并须上传摘除后的照片。" + PHOTO_HELP)
