"""What operations return: small value types, not 1C's raw dicts."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from documents.money import VatRate


@dataclass(frozen=True)
class BankAccount:
    ref_key: str
    account: str
    bik: str = ""
    bank_name: str = ""
    corr_account: str = ""
    bank_city: str = ""


@dataclass(frozen=True)
class Counterparty:
    ref_key: str
    name: str
    inn: str
    kpp: str = ""
    code: str = ""
    full_name: str = ""
    ogrn: str = ""
    partner_ref: str = ""  # UT/KA only
    bank_account_ref: str = ""
    created: bool = False  # True when this call created it


@dataclass(frozen=True)
class Signatory:
    role: str  # Руководитель / ГлавныйБухгалтер
    name: str
    title: str = ""


@dataclass(frozen=True)
class Organization:
    ref_key: str
    name: str
    full_name: str
    inn: str
    kpp: str
    ogrn: str
    address: str
    is_sole_trader: bool
    deleted: bool
    main_account_ref: str = ""
    accounts: list[BankAccount] = field(default_factory=list)
    signatories: list[Signatory] = field(default_factory=list)

    def signatory(self, role: str) -> Signatory | None:
        return next((s for s in self.signatories if s.role == role), None)


@dataclass(frozen=True)
class Contract:
    ref_key: str
    number: str
    date: date | None
    valid_until: date | None
    name: str
    created: bool = False
    organization_ref: str = ""


@dataclass(frozen=True)
class NomenclatureItem:
    ref_key: str
    article: str
    name: str
    unit: str
    unit_ref_key: str
    vat_rate: VatRate
    price: Decimal | None
    is_service: bool
    group_ref_key: str = ""
    group_name: str = ""
    deleted: bool = False


@dataclass(frozen=True)
class OneCUser:
    ref_key: str
    name: str
    email: str


@dataclass(frozen=True)
class InvoiceLine:
    nomenclature_ref: str
    quantity: Decimal
    price: Decimal  # including VAT
    vat_rate: VatRate
    name: str = ""  # Содержание: the text printed instead of the item's name
    unit_ref_key: str = ""


@dataclass(frozen=True)
class Invoice:
    """A BP invoice or a UT/KA customer order."""

    ref_key: str
    entity_set: str
    number: str  # as printed: `0000-000012` → `12`
    raw_number: str
    date: datetime | None
    posted: bool
    total: Decimal
    created: bool = False


@dataclass(frozen=True)
class PaymentAllocation:
    invoice_ref: str  # empty when unallocated
    amount: Decimal
    line: int = 0  # the РасшифровкаПлатежа row's LineNumber (1..n); 0 when unknown


@dataclass(frozen=True)
class Payment:
    ref_key: str
    number: str
    date: datetime | None
    amount: Decimal
    counterparty_ref: str
    organization_ref: str
    purpose: str
    allocations: list[PaymentAllocation] = field(default_factory=list)

    def amount_for(self, invoice_ref: str) -> Decimal:
        return sum(
            (a.amount for a in self.allocations if a.invoice_ref == invoice_ref), Decimal("0")
        )

    @property
    def unallocated(self) -> Decimal:
        return sum((a.amount for a in self.allocations if not a.invoice_ref), Decimal("0"))


@dataclass(frozen=True)
class Shipment:
    ref_key: str
    number: str
    date: datetime | None
    amount: Decimal
    invoice_ref: str
    posted: bool


@dataclass(frozen=True)
class PaymentCursor:
    """Where the last poll stopped: the newest payment seen (date, then Ref_Key)."""

    date: str = ""  # 1C local datetime, ISO
    ref: str = ""

    def as_dict(self) -> dict:
        return {"date": self.date, "ref": self.ref}

    @classmethod
    def from_dict(cls, data: dict | None) -> "PaymentCursor":
        data = data or {}
        return cls(date=data.get("date", ""), ref=data.get("ref", ""))


class PaymentStatus:
    PAID = "Оплачен"
    PARTIAL = "ОплаченЧастично"
    UNPAID = "НеОплачен"
    CANCELLED = "Отменен"
