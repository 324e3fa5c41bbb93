"""Services behind the settings: what managers of each region are offered, audit in one
transaction with the change."""

import pytest
from django.db import transaction

from documents import settings_services as services
from documents import settings_templates
from documents.models import AuditEvent, Region
from documents.rendering.sample_template import build_sample_contract_template
from wizard import selectors as wizard_selectors


@pytest.fixture
def setup(portal, make_legal_entity, make_template):
    entity = make_legal_entity(portal)
    moscow = Region.objects.create(portal=portal, name="Москва", department_ids=[1])
    kazan = Region.objects.create(portal=portal, name="Казань", department_ids=[7])
    template = make_template(portal, client_kinds=["company"])
    with transaction.atomic():
        settings_templates.template_save(
            portal=portal,
            actor_user_id=1,
            template=template,
            values={"name": "Договор Москва"},
            region_ids=[moscow.pk],
            legal_entity_ids=[entity.pk],
        )
    settings_templates.template_version_upload(
        portal=portal,
        actor_user_id=1,
        template=template,
        docx=build_sample_contract_template(),
        filename="d.docx",
    )
    return entity, moscow, kazan, template


def offered(portal, department_ids, *, legal_entity=None, client_kind="company"):
    """What the wizard offers a manager of these Bitrix24 departments."""
    region = wizard_selectors.region_for_departments(portal, department_ids)
    return wizard_selectors.templates_for(
        portal, region=region, legal_entity=legal_entity, client_kind=client_kind
    )


def test_it_offers_a_template_only_to_managers_of_its_regions(portal, setup):
    entity, _moscow, _kazan, template = setup
    assert offered(portal, [1]) == [template]
    assert offered(portal, [7]) == []
    assert offered(portal, [1], client_kind="person") == []
    assert offered(portal, [1], legal_entity=entity) == [template]


def test_it_stops_offering_an_inactive_template(portal, setup):
    template = setup[3]
    with transaction.atomic():
        settings_templates.template_save(
            portal=portal,
            actor_user_id=1,
            template=template,
            values={"is_active": False},
            region_ids=[setup[1].pk],
        )
    assert offered(portal, [1]) == []


def test_it_rolls_back_the_change_when_the_audit_cannot_be_written(portal, monkeypatch):
    def broken_audit(**kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(services, "audit", broken_audit)
    with pytest.raises(RuntimeError):
        services.region_save(portal=portal, actor_user_id=1, name="Север")
    assert not Region.objects.filter(name="Север").exists()


def test_it_refuses_a_duplicate_region_name(portal):
    services.region_save(portal=portal, actor_user_id=1, name="Север")
    with pytest.raises(services.SettingsError, match="уже есть"):
        services.region_save(portal=portal, actor_user_id=1, name="Север")
    assert (
        AuditEvent.objects.for_portal(portal).filter(action="settings.region_created").count() == 1
    )
