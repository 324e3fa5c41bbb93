import contextlib
import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "b24app.settings")

app = Celery("b24app")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def _warm_pdf_converter(**kwargs):
    """Start this worker process's LibreOffice server now (~5 s), not on the first document."""
    from django.conf import settings

    if getattr(settings, "WARM_PDF_CONVERTER", True):
        from documents.converter import ConversionError, get_converter

        # A failure here is reported when a document is converted.
        with contextlib.suppress(ConversionError):
            get_converter().start()
