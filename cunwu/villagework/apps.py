from django.apps import AppConfig


class VillageworkConfig(AppConfig):
    name = "cunwu.villagework"
    verbose_name = "村级岗位、设施与群众满意度"
