"""Public page: the facility area standard of （七）, for anyone planning or checking a building."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cunwu.textinput import TextForm
from cunwu.throttling import RateLimited, check_rate

from . import rules


class StandardForm(TextForm):
    households = forms.IntegerField(
        label="服务户数", error_messages={"required": "请填写服务户数。", "invalid": "服务户数应为整数。"}
    )
    building_area = forms.DecimalField(
        label="建筑面积（平方米）",
        max_digits=9,
        decimal_places=2,
        error_messages={"required": "请填写建筑面积。", "invalid": "建筑面积应为数字。"},
    )

    def clean_households(self) -> int:
        value = self.cleaned_data["households"]
        if value < 1:
            raise forms.ValidationError("服务户数至少为 1 户。")
        return value

    def clean_building_area(self) -> float:
        value = self.cleaned_data["building_area"]
        if value <= 0:
            raise forms.ValidationError("建筑面积应大于 0 平方米。")
        return float(value)


def facility_standard(request: HttpRequest) -> HttpResponse:
    """村级综合服务设施面积标准测算 （七）: GET form, no data kept."""
    form = StandardForm(request.GET or None)
    result = None
    status = 200
    if request.GET:
        try:
            check_rate(request, "public")
        except RateLimited as exc:
            return render(
                request, "signs/public_standard.html", {"form": StandardForm(), "rate_error": exc.detail}, status=429
            )
        if form.is_valid():
            result = rules.check_facility_area(form.cleaned_data["households"], form.cleaned_data["building_area"])
        else:
            status = 422
    return render(request, "signs/public_standard.html", {"form": form, "result": result}, status=status)
