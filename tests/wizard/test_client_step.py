import pytest
from django.test import override_settings

from tests.wizard.helpers import client_post, refresh

pytestmark = pytest.mark.django_db


def test_it_renders_the_client_step_with_preselections(wizard_open, wizard_world):
    tab = wizard_open("1")
    response = tab.call("get", "client")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Вектор" in html
    # The deal's my-company requisite maps to ООО «Ромашка» by INN; the manager's department 2
    # maps to the Moscow region.
    le = wizard_world.entities["romashka"]
    assert f'<option value="{le.pk}" selected>' in html
    assert f'<option value="{wizard_world.regions["msk"].pk}" selected>' in html


def test_it_advances_and_persists_a_valid_client_step(wizard_open, wizard_world):
    tab = wizard_open("1")
    before = tab.draft.revision
    party = tab.draft.data["context"]["client"]
    response = tab.call("post", "client", client_post(wizard_world, _p(party)))
    assert response.status_code == 200
    draft = refresh(tab.draft)
    assert draft.step == "contract"
    assert draft.revision > before
    assert draft.data["client"]["legal_entity_id"] == wizard_world.entities["romashka"].pk
    assert "Договор поставки" in response.content.decode()


def test_it_lists_broken_requisites_with_a_link_to_fix_them(wizard_open, wizard_world):
    tab = wizard_open("4")
    party = _p(tab.draft.data["context"]["client"])
    before = (tab.draft.revision, tab.draft.step, dict(tab.draft.data))
    response = tab.call("post", "client", client_post(wizard_world, party))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="requisite-problems"' in html
    for field in ("inn", "kpp", "ogrn", "bank.account", "legal_address", "director"):
        assert f'wz-check--error" data-field="{field}"' in html, field
    assert f"{wizard_world.portal.origin}/crm/company/details/{party.entity_id}/" in html
    draft = refresh(tab.draft)
    assert (draft.revision, draft.step, draft.data) == before


def test_it_refuses_a_legal_entity_of_another_portal(
    wizard_open, wizard_world, other_portal, make_legal_entity
):
    foreign = make_legal_entity(other_portal, inn="7707083893")
    tab = wizard_open("1")
    party = _p(tab.draft.data["context"]["client"])
    response = tab.call(
        "post", "client", client_post(wizard_world, party, legal_entity=str(foreign.pk))
    )
    assert response.status_code == 400
    assert refresh(tab.draft).step == "client"


def test_it_refuses_a_legal_entity_outside_the_region(wizard_open, wizard_world):
    tab = wizard_open("1")
    party = _p(tab.draft.data["context"]["client"])
    north = wizard_world.entities["romashka_north"]
    response = tab.call("post", "client", client_post(wizard_world, party, legal_entity=north.pk))
    assert response.status_code == 200
    assert "недоступно в выбранном регионе" in response.content.decode()
    assert refresh(tab.draft).step == "client"


def test_it_refuses_another_deals_id(wizard_open):
    tab = wizard_open("1")
    assert tab.call("get", "client", deal="2").status_code == 404


def test_it_refuses_requests_without_a_tab_token(wizard_open, client):
    wizard_open("1")
    assert client.get("/wizard/1/client/").status_code == 403


def test_it_escapes_html_in_client_names(wizard_open):
    tab = wizard_open("5")
    html = tab.call("get", "client").content.decode()
    assert "&lt;b&gt;" in html
    assert "Копыта&quot; <b>" not in html and '"Рога & Копыта" <b>' not in html


def test_it_speaks_english_when_the_tab_is_english(wizard_open):
    tab = wizard_open("1", lang="en")
    html = tab.call("get", "client").content.decode()
    assert "Client and our side" in html
    assert "Next" in html
    assert "Клиент и наша сторона" not in html


def test_it_tells_a_second_manager_who_else_works_on_the_deal(wizard_open, wizard_world):
    wizard_open("1", user=wizard_world.users["4"])
    tab = wizard_open("1")
    html = tab.call("get", "client").content.decode()
    assert 'data-testid="busy-banner"' in html
    assert wizard_world.users["4"].name in html


def test_it_shows_no_banner_when_alone(wizard_open):
    html = wizard_open("1").call("get", "client").content.decode()
    assert 'data-testid="busy-banner"' not in html


@override_settings(
    DADATA_TOKEN="t", DADATA_SUGGESTIONS_URL="http://127.0.0.1:9/", DADATA_TIMEOUT_SECONDS=1
)
def test_it_keeps_working_when_dadata_is_down(wizard_open, wizard_world):
    tab = wizard_open("1")
    party = _p(tab.draft.data["context"]["client"])
    response = tab.call("post", "client", client_post(wizard_world, party, action="dadata"))
    assert response.status_code == 200
    assert 'data-testid="dadata-note"' in response.content.decode()
    response = tab.call("post", "client", client_post(wizard_world, party))
    assert refresh(tab.draft).step == "contract"


def test_it_saves_an_entered_inn_to_bitrix24(wizard_open, wizard_world, monkeypatch):
    calls = []

    class FakeClient:
        def call(self, method, params):
            calls.append((method, params))
            return True

    monkeypatch.setattr("wizard.services.client_for", lambda portal, user: FakeClient())
    tab = wizard_open("1")
    party = _p(tab.draft.data["context"]["client"])
    new_inn = "7707083893"
    response = tab.call(
        "post", "client", client_post(wizard_world, party, inn=new_inn, action="save_inn")
    )
    assert response.status_code == 200
    assert calls == [
        ("crm.requisite.update", {"id": party.requisite_id, "fields": {"RQ_INN": new_inn}})
    ]
    assert new_inn in response.content.decode()
    assert refresh(tab.draft).data["context"]["client"]["inn"] == new_inn


def test_it_does_not_save_an_invalid_inn(wizard_open, wizard_world, monkeypatch):
    monkeypatch.setattr("wizard.services.client_for", lambda *a: pytest.fail("called B24"))
    tab = wizard_open("1")
    party = _p(tab.draft.data["context"]["client"])
    response = tab.call(
        "post", "client", client_post(wizard_world, party, inn="7707083894", action="save_inn")
    )
    assert 'data-testid="notice"' in response.content.decode()


def test_it_blocks_a_deal_without_a_client(wizard_open, wizard_world, wizard_deal_context):
    context = wizard_deal_context("1")
    context.client, context.client_requisites = None, []
    tab = wizard_open("1", context=context)
    html = tab.call("get", "client").content.decode()
    assert 'data-testid="no-client"' in html
    response = tab.call("post", "client", {"legal_entity": wizard_world.entities["romashka"].pk})
    assert refresh(tab.draft).step == "client"
    assert response.status_code in (200, 400)


def _p(data):
    from b24app.deal_context import Party

    return Party.from_dict(data)
