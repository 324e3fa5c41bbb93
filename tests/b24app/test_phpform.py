"""The events endpoint reads PHP-style bracket keys the way Bitrix24 sends them."""

import pytest

from b24app.phpform import PhpFormError, parse_php_form


def test_it_nests_bracket_keys_like_php():
    body = (
        "event=ONCRMDEALUPDATE&data%5BFIELDS%5D%5BID%5D=759&auth%5Bmember_id%5D=m1"
        "&auth%5Bapplication_token%5D=tok&ids%5B%5D=1&ids%5B%5D=2"
    )
    assert parse_php_form(body) == {
        "event": "ONCRMDEALUPDATE",
        "data": {"FIELDS": {"ID": "759"}},
        "auth": {"member_id": "m1", "application_token": "tok"},
        "ids": ["1", "2"],
    }


def test_it_reads_cyrillic_values():
    assert parse_php_form(b"data[NAME]=%D0%9E%D0%9E%D0%9E") == {"data": {"NAME": "ООО"}}


def test_it_refuses_non_utf8_bodies():
    with pytest.raises(PhpFormError):
        parse_php_form(b"auth[member_id]=\xff\xfe")
    with pytest.raises(PhpFormError):
        parse_php_form("auth[member_id]=%FF%FE")


def test_it_refuses_conflicting_and_too_deep_keys():
    with pytest.raises(PhpFormError):
        parse_php_form("a=1&a[b]=2")
    with pytest.raises(PhpFormError):
        parse_php_form("a" + "[x]" * 12 + "=1")


def test_it_appends_list_items_with_nested_fields():
    assert parse_php_form("rows[][ID]=1&rows[][ID]=2") == {"rows": [{"ID": "1"}, {"ID": "2"}]}
