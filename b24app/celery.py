import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "b24app.settings")

app = Celery("b24app")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
