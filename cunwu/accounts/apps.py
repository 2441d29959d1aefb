from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cunwu.accounts"
    verbose_name = "人员与权限"
