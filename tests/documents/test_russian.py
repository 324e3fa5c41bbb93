from datetime import date

import pytest

from documents.rendering.russian import (
    FEMALE,
    MALE,
    date_numeric,
    date_ru,
    detect_gender,
    genitive_name,
    genitive_title,
)


def test_it_writes_dates_as_contracts_do():
    assert date_ru(date(2026, 2, 1)) == "1 февраля 2026 г."
    assert date_ru(date(2026, 12, 31)) == "31 декабря 2026 г."
    assert date_ru(date(2026, 2, 1), pad_day=True) == "01 февраля 2026 г."
    assert date_numeric(date(2026, 2, 1)) == "01.02.2026"


@pytest.mark.parametrize(
    ("name", "genitive"),
    [
        ("Смирнов Алексей Викторович", "Смирнова Алексея Викторовича"),
        ("Кузьмина Елена Андреевна", "Кузьминой Елены Андреевны"),
        ("Бендер Остап Ибрагимович", "Бендера Остапа Ибрагимовича"),
        ("ПАВЛОВ ДМИТРИЙ ОЛЕГОВИЧ", "ПАВЛОВА ДМИТРИЯ ОЛЕГОВИЧА"),
        ("Иванов И.И.", "Иванова И.И."),
        ("Мамедов Али Гусейн оглы", "Мамедова Али Гусейн оглы"),
        ("  Соколова   Анна Петровна ", "Соколовой Анны Петровны"),
    ],
)
def test_it_declines_names_into_the_genitive(name, genitive):
    assert genitive_name(name) == genitive


def test_it_tells_gender_from_the_patronymic():
    assert detect_gender("Кузьмина Елена Андреевна") == FEMALE
    assert detect_gender("Смирнов Алексей Викторович") == MALE
    assert detect_gender("Алиева Лейла Рашид кызы") == FEMALE


def test_it_leaves_a_name_alone_when_gender_is_unknown_and_endings_differ():
    # «Саша Черных» may be either; Черных never declines, Саша does the same for both genders.
    assert genitive_name("Черных Саша") == "Черных Саши"
    assert genitive_name("Черных Саша", gender=FEMALE) == "Черных Саши"


@pytest.mark.parametrize(
    ("title", "genitive"),
    [
        ("Генеральный директор", "Генерального директора"),
        ("Директор", "Директора"),
        ("Индивидуальный предприниматель", "Индивидуального предпринимателя"),
        ("Заместитель генерального директора", "Заместителя генерального директора"),
        ("Управляющий", "Управляющего"),
        ("генеральный директор", "генерального директора"),
        ("Президент", "Президента"),
    ],
)
def test_it_declines_common_titles(title, genitive):
    assert genitive_title(title) == genitive


def test_it_returns_an_unknown_title_as_stored():
    assert genitive_title("Временно исполняющий обязанности") == "Временно исполняющий обязанности"
    assert genitive_title("") == ""
