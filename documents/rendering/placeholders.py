"""The placeholders a contract template may use, and the context that fills them.

Inputs are plain dataclasses (no Django models), so tests, the generation pipeline and the admin's
template preview can build them from anything. The context is nested dicts of ready-to-print
strings: a template never formats money or declines names itself, it only places them.
The wording that depends on the party (kind, gender) is built here, because a static template
cannot say «действующего»/«действующей» correctly for every signatory.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from num2words import num2words

from documents.money import Line, Totals, VatRate, amount_in_words, format_money, round_money

from .russian import (
    FEMALE,
    date_numeric,
    date_ru,
    detect_gender,
    genitive_name,
    genitive_title,
    initials,
    party_wording,
)

__all__ = [
    "PAYMENT_SCHEMES",
    "PLACEHOLDERS",
    "BankData",
    "ContractData",
    "GoodsRow",
    "LegalEntityData",
    "Party",
    "Placeholder",
    "Totals",
    "contract_context",
    "example_context",
]

COMPANY, SOLE_TRADER, PERSON = "company", "ip", "person"  # values of deal_context.ClientKind
PAYMENT_SCHEMES = ("100", "70/30")


@dataclass(frozen=True)
class BankData:
    bank_name: str = ""
    bik: str = ""
    account: str = ""  # расчётный счёт
    corr_account: str = ""  # корреспондентский счёт


@dataclass(frozen=True)
class Party:
    """The client: a company, a sole trader (ИП) or a private person."""

    kind: str = COMPANY
    full_name: str = ""  # «Общество с ограниченной ответственностью «Вектор»» / the person's name
    short_name: str = ""  # «ООО «Вектор»»
    inn: str = ""
    kpp: str = ""
    ogrn: str = ""  # ОГРН, or ОГРНИП for a sole trader
    address: str = ""
    email: str = ""
    phone: str = ""
    director: str = ""  # signatory's full name, nominative
    director_title: str = ""  # nominative, «Генеральный директор»
    # The admin's stored genitive for a title the table does not know («Управляющего партнёра»).
    director_title_genitive: str = ""
    basis: str = ""  # genitive: «Устава», «доверенности № 5 от 10.01.2026»; default by kind
    passport: str = ""  # a private person's passport line, optional
    bank: BankData | None = None


@dataclass(frozen=True)
class LegalEntityData(Party):
    """Our legal entity (1C «Организация»); its bank account comes separately as `bank`."""

    chief_accountant: str = ""


@dataclass(frozen=True)
class GoodsRow:
    name: str
    quantity: Decimal
    price: Decimal
    vat_rate: VatRate = VatRate.VAT22
    unit: str = "шт"
    article: str = ""

    @property
    def line(self) -> Line:
        return Line(quantity=self.quantity, price=self.price, vat_rate=self.vat_rate)


@dataclass(frozen=True)
class ContractData:
    number: str
    date: date
    valid_until: date | None = None
    city: str = ""
    price_includes_vat: bool = True
    payment_days: int = 5  # banking days to pay each part
    delivery_days: int = 10  # working days to deliver after (pre)payment
    seller_role: str = "Поставщик"
    buyer_role: str = "Покупатель"


@dataclass(frozen=True)
class Placeholder:
    name: str  # dotted path as written in a template: «client.inn», «goods[].name» for rows
    description: str
    example: str = field(default="")


def contract_context(
    *,
    client: Party,
    legal_entity: LegalEntityData,
    bank: BankData,
    goods: list[GoodsRow],
    totals: Totals,
    contract: ContractData,
    payment_scheme: str,
) -> dict:
    """Everything a contract template can print. `stamp`/`signature` start empty; the renderer
    fills them with images for the with-stamp variant."""
    if payment_scheme not in PAYMENT_SCHEMES:
        raise ValueError(f"unknown payment scheme {payment_scheme!r}")
    return {
        "client": _party(client, role=contract.buyer_role),
        "legal_entity": _party(legal_entity, role=contract.seller_role, bank=bank)
        | {"chief_accountant": legal_entity.chief_accountant},
        "goods": [_goods_row(n, row) for n, row in enumerate(goods, start=1)],
        "totals": _totals(totals, count=len(goods), price_includes_vat=contract.price_includes_vat),
        "contract": _contract(contract),
        "payment": _payment(payment_scheme, totals.total, contract.payment_days),
        "stamp": "",
        "signature": "",
    }


def _party(party: Party, *, role: str, bank: BankData | None = None) -> dict:
    person = _person_name(party)
    gender = detect_gender(person) if person else None
    title_genitive = party.director_title_genitive or genitive_title(party.director_title)
    wording = party_wording(
        kind=party.kind,
        name=_display_name(party, person),
        person=person,
        person_genitive=genitive_name(person, gender) if person else "",
        title_genitive=title_genitive,
        feminine=gender == FEMALE,
        basis=party.basis,
        ogrn=party.ogrn,
        passport=party.passport,
        role=role,
    )
    bank = bank or party.bank or BankData()
    return {
        "kind": party.kind,
        "is_company": party.kind == COMPANY,
        "is_ip": party.kind == SOLE_TRADER,
        "is_person": party.kind == PERSON,
        "name": _display_name(party, person),
        "full_name": party.full_name or party.short_name,
        "short_name": party.short_name or party.full_name,
        "inn": party.inn,
        "kpp": party.kpp,
        "ogrn": party.ogrn,
        "address": party.address,
        "email": party.email,
        "phone": party.phone,
        "passport": party.passport,
        "director": person,
        "director_title": party.director_title
        or ("Индивидуальный предприниматель" if party.kind == SOLE_TRADER else ""),
        "director_genitive": genitive_name(person, gender) if person else "",
        "director_title_genitive": title_genitive,
        "director_initials": initials(person),
        "role": role,
        "bank": {
            "name": bank.bank_name,
            "bik": bank.bik,
            "account": bank.account,
            "corr_account": bank.corr_account,
        },
        **wording,
    }


_IP_PREFIXES = ("индивидуальный предприниматель ", "ип ")


def _person_name(party: Party) -> str:
    """The human behind the party: the director of a company, the ИП or person themselves."""
    if party.kind == COMPANY:
        return " ".join(party.director.split())
    name = party.director or party.full_name or party.short_name
    name = " ".join(name.split())
    for prefix in _IP_PREFIXES:
        if name.lower().startswith(prefix):
            return name[len(prefix) :]
    return name


def _display_name(party: Party, person: str) -> str:
    if party.kind == SOLE_TRADER:
        return f"Индивидуальный предприниматель {person}" if person else party.full_name
    if party.kind == PERSON:
        return person
    return party.full_name or party.short_name


def _quantity(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


def _goods_row(n: int, row: GoodsRow) -> dict:
    line = row.line
    return {
        "n": str(n),
        "name": row.name,
        "article": row.article,
        "unit": row.unit,
        "quantity": _quantity(row.quantity),
        "price": format_money(row.price),
        "amount": format_money(line.amount),
        "vat_rate": "Без НДС" if row.vat_rate is VatRate.NONE else f"{row.vat_rate.percent}%",
        "vat": format_money(line.vat()),
    }


def _totals(totals: Totals, *, count: int, price_includes_vat: bool) -> dict:
    taxed = {rate: vat for rate, vat in totals.vat_by_rate.items() if rate is not VatRate.NONE}
    lead = "в том числе" if price_includes_vat else "кроме того"
    parts = [f"{rate.label} — {format_money(vat)} руб." for rate, vat in taxed.items()]
    # A whole clause with its final period («руб.» ends it anyway): templates add none.
    vat_phrase = f"{lead} {', '.join(parts)}" if parts else "НДС не облагается."
    if not taxed:
        vat_label = "Без налога (НДС)"
    else:
        rate_text = next(iter(taxed)).label if len(taxed) == 1 else "НДС"
        vat_label = f"{'В том числе' if price_includes_vat else 'Сумма'} {rate_text}"
    return {
        "count": str(count),
        "amount": format_money(totals.amount),
        "vat": format_money(totals.vat),
        "total": format_money(totals.total),
        "in_words": amount_in_words(totals.total),
        "vat_label": vat_label,
        "vat_phrase": vat_phrase,
    }


def _contract(contract: ContractData) -> dict:
    until = contract.valid_until
    return {
        "number": contract.number,
        "date": date_ru(contract.date),
        "date_short": date_numeric(contract.date),
        "valid_until": date_ru(until) if until else "",
        "valid_until_short": date_numeric(until) if until else "",
        "city": contract.city,
        "delivery_days": _days(contract.delivery_days),
        "payment_days": _days(contract.payment_days),
    }


def _days(n: int) -> str:
    """«5 (пяти)», as contracts spell terms: «в течение 5 (пяти) банковских дней»."""
    return f"{n} ({num2words(n, lang='ru', case='genitive')})"


def _payment(scheme: str, total: Decimal, days: int) -> dict:
    within = f"в течение {_days(days)} банковских дней"
    if scheme == "100":
        prepayment, remainder = round_money(total), Decimal("0.00")
        text = (
            f"Покупатель оплачивает 100% стоимости Товара ({format_money(prepayment)} руб.) "
            f"{within} с даты выставления счёта на оплату."
        )
    else:
        prepayment = round_money(total * Decimal("0.7"))
        remainder = round_money(total) - prepayment  # the parts must add up to the total exactly
        text = (
            f"Покупатель оплачивает 70% стоимости Товара ({format_money(prepayment)} руб.) "
            f"{within} с даты выставления счёта на оплату; оставшиеся 30% "
            f"({format_money(remainder)} руб.) — {within} с даты поставки Товара."
        )
    return {
        "scheme": scheme,
        "text": text,
        "prepayment_percent": "100" if scheme == "100" else "70",
        "prepayment": format_money(prepayment),
        "remainder": format_money(remainder),
    }


def example_context() -> dict:
    """A filled-in context: shows admins what each placeholder prints and lets check_template
    try a render before a template is accepted."""
    from documents.money import totals as compute_totals

    goods = [
        GoodsRow("Кресло офисное «Директор»", Decimal("2"), Decimal("15000.00"), article="KR-01"),
        GoodsRow("Доставка", Decimal("1"), Decimal("1200.50"), unit="усл"),
    ]
    return contract_context(
        client=Party(
            full_name="Общество с ограниченной ответственностью «Вектор»",
            short_name="ООО «Вектор»",
            inn="7707083893",
            kpp="770701001",
            ogrn="1027700132195",
            address="125009, г. Москва, ул. Тверская, д. 1",
            director="Павлов Дмитрий Олегович",
            director_title="Генеральный директор",
            bank=BankData(
                "ПАО Сбербанк", "044525225", "40702810938000000001", "30101810400000000225"
            ),
        ),
        legal_entity=LegalEntityData(
            full_name="Общество с ограниченной ответственностью «Ромашка»",
            short_name="ООО «Ромашка»",
            inn="7728168971",
            kpp="772801001",
            ogrn="1027700067328",
            address="117393, г. Москва, ул. Профсоюзная, д. 56",
            director="Смирнов Алексей Викторович",
            director_title="Генеральный директор",
            chief_accountant="Орлова Ирина Сергеевна",
        ),
        bank=BankData(
            "АО «Альфа-Банк»", "044525593", "40702810401300012345", "30101810200000000593"
        ),
        goods=goods,
        totals=compute_totals([g.line for g in goods]),
        contract=ContractData(
            number="Д-2026-015",
            date=date(2026, 2, 1),
            valid_until=date(2026, 12, 31),
            city="г. Москва",
        ),
        payment_scheme="70/30",
    )


_DESCRIPTIONS = {
    "client": "Покупатель (клиент из сделки)",
    "legal_entity": "Наше юрлицо (Поставщик)",
}
_PARTY_FIELDS = {
    "name": "наименование для текста (для ИП — «Индивидуальный предприниматель ФИО»)",
    "full_name": "полное наименование",
    "short_name": "краткое наименование",
    "inn": "ИНН",
    "kpp": "КПП (пусто у ИП и физлица)",
    "ogrn": "ОГРН / ОГРНИП",
    "address": "юридический адрес",
    "email": "e-mail",
    "phone": "телефон",
    "passport": "паспортные данные физлица",
    "director": "подписант, ФИО в именительном падеже",
    "director_title": "должность подписанта",
    "director_genitive": "ФИО подписанта в родительном падеже",
    "director_title_genitive": "должность подписанта в родительном падеже",
    "director_initials": "подписант для подписи: «Смирнов А. В.»",
    "signatory_genitive": "«Генерального директора Смирнова Алексея Викторовича»",
    "in_person_of": "«в лице Генерального директора Смирнова Алексея Викторовича»",
    "acting_on": "«действующего на основании Устава» (с учётом рода и вида лица)",
    "basis": "основание полномочий в родительном падеже («Устава»)",
    "named": "«именуемое» / «именуемый» / «именуемая»",
    "role": "роль в договоре («Поставщик», «Покупатель»)",
    "preamble": "сторона целиком для преамбулы договора",
    "is_company": "истина для юрлица (для {% if %})",
    "is_ip": "истина для ИП",
    "is_person": "истина для физлица",
    "kind": "вид лица: company, ip, person",
    "bank.name": "банк",
    "bank.bik": "БИК",
    "bank.account": "расчётный счёт",
    "bank.corr_account": "корреспондентский счёт",
}
_OTHER_FIELDS = {
    "legal_entity.chief_accountant": "главный бухгалтер",
    "goods": "строки товаров: {%tr for row in goods %} … {%tr endfor %}",
    "goods[].n": "номер строки",
    "goods[].name": "наименование товара",
    "goods[].article": "артикул",
    "goods[].unit": "единица измерения",
    "goods[].quantity": "количество",
    "goods[].price": "цена",
    "goods[].amount": "сумма строки",
    "goods[].vat_rate": "ставка НДС («22%», «Без НДС»)",
    "goods[].vat": "НДС строки",
    "totals.count": "число строк",
    "totals.amount": "итого по строкам",
    "totals.vat": "сумма НДС",
    "totals.total": "всего к оплате",
    "totals.in_words": "всего к оплате прописью",
    "totals.vat_label": "«В том числе НДС 22%» / «Без налога (НДС)»",
    "totals.vat_phrase": "«в том числе НДС 22% — 2 163,93 руб.» (с точкой в конце)",
    "contract.number": "номер договора",
    "contract.date": "дата договора: «1 февраля 2026 г.»",
    "contract.date_short": "дата договора: «01.02.2026»",
    "contract.valid_until": "срок действия: «31 декабря 2026 г.»",
    "contract.valid_until_short": "срок действия: «31.12.2026»",
    "contract.city": "город заключения",
    "contract.delivery_days": "срок поставки: «10 (десяти)» рабочих дней",
    "contract.payment_days": "срок оплаты: «5 (пяти)» банковских дней",
    "payment.scheme": "схема оплаты: 100 или 70/30",
    "payment.text": "условие оплаты целиком",
    "payment.prepayment_percent": "процент предоплаты",
    "payment.prepayment": "сумма предоплаты",
    "payment.remainder": "сумма доплаты",
    "stamp": "печать нашего юрлица (только в варианте с печатью)",
    "signature": "подпись руководителя (только в варианте с печатью)",
}


def _lookup(context: dict, name: str):
    value = context
    for part in name.replace("[]", ".0").split("."):
        value = value[int(part)] if isinstance(value, list) else value[part]
    return value


def _build_placeholders() -> list[Placeholder]:
    example = example_context()
    names = {
        f"{party}.{key}": f"{_DESCRIPTIONS[party]}: {text}"
        for party in ("client", "legal_entity")
        for key, text in _PARTY_FIELDS.items()
    } | _OTHER_FIELDS
    result = []
    for name, description in names.items():
        value = _lookup(example, name)
        result.append(Placeholder(name, description, value if isinstance(value, str) else ""))
    return result


PLACEHOLDERS: list[Placeholder] = _build_placeholders()
