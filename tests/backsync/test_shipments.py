from decimal import Decimal

import pytest

from documents.models import Invoice, PortalSettings


@pytest.fixture
def won_on_shipment(backsync):
    portal = backsync[2]
    return PortalSettings.objects.create(portal=portal, stage_after_shipment={"0": "WON"})


@pytest.mark.parametrize("backsync", ["bp30", "ut11"], indirect=True)
def test_it_moves_the_stage_when_two_shipments_cover_the_order(
    backsync, make_invoice, poll, won_on_shipment
):
    b24, onec, _portal, _ = backsync
    invoice = make_invoice("10000.00")
    onec.add_shipment(str(invoice.onec_ref_key), "6000.00")
    poll()
    assert b24.state.deals["1"]["STAGE_ID"] == "NEW"

    onec.add_shipment(str(invoice.onec_ref_key), "4000.00")
    poll()
    poll()

    invoice.refresh_from_db()
    assert invoice.shipped_amount == Decimal("10000.00") and invoice.shipment_complete
    assert b24.state.deals["1"]["STAGE_ID"] == "WON"
    shipped_logs = [e for e in b24.state.deal_timeline("1") if "отгружен" in e.get("title", "")]
    assert len(shipped_logs) == 1


def test_it_does_not_move_the_stage_on_one_partial_shipment(
    backsync, make_invoice, poll, won_on_shipment
):
    b24, onec, _portal, _ = backsync
    invoice = make_invoice("10000.00")
    onec.add_shipment(str(invoice.onec_ref_key), "6000.00")

    poll()

    invoice.refresh_from_db()
    assert invoice.shipped_amount == Decimal("6000.00") and not invoice.shipment_complete
    assert b24.state.deals["1"]["STAGE_ID"] == "NEW"


@pytest.mark.parametrize("backsync", ["ut11"], indirect=True)
def test_it_moves_the_stage_when_the_order_is_closed_in_1c(
    backsync, make_invoice, poll, won_on_shipment
):
    b24, onec, _portal, _ = backsync
    invoice = make_invoice("10000.00")
    onec.close_order(str(invoice.onec_ref_key))

    poll()

    assert b24.state.deals["1"]["STAGE_ID"] == "WON"


def test_it_marks_an_invoice_deleted_in_1c_as_cancelled(backsync, make_invoice, poll):
    _b24, onec, _portal, _ = backsync
    invoice = make_invoice("10000.00")
    onec.delete_document(str(invoice.onec_ref_key))

    poll()

    invoice.refresh_from_db()
    assert invoice.deleted_in_1c
    assert invoice.payment_status == Invoice.PaymentStatus.CANCELLED
