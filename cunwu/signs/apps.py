from django.apps import AppConfig


class SignsConfig(AppConfig):
    name = "cunwu.signs"
    verbose_name = "机制牌子"
