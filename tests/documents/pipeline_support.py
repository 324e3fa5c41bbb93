"""Fixtures for the generation pipeline tests (imported by test_pipeline*/test_job*/
test_reliability* modules): the sandbox portal with the app installed, the 1C sandbox connected
and synced, configured as `make demo` does, and orders built from the sandbox deals."""

from datetime import date

import pytest

DEAL_COMPANY, DEAL_SOLE_TRADER, DEAL_PERSON = "1", "2", "3"


@pytest.fixture(name="env")
def pipeline_env_fixture(b24_installed, onec_sandbox, settings, tmp_path):
    """(b24 sandbox, 1C sandbox, portal, manager) ready for generation jobs."""
    from b24app.models import PortalUser
    from sandbox.demo_setup import configure, connect_onec

    settings.MEDIA_ROOT = tmp_path / "media"
    # Eager Celery runs a re-enqueued job at once: keep the backoff long enough that it is
    # refused as "not due yet", and let tests move `next_attempt_at` themselves.
    settings.GENERATION_RETRY_BASE_SECONDS = 60
    portal = b24_installed.portal
    connect_onec(portal, onec_url=onec_sandbox.url)
    configure(portal)
    manager = PortalUser.objects.get(portal=portal, user_id=1)
    return Env(b24_installed, onec_sandbox, portal, manager)


class Env:
    def __init__(self, b24, onec, portal, manager):
        self.b24, self.onec, self.portal, self.manager = b24, onec, portal, manager

    def context(self, deal_id: str):
        from b24app.client import client_for
        from b24app.deal_reader import deal_context_commands, parse_deal_context

        client = client_for(self.portal, self.manager)
        return parse_deal_context(deal_id, *client.batch(deal_context_commands(deal_id)))

    def order(self, deal_id: str = DEAL_COMPANY, **changes):
        return build_order(self, self.context(deal_id), **changes)

    def template(self, yearly: bool = False):
        from documents.models import ContractTemplate

        kind = ContractTemplate.Kind.YEARLY if yearly else ContractTemplate.Kind.ONE_OFF
        return ContractTemplate.objects.for_portal(self.portal).get(kind=kind)


def build_order(env: Env, context, *, template=None, **changes):
    """The order a manager would confirm in the wizard for this deal, with its defaults."""
    from documents.order import DocumentOrder, OrderRow
    from onec.models import LegalEntity, Nomenclature

    entity = LegalEntity.objects.for_portal(env.portal).get(inn=context.my_company.inn)
    items = {n.name: n for n in Nomenclature.objects.for_portal(env.portal)}
    rows = [
        OrderRow(
            nomenclature_ref=str(items[p.name].ref_key),
            article=items[p.name].article,
            name=p.name,
            unit=items[p.name].unit,
            quantity=p.quantity,
            price=p.price,
            vat_rate=items[p.name].vat_rate,
            b24_row_id=p.id,
        )
        for p in context.products
    ]
    template = template or env.template()
    fields = {
        "deal_id": context.deal_id,
        "client": context.client,
        "legal_entity_id": entity.pk,
        "rows": rows,
        "invoice_date": date.today(),
        "due_date": date.today(),
        "template_id": template.pk,
        "template_version_id": template.current_version_id,
        "contract_date": date.today(),
        "payment_scheme": "100",
        "responsible_email": "smirnova@romashka.test",
    }
    return DocumentOrder(**{**fields, **changes})


def submit(env: Env, order=None, **kwargs):
    """Submit as the wizard does; in tests Celery is eager, so the job runs on commit."""
    from documents.jobs import job_submit

    return job_submit(order=order or env.order(), user=env.manager, **kwargs)
