"""Page forms of the reporting app (labels and messages in Chinese)."""

from __future__ import annotations

from django import forms

from cunwu.textinput import TextForm

from .models import Frequency


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
