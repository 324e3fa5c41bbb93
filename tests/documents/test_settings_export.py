"""Export the settings of one portal and import them into another."""

import io
import json

import pytest

from documents.models import AuditEvent, ContractTemplate, Region
from documents.settings_export import settings_export_json, settings_import
from documents.settings_services import SettingsError
from tests.documents import test_settings_views as shared

# The admin/manager tab-session fixtures, shared with the settings view tests.
admin, as_admin, fake_directory = (shared.admin, shared.as_admin, shared.fake_directory)


def test_it_copies_regions_templates_and_entities_between_portals(
    client, as_admin, portal, other_portal, make_legal_entity, make_template
):
    ours = make_legal_entity(portal, signatory_name="Смирнов А. В.", authority_basis="Устава")
    region = Region.objects.create(portal=portal, name="Москва", department_ids=[1])
    region.legal_entities.set([ours])
    template = make_template(portal, kind="yearly", number_prefix="Г-")
    template.regions.set([region])
    theirs = make_legal_entity(other_portal)  # same INN/KPP, different id

    exported = client.get("/documents/settings/export.json", **as_admin)
    assert exported.status_code == 200
    counts = settings_import_via_service(other_portal, exported.content)

    assert counts == {"legal_entities": 1, "regions": 1, "templates": 1}
    copied = Region.objects.for_portal(other_portal).get(name="Москва")
    assert list(copied.legal_entities.all()) == [theirs]
    copied_template = ContractTemplate.objects.for_portal(other_portal).get()
    assert copied_template.number_prefix == "Г-" and list(copied_template.regions.all()) == [copied]
    theirs.refresh_from_db()
    assert theirs.signatory_name == "Смирнов А. В."


def settings_import_via_service(portal, raw):
    from django.db import transaction

    with transaction.atomic():
        return settings_import(portal=portal, actor_user_id=1, raw=raw)


def test_it_refuses_a_file_that_is_not_a_settings_export(client, as_admin, portal):
    upload = io.BytesIO(b'{"hello": "world"}')
    upload.name = "x.json"
    response = client.post("/documents/settings/import/", {"file": upload}, **as_admin)
    assert response.status_code == 400
    assert "не файл настроек" in response.content.decode()
    assert not AuditEvent.objects.for_portal(portal).filter(action="settings.imported").exists()


def test_it_changes_nothing_when_an_entity_is_missing(portal, other_portal, make_legal_entity):
    entity = make_legal_entity(portal)
    Region.objects.create(portal=portal, name="Юг").legal_entities.set([entity])
    raw = settings_export_json(portal)
    data = json.loads(raw)
    assert data["regions"][0]["legal_entities"] == [{"inn": entity.inn, "kpp": entity.kpp}]
    with pytest.raises(SettingsError, match="ИНН"):
        settings_import_via_service(other_portal, raw)
    assert not Region.objects.for_portal(other_portal).exists()


def test_it_never_exports_secrets(portal, make_legal_entity):
    from documents.settings_services import portal_settings_get

    settings = portal_settings_get(portal)
    settings.dadata_token = "top-secret-token"
    settings.save()
    assert b"top-secret-token" not in settings_export_json(portal)
