from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "cunwu.portal"
    verbose_name = "公开门户"
