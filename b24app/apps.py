from django.apps import AppConfig


class B24AppConfig(AppConfig):
    name = "b24app"
    verbose_name = "Bitrix24 application"
    default_auto_field = "django.db.models.BigAutoField"
