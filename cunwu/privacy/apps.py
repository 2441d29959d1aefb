from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "cunwu.privacy"
    verbose_name = "个人信息保护"

    def ready(self) -> None:
        from . import storage  # noqa: F401  (connects the SQLite hardening hook)
