"""What differs between 1C configurations: object names, field names and body shapes.

Operations (onec.operations) speak in terms of a `ProfileSpec` and never name a 1C object
themselves, so supporting another configuration means another spec here.
BP 3.0 = «Бухгалтерия предприятия 3.0»; UT 11 = «Управление торговлей 11» and KA 2.4, which share
the UT objects for sales.
"""

from dataclasses import dataclass, field

from documents.money import VatRate

from .models import Profile

CURRENCY_RUB_CODE = "643"
DEFAULT_PRICE_TYPE = "Основная цена продажи"


@dataclass(frozen=True)
class ProfileSpec:
    code: str
    title: str
    configuration_names: tuple[str, ...]
    organizations: str = "Catalog_Организации"
    counterparties: str = "Catalog_Контрагенты"
    counterparties_hierarchical: bool = True
    partners: str = ""  # UT: a partner is created before its counterparty
    banks: str = "Catalog_Банки"  # Code = BIK
    counterparty_accounts: str = "Catalog_БанковскиеСчета"
    org_accounts: str = "Catalog_БанковскиеСчета"
    # BP keeps both kinds of accounts in one catalog with a composite Owner.
    accounts_owner_composite: bool = True
    contracts: str = "Catalog_ДоговорыКонтрагентов"
    nomenclature: str = "Catalog_Номенклатура"
    units: str = "Catalog_КлассификаторЕдиницИзмерения"
    vat_rates: str = ""  # UT: a catalog of rates; BP: an enum on the item
    price_types: str = "Catalog_ТипыЦенНоменклатуры"
    prices: str = "InformationRegister_ЦеныНоменклатуры"
    price_type_field: str = "ТипЦен_Key"
    currencies: str = "Catalog_Валюты"
    users: str = "Catalog_Пользователи"
    invoice: str = "Document_СчетНаОплатуПокупателю"
    payments: str = "Document_ПоступлениеНаРасчетныйСчет"
    shipments: str = "Document_РеализацияТоваровУслуг"
    status_register: str = ""
    signatories: str = ""
    extra_sets: tuple[str, ...] = field(default_factory=tuple)

    @property
    def required_sets(self) -> list[str]:
        names = [
            self.organizations,
            self.counterparties,
            self.partners,
            self.banks,
            self.counterparty_accounts,
            self.org_accounts,
            self.contracts,
            self.nomenclature,
            self.units,
            self.vat_rates,
            self.price_types,
            self.prices,
            self.currencies,
            self.users,
            self.invoice,
            self.payments,
            self.shipments,
            self.status_register,
            *self.extra_sets,
        ]
        return list(dict.fromkeys(n for n in names if n))

    def matches_configuration(self, name: str) -> bool:
        compact = (name or "").replace(" ", "").lower()
        return any(c.replace(" ", "").lower() in compact for c in self.configuration_names)

    @property
    def is_bp(self) -> bool:
        return self.code == Profile.BP30


BP30 = ProfileSpec(
    code=Profile.BP30,
    title="Бухгалтерия предприятия 3.0",
    configuration_names=("БухгалтерияПредприятия", "Бухгалтерия предприятия"),
    status_register="InformationRegister_СтатусыДокументов",
    signatories="InformationRegister_ОтветственныеЛицаОрганизаций",
    extra_sets=("Catalog_ФизическиеЛица", "Catalog_Должности"),
)

UT11 = ProfileSpec(
    code=Profile.UT11,
    title="Управление торговлей 11 / Комплексная автоматизация 2.4",
    configuration_names=(
        "УправлениеТорговлей",
        "Управление торговлей",
        "КомплекснаяАвтоматизация",
        "Комплексная автоматизация",
        "ERP",
    ),
    counterparties_hierarchical=False,
    partners="Catalog_Партнеры",
    banks="Catalog_КлассификаторБанков",
    counterparty_accounts="Catalog_БанковскиеСчетаКонтрагентов",
    org_accounts="Catalog_БанковскиеСчетаОрганизаций",
    accounts_owner_composite=False,
    units="Catalog_УпаковкиЕдиницыИзмерения",
    vat_rates="Catalog_СтавкиНДС",
    price_types="Catalog_ВидыЦен",
    prices="InformationRegister_ЦеныНоменклатуры25",
    price_type_field="ВидЦены_Key",
    invoice="Document_ЗаказКлиента",
    payments="Document_ПоступлениеБезналичныхДенежныхСредств",
    signatories="Catalog_ОтветственныеЛицаОрганизаций",
)

SPECS = {Profile.BP30: BP30, Profile.UT11: UT11}


def spec_for(profile: str) -> ProfileSpec:
    return SPECS[Profile(profile)]


# BP keeps the VAT kind on the item (Enum ВидыСтавокНДС); the 2026 general rate is 22%.
BP_VAT_KIND = {
    "Общая": VatRate.VAT22,
    "Льготная": VatRate.VAT10,
    "Нулевая": VatRate.VAT0,
    "БезНДС": VatRate.NONE,
    "НДС5": VatRate.USN5,
    "НДС7": VatRate.USN7,
}


def vat_from_enum(value: str, default: VatRate = VatRate.VAT22) -> VatRate:
    """`НДС22`, `НДС10`, … (Enum СтавкиНДС, Catalog_СтавкиНДС.ПеречислениеСтавкаНДС)."""
    try:
        return VatRate(value)
    except ValueError:
        return BP_VAT_KIND.get(value, default)


# Legal form of a counterparty, per profile: (ЮрФизЛицо / ЮридическоеФизическоеЛицо values).
def bp_legal_form(kind: str) -> dict:
    company = kind == "company"
    return {
        "ЮридическоеФизическоеЛицо": "ЮридическоеЛицо" if company else "ФизическоеЛицо",
        "ИндивидуальныйПредприниматель": kind == "ip",
    }


def ut_legal_form(kind: str) -> dict:
    ut_kind = {"company": "ЮрЛицо", "ip": "ИндивидуальныйПредприниматель"}.get(kind, "ФизЛицо")
    return {
        "ЮрФизЛицо": ut_kind,
        "ЮридическоеФизическоеЛицо": "ЮридическоеЛицо" if kind == "company" else "ФизическоеЛицо",
    }


def ut_partner_kind(kind: str) -> str:
    return "ЧастноеЛицо" if kind == "person" else "Компания"
