from django.apps import AppConfig
from django.conf import settings


class CatalogsConfig(AppConfig):
    name = "cunwu.catalogs"
    verbose_name = "清单"

    def ready(self) -> None:
        from cunwu.matching import segment

        # jieba builds its dictionary once per process (~0.6 s): do it at start-up, never in a request.
        segment.initialize(str(settings.VAR_DIR / "jieba"))
