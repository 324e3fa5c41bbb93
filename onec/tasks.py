"""Celery tasks of the 1C connector: load by id, call a service, retry what may pass."""

import logging

from celery import shared_task

from b24app.models import Portal

from .errors import OneCError
from .models import OneCConnection
from .sync import sync_reference_data

log = logging.getLogger("onec.tasks")


@shared_task(bind=True, max_retries=3, acks_late=True)
def refresh_reference_data(self, portal_id: int) -> dict | None:
    portal = Portal.objects.filter(pk=portal_id, status=Portal.Status.ACTIVE).first()
    if portal is None or not OneCConnection.objects.filter(portal=portal).exists():
        return None
    try:
        return sync_reference_data(portal)
    except OneCError as exc:
        if exc.retryable and not self.request.is_eager:
            raise self.retry(exc=exc, countdown=60 * (2**self.request.retries)) from exc
        return None


@shared_task
def refresh_all_reference_data() -> int:
    """Beat entry: one task per active portal that has a 1C connection."""
    portal_ids = list(
        OneCConnection.objects.filter(portal__status=Portal.Status.ACTIVE).values_list(
            "portal_id", flat=True
        )
    )
    for portal_id in portal_ids:
        refresh_reference_data.delay(portal_id)
    return len(portal_ids)
