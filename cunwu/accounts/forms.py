from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from cunwu.documents import validate_upload_size
from cunwu.regions import codes
from cunwu.textinput import CleanTextMixin, TextForm

from .permissions import Role


class LoginForm(CleanTextMixin, AuthenticationForm):
    username = forms.CharField(
        label="用户名", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True})
    )
    password = forms.CharField(
        label="密码", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    error_messages = {
        "invalid_login": "用户名或密码不正确。连续输错多次账号将被暂时锁定。",
        "inactive": "该账号已停用，请联系上级管理员。",
    }


class UserCreateForm(TextForm):
    username = forms.CharField(label="用户名", max_length=150, help_text="登录用，字母、数字或 @.+-_")
    display_name = forms.CharField(label="姓名", max_length=64)
    phone = forms.CharField(label="手机号", max_length=20, required=False)
    role = forms.ChoiceField(label="角色", choices=Role.choices)
    region = forms.CharField(label="所在区划代码", max_length=12, help_text="12位统计用区划代码")
    organisation = forms.IntegerField(label="所属部门（部门工作人员必选）", required=False, widget=forms.Select)
    password = forms.CharField(
        label="初始密码", widget=forms.PasswordInput, help_text="至少10位，不能全为数字；本人首次登录后须修改"
    )

    def __init__(self, *args: Any, grantable: set[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if grantable is not None:
            # Offer only the roles this administrator may grant; the service checks again.
            choices = [(value, label) for value, label in Role.choices if value in grantable]
            cast(forms.ChoiceField, self.fields["role"]).choices = choices

    def clean_region(self) -> str:
        value = self.cleaned_data["region"].strip()
        problem = codes.code_problem(value)
        if problem:
            raise forms.ValidationError(problem)
        return value


class HandOverForm(TextForm):
    successor = forms.CharField(label="接任人用户名", max_length=150, required=False, help_text="留空则仅结束原任职")
    reason = forms.CharField(label="交接原因", max_length=100, initial="换届")


class ImportForm(TextForm):
    file = forms.FileField(label="表格文件（xlsx 或 csv）", validators=[validate_upload_size])


class OtpForm(TextForm):
    otp = forms.CharField(
        label="动态口令",
        max_length=12,
        help_text="手机验证器（如腾讯身份验证器、Google Authenticator）上显示的6位数字",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )
