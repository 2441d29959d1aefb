from django.apps import AppConfig
from django.conf import settings


class CatalogsConfig(AppConfig):
    name = "cunwu.catalogs"
    verbose_name = "清单"

    def ready(self) -> None:
        from cunwu.matching import segment

        # Only where jieba caches its dictionary; the web server loads it at start-up (cunwu/wsgi.py).
        segment.configure(str(settings.VAR_DIR / "jieba"))
