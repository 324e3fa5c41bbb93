import pytest

from onec.models import OneCConnection
from onec.services import connection_check, connection_save
from sandbox.demo_data import DEMO_LOGIN


def _by_title(lines):
    return {line.title: line for line in lines}


@pytest.mark.parametrize("fixture", ["onec_connection", "onec_connection_ut"])
def test_it_reports_every_line_ok_on_a_healthy_publication(request, portal, fixture):
    request.getfixturevalue(fixture)
    lines = connection_check(portal=portal)
    assert all(line.ok for line in lines), lines
    titles = [line.title for line in lines]
    assert titles == [
        "Публикация 1С доступна",
        "Логин и пароль приняты",
        "Нужные объекты опубликованы в OData",
        "Сервис печати установлен",
        "Конфигурация 1С",
    ]
    assert "1.0.0" in lines[3].detail
    stored = OneCConnection.objects.get(portal=portal)
    assert stored.last_check_ok and len(stored.last_check_report) == 5


def test_it_names_the_objects_missing_from_odata(portal, onec_sandbox, onec_connection):
    onec_sandbox.knobs.hidden_sets = {"Catalog_Номенклатура", "Document_СчетНаОплатуПокупателю"}
    lines = _by_title(connection_check(portal=portal))
    line = lines["Нужные объекты опубликованы в OData"]
    assert not line.ok
    assert "Catalog_Номенклатура" in line.detail
    assert "Document_СчетНаОплатуПокупателю" in line.detail
    assert "Catalog_Контрагенты" not in line.detail
    assert not OneCConnection.objects.get(portal=portal).last_check_ok


def test_it_reports_wrong_credentials(portal, onec_sandbox):
    connection_save(
        portal=portal, base_url=onec_sandbox.url, username=DEMO_LOGIN, password="x", profile="bp30"
    )
    lines = connection_check(portal=portal)
    assert [line.ok for line in lines] == [True, False]
    assert "логин или пароль" in lines[1].detail


def test_it_reports_1c_down(portal, onec_sandbox, onec_connection):
    onec_sandbox.knobs.down = True
    lines = connection_check(portal=portal)
    assert len(lines) == 1 and not lines[0].ok
    assert "недоступна" in lines[0].detail


def test_it_reports_a_missing_print_service(portal, onec_sandbox, onec_connection):
    onec_sandbox.knobs.print_service = False
    lines = _by_title(connection_check(portal=portal))
    assert lines["Нужные объекты опубликованы в OData"].ok
    assert not lines["Сервис печати установлен"].ok
    assert "docs1c" in lines["Сервис печати установлен"].detail
    assert not lines["Конфигурация 1С"].ok


def test_it_flags_a_profile_that_does_not_match_the_configuration(portal, onec_sandbox_ut):
    connection_save(
        portal=portal,
        base_url=onec_sandbox_ut.url + "odata/standard.odata/",
        username=DEMO_LOGIN,
        password="demo",
        profile="bp30",
    )
    lines = _by_title(connection_check(portal=portal))
    assert not lines["Конфигурация 1С"].ok
    assert "УправлениеТорговлей" in lines["Конфигурация 1С"].detail


def test_it_keeps_the_stored_password_when_saved_without_one(portal, onec_connection):
    connection_save(
        portal=portal,
        base_url=onec_connection.base_url,
        username=DEMO_LOGIN,
        password="",
        profile="bp30",
    )
    assert OneCConnection.objects.get(portal=portal).password == "demo"
