"""A tab opened with LANG=en shows the wizard's requisites checks and DaData notes in English;
the same tab in Russian still shows Russian."""

import pytest

from b24app.deal_context import Party
from tests.wizard.helpers import client_post

pytestmark = pytest.mark.django_db

BROKEN_DEAL = "4"  # sandbox/demo_data.py: the client with a broken INN, KPP, OGRN and account


def _post_broken_client(wizard_open, wizard_world, lang):
    tab = wizard_open(BROKEN_DEAL, lang=lang)
    party = Party.from_dict(tab.draft.data["context"]["client"])
    response = tab.call("post", "client", client_post(wizard_world, party))
    assert response.status_code == 200
    return response.content.decode()


def _problem(html: str, field: str) -> str:
    """The text of the checklist item the wizard shows for one requisite field."""
    item = html.split(f'data-field="{field}"', 1)[1]
    return item.split(">", 1)[1].split("</li>", 1)[0]


def test_it_explains_broken_requisites_in_english(wizard_open, wizard_world):
    html = _post_broken_client(wizard_open, wizard_world, "en")
    assert "The INN check digits do not match — check the digits" in _problem(html, "inn")
    assert "KPP: 9 characters" in _problem(html, "kpp")
    assert "“77070A1”" in _problem(html, "kpp")  # the placeholder survived the translation
    assert "The OGRN check digit does not match" in _problem(html, "ogrn")
    assert "The settlement account does not match the BIK" in _problem(html, "bank.account")
    assert "Fill in “Legal address”" in _problem(html, "legal_address")
    director = _problem(html, "director")
    assert "Fill in “Director”: the contract needs the name" in director
    for russian in ("Контрольная сумма", "Заполните поле", "не сходится", "проверьте цифры"):
        assert russian not in html, russian


def test_it_still_explains_broken_requisites_in_russian(wizard_open, wizard_world):
    html = _post_broken_client(wizard_open, wizard_world, "ru")
    assert "Контрольная сумма ИНН не сходится — проверьте цифры" in _problem(html, "inn")
    assert "Заполните поле «Юридический адрес»" in _problem(html, "legal_address")
    assert "check digits" not in html and "Fill in" not in html


@pytest.mark.parametrize(
    ("lang", "note"),
    [
        ("en", "DaData is not connected: enter the API key in the app settings"),
        ("ru", "DaData не подключена: укажите ключ API в настройках приложения"),
    ],
)
def test_it_says_in_the_tabs_language_that_dadata_has_no_key(
    wizard_open, wizard_world, settings, lang, note
):
    settings.DADATA_TOKEN = ""
    tab = wizard_open("1", lang=lang)
    party = Party.from_dict(tab.draft.data["context"]["client"])
    response = tab.call("post", "client", client_post(wizard_world, party, action="dadata"))
    assert response.status_code == 200
    assert note in response.content.decode()
