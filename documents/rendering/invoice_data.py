"""Everything an invoice «Счет на оплату» prints, as plain values: the 1C print service, the
app's own renderer and tests build the same dataclass."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from documents.money import Line, Totals, VatRate, format_money, totals

from .payment_qr import build_payment_payload
from .russian import date_ru


@dataclass(frozen=True)
class BankDetails:
    bank_name: str
    bik: str
    corr_account: str
    account: str
    city: str = ""

    @property
    def title(self) -> str:
        """The bank as the «Банк получателя» cell prints it: «ПАО Сбербанк г. Москва»."""
        return f"{self.bank_name} г. {self.city}" if self.city else self.bank_name


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


def vat_lines(data: InvoicePrintData) -> list[tuple[str, str]]:
    """The VAT lines under «Итого», worded like 1C."""
    result = []
    for rate, amount in data.totals.vat_by_rate.items():
        if rate is VatRate.NONE:
            result.append(("Без налога (НДС)", "-"))
        elif data.price_includes_vat:
            result.append((f"В том числе НДС {rate.percent}%:", format_money(amount)))
        else:
            result.append((f"Сумма НДС {rate.percent}%:", format_money(amount)))
    return result


def total_lines(data: InvoicePrintData) -> list[tuple[str, str]]:
    """«Итого», the VAT lines and «Всего к оплате», as (label, amount) pairs."""
    t = data.totals
    return [
        ("Итого:", format_money(t.amount)),
        *vat_lines(data),
        ("Всего к оплате:", format_money(t.total)),
    ]


def count_line(data: InvoicePrintData) -> str:
    total = format_money(data.totals.total)
    return f"Всего наименований {len(data.rows)}, на сумму {total} руб."


def payment_payload(data: InvoicePrintData) -> str:
    """The ГОСТ Р 56042 text of the invoice's payment QR code."""
    bank = data.supplier_bank
    return build_payment_payload(
        name=data.supplier.name,
        personal_acc=bank.account,
        bank_name=bank.bank_name,
        bic=bank.bik,
        corresp_acc=bank.corr_account,
        amount=data.totals.total,
        purpose=data.purpose,
        payee_inn=data.supplier.inn,
        kpp=data.supplier.kpp,
    )


def money_plain(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", "-")


def format_quantity(value: Decimal) -> str:
    """1C prints 2 as «2», 1.5 as «1,5», 0.125 as «0,125»."""
    text = f"{value.normalize():f}" if value == value.to_integral_value() else f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")
