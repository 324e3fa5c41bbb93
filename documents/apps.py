from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "Documents"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Celery's autodiscovery imports `documents.tasks` only; the back-sync keeps its own.
        from .backsync import tasks  # noqa: F401
