from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "cunwu.ledger"
    verbose_name = "存证链"
