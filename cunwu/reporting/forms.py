"""Page forms of the reporting app (labels and messages in Chinese)."""

from __future__ import annotations

import re
from typing import Any, cast

from django import forms

from cunwu.textinput import TextForm

from .models import ElementType, Frequency, Rollup


class RequestForm(TextForm):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    title = forms.CharField(label="表名", max_length=200)
    purpose = forms.CharField(label="数据用途", widget=forms.Textarea(attrs={"rows": 2}))
    basis = forms.CharField(
        label="依据（法律法规或政策文件）", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    frequency = forms.ChoiceField(label="填报频次", choices=Frequency.choices)
    file = forms.FileField(
        label="上传本部门原表（xlsx、xls 或 csv）",
        required=False,
        help_text="系统会识别表头、单位和数据项，并提示其他部门已经采集的数据项。",
    )
    lines = forms.CharField(
        label="或逐行填写数据项（每行一个，如：低保户数（户））",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not data.get("file") and not (data.get("lines") or "").strip():
            raise forms.ValidationError("请上传原表，或逐行填写需要村级填报的数据项。")
        return data


class ReasonForm(TextForm):
    reason = forms.CharField(label="理由", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class ElementForm(TextForm):
    """A data element of the county's dictionary (数据项), as county staff edit it."""

    code = forms.CharField(label="代码", max_length=32)
    name = forms.CharField(label="名称", max_length=128)
    synonyms = forms.CharField(
        label="同义名称",
        required=False,
        help_text="各部门表里对同一数据的其他叫法，每行一个，如：户籍总人口。",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    type = forms.ChoiceField(label="类型", choices=ElementType.choices)
    unit = forms.CharField(label="单位", max_length=16, required=False, help_text="如 户、人、万元、亩；文字类不填。")
    definition = forms.CharField(label="定义（统计口径）", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    department_id = forms.TypedChoiceField(label="所属部门", coerce=int)
    min_value = forms.DecimalField(label="下限", required=False, max_digits=18, decimal_places=4)
    max_value = forms.DecimalField(label="上限", required=False, max_digits=18, decimal_places=4)
    rollup = forms.ChoiceField(
        label="汇总方式", choices=Rollup.choices, help_text="按月填报的数据项汇总成季度、年度时怎样取值。"
    )

    def __init__(self, *args: Any, departments: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["department_id"]).choices = departments

    def clean_synonyms(self) -> list[str]:
        raw = self.cleaned_data.get("synonyms") or ""
        found: list[str] = []
        for word in re.split(r"[\n\r、，,;；]+", raw):
            word = word.strip()
            if word and word not in found:
                found.append(word)
        if any(len(w) > 64 for w in found):
            raise forms.ValidationError("每个同义名称不超过 64 个字。")
        return found
