"""Requisites checked the way 1C checks them, before anything is sent there.

Every check returns a list of `Problem`s (empty when the value is fine) so the wizard can show
all of them at once, next to the fields, as errors (block sending) or warnings (the manager may
go on). Values are normalised first: managers paste numbers with spaces, dashes and
non-breaking spaces from PDFs and e-mails.

Rules (Bank of Russia «Порядок расчета контрольного ключа в номере лицевого счета» N 515 of
08.09.1997, the BIK directory rules, FNS numbering of INN/OGRN):
- The account key is position 9 of a 20-digit account, checked over 23 digits: a 3-digit
  "conditional number" + the account, weights 7,1,3 repeated, Σ(d·w mod 10) ≡ 0 (mod 10).
  The conditional number is BIK[6:9] for an account in a credit institution and
  "0" + BIK[4:6] for an account opened in a Bank of Russia unit. A correspondent account is
  opened in a Bank of Russia unit, hence "0" + BIK[4:6] for it.
- BIK: 9 digits. "04…" is a bank or a Bank of Russia unit in Russia; BIK[6:9] below 050 is a
  Bank of Russia unit itself (it has no correspondent account), 050–999 a credit institution
  (whose corr. account ends with the same three digits). Since 2021 bodies of the Federal
  Treasury (ТОФК) have BIKs "00…", "01…" or "02…": their correspondent account is the single
  treasury account (ЕКС, "40102…"), keyed like any account in a Bank of Russia unit, and the
  accounts they keep are treasury accounts "03…", which carry no key at all (their position 9
  is part of the number). So an account at a treasury BIK is not key-checked, and an account
  starting with "0" anywhere else is wrong (no balance-sheet account of a bank starts with 0).
"""

import re
import unicodedata
from dataclasses import dataclass, replace

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum.ru import inn as stdnum_inn
from stdnum.ru import ogrn as stdnum_ogrn

from b24app.deal_context import BankDetails, ClientKind, Party

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    field: str  # Party field name: "inn", "kpp", "ogrn", "bank.bik", "bank.account", …
    code: str  # machine code: "inn_checksum", "inn_length", "kpp_format", "required", …
    message: str  # Russian, for the manager: names the field and says what to do
    severity: str = ERROR  # or WARNING

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


# Every message in one place, by code; "length"/"format" are shared by all the numbers.
_MESSAGES = {
    "required": gettext_lazy("Заполните поле «%(label)s»"),
    "format": gettext_lazy(
        "%(label)s может содержать только цифры, а сейчас в нём есть «%(sample)s»"
    ),
    "length": gettext_lazy("%(label)s должен содержать %(expected)s цифр, сейчас %(actual)s"),
    "inn_kind": gettext_lazy("%(hint)s. Проверьте вид реквизита (шаблон) в Битрикс24"),
    "inn_region": gettext_lazy("ИНН не может начинаться с 00 — проверьте цифры"),
    "inn_checksum": gettext_lazy("Контрольная сумма ИНН не сходится — проверьте цифры"),
    "kpp_format": gettext_lazy(
        "КПП: 9 символов, 5-й и 6-й могут быть буквами A–Z, остальные — цифры; сейчас «%(value)s»"
    ),
    "kpp_not_applicable": gettext_lazy("У ИП и физлиц нет КПП — значение будет проигнорировано"),
    "ogrn_checksum": gettext_lazy("Контрольная сумма ОГРН не сходится — проверьте цифры"),
    "ogrn_prefix": gettext_lazy(
        "ОГРН обычно начинается с 1 или 5 — возможно, указан ГРН записи, а не ОГРН"
    ),
    "ogrn_not_applicable": gettext_lazy("У физлица нет ОГРН — значение будет проигнорировано"),
    "ogrnip_checksum": gettext_lazy("Контрольная сумма ОГРНИП не сходится — проверьте цифры"),
    "ogrnip_prefix": gettext_lazy(
        "ОГРНИП обычно начинается с 3 — возможно, указан ГРНИП записи, а не ОГРНИП"
    ),
    "bik_prefix": gettext_lazy(
        "БИК банка в России начинается с 04 — проверьте, не перепутаны ли цифры"
    ),
    "corr_account_prefix": gettext_lazy(
        "Корр. счёт банка начинается с 301 — проверьте, не указан ли вместо него расчётный счёт"
    ),
    "corr_account_treasury_prefix": gettext_lazy(
        "Корр. счёт органа Казначейства (единый казначейский счёт) начинается с 40102"
    ),
    "corr_account_bik_mismatch": gettext_lazy(
        "Последние три цифры корр. счёта должны совпадать с последними тремя цифрами БИК"
    ),
    "corr_account_checksum": gettext_lazy(
        "Корр. счёт не сходится с БИК (контрольный ключ) — проверьте цифры"
    ),
    "account_treasury_bik": gettext_lazy(
        "Счёт, начинающийся с 0, — казначейский: у него БИК органа Казначейства (00…, 01…, 02…)"
    ),
    "account_checksum": gettext_lazy(
        "Расчётный счёт не сходится с БИК (контрольный ключ) — проверьте цифры счёта и БИК"
    ),
}


def _problem(field: str, code: str, severity: str = ERROR, *, template: str = "", **params):
    message = str(_MESSAGES[template or code])
    return Problem(field, code, message % params if params else message, severity)


def _required(field: str, label: str, hint: str = "", severity: str = ERROR) -> Problem:
    problem = _problem(field, "required", severity, label=label)
    return replace(problem, message=f"{problem.message}: {hint}") if hint else problem


# Pasted numbers carry spaces (incl. NBSP and thin spaces), hyphens and dashes.
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―]+")
_DIGITS = re.compile(r"[0-9]+")
KPP_RE = re.compile(r"[0-9]{4}[0-9A-Z]{2}[0-9]{3}")
# A clearing-currency account has a letter in position 6; Cyrillic look-alikes are accepted
# because they are what a Russian keyboard types.
_ACCOUNT_LETTERS = {
    **{letter: str(digit) for digit, letter in enumerate("ABCEHKMPTX")},
    **{letter: str(digit) for digit, letter in enumerate("АВСЕНКМРТХ")},
}
_KEY_WEIGHTS = ((7, 1, 3) * 8)[:23]  # 3-digit conditional number + 20-digit account
_TREASURY_BIK_PREFIXES = ("00", "01", "02")
_INN_KIND_LENGTH = {ClientKind.COMPANY: 10, ClientKind.SOLE_TRADER: 12, ClientKind.PERSON: 12}


def normalize_number(value: str | None) -> str:
    """Drop separators and fold full-width/look-alike digits; letters stay (and fail later)."""
    if not value:
        return ""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", str(value))).upper()


def _digits_only(value: str) -> bool:
    return bool(_DIGITS.fullmatch(value))


def _length_or_format(field, code, label, value: str, lengths: tuple[int, ...]) -> Problem | None:
    """The two checks every number shares; checksums assume both passed."""
    if not _digits_only(value):
        sample = next(c for c in value if not ("0" <= c <= "9"))
        return _problem(field, f"{code}_format", template="format", label=label, sample=sample)
    if len(value) not in lengths:
        expected = str(_(" или ")).join(map(str, lengths))
        return _problem(
            field,
            f"{code}_length",
            template="length",
            label=label,
            expected=expected,
            actual=len(value),
        )
    return None


# --- tax numbers ------------------------------------------------------------------------------

_INN_KIND_HINTS = {
    ClientKind.COMPANY: gettext_lazy("У организации ИНН из 10 цифр, 12 цифр — у ИП и физлиц"),
    ClientKind.SOLE_TRADER: gettext_lazy("У ИП ИНН из 12 цифр, 10 цифр — у организаций"),
    ClientKind.PERSON: gettext_lazy("У физлица ИНН из 12 цифр, 10 цифр — у организаций"),
}


def check_inn(value: str | None, kind: ClientKind | None = None) -> list[Problem]:
    """10 digits for an organisation, 12 for an ИП or a person; `kind=None` accepts either."""
    inn = normalize_number(value)
    if not inn:
        return [_required("inn", _("ИНН"))]
    lengths = (_INN_KIND_LENGTH[ClientKind(kind)],) if kind else (10, 12)
    if problem := _length_or_format("inn", "inn", _("ИНН"), inn, lengths):
        if problem.code == "inn_length" and kind and len(inn) in (10, 12):
            # The right length for the other kind: the requisite preset is wrong, not the INN.
            hint = str(_MESSAGES["inn_kind"]) % {"hint": _INN_KIND_HINTS[ClientKind(kind)]}
            problem = replace(problem, message=f"{problem.message}. {hint}")
        return [problem]
    if inn.startswith("00"):  # the first two digits are a region code; there is no region 00
        return [_problem("inn", "inn_region")]
    # python-stdnum implements both INN checksums exactly as FNS defines them.
    if not stdnum_inn.is_valid(inn):
        return [_problem("inn", "inn_checksum")]
    return []


def check_kpp(value: str | None) -> list[Problem]:
    kpp = normalize_number(value)
    if not kpp:
        return [_required("kpp", _("КПП"), _("у организации он обязателен"))]
    if not KPP_RE.fullmatch(kpp):
        return [_problem("kpp", "kpp_format", value=kpp[:20])]
    return []


def check_ogrn(value: str | None) -> list[Problem]:
    """OGRN of an organisation: 13 digits, int(first 12) mod 11 mod 10 (python-stdnum's rule)."""
    ogrn = normalize_number(value)
    if not ogrn:
        return [_required("ogrn", _("ОГРН"))]
    if problem := _length_or_format("ogrn", "ogrn", _("ОГРН"), ogrn, (13,)):
        return [problem]
    if ogrn[0] == "0" or not stdnum_ogrn.is_valid(ogrn):
        return [_problem("ogrn", "ogrn_checksum")]
    if ogrn[0] not in "15":
        # 2, 6–9 start the number of a register *entry* (ГРН), often pasted by mistake.
        return [_problem("ogrn", "ogrn_prefix", WARNING)]
    return []


def ogrnip_check_digit(first14: str) -> str:
    """int(first 14) mod 13 mod 10. Written here because python-stdnum 2.2 skips the final
    "mod 10" and so rejects every valid OGRNIP whose remainder is 10 (check digit 0)."""
    return str(int(first14) % 13 % 10)


def check_ogrnip(value: str | None) -> list[Problem]:
    ogrnip = normalize_number(value)
    if not ogrnip:
        return [_required("ogrn", _("ОГРНИП"))]
    if problem := _length_or_format("ogrn", "ogrnip", _("ОГРНИП"), ogrnip, (15,)):
        return [problem]
    if ogrnip[-1] != ogrnip_check_digit(ogrnip[:14]):
        return [_problem("ogrn", "ogrnip_checksum")]
    if ogrnip[0] != "3":
        return [_problem("ogrn", "ogrnip_prefix", WARNING)]
    return []


# --- bank details -----------------------------------------------------------------------------


def is_treasury_bik(bik: str) -> bool:
    return len(bik) == 9 and bik.startswith(_TREASURY_BIK_PREFIXES)


def is_central_bank_unit_bik(bik: str) -> bool:
    """A Bank of Russia unit (РКЦ, ГУ, ОПЕРУ): conditional number 000–049, no corr. account."""
    return len(bik) == 9 and bik.startswith("04") and _digits_only(bik) and int(bik[6:]) < 50


def _key_ok(conditional_number: str, account: str) -> bool:
    digits = conditional_number + account
    return sum(int(d) * w % 10 for d, w in zip(digits, _KEY_WEIGHTS, strict=True)) % 10 == 0


def check_bik(value: str | None) -> list[Problem]:
    bik = normalize_number(value)
    if not bik:
        return [_required("bank.bik", _("БИК"))]
    if problem := _length_or_format("bank.bik", "bik", _("БИК"), bik, (9,)):
        return [problem]
    if not bik.startswith(("04", *_TREASURY_BIK_PREFIXES)):
        return [_problem("bank.bik", "bik_prefix", WARNING)]
    return []


def check_corr_account(bik: str | None, account: str | None) -> list[Problem]:
    """Correspondent account of the bank (`301…`), or the ЕКС (`40102…`) of a treasury body."""
    bik, acc = normalize_number(bik), normalize_number(account)
    field = "bank.corr_account"
    if not acc:
        return [] if is_central_bank_unit_bik(bik) else [_required(field, _("Корр. счёт"))]
    if problem := _length_or_format(field, "corr_account", _("Корр. счёт"), acc, (20,)):
        return [problem]
    treasury = is_treasury_bik(bik)
    if treasury and not acc.startswith("40102"):
        return [_problem(field, "corr_account_prefix", template="corr_account_treasury_prefix")]
    if not treasury and not acc.startswith("301"):
        return [_problem(field, "corr_account_prefix")]
    if any(p.is_error for p in check_bik(bik)):
        return []  # the key depends on a valid BIK; the BIK's own problem is reported
    if not treasury and not is_central_bank_unit_bik(bik) and acc[-3:] != bik[-3:]:
        return [_problem(field, "corr_account_bik_mismatch")]
    if not _key_ok("0" + bik[4:6], acc):
        return [_problem(field, "corr_account_checksum")]
    return []


def check_account(bik: str | None, account: str | None) -> list[Problem]:
    """Settlement account (расчётный счёт) against the BIK of the bank that keeps it."""
    bik, acc = normalize_number(bik), normalize_number(account)
    field = "bank.account"
    if not acc:
        return [_required(field, _("Расчётный счёт"))]
    # Position 6 may be a letter (clearing currency); everything else must be digits.
    as_digits = acc[:5] + _ACCOUNT_LETTERS.get(acc[5], acc[5]) + acc[6:] if len(acc) > 5 else acc
    if problem := _length_or_format(field, "account", _("Расчётный счёт"), as_digits, (20,)):
        return [problem]
    if any(p.is_error for p in check_bik(bik)):
        return []  # the key depends on a valid BIK; the BIK's own problem is reported
    if is_treasury_bik(bik):
        return []  # treasury accounts carry no key (see the module docstring)
    if as_digits.startswith("0"):
        return [_problem(field, "account_treasury_bik")]
    conditional_number = "0" + bik[4:6] if is_central_bank_unit_bik(bik) else bik[6:9]
    if not _key_ok(conditional_number, as_digits):
        return [_problem(field, "account_checksum")]
    return []


def check_bank(bank: BankDetails) -> list[Problem]:
    problems = []
    if not (bank.bank_name or "").strip():
        problems.append(_required("bank.bank_name", _("Банк")))
    problems += check_bik(bank.bik)
    problems += check_corr_account(bank.bik, bank.corr_account)
    problems += check_account(bank.bik, bank.account)
    return problems


def _blank(value: str | None) -> bool:
    return not (value or "").strip()


# --- the whole party --------------------------------------------------------------------------


def validate_party(party: Party, *, for_contract: bool = True, own: bool = False) -> list[Problem]:
    """All problems of one side of a document, in the order the wizard shows the fields.

    `for_contract`: a contract is generated too (needs the director of an organisation);
    `own`: this is our legal entity, whose bank details are printed on the invoice (required).
    A client's missing bank details are only a warning: 1C creates the counterparty without
    them, the contract's requisites block just stays without a bank.
    """
    kind = ClientKind(party.kind)
    company, person = kind == ClientKind.COMPANY, kind == ClientKind.PERSON
    problems: list[Problem] = []
    if _blank(party.full_name):
        problems.append(_required("full_name", _("ФИО") if person else _("Полное наименование")))
    if normalize_number(party.inn) or not person:
        problems += check_inn(party.inn, kind)
    if company:
        problems += check_kpp(party.kpp)
    elif normalize_number(party.kpp):
        problems.append(_problem("kpp", "kpp_not_applicable", WARNING))
    if company:
        problems += check_ogrn(party.ogrn)
    elif kind == ClientKind.SOLE_TRADER:
        problems += check_ogrnip(party.ogrn)
    elif normalize_number(party.ogrn):
        problems.append(_problem("ogrn", "ogrn_not_applicable", WARNING))
    if _blank(party.legal_address):
        label = _("Юридический адрес") if company else _("Адрес")
        problems.append(_required("legal_address", label))
    if company and for_contract:
        if _blank(party.director):
            hint = _("ФИО нужно для договора («в лице …»)")
            problems.append(_required("director", _("Руководитель"), hint))
        if _blank(party.director_title):
            hint = _("без неё в договоре не написать «в лице …»")
            problems.append(_required("director_title", _("Должность руководителя"), hint, WARNING))

    bank = party.bank
    if bank and not all(map(_blank, (bank.bank_name, bank.bik, bank.account, bank.corr_account))):
        problems += check_bank(bank)
    elif own:
        hint = _("они печатаются в счёте на оплату")
        problems.append(_required("bank", _("Банковские реквизиты"), hint))
    elif not person and for_contract:
        hint = _("без них в договоре не будет банковских реквизитов клиента")
        problems.append(_required("bank", _("Банковские реквизиты"), hint, WARNING))
    return problems


def has_errors(problems: list[Problem]) -> bool:
    return any(p.is_error for p in problems)


def clean_party(party: Party) -> Party:
    """A copy with numbers normalised as the checks read them, to store and to send to 1C."""
    bank = party.bank
    if bank is not None:
        bank = replace(
            bank,
            bik=normalize_number(bank.bik),
            account=normalize_number(bank.account),
            corr_account=normalize_number(bank.corr_account),
        )
    kind = ClientKind(party.kind)
    return replace(
        party,
        inn=normalize_number(party.inn),
        kpp=normalize_number(party.kpp) if kind == ClientKind.COMPANY else "",
        ogrn=normalize_number(party.ogrn) if kind != ClientKind.PERSON else "",
        bank=bank,
    )


# --- boolean helpers and a form validator -----------------------------------------------------


def is_valid_inn(value: str | None, kind: ClientKind | None = None) -> bool:
    return not has_errors(check_inn(value, kind))


def is_valid_kpp(value: str | None) -> bool:
    return not has_errors(check_kpp(value))


def is_valid_ogrn(value: str | None) -> bool:
    return not has_errors(check_ogrn(value))


def is_valid_ogrnip(value: str | None) -> bool:
    return not has_errors(check_ogrnip(value))


def is_valid_corr_account(bik: str | None, account: str | None) -> bool:
    return not has_errors(check_corr_account(bik, account))


def is_valid_account(bik: str | None, account: str | None) -> bool:
    return not has_errors(check_account(bik, account))


def raise_for_errors(problems: list[Problem]) -> None:
    """For a Django form's clean_<field>(): errors become a ValidationError, warnings pass."""
    errors = [ValidationError(p.message, code=p.code) for p in problems if p.is_error]
    if errors:
        raise ValidationError(errors)
