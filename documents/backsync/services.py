"""One poll of one portal's 1C: payments, shipments, unallocated payments, under a lock.

1C down or slow: the tick is skipped with the error recorded on SyncStatus (the admin sees it),
nothing is sent to Bitrix24, and the next tick simply starts from the same cursor.
"""

import logging
from contextlib import contextmanager

from django.core.cache import cache
from django.utils import timezone

from b24app.models import Portal
from onec.connector import Connector
from onec.errors import OneCError
from onec.models import SyncStatus
from onec.services import ConnectionMissing, client_for_portal

from .notify import B24Session
from .payments import report_payments, sync_payments
from .shipments import report_shipments, sync_shipments
from .unallocated import report_unallocated

log = logging.getLogger("documents.backsync")

LOCK_SECONDS = 15 * 60  # longer than any sane poll; a crashed worker frees it by expiry


class PollBusy(Exception):
    """Another poll of this portal is running."""


@contextmanager
def portal_lock(portal_id: int, kind: str = "poll"):
    """A cache lock (Redis in production: shared by all workers) so two polls of one portal
    never overlap."""
    key = f"backsync:{kind}:{portal_id}"
    if not cache.add(key, "1", LOCK_SECONDS):
        raise PollBusy(key)
    try:
        yield
    finally:
        cache.delete(key)


def poll_portal(
    portal: Portal, *, connector: Connector | None = None, session: B24Session | None = None
) -> dict:
    """Poll once; returns counts (also stored on SyncStatus). Raises PollBusy if a poll of this
    portal is running, and re-raises a 1C error after recording it (the task decides)."""
    with portal_lock(portal.pk):
        return _poll(portal, connector, session or B24Session(portal))


def _poll(portal: Portal, connector: Connector | None, session: B24Session) -> dict:
    status, _ = SyncStatus.objects.get_or_create(portal=portal, kind=SyncStatus.Kind.PAYMENTS)
    status.last_started_at = timezone.now()
    status.save(update_fields=["last_started_at"])
    cursor = dict(status.cursor or {})
    try:
        c = connector or client_for_portal(portal)
        pay_counts, pay_cursor = sync_payments(portal, c, cursor.get("payments") or {})
        cursor["payments"] = pay_cursor
        # Stored at once: a Bitrix24 failure below must not make us re-read 1C.
        status.cursor = cursor
        status.save(update_fields=["cursor"])
        ship_counts, ship_cursor, closed = sync_shipments(portal, c, cursor.get("shipments") or {})
        cursor["shipments"] = ship_cursor
    except (OneCError, ConnectionMissing) as exc:
        text = exc.log_text() if isinstance(exc, OneCError) else str(exc)
        log.warning("back-sync portal=%s skipped: %s", portal.pk, text)
        status.last_error = getattr(exc, "message_for_user", str(exc))
        status.last_error_at = timezone.now()
        status.save(update_fields=["last_error", "last_error_at"])
        raise
    counts = {**pay_counts, **ship_counts}
    counts["invoices_reported"] = report_payments(portal, session)
    counts["shipments_reported"] = report_shipments(portal, session, closed)
    counts["unallocated_reported"] = report_unallocated(portal, session, c)
    counts["onec_requests"] = c.request_count
    counts["b24_requests"] = session.request_count
    status.cursor = cursor
    status.counts = counts
    status.last_success_at = timezone.now()
    status.last_error = ""
    status.save(update_fields=["cursor", "counts", "last_success_at", "last_error"])
    log.info("back-sync portal=%s %s", portal.pk, counts)
    return counts
