"""What the app knows about a deal, read from Bitrix24 in one `batch` call when the tab opens.

Plain value types shared by the wizard (validation, draft), the 1C connector (counterparty from
requisites) and rendering (placeholders). Parsing from Bitrix24's payloads lives beside the
client (`b24app.deal_reader`); nothing here does I/O.
"""

from dataclasses import asdict, dataclass, field
from decimal import Decimal
from enum import StrEnum


class ClientKind(StrEnum):
    """Decided by the requisite preset: RU presets 1 Организация, 2 ИП, 3 Физ. лицо."""

    COMPANY = "company"  # ООО, АО…: INN 10, KPP, OGRN
    SOLE_TRADER = "ip"  # ИП: INN 12, OGRNIP
    PERSON = "person"  # физлицо: INN 12 optional, no KPP/OGRN

    @property
    def label(self) -> str:
        return {"company": "Юрлицо", "ip": "ИП", "person": "Физлицо"}[self.value]


PRESET_KIND = {"1": ClientKind.COMPANY, "2": ClientKind.SOLE_TRADER, "3": ClientKind.PERSON}


@dataclass
class BankDetails:
    id: str = ""  # Bitrix24 bank detail ID
    bank_name: str = ""
    bik: str = ""
    account: str = ""  # расчётный счёт, RQ_ACC_NUM
    corr_account: str = ""  # корр. счёт, RQ_COR_ACC_NUM


@dataclass
class Party:
    """One side of a document: the client's requisite, or our company's ("MC") requisite."""

    kind: ClientKind = ClientKind.COMPANY
    requisite_id: str = ""  # Bitrix24 requisite ID
    entity_type_id: int = 4  # 4 company, 3 contact
    entity_id: str = ""
    preset_id: str = ""
    short_name: str = ""  # RQ_COMPANY_NAME, or «ИП Фамилия И.О.»
    full_name: str = ""  # RQ_COMPANY_FULL_NAME, or the person's full name
    inn: str = ""
    kpp: str = ""
    ogrn: str = ""  # OGRN for companies, OGRNIP for sole traders
    director: str = ""  # RQ_DIRECTOR, nominative
    director_title: str = ""  # RQ_CEO_WORK_POS
    legal_address: str = ""
    email: str = ""
    phone: str = ""
    bank: BankDetails | None = None

    @property
    def display_name(self) -> str:
        return self.full_name or self.short_name

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Party":
        data = dict(data)
        bank = data.pop("bank", None)
        data["kind"] = ClientKind(data.get("kind", ClientKind.COMPANY))
        return cls(**data, bank=BankDetails(**bank) if bank else None)


@dataclass
class ProductRow:
    id: str
    product_id: str
    name: str
    article: str  # matched to 1C nomenclature `Артикул`
    quantity: Decimal
    price: Decimal  # price including VAT, as the deal shows it
    tax_rate: Decimal | None  # percent, None when the row has no tax
    tax_included: bool
    measure_name: str = ""


@dataclass
class DealContext:
    deal_id: str
    title: str
    stage_id: str = ""
    category_id: str = ""
    currency: str = "RUB"
    opportunity: Decimal = Decimal("0")
    assigned_by_id: str = ""
    company_id: str = ""
    contact_id: str = ""
    client_name: str = ""  # company title or contact's name, for the tab header
    client: Party | None = None  # the deal's linked requisite (or the client's first one)
    client_requisites: list[Party] = field(default_factory=list)  # all, for choosing
    my_company: Party | None = None  # our legal entity's requisite linked to the deal
    products: list[ProductRow] = field(default_factory=list)
    current_user_id: str = ""
    current_user_name: str = ""
    current_user_email: str = ""
    current_user_departments: list[str] = field(default_factory=list)

    @property
    def client_inn(self) -> str:
        return self.client.inn if self.client else ""
