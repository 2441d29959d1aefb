from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "cunwu.certificates"
    verbose_name = "证明事项"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the key-encryption check)
