from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cunwu.accounts"
    verbose_name = "人员与权限"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 - connects django-axes' lock-out signal
