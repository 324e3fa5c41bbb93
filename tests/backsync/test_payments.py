from decimal import Decimal

import pytest

from documents.models import Invoice, Payment, PortalSettings


def _deal_logs(b24, deal_id="1"):
    return [e for e in b24.state.deal_timeline(deal_id) if e["kind"] == "log"]


def test_it_shows_a_full_payment_as_paid_after_one_poll(backsync, make_invoice, poll):
    b24, onec, _portal, _ = backsync
    invoice = make_invoice("12000.00")
    onec.add_payment(str(invoice.onec_ref_key), "12000.00", date="2026-02-03T09:00:00")

    poll()

    invoice.refresh_from_db()
    assert invoice.payment_status == Invoice.PaymentStatus.PAID
    assert invoice.paid_amount == Decimal("12000.00")
    assert str(invoice.last_paid_at) == "2026-02-03"
    logs = _deal_logs(b24)
    assert len(logs) == 1 and "Оплачен" in logs[0]["title"]
    assert "12 000,00" in logs[0]["text"]
    notes = [n for n in b24.state.notifications if n["user_id"] == "2"]
    assert len(notes) == 1 and "Оплачен" in notes[0]["message"]


@pytest.mark.parametrize("backsync", ["bp30", "ut11"], indirect=True)
def test_it_shows_a_partial_payment_as_paid_in_part(backsync, make_invoice, poll):
    b24, onec, _portal, _ = backsync
    invoice = make_invoice("10000.00")
    onec.add_payment(str(invoice.onec_ref_key), "4000.00")

    poll()

    invoice.refresh_from_db()
    assert invoice.payment_status == Invoice.PaymentStatus.PARTIAL
    assert invoice.paid_amount == Decimal("4000.00")
    assert "частично" in _deal_logs(b24)[0]["title"]


def test_it_reports_each_payment_once_across_repeated_polls(backsync, make_invoice, poll):
    b24, onec, portal, _ = backsync
    invoice = make_invoice("10000.00")
    onec.add_payment(str(invoice.onec_ref_key), "3000.00")
    poll()
    poll()
    onec.add_payment(str(invoice.onec_ref_key), "7000.00")
    poll()
    poll()

    invoice.refresh_from_db()
    assert invoice.payment_status == Invoice.PaymentStatus.PAID
    assert len(_deal_logs(b24)) == 2
    assert b24.stats.batch_commands["im.notify.system.add"] == 2
    assert Payment.objects.filter(portal=portal).count() == 2


def test_it_catches_a_payment_entered_late_with_an_earlier_date(backsync, make_invoice, poll):
    _b24, onec, _portal, _ = backsync
    first, second = make_invoice("100.00"), make_invoice("200.00", deal_id="3")
    onec.add_payment(str(first.onec_ref_key), "100.00", date="2026-02-05T12:00:00")
    poll()
    onec.add_payment(str(second.onec_ref_key), "200.00", date="2026-02-04T12:00:00")
    poll()

    second.refresh_from_db()
    assert second.payment_status == Invoice.PaymentStatus.PAID


def test_it_splits_one_payment_across_two_invoices(backsync, make_invoice, poll):
    _b24, onec, _portal, _ = backsync
    a, b = make_invoice("1000.00"), make_invoice("500.00", deal_id="3")
    ref = onec.add_payment(str(a.onec_ref_key), "1500.00")
    doc = onec.store.data["Document_ПоступлениеНаРасчетныйСчет"][ref]
    doc["РасшифровкаПлатежа"] = [
        {**doc["РасшифровкаПлатежа"][0], "СуммаПлатежа": 1000},
        {
            **doc["РасшифровкаПлатежа"][0],
            "LineNumber": "2",
            "СчетНаОплату_Key": str(b.onec_ref_key),
            "СуммаПлатежа": 500,
        },
    ]

    poll()

    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.payment_status, a.paid_amount) == ("paid", Decimal("1000.00"))
    assert (b.payment_status, b.paid_amount) == ("paid", Decimal("500.00"))


def test_it_takes_an_overpayment_as_paid_and_moves_the_stage(backsync, make_invoice, poll):
    b24, onec, portal, _ = backsync
    PortalSettings.objects.create(portal=portal, stage_after_payment={"0": "EXECUTING"})
    invoice = make_invoice("1000.00")
    onec.add_payment(str(invoice.onec_ref_key), "1500.00")

    poll()

    invoice.refresh_from_db()
    assert invoice.payment_status == Invoice.PaymentStatus.PAID
    assert invoice.paid_amount == Decimal("1500.00")
    assert b24.state.deals["1"]["STAGE_ID"] == "EXECUTING"


def test_it_skips_the_tick_when_1c_is_down_and_catches_up_later(backsync, make_invoice, poll):
    from onec.models import SyncStatus

    b24, onec, portal, _ = backsync
    invoice = make_invoice("1000.00")
    onec.add_payment(str(invoice.onec_ref_key), "1000.00")
    onec.knobs.down = True

    assert poll() is None
    status = SyncStatus.objects.get(portal=portal, kind="payments")
    assert status.last_error and status.last_success_at is None
    assert b24.state.notifications == [] and _deal_logs(b24) == []

    onec.knobs.down = False
    poll()
    status.refresh_from_db()
    assert status.last_error == "" and status.last_success_at is not None
    assert len(_deal_logs(b24)) == 1


def test_it_survives_a_deal_deleted_in_bitrix24(backsync, make_invoice, poll):
    b24, onec, portal, _ = backsync
    PortalSettings.objects.create(portal=portal, stage_after_payment={"0": "EXECUTING"})
    invoice = make_invoice("1000.00", deal_id="1")
    del b24.state.deals["1"]
    onec.add_payment(str(invoice.onec_ref_key), "1000.00")

    poll()
    poll()

    invoice.refresh_from_db()
    assert invoice.payment_status == Invoice.PaymentStatus.PAID
    assert Payment.objects.get(invoice=invoice).reported_at is not None
    assert b24.stats.batch_commands["im.notify.system.add"] == 1
