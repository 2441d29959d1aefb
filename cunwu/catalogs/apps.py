from django.apps import AppConfig


class CatalogsConfig(AppConfig):
    name = "cunwu.catalogs"
    verbose_name = "清单"
