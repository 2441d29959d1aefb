from django.apps import AppConfig


class AdmissionConfig(AppConfig):
    name = "cunwu.admission"
    verbose_name = "准入"
