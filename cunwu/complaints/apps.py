from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "cunwu.complaints"
    verbose_name = "举报与通报曝光"
