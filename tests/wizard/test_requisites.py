"""Requisites are checked as 1C checks them, on real numbers, valid and corrupted."""

import pytest
from django.core.exceptions import ValidationError
from stdnum.ru import inn as stdnum_inn
from stdnum.ru import ogrn as stdnum_ogrn

from b24app.deal_context import BankDetails, ClientKind, Party
from sandbox import demo_data
from tests.fixtures.wizard import demo_party
from wizard import requisites as rq

# Public requisites of Sberbank (head office).
SBER = {"inn": "7707083893", "kpp": "773601001", "ogrn": "1027700132195"}
SBER_BANK = demo_data.SBER_MSK  # BIK 044525225, corr. 30101810400000000225
# A Federal Treasury body as printed on tax payment orders since 2021 (УФК по г. Москве).
TREASURY = {"bik": "004525988", "corr": "40102810545370000003", "account": "03100643000000017300"}
# An OGRNIP whose int(first 14) mod 13 is 10, so its check digit is 0 (2019, Moscow, IFNS 46).
OGRNIP_REMAINDER_10 = "319774610000010"

ALL_PARTIES = demo_data.LEGAL_ENTITIES + demo_data.CLIENTS


def single_digit_changes(number: str):
    for position, digit in enumerate(number):
        for other in "0123456789":
            if other != digit:
                yield position, number[:position] + other + number[position + 1 :]


def codes(problems) -> list[str]:
    return [p.code for p in problems]


def fns_inn_is_valid(inn: str) -> bool:
    """The FNS algorithm written out from the README, to check python-stdnum against."""

    def digit(weights):
        return str(sum(w * int(d) for w, d in zip(weights, inn, strict=False)) % 11 % 10)

    if len(inn) == 10:
        return inn[9] == digit((2, 4, 10, 3, 5, 9, 4, 6, 8))
    return inn[10] == digit((7, 2, 4, 10, 3, 5, 9, 4, 6, 8)) and inn[11] == digit(
        (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
    )


# --- whole parties ------------------------------------------------------------------------------


@pytest.mark.parametrize("row", ALL_PARTIES, ids=lambda r: r["key"])
def test_it_finds_nothing_wrong_with_the_demo_requisites(row):
    own = row in demo_data.LEGAL_ENTITIES
    assert rq.validate_party(demo_party(row), own=own) == []


def test_it_catches_everything_broken_in_the_broken_client():
    problems = rq.validate_party(demo_party(demo_data.BROKEN_CLIENT))
    by_field = {p.field: p for p in problems if p.is_error}
    assert by_field["inn"].code == "inn_checksum"
    assert by_field["kpp"].code == "kpp_format"
    assert by_field["ogrn"].code == "ogrn_checksum"
    assert by_field["bank.account"].code == "account_checksum"
    assert by_field["legal_address"].code == "required"
    assert by_field["director"].code == "required"
    assert rq.has_errors(problems)


def test_it_lists_problems_in_the_order_of_the_form():
    party = Party(kind=ClientKind.COMPANY, bank=BankDetails(bik="1"))
    fields = [p.field for p in rq.validate_party(party)]
    assert fields[:6] == ["full_name", "inn", "kpp", "ogrn", "legal_address", "director"]
    assert fields.index("bank.bank_name") < fields.index("bank.bik") < fields.index("bank.account")


def test_it_tells_that_a_twelve_digit_inn_belongs_to_a_sole_trader_not_a_company():
    party = demo_party(demo_data.CLIENTS[0])
    party.inn = demo_data.CLIENTS[1]["inn"]  # Ivanov's, 12 digits
    [problem] = [p for p in rq.validate_party(party) if p.field == "inn"]
    assert problem.code == "inn_length"
    assert "10 цифр, сейчас 12" in problem.message
    assert "Битрикс24" in problem.message


def test_it_wants_twelve_digits_from_a_sole_trader():
    party = demo_party(demo_data.CLIENTS[1])
    party.inn = SBER["inn"]
    assert codes(rq.check_inn(party.inn, party.kind)) == ["inn_length"]
    assert "12 цифр, сейчас 10" in rq.validate_party(party)[0].message


def test_it_lets_a_person_go_without_inn_but_checks_one_when_given():
    person = demo_party(demo_data.CLIENTS[2])
    person.inn = ""
    assert rq.validate_party(person) == []
    person.inn = "507574911814"
    assert codes(rq.validate_party(person)) == ["inn_checksum"]


def test_it_warns_that_kpp_and_ogrn_of_a_person_are_ignored():
    person = demo_party(demo_data.CLIENTS[2])
    person.kpp, person.ogrn = SBER["kpp"], SBER["ogrn"]
    problems = rq.validate_party(person)
    assert codes(problems) == ["kpp_not_applicable", "ogrn_not_applicable"]
    assert not rq.has_errors(problems)
    assert rq.clean_party(person).kpp == "" and rq.clean_party(person).ogrn == ""


def test_it_checks_a_sole_traders_ogrnip_not_an_ogrn():
    ip = demo_party(demo_data.CLIENTS[1])
    ip.ogrn = SBER["ogrn"]
    [problem] = rq.validate_party(ip)
    assert (problem.field, problem.code) == ("ogrn", "ogrnip_length")
    assert problem.message == "ОГРНИП должен содержать 15 цифр, сейчас 13"


def test_it_requires_the_director_only_when_a_contract_is_made():
    party = demo_party(demo_data.CLIENTS[0])
    party.director = party.director_title = ""
    for_contract = rq.validate_party(party)
    assert [(p.field, p.severity) for p in for_contract] == [
        ("director", "error"),
        ("director_title", "warning"),
    ]
    assert rq.validate_party(party, for_contract=False) == []


def test_it_requires_bank_details_from_our_company_and_only_warns_about_a_clients():
    ours = demo_party(demo_data.LEGAL_ENTITIES[0])
    ours.bank = None
    [problem] = rq.validate_party(ours, own=True)
    assert (problem.field, problem.severity) == ("bank", "error")

    client = demo_party(demo_data.CLIENTS[0])
    client.bank = BankDetails()
    [problem] = rq.validate_party(client)
    assert (problem.field, problem.severity) == ("bank", "warning")
    assert rq.validate_party(client, for_contract=False) == []


def test_it_requires_every_bank_field_once_one_is_given():
    party = demo_party(demo_data.CLIENTS[0])
    party.bank = BankDetails(bik=SBER_BANK["bik"])
    problems = rq.validate_party(party)
    assert [(p.field, p.code) for p in problems] == [
        ("bank.bank_name", "required"),
        ("bank.corr_account", "required"),
        ("bank.account", "required"),
    ]


def test_it_survives_html_and_junk_in_names():
    party = demo_party(demo_data.CLIENTS[3])  # «Рога & Копыта» <b>
    party.full_name = '<script>alert("x")</script> ООО «Рога & Копыта»'
    party.director = "<img src=x onerror=alert(1)>"
    party.director_title = "Генеральный\x00директор"
    assert rq.validate_party(party) == []


def test_it_turns_errors_into_a_form_validation_error_and_lets_warnings_pass():
    with pytest.raises(ValidationError) as raised:
        rq.raise_for_errors(rq.check_inn("7707083894", ClientKind.COMPANY))
    assert raised.value.messages == ["Контрольная сумма ИНН не сходится — проверьте цифры"]
    rq.raise_for_errors(rq.check_ogrn("2027700625270"))  # a warning only


def test_it_cleans_pasted_numbers_for_storing_and_sending():
    party = demo_party(demo_data.CLIENTS[0])
    party.inn, party.kpp = " 5096 030-820 ", "5096\u00a001001"
    party.bank.account = "40702 812 0 1223 3079244"
    cleaned = rq.clean_party(party)
    assert (cleaned.inn, cleaned.kpp) == ("5096030820", "509601001")
    assert cleaned.bank.account == "40702812012233079244"
    assert rq.validate_party(party) == []


# --- INN ------------------------------------------------------------------------------------------

VALID_INNS = [SBER["inn"]] + [row["inn"] for row in ALL_PARTIES]


@pytest.mark.parametrize("inn", VALID_INNS)
def test_it_accepts_real_inns(inn):
    assert rq.check_inn(inn) == []
    assert rq.is_valid_inn(inn, ClientKind.COMPANY if len(inn) == 10 else ClientKind.SOLE_TRADER)


@pytest.mark.parametrize("inn", [i for i in VALID_INNS if not i.endswith("0")])
def test_it_catches_every_single_digit_change_of_an_inn(inn):
    missed = [changed for _, changed in single_digit_changes(inn) if rq.is_valid_inn(changed)]
    assert missed == []


def test_it_misses_only_what_the_inn_checksum_itself_cannot_see():
    # "mod 11 mod 10" maps remainders 10 and 0 to the same check digit 0: for an INN ending
    # in 0 some changes keep the checksum valid, in 1C as well. Nothing else may slip through.
    inn = demo_data.CLIENTS[0]["inn"]  # 5096030820
    missed = [changed for _, changed in single_digit_changes(inn) if rq.is_valid_inn(changed)]
    assert missed, "this INN is expected to show the blind spot"
    assert all(fns_inn_is_valid(changed) for changed in missed)
    assert len(missed) < len(list(single_digit_changes(inn))) // 10


@pytest.mark.parametrize("inn", VALID_INNS)
def test_python_stdnum_agrees_with_the_fns_algorithm_on_inns(inn):
    for _, changed in single_digit_changes(inn):
        assert stdnum_inn.is_valid(changed) == fns_inn_is_valid(changed), changed


def test_it_rejects_an_inn_starting_with_00_although_its_checksum_holds():
    assert stdnum_inn.is_valid("0000000000")
    assert codes(rq.check_inn("0000000000", ClientKind.COMPANY)) == ["inn_region"]


@pytest.mark.parametrize(
    ("value", "code", "fragment"),
    [
        ("", "required", "ИНН"),
        (None, "required", "ИНН"),
        ("770708389", "inn_length", "ИНН должен содержать 10 цифр, сейчас 9"),
        ("77070838AB", "inn_format", "только цифры"),
        ("7707O83893", "inn_format", "«O»"),  # a Latin O typed for a zero
        ("1" * 10_000, "inn_length", "сейчас 10000"),
        ("<b>7707083893</b>", "inn_format", "«<»"),
    ],
)
def test_it_explains_what_is_wrong_with_an_inn(value, code, fragment):
    [problem] = rq.check_inn(value, ClientKind.COMPANY)
    assert problem.code == code
    assert fragment in problem.message
    assert problem.severity == "error"


@pytest.mark.parametrize(
    "pasted",
    [" 7707083893 ", "7707 083 893", "77-07-083893", "7707\u00a0083893", "７７０７０８３８９３"],
)
def test_it_accepts_an_inn_pasted_with_spaces_and_dashes(pasted):
    assert rq.check_inn(pasted, ClientKind.COMPANY) == []


def test_it_accepts_either_length_when_the_kind_is_unknown():
    assert rq.is_valid_inn("7707083893") and rq.is_valid_inn("784323194819")
    assert "10 или 12" in rq.check_inn("12345")[0].message


# --- KPP ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kpp", ["773601001", "7736AB001", "7736ab001", " 7736 01 001 "])
def test_it_accepts_kpps_with_digits_or_latin_letters_in_places_5_and_6(kpp):
    assert rq.check_kpp(kpp) == []


@pytest.mark.parametrize(
    "kpp", ["77360100", "7736010011", "77A601001", "7736АБ001", "773601A01", "КПП", "7" * 5000]
)
def test_it_rejects_malformed_kpps(kpp):
    [problem] = rq.check_kpp(kpp)
    assert problem.code == "kpp_format"
    assert problem.message.startswith("КПП: 9 символов, 5-й и 6-й могут быть буквами A–Z")


def test_it_requires_a_kpp_from_a_company():
    assert codes(rq.check_kpp("")) == ["required"]
    assert not rq.is_valid_kpp(None)


# --- OGRN and OGRNIP ------------------------------------------------------------------------------

VALID_OGRNS = [SBER["ogrn"]] + [r["ogrn"] for r in ALL_PARTIES if len(r["ogrn"]) == 13]
VALID_OGRNIPS = [r["ogrn"] for r in ALL_PARTIES if len(r["ogrn"]) == 15] + [OGRNIP_REMAINDER_10]


@pytest.mark.parametrize("ogrn", VALID_OGRNS)
def test_it_accepts_real_ogrns_and_agrees_with_the_register_rule_on_every_change(ogrn):
    assert rq.check_ogrn(ogrn) == []
    for _, changed in single_digit_changes(ogrn):
        register_rule = changed[0] != "0" and int(changed[:12]) % 11 % 10 == int(changed[12])
        assert rq.is_valid_ogrn(changed) == register_rule, changed


def test_it_catches_every_single_digit_change_of_an_ogrn_not_ending_in_0():
    ogrn = SBER["ogrn"]
    assert [c for _, c in single_digit_changes(ogrn) if rq.is_valid_ogrn(c)] == []


def test_it_warns_when_an_ogrn_looks_like_a_register_entry_number():
    [problem] = rq.check_ogrn("2027700625270")  # checksum holds, starts with 2 (ГРН)
    assert (problem.code, problem.severity) == ("ogrn_prefix", "warning")
    assert rq.is_valid_ogrn("2027700625270")


@pytest.mark.parametrize(
    ("value", "code"),
    [("102770013219", "ogrn_length"), ("1027700132196", "ogrn_checksum"), ("", "required")],
)
def test_it_rejects_broken_ogrns(value, code):
    assert codes(rq.check_ogrn(value)) == [code]


@pytest.mark.parametrize("ogrnip", VALID_OGRNIPS)
def test_it_accepts_real_ogrnips(ogrnip):
    assert rq.check_ogrnip(ogrnip) == []


def test_it_accepts_the_ogrnip_python_stdnum_wrongly_rejects():
    assert int(OGRNIP_REMAINDER_10[:14]) % 13 == 10
    assert not stdnum_ogrn.is_valid(OGRNIP_REMAINDER_10)  # why the check is our own
    assert rq.is_valid_ogrnip(OGRNIP_REMAINDER_10)
    assert not rq.is_valid_ogrnip(OGRNIP_REMAINDER_10[:14] + "1")


@pytest.mark.parametrize("ogrnip", VALID_OGRNIPS)
def test_it_agrees_with_the_register_rule_on_every_change_of_an_ogrnip(ogrnip):
    for _, changed in single_digit_changes(ogrnip):
        register_rule = int(changed[:14]) % 13 % 10 == int(changed[14])
        assert rq.is_valid_ogrnip(changed) == register_rule, changed


def test_it_catches_every_single_digit_change_of_ivanovs_ogrnip():
    ogrnip = demo_data.CLIENTS[1]["ogrn"]
    assert [c for _, c in single_digit_changes(ogrnip) if rq.is_valid_ogrnip(c)] == []


def test_it_rejects_a_long_ogrnip_without_choking():
    assert codes(rq.check_ogrnip("3" * 50_000)) == ["ogrnip_length"]


# --- bank details ---------------------------------------------------------------------------------

BANKS = [demo_data.SBER_MSK, demo_data.SBER_SPB, demo_data.TBANK]
ACCOUNTS = [(r["bank"]["bik"], r["bank"]["account"]) for r in ALL_PARTIES if r.get("bank")]


@pytest.mark.parametrize("bank", BANKS, ids=lambda b: b["bik"])
def test_it_accepts_real_biks_and_corr_accounts(bank):
    assert rq.check_bik(bank["bik"]) == []
    assert rq.check_corr_account(bank["bik"], bank["corr_account"]) == []


@pytest.mark.parametrize("bank", BANKS, ids=lambda b: b["bik"])
def test_it_catches_every_single_digit_change_of_a_corr_account(bank):
    missed = [
        changed
        for _, changed in single_digit_changes(bank["corr_account"])
        if rq.is_valid_corr_account(bank["bik"], changed)
    ]
    assert missed == []


@pytest.mark.parametrize(("bik", "account"), ACCOUNTS)
def test_it_catches_every_single_digit_change_of_a_settlement_account(bik, account):
    assert rq.check_account(bik, account) == []
    missed = [c for _, c in single_digit_changes(account) if rq.is_valid_account(bik, c)]
    assert missed == []


def test_it_catches_an_account_checked_against_another_banks_bik():
    account = demo_data.CLIENTS[0]["bank"]["account"]  # at Sberbank Moscow
    assert codes(rq.check_account(demo_data.TBANK["bik"], account)) == ["account_checksum"]


def test_it_catches_a_corr_account_of_another_bank():
    problems = rq.check_corr_account(demo_data.TBANK["bik"], SBER_BANK["corr_account"])
    assert codes(problems) == ["corr_account_bik_mismatch"]


def test_it_catches_a_settlement_account_typed_as_the_corr_account():
    account = demo_data.CLIENTS[0]["bank"]["account"]
    [problem] = rq.check_corr_account(SBER_BANK["bik"], account)
    assert problem.code == "corr_account_prefix"
    assert "301" in problem.message


@pytest.mark.parametrize(
    ("bik", "code", "severity"),
    [
        ("04452522", "bik_length", "error"),
        ("04452522X", "bik_format", "error"),
        ("", "required", "error"),
        ("544525225", "bik_prefix", "warning"),
    ],
)
def test_it_explains_what_is_wrong_with_a_bik(bik, code, severity):
    [problem] = rq.check_bik(bik)
    assert (problem.code, problem.severity) == (code, severity)


def test_it_does_not_blame_the_account_for_a_broken_bik():
    account = demo_data.CLIENTS[0]["bank"]["account"]
    assert rq.check_account("0445252", account) == []
    assert codes(rq.check_bik("0445252")) == ["bik_length"]


def test_it_reads_a_clearing_currency_letter_in_place_6_of_an_account():
    bik, account = SBER_BANK["bik"], demo_data.CLIENTS[0]["bank"]["account"]
    assert account[5] == "8"  # the currency code starts here; a clearing currency has a letter
    assert rq.is_valid_account(bik, account[:5] + "T" + account[6:])  # Latin T counts as 8
    assert rq.is_valid_account(bik, account[:5] + "Т" + account[6:])  # so does Cyrillic Т
    assert not rq.is_valid_account(bik, account[:5] + "X" + account[6:])  # X counts as 9
    assert codes(rq.check_account(bik, account[:5] + "D" + account[6:])) == ["account_format"]
    assert codes(rq.check_account(bik, account[:6] + "T" + account[7:])) == ["account_format"]


def test_it_accepts_treasury_requisites_which_have_no_account_key():
    bank = BankDetails(
        bank_name="ГУ Банка России по ЦФО//УФК по г. Москве",
        bik=TREASURY["bik"],
        account=TREASURY["account"],
        corr_account=TREASURY["corr"],
    )
    assert rq.check_bank(bank) == []
    # The single treasury account is keyed like any account at a Bank of Russia unit…
    broken_corr = TREASURY["corr"][:-1] + "4"
    assert codes(rq.check_corr_account(TREASURY["bik"], broken_corr)) == ["corr_account_checksum"]
    # …and a bank's 301 corr. account is not one.
    problems = rq.check_corr_account(TREASURY["bik"], SBER_BANK["corr_account"])
    assert codes(problems) == ["corr_account_prefix"] and "40102" in problems[0].message


def test_it_lets_a_bank_of_russia_unit_go_without_a_corr_account():
    assert rq.check_corr_account("044525000", "") == []
    assert codes(rq.check_corr_account(SBER_BANK["bik"], "")) == ["required"]


def test_it_keys_a_corr_account_over_the_bank_of_russia_units_number():
    # The Bank of Russia's own worked example (order N 515): a corr. account opened in the
    # unit with BIK 049805000, of the bank with BIK 049805746, and a client's account there.
    assert rq.is_valid_corr_account("049805746", "30101810800000000746")
    assert not rq.is_valid_corr_account("049805746", "30101810900000000746")
    assert rq.is_valid_account("049805746", "40602810700000000025")


@pytest.mark.parametrize(
    ("account", "code"),
    [
        ("4070281177034236671", "account_length"),
        ("407028117703423667120", "account_length"),
        ("4" * 10_000, "account_length"),
        ("", "required"),
        (None, "required"),
        ("40702-8117-7034-2366-712", None),
    ],
)
def test_it_checks_the_shape_of_a_settlement_account(account, code):
    problems = rq.check_account(SBER_BANK["bik"], account)
    assert codes(problems) == ([code] if code else [])


def test_it_rejects_a_treasury_account_at_a_commercial_bank():
    [problem] = rq.check_account(SBER_BANK["bik"], TREASURY["account"])
    assert problem.code == "account_treasury_bik"
    assert "Казначейства" in problem.message
