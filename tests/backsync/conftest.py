"""Fixtures of the back-sync tests: the app installed on the Bitrix24 sandbox and connected to
the 1C sandbox, and invoices created in 1C with their `Invoice` rows."""

import uuid
from datetime import date
from decimal import Decimal

import pytest

from sandbox.demo_data import DEMO_LOGIN, DEMO_PASSWORD


@pytest.fixture
def backsync(b24_installed, request):
    """(b24 sandbox, 1C sandbox, portal, legal entity); the 1C profile is bp30 unless the test
    is parametrised indirectly with "ut11"."""
    from onec.models import LegalEntity
    from onec.services import connection_save

    profile = getattr(request, "param", "bp30")
    onec = request.getfixturevalue("onec_sandbox" if profile == "bp30" else "onec_sandbox_ut")
    portal = b24_installed.portal
    connection_save(
        portal=portal,
        base_url=onec.url,
        username=DEMO_LOGIN,
        password=DEMO_PASSWORD,
        profile=profile,
    )
    org_ref = onec.ref("Catalog_Организации", "romashka")
    entity = LegalEntity.objects.create(portal=portal, ref_key=uuid.UUID(org_ref), name="Ромашка")
    return b24_installed, onec, portal, entity


@pytest.fixture
def make_invoice(backsync):
    """Create an invoice (BP) / order (UT) for «Вектор» in 1C and the app's `Invoice` row."""
    from documents.models import Invoice

    _b24, onec, portal, entity = backsync
    counter = iter(range(1, 1000))

    def make(total="12000.00", deal_id="1", responsible=2, counterparty="vector"):
        cp_ref = onec.ref("Catalog_Контрагенты", counterparty)
        bp = onec.profile.key == "bp30"
        entity_set = "Document_СчетНаОплатуПокупателю" if bp else "Document_ЗаказКлиента"
        doc = onec.store.create(
            entity_set,
            {
                "Организация_Key": str(entity.ref_key),
                "Контрагент_Key": cp_ref,
                "СуммаДокумента": str(total),
                "Date": "2026-02-01T10:00:00",
            },
        )
        doc["Posted"] = True
        return Invoice.objects.create(
            portal=portal,
            deal_id=str(deal_id),
            legal_entity=entity,
            responsible_user_id=responsible,
            onec_entity_set=entity_set,
            onec_ref_key=uuid.UUID(doc["Ref_Key"]),
            onec_counterparty_ref=uuid.UUID(cp_ref),
            number=str(next(counter)),
            date=date(2026, 2, 1),
            total=Decimal(str(total)),
        )

    return make


@pytest.fixture
def poll(backsync):
    """Run one back-sync poll of the portal, as the beat task does."""
    from documents.backsync.tasks import poll_portal

    portal = backsync[2]

    def run():
        return poll_portal.delay(portal.pk).get()

    return run
