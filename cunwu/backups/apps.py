from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "cunwu.backups"
    verbose_name = "备份与恢复"
