from django.apps import AppConfig


class SealsConfig(AppConfig):
    name = "cunwu.seals"
    verbose_name = "印章"
