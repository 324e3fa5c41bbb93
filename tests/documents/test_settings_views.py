"""Settings views: admin-only on every request, tenant isolation, each setting saved and audited."""

import pytest

from b24app import tab_session
from b24app.models import PortalUser
from documents.models import AuditEvent, ContractTemplate, PortalSettings, Region

DIRECTORY = {
    "departments": [{"id": "1", "name": "Москва"}, {"id": "7", "name": "Казань"}],
    "users": [{"id": "1", "name": "Анна Админова"}, {"id": "5", "name": "Пётр Менеджеров"}],
    "pipelines": [
        {
            "id": "0",
            "name": "Общая",
            "stages": [{"id": "NEW", "name": "Новая"}, {"id": "WON", "name": "Успешна"}],
        }
    ],
    "error": "",
}


@pytest.fixture(autouse=True)
def fake_directory(monkeypatch):
    """Departments, users and stages as Bitrix24 would list them (its client is tested apart)."""
    monkeypatch.setattr("documents.settings_views.b24_directory", lambda request, **_kw: DIRECTORY)


def _headers(portal, user):
    token = tab_session.issue(
        tab_session.TabSession(
            portal_id=portal.pk, user_id=user.user_id, deal_id="", lang="ru", placement="DEFAULT"
        )
    )
    return {"HTTP_X_TAB_TOKEN": token, "HTTP_HX_REQUEST": "true"}


@pytest.fixture
def admin(portal):
    return PortalUser.objects.create(portal=portal, user_id=1, name="Анна", is_admin=True)


@pytest.fixture
def manager(portal):
    return PortalUser.objects.create(portal=portal, user_id=5, name="Пётр", department_ids=[7])


@pytest.fixture
def as_admin(portal, admin):
    return _headers(portal, admin)


@pytest.fixture
def as_manager(portal, manager):
    return _headers(portal, manager)


@pytest.mark.parametrize(
    "url",
    [
        "/documents/settings/",
        "/documents/settings/regions/",
        "/documents/settings/entities/",
        "/documents/settings/templates/",
        "/documents/settings/stages/",
        "/documents/settings/audit/",
        "/documents/settings/export.json",
    ],
)
def test_it_refuses_settings_pages_to_managers(client, as_manager, url):
    response = client.get(url, **as_manager)
    assert response.status_code == 403
    assert "только администратор" in response.content.decode()


def test_it_refuses_a_forged_region_post_from_a_manager(client, as_manager, portal):
    response = client.post("/documents/settings/regions/", {"name": "Север"}, **as_manager)
    assert response.status_code == 403
    assert not Region.objects.for_portal(portal).exists()


def test_it_refuses_requests_without_a_tab_token(client, admin):
    assert client.get("/documents/settings/").status_code == 403


def test_it_shows_the_settings_page_to_admins(client, as_admin):
    response = client.get("/documents/settings/", {}, HTTP_X_TAB_TOKEN=as_admin["HTTP_X_TAB_TOKEN"])
    assert response.status_code == 200
    body = response.content.decode()
    assert "Подключение к 1С" in body and "Шаблоны договоров" in body


def test_it_creates_a_region_with_departments_entities_and_recipients(
    client, as_admin, portal, make_legal_entity
):
    entity = make_legal_entity(portal)
    response = client.post(
        "/documents/settings/regions/",
        {
            "name": "Поволжье",
            "department_ids": ["7"],
            "legal_entities": [entity.pk],
            "notify_user_ids": ["5"],
        },
        **as_admin,
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    region = Region.objects.for_portal(portal).get()
    assert (region.name, region.department_ids, region.notify_user_ids) == ("Поволжье", [7], [5])
    assert list(region.legal_entities.all()) == [entity]
    event = AuditEvent.objects.for_portal(portal).get(action="settings.region_created")
    assert event.actor_user_id == 1
    assert event.details["changes"]["name"] == [None, "Поволжье"]
    assert "Казань" in response.content.decode()


def test_it_refuses_a_region_with_another_portals_legal_entity(
    client, as_admin, portal, other_portal, make_legal_entity
):
    foreign = make_legal_entity(other_portal)
    response = client.post(
        "/documents/settings/regions/",
        {"name": "Юг", "legal_entities": [foreign.pk]},
        **as_admin,
    )
    assert response.status_code == 400
    assert not Region.objects.exists()


def test_it_answers_404_for_another_portals_ids(
    client, as_admin, other_portal, make_legal_entity, make_template
):
    region = Region.objects.create(portal=other_portal, name="Чужой")
    entity = make_legal_entity(other_portal)
    template = make_template(other_portal)
    for url in (
        f"/documents/settings/regions/{region.pk}/",
        f"/documents/settings/entities/{entity.pk}/",
        f"/documents/settings/templates/{template.pk}/",
        f"/documents/settings/templates/{template.pk}/v1.docx",
    ):
        assert client.get(url, **as_admin).status_code == 404, url
    response = client.post(f"/documents/settings/regions/{region.pk}/delete/", **as_admin)
    assert response.status_code == 404
    assert Region.objects.filter(pk=region.pk).exists()


def test_it_deletes_a_region_and_audits_it(client, as_admin, portal):
    region = Region.objects.create(portal=portal, name="Урал")
    response = client.post(f"/documents/settings/regions/{region.pk}/delete/", **as_admin)
    assert response.status_code == 200
    assert not Region.objects.filter(pk=region.pk).exists()
    assert AuditEvent.objects.for_portal(portal).filter(action="settings.region_deleted").exists()


def test_it_saves_the_dadata_token_without_auditing_the_secret(client, as_admin, portal):
    response = client.post("/documents/settings/dadata/", {"dadata_token": "sekret-42"}, **as_admin)
    assert response.status_code == 200
    assert PortalSettings.objects.get(portal=portal).dadata_token == "sekret-42"
    event = AuditEvent.objects.for_portal(portal).get(action="settings.dadata_token")
    assert "sekret-42" not in str(event.details)
    assert "sekret-42" not in response.content.decode()


def test_it_saves_deal_stages_per_pipeline(client, as_admin, portal):
    response = client.post(
        "/documents/settings/stages/",
        {"stage_after_payment__0": "WON", "stage_after_documents__0": ""},
        **as_admin,
    )
    assert response.status_code == 200
    settings = PortalSettings.objects.get(portal=portal)
    assert settings.stage_after_payment == {"0": "WON"}
    assert settings.stage_after_documents == {}
    assert 'value="WON" selected' in response.content.decode()


def test_it_creates_a_template_with_its_rules(client, as_admin, portal, make_legal_entity):
    entity = make_legal_entity(portal)
    region = Region.objects.create(portal=portal, name="Москва")
    response = client.post(
        "/documents/settings/templates/new/",
        {
            "name": "Годовой договор",
            "kind": "yearly",
            "is_active": "on",
            "regions": [region.pk],
            "legal_entities": [entity.pk],
            "client_kinds": ["company", "ip"],
            "payment_schemes": ["70_30"],
            "number_source": "app",
            "number_prefix": "Г-{year}-",
            "number_padding": "4",
            "number_yearly_reset": "on",
        },
        **as_admin,
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    template = ContractTemplate.objects.for_portal(portal).get()
    assert template.kind == "yearly" and template.client_kinds == ["company", "ip"]
    assert template.payment_schemes == ["70_30"] and template.number_padding == 4
    assert list(template.regions.all()) == [region]
    assert "client.inn" in response.content.decode()  # the placeholder list is beside the form


def test_it_lists_the_audit_trail_of_settings(client, as_admin, portal):
    client.post("/documents/settings/regions/", {"name": "Сибирь"}, **as_admin)
    response = client.get("/documents/settings/audit/", **as_admin)
    assert "settings.region_created" in response.content.decode()
