from datetime import timedelta

import pytest
from django.utils import timezone

from documents.models import Payment, PortalSettings
from onec.models import SyncStatus


def test_it_never_runs_two_polls_of_one_portal_at_once(backsync):
    from documents.backsync.services import PollBusy, poll_portal, portal_lock

    portal = backsync[2]
    with portal_lock(portal.pk), pytest.raises(PollBusy):
        poll_portal(portal)


def test_it_polls_a_portal_only_when_its_interval_has_passed(backsync):
    from documents.backsync.tasks import portals_due

    portal = backsync[2]
    PortalSettings.objects.create(portal=portal, payment_poll_minutes=15)
    assert portals_due() == [portal.pk]  # never polled

    SyncStatus.objects.create(
        portal=portal, kind="payments", last_started_at=timezone.now() - timedelta(minutes=5)
    )
    assert portals_due() == []
    assert portals_due(timezone.now() + timedelta(minutes=10)) == [portal.pk]


def test_it_retries_a_report_bitrix24_refused_without_duplicating(backsync, make_invoice, poll):
    b24, onec, _portal, _ = backsync
    invoice = make_invoice("1000.00")
    onec.add_payment(str(invoice.onec_ref_key), "1000.00")
    b24.set_rest_enabled(False)

    poll()
    assert Payment.objects.get(invoice=invoice).reported_at is None

    b24.set_rest_enabled(True)
    poll()
    poll()
    logs = [e for e in b24.state.deal_timeline("1") if e["kind"] == "log"]
    assert len(logs) == 1
