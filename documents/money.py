"""Money as 1C computes it: Decimal everywhere, VAT per row then summed, amounts in words.

VAT rates are data: the general rate is 22% from 2026-01-01 (Federal Law 425-FZ of 28.11.2025).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from num2words import num2words

KOPECK = Decimal("0.01")


class VatRate(StrEnum):
    """Values are the names 1C BP uses in `Enum.СтавкиНДС` (UT/KA map them to Catalog_СтавкиНДС)."""

    VAT22 = "НДС22"
    VAT10 = "НДС10"
    VAT0 = "НДС0"
    USN5 = "НДС5"
    USN7 = "НДС7"
    NONE = "БезНДС"

    @property
    def percent(self) -> Decimal | None:
        return _PERCENT[self]

    @property
    def label(self) -> str:
        """As printed on an invoice: «НДС 22%» or «Без налога (НДС)»."""
        return "Без налога (НДС)" if self is VatRate.NONE else f"НДС {self.percent}%"


_PERCENT = {
    VatRate.VAT22: Decimal(22),
    VatRate.VAT10: Decimal(10),
    VatRate.VAT0: Decimal(0),
    VatRate.USN5: Decimal(5),
    VatRate.USN7: Decimal(7),
    VatRate.NONE: None,
}


def round_money(value: Decimal) -> Decimal:
    return value.quantize(KOPECK, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Line:
    quantity: Decimal
    price: Decimal
    vat_rate: VatRate

    @property
    def amount(self) -> Decimal:
        return round_money(self.quantity * self.price)

    def vat(self, *, price_includes_vat: bool = True) -> Decimal:
        """VAT of this row, rounded to kopecks, as 1C does per row.

        Price including VAT: sum × rate / (100 + rate) (22/122); otherwise sum × rate / 100.
        """
        percent = self.vat_rate.percent
        if not percent:
            return Decimal("0.00")
        base = Decimal(100) + percent if price_includes_vat else Decimal(100)
        return round_money(self.amount * percent / base)


@dataclass(frozen=True)
class Totals:
    amount: Decimal  # «Итого»
    vat: Decimal  # «В том числе НДС» / «Сумма НДС»
    total: Decimal  # «Всего к оплате»
    vat_by_rate: dict  # VatRate -> Decimal, in first-seen order


def totals(lines: list[Line], *, price_includes_vat: bool = True) -> Totals:
    amount = sum((line.amount for line in lines), Decimal("0.00"))
    vat_by_rate: dict[VatRate, Decimal] = {}
    for line in lines:
        vat_by_rate[line.vat_rate] = vat_by_rate.get(line.vat_rate, Decimal("0.00")) + line.vat(
            price_includes_vat=price_includes_vat
        )
    vat = sum(vat_by_rate.values(), Decimal("0.00"))
    total = amount if price_includes_vat else amount + vat
    return Totals(amount=amount, vat=vat, total=total, vat_by_rate=vat_by_rate)


def amount_in_words(value: Decimal) -> str:
    """«Двенадцать тысяч рублей 50 копеек».

    num2words takes an int as kopecks and defaults to EUR for Russian, so always pass a Decimal
    and the currency explicitly.
    """
    words = num2words(
        round_money(Decimal(value)),
        lang="ru",
        to="currency",
        currency="RUB",
        cents=False,
        separator="",
    )
    return words[:1].upper() + words[1:]


def format_money(value: Decimal) -> str:
    """12 000,50 — as 1C prints sums (narrow grouping by a plain space, decimal comma)."""
    sign = "-" if value < 0 else ""
    whole, frac = f"{abs(round_money(value)):.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}{' '.join(groups)},{frac}"


def to_kopecks(value: Decimal) -> int:
    return int(round_money(value) * 100)
