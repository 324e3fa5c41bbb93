"""Every operation against the sandbox over HTTP, for BP 3.0 and UT 11 alike (`onec_any`)."""

from datetime import date
from decimal import Decimal

import pytest

from b24app.deal_context import BankDetails, ClientKind, Party
from documents.money import VatRate
from onec import operations as ops
from onec.connector import Connector
from onec.errors import OneCUnavailable
from onec.odata import ODataClient
from onec.operations.types import InvoiceLine, PaymentStatus
from sandbox.demo_data import CLIENTS, DEMO_LOGIN, DEMO_PASSWORD, LEGAL_ENTITIES

from .helpers import LoseResponseSession


def _party(key: str) -> Party:
    data = next(c for c in CLIENTS if c["key"] == key)
    bank = data["bank"]
    return Party(
        kind=ClientKind(data["kind"]),
        short_name=data["short_name"],
        full_name=data["full_name"],
        inn=data["inn"],
        kpp=data["kpp"],
        ogrn=data["ogrn"],
        bank=BankDetails(
            bik=bank["bik"],
            account=bank["account"],
            bank_name=bank["bank_name"],
            corr_account=bank["corr_account"],
        )
        if bank
        else None,
    )


def _romashka(c: Connector):
    return next(o for o in ops.list_organizations(c) if o.inn == LEGAL_ENTITIES[0]["inn"])


def _invoice(c: Connector, key: str = "job-1", party: str = "roga"):
    org = _romashka(c)
    cp = ops.find_or_create_counterparty(c, _party(party))
    contract = ops.find_or_create_contract(
        c, counterparty=cp, organization_ref=org.ref_key, number="Д-7", date=date(2026, 2, 1)
    )
    items = ops.nomenclature_by_articles(c, ["RM-001", "CONS-1"])
    lines = [
        InvoiceLine(items["RM-001"].ref_key, Decimal("2"), Decimal("12000.00"), VatRate.VAT22),
        InvoiceLine(items["CONS-1"].ref_key, Decimal("1.5"), Decimal("5000.00"), VatRate.NONE),
    ]
    invoice = ops.create_invoice(
        c,
        idempotency_key=key,
        organization_ref=org.ref_key,
        counterparty=cp,
        contract_ref=contract.ref_key,
        bank_account_ref=org.accounts[0].ref_key,
        lines=lines,
    )
    return invoice, cp


def test_it_finds_the_live_counterparty_among_a_deleted_duplicate_and_folders(onec_any):
    sb, c = onec_any
    vector = _party("vector")
    found = ops.find_counterparty(c, vector.inn, vector.kpp)
    assert found is not None
    row = sb.get(c.spec.counterparties, found.ref_key)
    assert row["DeletionMark"] is False and not row.get("IsFolder")
    assert ops.find_counterparty(c, vector.inn, "999901001") is None


def test_it_creates_a_counterparty_with_its_bank_account_once(onec_any):
    sb, c = onec_any
    party = _party("roga")
    created = ops.find_or_create_counterparty(c, party)
    again = ops.find_or_create_counterparty(c, party)
    assert created.created and not again.created
    assert again.ref_key == created.ref_key
    assert len(sb.find(c.spec.counterparties, ИНН=party.inn)) == 1
    row = sb.get(c.spec.counterparties, created.ref_key)
    assert row["РегистрационныйНомер"] == party.ogrn
    assert row["Description"] == party.short_name
    accounts = sb.find(c.spec.counterparty_accounts, НомерСчета=party.bank.account)
    assert len(accounts) == 1
    bank = sb.get(c.spec.banks, accounts[0]["Банк_Key"])
    assert bank["Code"] == party.bank.bik
    if c.spec.partners:
        assert sb.get(c.spec.partners, created.partner_ref) is not None


def test_it_lists_our_organizations_with_bank_accounts(onec_any):
    _, c = onec_any
    orgs = {o.inn: o for o in ops.list_organizations(c)}
    assert set(orgs) == {e["inn"] for e in LEGAL_ENTITIES}
    for entity in LEGAL_ENTITIES:
        org = orgs[entity["inn"]]
        assert [a.account for a in org.accounts] == [entity["bank"]["account"]]
        assert org.accounts[0].bik == entity["bank"]["bik"]
    assert (
        orgs[LEGAL_ENTITIES[0]["inn"]].signatory("Руководитель").name
        == "Смирнов Алексей Викторович"
    )
    assert orgs[LEGAL_ENTITIES[2]["inn"]].is_sole_trader


def test_it_finds_or_creates_the_sales_contract_once(onec_any):
    sb, c = onec_any
    org = _romashka(c)
    cp = ops.find_or_create_counterparty(c, _party("roga"))
    first = ops.find_or_create_contract(
        c,
        counterparty=cp,
        organization_ref=org.ref_key,
        number="Д-2026/015",
        date=date(2026, 3, 1),
        valid_until=date(2026, 12, 31),
    )
    second = ops.find_or_create_contract(
        c, counterparty=cp, organization_ref=org.ref_key, number="Д-2026/015", date=date(2026, 3, 1)
    )
    assert first.created and not second.created and first.ref_key == second.ref_key
    assert first.valid_until == date(2026, 12, 31)
    assert len(sb.find(c.spec.contracts, Номер="Д-2026/015")) == 1


def test_it_reads_nomenclature_by_article_with_unit_vat_and_price(onec_any):
    _, c = onec_any
    items = ops.nomenclature_by_articles(c, ["RM-003", "BK-100", "CONS-1", "OLD-1", "NO-1C-9"])
    assert set(items) == {"RM-003", "BK-100", "CONS-1"}
    assert items["RM-003"].price == Decimal("4999.99")
    assert items["RM-003"].unit == "шт"
    assert items["BK-100"].vat_rate is VatRate.VAT10
    assert items["CONS-1"].vat_rate is VatRate.NONE
    assert items["CONS-1"].is_service


def test_it_finds_a_1c_user_by_work_email(onec_any):
    _, c = onec_any
    user = ops.user_by_email(c, "Kuznetsov@Romashka.test")
    assert user is not None and user.name == "Кузнецов Олег"
    assert ops.user_by_email(c, "nobody@romashka.test") is None


def test_it_creates_and_posts_the_invoice_with_a_printed_number(onec_any):
    sb, c = onec_any
    invoice, _ = _invoice(c)
    row = sb.get(c.spec.invoice, invoice.ref_key)
    assert row["Posted"] is True and invoice.posted
    assert invoice.number == invoice.raw_number.split("-")[-1].lstrip("0")
    assert [r["LineNumber"] for r in row["Товары"]] == ["1", "2"]
    assert Decimal(str(row["Товары"][0]["Сумма"])) == Decimal("24000")
    assert Decimal(str(row["Товары"][0]["СуммаНДС"])) == Decimal("4327.87")
    assert invoice.total == Decimal("31500")


def test_it_finds_the_invoice_on_a_retry_after_the_response_was_lost(onec_any):
    sb, c = onec_any
    lossy = Connector(
        odata=ODataClient(
            sb.url, DEMO_LOGIN, DEMO_PASSWORD, session=LoseResponseSession("POST", c.spec.invoice)
        ),
        printer=c.printer,
        spec=c.spec,
    )
    with pytest.raises(OneCUnavailable):
        _invoice(lossy, key="job-42")
    invoice, _ = _invoice(lossy, key="job-42")
    assert not invoice.created and invoice.posted
    assert len(sb.find(c.spec.invoice, Комментарий="docs1c:job-42")) == 1


def test_it_reads_payments_status_and_shipments_of_an_invoice(onec_any):
    sb, c = onec_any
    invoice, cp = _invoice(c)
    assert ops.payment_status(c, invoice.ref_key, cp.ref_key, invoice.total)[0] == (
        PaymentStatus.UNPAID
    )
    sb.add_payment(invoice.ref_key, "10000.00")
    status, paid = ops.payment_status(c, invoice.ref_key, cp.ref_key, invoice.total)
    assert (status, paid) == (PaymentStatus.PARTIAL, Decimal("10000"))
    sb.add_payment(invoice.ref_key, "21500.00")
    status, paid = ops.payment_status(c, invoice.ref_key, cp.ref_key, invoice.total)
    assert (status, paid) == (PaymentStatus.PAID, Decimal("31500"))
    assert len(ops.payments_for_invoice(c, invoice.ref_key, cp.ref_key)) == 2
    sb.add_shipment(invoice.ref_key, "31500.00")
    shipments = ops.shipments_for_invoice(c, invoice.ref_key, cp.ref_key)
    assert [s.amount for s in shipments] == [Decimal("31500")]


def test_it_polls_payments_incrementally_by_cursor(onec_any):
    sb, c = onec_any
    invoice, cp = _invoice(c)
    first = sb.add_payment(invoice.ref_key, "100.00", date="2026-03-01T10:00:00")
    second = sb.add_payment(invoice.ref_key, "200.00", date="2026-03-01T10:00:00")
    payments, cursor = ops.payments_since(c, None)
    assert {first, second} <= {p.ref_key for p in payments}
    assert ops.payments_since(c, cursor)[0] == []
    third = sb.add_unallocated_payment(cp.ref_key, "300.00", date="2026-03-02T09:00:00")
    payments, newer = ops.payments_since(c, cursor)
    assert [p.ref_key for p in payments] == [third]
    assert payments[0].unallocated == Decimal("300")
    assert ops.payments_since(c, newer)[0] == []


def test_it_moves_past_a_second_holding_more_payments_than_a_page(onec_any):
    """A bank statement imported at once: many payments share one timestamp."""
    sb, c = onec_any
    invoice, _cp = _invoice(c)
    crowded = {
        sb.add_payment(invoice.ref_key, "10.00", date="2026-03-01T10:00:00") for _ in range(70)
    }
    later = sb.add_payment(invoice.ref_key, "20.00", date="2026-03-01T11:00:00")
    seen, cursor = [], None
    for _ in range(40):
        page, cursor = ops.payments_since(c, cursor, limit=3)
        if not page:
            break
        seen.extend(p.ref_key for p in page)
    assert sorted(seen) == sorted({*crowded, later})  # each once, none missed, not stuck


def test_it_misses_no_payment_when_a_page_ends_inside_a_second(onec_any):
    sb, c = onec_any
    invoice, _cp = _invoice(c)
    refs = {sb.add_payment(invoice.ref_key, "1.00", date="2026-03-01T09:00:00")}
    refs |= {sb.add_payment(invoice.ref_key, "2.00", date="2026-03-01T10:00:00") for _ in range(70)}
    seen, cursor = [], None
    for _ in range(80):
        page, cursor = ops.payments_since(c, cursor, limit=2)
        if not page:
            break
        seen.extend(p.ref_key for p in page)
    assert sorted(seen) == sorted(refs)
