"""One back-sync poll over 1 000 invoices and 500 payments: time, 1C requests, Bitrix24
requests. Both sandboxes run in-process on free ports; the 1C store and the database are seeded
directly (`make bench` runs `run()`)."""

import time
import uuid
from datetime import date, timedelta
from decimal import Decimal

INVOICES = 1000
PAYMENTS = 500


def run() -> list[str]:
    from django.conf import settings
    from django.utils import timezone

    from b24app.models import Portal, PortalUser
    from documents.backsync.notify import B24Session
    from documents.backsync.services import poll_portal
    from documents.models import Invoice
    from onec.connector import Connector
    from onec.models import LegalEntity
    from onec.services import connection_save
    from sandbox.bitrix24 import create_app as create_b24
    from sandbox.demo_data import DEMO_LOGIN, DEMO_PASSWORD
    from sandbox.onec import create_app as create_onec
    from sandbox.server import SandboxServer

    onec = create_onec(profile="bp30", seed=True)
    onec_server = SandboxServer(onec).start()
    b24 = create_b24(
        client_id=settings.B24_CLIENT_ID,
        client_secret=settings.B24_CLIENT_SECRET,
        license_family="ent",
    )
    b24_server = SandboxServer(b24).start()
    b24.bind(b24_server.url)
    old_oauth = settings.B24_OAUTH_URL
    settings.B24_OAUTH_URL = b24.oauth_url
    try:
        base = f"{onec_server.url}/demo/"
        portal = Portal.objects.create(
            member_id=f"bench-{uuid.uuid4().hex[:8]}",
            domain=b24_server.url.split("//", 1)[1],
            client_endpoint=f"{b24_server.url}/rest/",
            license_family="ent",
        )
        tokens = b24.issue_tokens(1)
        PortalUser.objects.create(
            portal=portal,
            user_id=1,
            is_admin=True,
            access_token=tokens["access_token"],
            refresh_token=tokens["refresh_token"],
            access_expires_at=timezone.now() + timedelta(hours=1),
        )
        connection_save(
            portal=portal,
            base_url=base,
            username=DEMO_LOGIN,
            password=DEMO_PASSWORD,
            profile="bp30",
        )
        org_ref = onec.ref("Catalog_Организации", "romashka")
        cp_ref = onec.ref("Catalog_Контрагенты", "vector")
        entity = LegalEntity.objects.create(
            portal=portal, ref_key=uuid.UUID(org_ref), name="Ромашка"
        )
        rows = []
        refs = []
        for n in range(INVOICES):
            doc = onec.store.create(
                "Document_СчетНаОплатуПокупателю",
                {
                    "Организация_Key": org_ref,
                    "Контрагент_Key": cp_ref,
                    "Date": "2026-02-01T10:00:00",
                },
            )
            doc["Posted"] = True
            refs.append(doc["Ref_Key"])
            rows.append(
                Invoice(
                    portal=portal,
                    deal_id=str(1 + n % 6),
                    legal_entity=entity,
                    responsible_user_id=2,
                    onec_entity_set="Document_СчетНаОплатуПокупателю",
                    onec_ref_key=uuid.UUID(doc["Ref_Key"]),
                    onec_counterparty_ref=uuid.UUID(cp_ref),
                    number=str(n + 1),
                    date=date(2026, 2, 1),
                    total=Decimal("1000.00"),
                )
            )
        Invoice.objects.bulk_create(rows, batch_size=500)
        for n in range(PAYMENTS):
            amount = "1000.00" if n % 2 else "400.00"
            onec.add_payment(refs[n], amount, date=f"2026-02-{2 + n % 5:02d}T{n % 24:02d}:00:00")
        connector = Connector.open(
            base_url=base, username=DEMO_LOGIN, password=DEMO_PASSWORD, profile="bp30"
        )
        session = B24Session(portal)
        started = time.perf_counter()
        counts = poll_portal(portal, connector=connector, session=session)
        elapsed = time.perf_counter() - started
        again = time.perf_counter()
        repeat = poll_portal(portal)
        elapsed_again = time.perf_counter() - again
        return [
            f"{INVOICES} invoices, {PAYMENTS} payments: first poll {elapsed:.2f} s",
            f"1C requests: {counts['onec_requests']}, Bitrix24 requests: {counts['b24_requests']}",
            f"invoices reported: {counts['invoices_reported']}",
            f"repeat poll (nothing new): {elapsed_again:.2f} s, 1C requests "
            f"{repeat['onec_requests']}, Bitrix24 requests {repeat['b24_requests']}, "
            f"reported {repeat['invoices_reported']}",
        ]
    finally:
        settings.B24_OAUTH_URL = old_oauth
        onec_server.stop()
        b24_server.stop()
