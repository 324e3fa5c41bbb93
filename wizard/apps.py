from django.apps import AppConfig


class WizardConfig(AppConfig):
    name = "wizard"
    verbose_name = "Manager's wizard"
    default_auto_field = "django.db.models.BigAutoField"
