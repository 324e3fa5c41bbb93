"""1C HTTP requests and time for find-or-create counterparty + contract + invoice + post + two
print forms, against the BP and UT sandboxes started in-process (`make bench` runs `run()`)."""

import time
from datetime import date
from decimal import Decimal


def _scenario(profile: str) -> str:
    from b24app.deal_context import BankDetails, Party
    from onec import operations as ops
    from onec.connector import Connector
    from onec.operations.types import InvoiceLine
    from sandbox.demo_data import CLIENTS, DEMO_LOGIN, DEMO_PASSWORD
    from sandbox.onec import create_app
    from sandbox.server import SandboxServer

    sb = create_app(profile=profile, seed=True)
    server = SandboxServer(sb).start()
    try:
        base = f"{server.url}/demo/"
        c = Connector.open(
            base_url=base, username=DEMO_LOGIN, password=DEMO_PASSWORD, profile=profile
        )
        org = ops.list_organizations(c)[0]
        items = ops.nomenclature_by_articles(c, ["RM-001", "RM-002", "SRV-010"])
        client = next(x for x in CLIENTS if x["key"] == "roga")
        party = Party(
            short_name=client["short_name"],
            full_name=client["full_name"],
            inn=client["inn"],
            kpp=client["kpp"],
            ogrn=client["ogrn"],
            bank=BankDetails(
                bik=client["bank"]["bik"],
                account=client["bank"]["account"],
                bank_name=client["bank"]["bank_name"],
            ),
        )
        lines = [
            InvoiceLine(i.ref_key, Decimal(1), i.price or Decimal(1), i.vat_rate)
            for i in items.values()
        ]
        # A fresh connector: count only the scenario's requests, not the set-up reads above.
        c = Connector.open(
            base_url=base, username=DEMO_LOGIN, password=DEMO_PASSWORD, profile=profile
        )
        started = time.perf_counter()
        cp = ops.find_or_create_counterparty(c, party)
        contract = ops.find_or_create_contract(
            c, counterparty=cp, organization_ref=org.ref_key, number="B-1", date=date(2026, 2, 1)
        )
        invoice = ops.create_invoice(
            c,
            idempotency_key="bench-1",
            organization_ref=org.ref_key,
            counterparty=cp,
            contract_ref=contract.ref_key,
            bank_account_ref=org.accounts[0].ref_key,
            lines=lines,
        )
        c.printer.print_form(c.spec.invoice, invoice.ref_key, format="pdf", stamp=True)
        c.printer.print_form(c.spec.invoice, invoice.ref_key, format="docx", stamp=False)
        elapsed = (time.perf_counter() - started) * 1000
        return (
            f"1C {profile}: counterparty + contract + invoice + post + 2 print forms: "
            f"{c.request_count} HTTP requests, {elapsed:.0f} ms (in-process sandbox)"
        )
    finally:
        server.stop()


def run() -> list[str]:
    import django

    django.setup()
    lines = [_scenario("bp30"), _scenario("ut11")]
    for line in lines:
        print(line)
    return lines


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "b24app.settings")
    run()
