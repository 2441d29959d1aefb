from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "cunwu.reporting"
    verbose_name = "填表报数"
