from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "cunwu.oversight"
    verbose_name = "监督"
