"""Everything an invoice «Счет на оплату» prints, as plain values: the 1C print service, the
app's own renderer and tests build the same dataclass."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from documents.money import Line, Totals, VatRate, totals

from .russian import date_ru


@dataclass(frozen=True)
class BankDetails:
    bank_name: str
    bik: str
    corr_account: str
    account: str
    city: str = ""


@dataclass(frozen=True)
class PartyDetails:
    name: str  # as printed: «ООО «Ромашка»»
    inn: str
    kpp: str = ""
    address: str = ""
    phone: str = ""

    @property
    def requisites_line(self) -> str:
        """«ООО «Ромашка», ИНН 7752601811, КПП 775201001, 125009, г. Москва, …» like 1C."""
        parts = [self.name, f"ИНН {self.inn}" if self.inn else ""]
        parts += [f"КПП {self.kpp}" if self.kpp else "", self.address, self.phone]
        return ", ".join(p for p in parts if p)


@dataclass(frozen=True)
class InvoiceRow:
    name: str
    quantity: Decimal
    unit: str
    price: Decimal
    amount: Decimal
    vat_rate: VatRate


@dataclass(frozen=True)
class Signatory:
    title: str  # «Руководитель», «Бухгалтер», «Предприниматель»
    name: str  # «Смирнов А. В.»
    signature_png: bytes | None = None


@dataclass
class InvoicePrintData:
    number: str  # as printed: no prefix, no leading zeros
    date: date
    supplier: PartyDetails
    supplier_bank: BankDetails
    buyer: PartyDetails
    rows: list[InvoiceRow]
    price_includes_vat: bool = True
    basis: str = ""  # «Договор № Д-2026/001 от 01.01.2026»
    signatories: list[Signatory] = field(default_factory=list)
    stamp_png: bytes | None = None
    payment_purpose: str = ""
    note: str = ""

    @property
    def title(self) -> str:
        return f"Счет на оплату № {self.number} от {date_ru(self.date, pad_day=True)}"

    @property
    def totals(self) -> Totals:
        lines = [Line(r.quantity, r.price, r.vat_rate) for r in self.rows]
        return totals(lines, price_includes_vat=self.price_includes_vat)

    @property
    def purpose(self) -> str:
        if self.payment_purpose:
            return self.payment_purpose
        t = self.totals
        vat = f"В т.ч. НДС {money_plain(t.vat)} руб." if t.vat else "НДС не облагается"
        return f"Оплата по счету № {self.number} от {self.date:%d.%m.%Y}. {vat}"


def money_plain(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", "-")


def format_quantity(value: Decimal) -> str:
    """1C prints 2 as «2», 1.5 as «1,5», 0.125 as «0,125»."""
    text = f"{value.normalize():f}" if value == value.to_integral_value() else f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")
