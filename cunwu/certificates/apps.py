from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "cunwu.certificates"
    verbose_name = "证明事项"
