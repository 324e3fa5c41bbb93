"""Celery tasks of the back-sync: each loads by id and calls a service.

Beat runs `poll_all_portals` every minute; it fans out only to portals whose
`payment_poll_minutes` have passed since their last poll started.
"""

import logging
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from b24app.client import B24Error
from b24app.models import Portal
from documents.models import PortalSettings
from onec.errors import OneCError
from onec.models import OneCConnection, SyncStatus

from . import catalog_push as catalog_push_service
from . import employees as employees_service
from .services import PollBusy
from .services import poll_portal as poll_portal_service

log = logging.getLogger("documents.backsync")

DEFAULT_POLL_MINUTES = 5


def _active_portal(portal_id: int) -> Portal | None:
    return Portal.objects.filter(pk=portal_id, status=Portal.Status.ACTIVE).first()


def portals_due(now=None) -> list[int]:
    """Active portals with a 1C connection whose poll interval has passed."""
    now = now or timezone.now()
    portal_ids = OneCConnection.objects.filter(portal__status=Portal.Status.ACTIVE).values_list(
        "portal_id", flat=True
    )
    minutes = dict(PortalSettings.objects.values_list("portal_id", "payment_poll_minutes"))
    started = dict(
        SyncStatus.objects.filter(kind=SyncStatus.Kind.PAYMENTS).values_list(
            "portal_id", "last_started_at"
        )
    )
    due = []
    for portal_id in portal_ids:
        every = timedelta(minutes=max(1, minutes.get(portal_id) or DEFAULT_POLL_MINUTES))
        last = started.get(portal_id)
        # Half a minute of slack: beat ticks are not exactly a minute apart.
        if last is None or now - last >= every - timedelta(seconds=30):
            due.append(portal_id)
    return due


@shared_task
def poll_all_portals() -> int:
    due = portals_due()
    for portal_id in due:
        poll_portal.delay(portal_id)
    return len(due)


@shared_task(acks_late=True)
def poll_portal(portal_id: int) -> dict | None:
    # No Celery retry on a 1C failure: the next beat tick is the retry, so a down 1C costs one
    # request per interval, never a storm.
    portal = _active_portal(portal_id)
    if portal is None:
        return None
    try:
        return poll_portal_service(portal)
    except PollBusy:
        log.info("back-sync portal=%s: previous poll still running", portal_id)
    except OneCError:
        pass  # recorded on SyncStatus by the service
    return None


@shared_task(bind=True, max_retries=3, acks_late=True)
def push_catalog(self, portal_id: int) -> dict | None:
    portal = _active_portal(portal_id)
    if portal is None:
        return None
    try:
        return catalog_push_service.push_catalog(portal)
    except B24Error as exc:
        if exc.retryable and not self.request.is_eager:
            raise self.retry(exc=exc, countdown=60 * (2**self.request.retries)) from exc
    except PollBusy:
        pass
    return None


@shared_task
def match_employees(portal_id: int) -> dict | None:
    portal = _active_portal(portal_id)
    if portal is None:
        return None
    try:
        return employees_service.match_employees(portal)
    except B24Error as exc:
        log.warning("employee matching portal=%s failed: %s", portal_id, exc.code)
    return None


@shared_task
def sync_catalog_and_employees_all() -> int:
    """Beat entry, after the 1C reference sync: match Bitrix24 users to 1C users by e-mail,
    bring known clients' 1C contracts into the library, and push the catalog to Bitrix24 where
    the admin turned it on."""
    portal_ids = list(
        OneCConnection.objects.filter(portal__status=Portal.Status.ACTIVE).values_list(
            "portal_id", flat=True
        )
    )
    pushing = set(
        PortalSettings.objects.filter(
            portal_id__in=portal_ids, push_catalog_to_b24=True
        ).values_list("portal_id", flat=True)
    )
    for portal_id in portal_ids:
        match_employees.delay(portal_id)
        import_onec_contracts.delay(portal_id)
        if portal_id in pushing:
            push_catalog.delay(portal_id)
    return len(portal_ids)


@shared_task
def import_onec_contracts(portal_id: int) -> int | None:
    """Existing 1C contracts of known clients into the library; 1C down: next tick."""
    from documents.library_sync import import_onec_contracts as import_contracts

    portal = _active_portal(portal_id)
    if portal is None:
        return None
    try:
        return import_contracts(portal)
    except OneCError as exc:
        log.warning("1C contracts import portal=%s failed: %s", portal_id, exc.code)
        return None
