from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "cunwu.audit"
    verbose_name = "操作日志"
