"""Page forms of the villagework app: they parse input only; services validate and write."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from cunwu.textinput import TextForm

from . import rules
from .models import ConditionKind, Employment, EstateKind, FundKind, FundStatus, Presence

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
AREA: dict[str, Any] = {"max_digits": 9, "decimal_places": 2, "min_value": 0}


def _required(label: str) -> dict[str, Any]:
    return {"label": label, "error_messages": {"required": f"请填写{label}。", "invalid": f"{label}格式不正确。"}}


class AnswerForm(TextForm):
    """The villager's questionnaire: the code from the paper slip and four marks （五）."""

    code = forms.CharField(
        label="测评码",
        max_length=20,
        help_text="村便民服务窗口或村民小组会上发放的纸条上的 8 位测评码，每个码只能用一次。",
        error_messages={"required": "请填写测评码（在村便民服务窗口或村民小组会上领取的纸条上）。"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "inputmode": "text"}),
    )
    code_fields = ("code",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for q, text in rules.QUESTIONS:
            self.fields[q] = forms.TypedChoiceField(
                label=text,
                choices=rules.MARKS,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": "请选择一项。"},
            )


class SurveyOpenForm(TextForm):
    village = forms.ChoiceField(label="村（社区）", error_messages={"required": "请选择村（社区）。"})
    opens_on = forms.DateField(widget=DATE, **_required("开始日期"))
    closes_on = forms.DateField(widget=DATE, **_required("截止日期"))

    def __init__(self, *args: Any, villages: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["village"]).choices = [(v.code, v.name) for v in villages]


class SettingForm(TextForm):
    min_answers = forms.IntegerField(
        min_value=1,
        max_value=10000,
        help_text="答卷数达到此数后，该村的群众满意得分才计入考评。",
        **_required("计分所需最少答卷数"),
    )


class CodesForm(TextForm):
    count = forms.IntegerField(min_value=1, max_value=rules.MAX_CODES_PER_SHEET, **_required("生成数量"))


class PostForm(TextForm):
    title = forms.CharField(max_length=100, **_required("岗位名称"))
    holder_name = forms.CharField(
        label="在岗人员姓名", max_length=50, required=False, help_text="对外公开时只显示姓氏。"
    )
    employment = forms.ChoiceField(label="专职或兼职", choices=Employment.choices)
    duty_codes = forms.CharField(
        label="整合的清单事项编号",
        max_length=300,
        required=False,
        help_text="履职事项或协助服务事项清单中的编号，用逗号或空格分隔，如 L01, X03。",
    )
    mechanism_ids = forms.MultipleChoiceField(
        label="服务的工作机制", required=False, widget=forms.CheckboxSelectMultiple
    )
    duties_note = forms.CharField(label="岗位职责说明", max_length=500, required=False)
    code_fields = ("duty_codes",)

    def __init__(self, *args: Any, mechanisms: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["mechanism_ids"]).choices = [(str(k), v) for k, v in mechanisms]

    def codes(self) -> list[str]:
        raw = self.cleaned_data.get("duty_codes", "").replace("，", ",").replace("、", ",")
        return [c.strip().upper() for part in raw.split(",") for c in part.split() if c.strip()]


class HolderForm(TextForm):
    post = forms.TypedChoiceField(label="岗位", coerce=int, error_messages={"required": "请选择岗位。"})
    holder_name = forms.CharField(label="现在岗人员姓名", max_length=50, required=False, help_text="留空表示岗位空缺。")
    employment = forms.ChoiceField(label="专职或兼职", choices=Employment.choices)

    def __init__(self, *args: Any, posts: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["post"]).choices = posts


class ConditionForm(TextForm):
    post = forms.TypedChoiceField(label="岗位", coerce=int, error_messages={"required": "请选择岗位。"})
    kind = forms.ChoiceField(label="保障类别", choices=ConditionKind.choices)
    description = forms.CharField(max_length=300, **_required("保障内容"))
    amount = forms.DecimalField(label="金额（元）", max_digits=12, decimal_places=2, min_value=0, required=False)
    guaranteed_on = forms.DateField(widget=DATE, **_required("落实日期"))

    def __init__(self, *args: Any, posts: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["post"]).choices = posts


class FundingForm(TextForm):
    kind = forms.ChoiceField(label="类别", choices=FundKind.choices)
    title = forms.CharField(max_length=200, **_required("名称"))
    source_department = forms.CharField(max_length=64, **_required("来源部门"))
    amount = forms.DecimalField(max_digits=14, decimal_places=2, min_value=0, **_required("金额（元）"))
    year = forms.IntegerField(min_value=2000, max_value=2100, **_required("年度"))
    status = forms.ChoiceField(label="状态", choices=FundStatus.choices)
    adds_area = forms.DecimalField(
        help_text="该项目建成后新增的设施建筑面积，用于计算缺口补齐情况；不增加面积填 0。",
        **AREA,
        **_required("新增设施面积（平方米）"),
    )


class EstateForm(TextForm):
    name = forms.CharField(max_length=100, **_required("小区名称"))
    kind = forms.ChoiceField(label="新建或改建", choices=EstateKind.choices)
    households = forms.IntegerField(
        min_value=1, help_text="按每百户 30 平方米计算应无偿提供的面积。", **_required("规划户数")
    )
    area_built = forms.DecimalField(**AREA, **_required("已建成用房面积（平方米）"))
    area_handed_over = forms.DecimalField(**AREA, **_required("已移交面积（平方米）"))
    handed_over_on = forms.DateField(label="移交日期", required=False, widget=DATE)


class AreaUseForm(TextForm):
    measured_on = forms.DateField(widget=DATE, **_required("测量日期"))
    office_area = forms.DecimalField(**AREA, **_required("办公用房面积（平方米）"))
    residents_area = forms.DecimalField(**AREA, **_required("居民活动区域面积（平方米）"))


class PresenceForm(TextForm):
    kind = forms.ChoiceField(label="类别", choices=Presence.choices)
    name = forms.CharField(
        label="名称", max_length=100, required=False, help_text="选择工作机制时可不填，自动使用登记的机制名称。"
    )
    mechanism_id = forms.TypedChoiceField(label="工作机制", coerce=int, required=False, empty_value=None)
    since = forms.DateField(widget=DATE, **_required("起始日期"))
    until = forms.DateField(label="结束日期", required=False, widget=DATE)

    def __init__(self, *args: Any, mechanisms: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["mechanism_id"]).choices = [("", "（不是工作机制）"), *mechanisms]


class TeamVisitForm(TextForm):
    team = forms.CharField(max_length=100, **_required("服务团队"))
    sent_by = forms.CharField(max_length=64, **_required("派出单位"))
    visit_on = forms.DateField(widget=DATE, **_required("驻村服务日期"))
    services = forms.CharField(max_length=300, **_required("服务内容"))
