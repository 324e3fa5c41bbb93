from django.apps import AppConfig


class OnecConfig(AppConfig):
    name = "onec"
    verbose_name = "1C connector"
    default_auto_field = "django.db.models.BigAutoField"
