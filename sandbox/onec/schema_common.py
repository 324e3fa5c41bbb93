"""Building blocks of the sandbox's 1C schema, shared by both configuration profiles: field
specs, entity sets, the profile record, and the catalogs both profiles declare identically.
"""

from dataclasses import dataclass, field

ZERO_GUID = "00000000-0000-0000-0000-000000000000"
EMPTY_DATE = "0001-01-01T00:00:00"
UNDEFINED_TYPE = "StandardODATA.Undefined"


@dataclass(frozen=True)
class F:
    kind: str  # str, bool, num, date, ref, comp, enum
    length: int = 0  # strings: max length, 0 = unlimited
    target: str = ""  # ref: entity set the key points to

    def default(self):
        return {
            "str": "",
            "bool": False,
            "num": 0,
            "date": EMPTY_DATE,
            "ref": ZERO_GUID,
            "comp": ZERO_GUID,
            "enum": "",
        }[self.kind]


def s(n=0):
    return F("str", n)


def ref(target=""):
    return F("ref", target=target)


B, N, D, C, E = F("bool"), F("num"), F("date"), F("comp"), F("enum")


@dataclass
class EntitySet:
    name: str
    kind: str  # catalog, document, register
    fields: dict
    tables: dict = field(default_factory=dict)  # tabular section -> {field: F}
    hierarchical: bool = False
    owner: str = ""  # "Owner_Key" (simple) or "Owner" (composite)
    code_length: int = 9
    description_length: int = 100

    def all_fields(self) -> dict:
        std: dict = {}
        if self.kind == "catalog":
            std = {
                "Ref_Key": ref(),
                "DataVersion": s(),
                "DeletionMark": B,
                "Predefined": B,
                "PredefinedDataName": s(),
                "Code": s(self.code_length),
                "Description": s(self.description_length),
            }
            if self.hierarchical:
                std |= {"Parent_Key": ref(self.name), "IsFolder": B}
            if self.owner == "Owner_Key":
                std["Owner_Key"] = ref()
            elif self.owner == "Owner":
                std["Owner"] = C
        elif self.kind == "document":
            std = {
                "Ref_Key": ref(),
                "DataVersion": s(),
                "DeletionMark": B,
                "Number": s(11),
                "Date": D,
                "Posted": B,
            }
        return std | self.fields

    def property_names(self) -> set:
        names = set()
        for name, spec in self.all_fields().items():
            names.add(name)
            if spec.kind == "comp":
                names.add(f"{name}_Type")
        return names


CONTACT_INFO = {
    "Тип": E,
    "Вид_Key": ref(),
    "Представление": s(500),
    "АдресЭП": s(100),
    "НомерТелефона": s(20),
    "Значение": s(),
}

PERSONS = EntitySet(
    "Catalog_ФизическиеЛица",
    "catalog",
    {"ФИО": s(100), "Фамилия": s(50), "Имя": s(50), "Отчество": s(50), "ИНН": s(12)},
    hierarchical=True,
    description_length=100,
)
CURRENCIES = EntitySet(
    "Catalog_Валюты", "catalog", {"НаименованиеПолное": s(50)}, code_length=3, description_length=10
)
USERS = EntitySet(
    "Catalog_Пользователи",
    "catalog",
    {"Недействителен": B, "Служебный": B, "ФизическоеЛицо_Key": ref("Catalog_ФизическиеЛица")},
    tables={"КонтактнаяИнформация": CONTACT_INFO},
)


@dataclass(frozen=True)
class Profile:
    key: str
    configuration: str
    version: str
    sets: dict  # name -> EntitySet
    invoice_set: str  # the document the print service prints
    payment_set: str
    shipment_set: str


def sets_by_name(sets: list[EntitySet], *, record_type_of: str) -> dict[str, EntitySet]:
    """The profile's sets by name, plus the register `record_type_of` again under its
    `_RecordType` name: real 1C publishes a register's records under both (the store serves
    the same rows for the two)."""
    by_name = {es.name: es for es in sets}
    alias = f"{record_type_of}_RecordType"
    return by_name | {alias: EntitySet(alias, "register", by_name[record_type_of].fields)}


PLATFORM = "8.3.24.1548"
