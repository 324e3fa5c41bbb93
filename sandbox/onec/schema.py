"""Entity sets the sandbox publishes, per configuration profile, with the attribute names and
string lengths of the real configuration dumps (shared/reference/onec/*.txt).

Keys are the OData property names: a reference attribute `X` is declared as `X_Key`, a composite
one as `X` (its `X_Type` companion is added automatically).
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

_PERSONS = EntitySet(
    "Catalog_ФизическиеЛица",
    "catalog",
    {"ФИО": s(100), "Фамилия": s(50), "Имя": s(50), "Отчество": s(50), "ИНН": s(12)},
    hierarchical=True,
    description_length=100,
)
_CURRENCIES = EntitySet(
    "Catalog_Валюты", "catalog", {"НаименованиеПолное": s(50)}, code_length=3, description_length=10
)
_USERS = EntitySet(
    "Catalog_Пользователи",
    "catalog",
    {"Недействителен": B, "Служебный": B, "ФизическоеЛицо_Key": ref("Catalog_ФизическиеЛица")},
    tables={"КонтактнаяИнформация": CONTACT_INFO},
)

BP30 = [
    EntitySet(
        "Catalog_Организации",
        "catalog",
        {
            "ИНН": s(12),
            "КПП": s(9),
            "ОГРН": s(15),
            "НаименованиеПолное": s(250),
            "НаименованиеСокращенное": s(250),
            "ЮридическоеФизическоеЛицо": E,
            "ИндивидуальныйПредприниматель_Key": ref("Catalog_ФизическиеЛица"),
            "Префикс": s(2),
            "ОсновнойБанковскийСчет_Key": ref("Catalog_БанковскиеСчета"),
            "ФайлПечать_Key": ref(),
            "ФайлФаксимильнаяПечать_Key": ref(),
            "ЮридическийАдрес": s(500),
        },
        tables={"КонтактнаяИнформация": CONTACT_INFO},
    ),
    _PERSONS,
    EntitySet("Catalog_Должности", "catalog", {}),
    EntitySet(
        "InformationRegister_ОтветственныеЛицаОрганизаций",
        "register",
        {
            "Period": D,
            "СтруктурнаяЕдиница": C,
            "ОтветственноеЛицо": E,
            "ФизическоеЛицо_Key": ref("Catalog_ФизическиеЛица"),
            "Должность_Key": ref("Catalog_Должности"),
        },
    ),
    EntitySet(
        "Catalog_Контрагенты",
        "catalog",
        {
            "ИНН": s(12),
            "КПП": s(9),
            "НаименованиеПолное": s(250),
            "ЮридическоеФизическоеЛицо": E,
            "ИндивидуальныйПредприниматель": B,
            "РегистрационныйНомер": s(50),
            "ОсновнойБанковскийСчет_Key": ref("Catalog_БанковскиеСчета"),
            "ОсновнойДоговорКонтрагента_Key": ref("Catalog_ДоговорыКонтрагентов"),
            "Комментарий": s(),
        },
        tables={"КонтактнаяИнформация": CONTACT_INFO},
        hierarchical=True,
        code_length=10,
    ),
    EntitySet(
        "Catalog_Банки",
        "catalog",
        {"КоррСчет": s(20), "Город": s(50), "Адрес": s(500)},
        hierarchical=True,
    ),
    EntitySet(
        "Catalog_БанковскиеСчета",
        "catalog",
        {
            "НомерСчета": s(70),
            "Банк_Key": ref("Catalog_Банки"),
            "ВалютаДенежныхСредств_Key": ref("Catalog_Валюты"),
            "ВидСчета": s(15),
        },
        owner="Owner",
    ),
    EntitySet(
        "Catalog_ДоговорыКонтрагентов",
        "catalog",
        {
            "Организация_Key": ref("Catalog_Организации"),
            "ВидДоговора": E,
            "Номер": s(128),
            "Дата": D,
            "СрокДействия": D,
            "ВалютаВзаиморасчетов_Key": ref("Catalog_Валюты"),
            "Комментарий": s(),
        },
        hierarchical=True,
        owner="Owner_Key",
        description_length=150,
    ),
    EntitySet(
        "Catalog_Номенклатура",
        "catalog",
        {
            "Артикул": s(25),
            "НаименованиеПолное": s(1000),
            "Услуга": B,
            "ЕдиницаИзмерения_Key": ref("Catalog_КлассификаторЕдиницИзмерения"),
            "ВидСтавкиНДС": E,
            "Комментарий": s(),
        },
        hierarchical=True,
        code_length=11,
    ),
    EntitySet(
        "Catalog_КлассификаторЕдиницИзмерения",
        "catalog",
        {"НаименованиеПолное": s(100)},
        code_length=3,
        description_length=25,
    ),
    EntitySet(
        "Catalog_ТипыЦенНоменклатуры",
        "catalog",
        {"ЦенаВключаетНДС": B, "ВалютаЦены_Key": ref("Catalog_Валюты")},
    ),
    EntitySet(
        "InformationRegister_ЦеныНоменклатуры",
        "register",
        {
            "Period": D,
            "Recorder": C,
            "LineNumber": s(),
            "Active": B,
            "ТипЦен_Key": ref("Catalog_ТипыЦенНоменклатуры"),
            "Номенклатура_Key": ref("Catalog_Номенклатура"),
            "Цена": N,
            "Валюта_Key": ref("Catalog_Валюты"),
        },
    ),
    _CURRENCIES,
    _USERS,
    EntitySet(
        "Document_СчетНаОплатуПокупателю",
        "document",
        {
            "ВидОперации": E,
            "Организация_Key": ref("Catalog_Организации"),
            "Контрагент_Key": ref("Catalog_Контрагенты"),
            "ДоговорКонтрагента_Key": ref("Catalog_ДоговорыКонтрагентов"),
            "СтруктурнаяЕдиница_Key": ref("Catalog_БанковскиеСчета"),
            "СуммаВключаетНДС": B,
            "СуммаДокумента": N,
            "ВалютаДокумента_Key": ref("Catalog_Валюты"),
            "Ответственный_Key": ref("Catalog_Пользователи"),
            "Комментарий": s(),
            "НазначениеПлатежа": s(210),
        },
        tables={
            "Товары": {
                "Номенклатура": C,
                "Содержание": s(),
                "Количество": N,
                "Цена": N,
                "Сумма": N,
                "СтавкаНДС": E,
                "СуммаНДС": N,
            }
        },
    ),
    EntitySet(
        "InformationRegister_СтатусыДокументов",
        "register",
        {"Документ": C, "Организация_Key": ref("Catalog_Организации"), "Статус": E},
    ),
    EntitySet(
        "Document_ПоступлениеНаРасчетныйСчет",
        "document",
        {
            "ВидОперации": E,
            "Организация_Key": ref("Catalog_Организации"),
            "СчетОрганизации_Key": ref("Catalog_БанковскиеСчета"),
            "Контрагент_Key": ref("Catalog_Контрагенты"),
            "СуммаДокумента": N,
            "НазначениеПлатежа": s(210),
            "НомерВходящегоДокумента": s(30),
            "ДатаВходящегоДокумента": D,
            "Комментарий": s(),
        },
        tables={
            "РасшифровкаПлатежа": {
                "ДоговорКонтрагента_Key": ref("Catalog_ДоговорыКонтрагентов"),
                "СчетНаОплату_Key": ref("Document_СчетНаОплатуПокупателю"),
                "СуммаПлатежа": N,
                "СтавкаНДС": E,
                "СуммаНДС": N,
            }
        },
    ),
    EntitySet(
        "Document_РеализацияТоваровУслуг",
        "document",
        {
            "ВидОперации": E,
            "Организация_Key": ref("Catalog_Организации"),
            "Контрагент_Key": ref("Catalog_Контрагенты"),
            "ДоговорКонтрагента_Key": ref("Catalog_ДоговорыКонтрагентов"),
            "СчетНаОплатуПокупателю_Key": ref("Document_СчетНаОплатуПокупателю"),
            "СуммаДокумента": N,
            "СуммаВключаетНДС": B,
            "Комментарий": s(),
        },
    ),
]

_UT_BANK_FIELDS = {
    "НомерСчета": s(34),
    "Банк_Key": ref("Catalog_КлассификаторБанков"),
    "БИКБанка": s(9),
    "НаименованиеБанка": s(100),
    "КоррСчетБанка": s(20),
    "ГородБанка": s(50),
    "ВалютаДенежныхСредств_Key": ref("Catalog_Валюты"),
    "Закрыт": B,
}
_UT_PRICE_FIELDS = {
    "Period": D,
    "Recorder": C,
    "LineNumber": s(),
    "Active": B,
    "ВидЦены_Key": ref("Catalog_ВидыЦен"),
    "Номенклатура_Key": ref("Catalog_Номенклатура"),
    "Характеристика_Key": ref(),
    "Цена": N,
    "Валюта_Key": ref("Catalog_Валюты"),
}

UT11 = [
    EntitySet(
        "Catalog_Организации",
        "catalog",
        {
            "ИНН": s(12),
            "КПП": s(9),
            "ОГРН": s(15),
            "НаименованиеПолное": s(250),
            "НаименованиеСокращенное": s(250),
            "ЮрФизЛицо": E,
            "ИндивидуальныйПредприниматель_Key": ref("Catalog_ФизическиеЛица"),
            "Префикс": s(2),
            "ЮридическийАдрес": s(500),
        },
        tables={"КонтактнаяИнформация": CONTACT_INFO},
    ),
    EntitySet(
        "Catalog_ОтветственныеЛицаОрганизаций",
        "catalog",
        {
            "ОтветственноеЛицо": E,
            "Должность": s(150),
            "ФизическоеЛицо_Key": ref("Catalog_ФизическиеЛица"),
            "ДатаНачала": D,
            "ДатаОкончания": D,
        },
        owner="Owner_Key",
    ),
    _PERSONS,
    EntitySet(
        "Catalog_БанковскиеСчетаОрганизаций", "catalog", dict(_UT_BANK_FIELDS), owner="Owner_Key"
    ),
    EntitySet(
        "Catalog_БанковскиеСчетаКонтрагентов", "catalog", dict(_UT_BANK_FIELDS), owner="Owner_Key"
    ),
    EntitySet(
        "Catalog_КлассификаторБанков",
        "catalog",
        {"КоррСчет": s(20), "Город": s(50), "Адрес": s(500), "ДеятельностьПрекращена": B},
        hierarchical=True,
    ),
    EntitySet(
        "Catalog_Партнеры",
        "catalog",
        {
            "НаименованиеПолное": s(250),
            "Клиент": B,
            "Поставщик": B,
            "ЮрФизЛицо": E,
            "Комментарий": s(),
        },
        hierarchical=True,
        code_length=11,
    ),
    EntitySet(
        "Catalog_Контрагенты",
        "catalog",
        {
            "Партнер_Key": ref("Catalog_Партнеры"),
            "ЮрФизЛицо": E,
            "ЮридическоеФизическоеЛицо": E,
            "ИНН": s(12),
            "КПП": s(9),
            "НаименованиеПолное": s(250),
            "РегистрационныйНомер": s(50),
            "ДополнительнаяИнформация": s(),
        },
        tables={"КонтактнаяИнформация": CONTACT_INFO},
        code_length=11,
    ),
    EntitySet(
        "Catalog_ДоговорыКонтрагентов",
        "catalog",
        {
            "Организация_Key": ref("Catalog_Организации"),
            "Контрагент_Key": ref("Catalog_Контрагенты"),
            "Партнер_Key": ref("Catalog_Партнеры"),
            "Номер": s(128),
            "Дата": D,
            "ДатаНачалаДействия": D,
            "ДатаОкончанияДействия": D,
            "ТипДоговора": E,
            "ХозяйственнаяОперация": E,
            "Статус": E,
            "БанковскийСчет_Key": ref("Catalog_БанковскиеСчетаОрганизаций"),
            "НаименованиеДляПечати": s(1024),
            "Комментарий": s(),
        },
        code_length=11,
        description_length=150,
    ),
    EntitySet(
        "Catalog_Номенклатура",
        "catalog",
        {
            "Артикул": s(50),
            "НаименованиеПолное": s(1024),
            "ТипНоменклатуры": E,
            "ЕдиницаИзмерения_Key": ref("Catalog_УпаковкиЕдиницыИзмерения"),
            "СтавкаНДС_Key": ref("Catalog_СтавкиНДС"),
        },
        hierarchical=True,
        code_length=11,
    ),
    EntitySet(
        "Catalog_УпаковкиЕдиницыИзмерения",
        "catalog",
        {"НаименованиеПолное": s(100)},
        code_length=9,
        description_length=25,
    ),
    EntitySet(
        "Catalog_СтавкиНДС",
        "catalog",
        {"ПеречислениеСтавкаНДС": E, "Ставка": N, "РасчетнаяСтавка": B, "Основная": B},
    ),
    EntitySet(
        "Catalog_ВидыЦен",
        "catalog",
        {"ЦенаВключаетНДС": B, "ВалютаЦены_Key": ref("Catalog_Валюты")},
    ),
    EntitySet(
        "InformationRegister_ЦеныНоменклатуры25",
        "register",
        _UT_PRICE_FIELDS | {"Упаковка_Key": ref("Catalog_УпаковкиЕдиницыИзмерения")},
    ),
    EntitySet("InformationRegister_ЦеныНоменклатуры", "register", dict(_UT_PRICE_FIELDS)),
    _CURRENCIES,
    _USERS,
    EntitySet(
        "Document_ЗаказКлиента",
        "document",
        {
            "Организация_Key": ref("Catalog_Организации"),
            "Партнер_Key": ref("Catalog_Партнеры"),
            "Контрагент_Key": ref("Catalog_Контрагенты"),
            "Договор_Key": ref("Catalog_ДоговорыКонтрагентов"),
            "Соглашение_Key": ref(),
            "БанковскийСчет_Key": ref("Catalog_БанковскиеСчетаОрганизаций"),
            "ЦенаВключаетНДС": B,
            "НалогообложениеНДС": E,
            "СуммаДокумента": N,
            "Статус": E,
            "ХозяйственнаяОперация": E,
            "Валюта_Key": ref("Catalog_Валюты"),
            "Менеджер_Key": ref("Catalog_Пользователи"),
            "ДатаОтгрузки": D,
            "Комментарий": s(),
        },
        tables={
            "Товары": {
                "Номенклатура_Key": ref("Catalog_Номенклатура"),
                "Содержание": s(1000),
                "Упаковка_Key": ref("Catalog_УпаковкиЕдиницыИзмерения"),
                "КоличествоУпаковок": N,
                "Количество": N,
                "Цена": N,
                "Сумма": N,
                "СтавкаНДС_Key": ref("Catalog_СтавкиНДС"),
                "СуммаНДС": N,
                "СуммаСНДС": N,
                "Отменено": B,
            }
        },
    ),
    EntitySet(
        "Document_СчетНаОплатуКлиенту",
        "document",
        {
            "Организация_Key": ref("Catalog_Организации"),
            "Партнер_Key": ref("Catalog_Партнеры"),
            "Контрагент_Key": ref("Catalog_Контрагенты"),
            "Договор_Key": ref("Catalog_ДоговорыКонтрагентов"),
            "ДокументОснование": C,
            "СуммаДокумента": N,
            "БанковскийСчет_Key": ref("Catalog_БанковскиеСчетаОрганизаций"),
            "НазначениеПлатежа": s(210),
            "Комментарий": s(),
        },
    ),
    EntitySet(
        "Document_ПоступлениеБезналичныхДенежныхСредств",
        "document",
        {
            "Организация_Key": ref("Catalog_Организации"),
            "БанковскийСчет_Key": ref("Catalog_БанковскиеСчетаОрганизаций"),
            "ХозяйственнаяОперация": E,
            "Контрагент_Key": ref("Catalog_Контрагенты"),
            "СуммаДокумента": N,
            "НазначениеПлатежа": s(250),
            "Комментарий": s(),
        },
        tables={
            "РасшифровкаПлатежа": {
                "Партнер_Key": ref("Catalog_Партнеры"),
                "ОснованиеПлатежа": C,
                "Сумма": N,
            }
        },
    ),
    EntitySet(
        "Document_РеализацияТоваровУслуг",
        "document",
        {
            "Организация_Key": ref("Catalog_Организации"),
            "Партнер_Key": ref("Catalog_Партнеры"),
            "Контрагент_Key": ref("Catalog_Контрагенты"),
            "Договор_Key": ref("Catalog_ДоговорыКонтрагентов"),
            "ЗаказКлиента": C,
            "СуммаДокумента": N,
            "ЦенаВключаетНДС": B,
            "Статус": E,
            "Комментарий": s(),
        },
    ),
]


@dataclass(frozen=True)
class Profile:
    key: str
    configuration: str
    version: str
    sets: dict  # name -> EntitySet
    invoice_set: str  # the document the print service prints
    payment_set: str
    shipment_set: str


PLATFORM = "8.3.24.1548"

PROFILES = {
    "bp30": Profile(
        "bp30",
        "БухгалтерияПредприятия",
        "3.0.151.23",
        {es.name: es for es in BP30}
        | {
            "InformationRegister_ЦеныНоменклатуры_RecordType": EntitySet(
                "InformationRegister_ЦеныНоменклатуры_RecordType",
                "register",
                BP30[11].fields,
            )
        },
        "Document_СчетНаОплатуПокупателю",
        "Document_ПоступлениеНаРасчетныйСчет",
        "Document_РеализацияТоваровУслуг",
    ),
    "ut11": Profile(
        "ut11",
        "УправлениеТорговлей",
        "11.5.8.250",
        {es.name: es for es in UT11},
        "Document_ЗаказКлиента",
        "Document_ПоступлениеБезналичныхДенежныхСредств",
        "Document_РеализацияТоваровУслуг",
    ),
}
# Same rows under the *_RecordType name as real 1C publishes register records.
PROFILES["ut11"].sets["InformationRegister_ЦеныНоменклатуры25_RecordType"] = EntitySet(
    "InformationRegister_ЦеныНоменклатуры25_RecordType",
    "register",
    PROFILES["ut11"].sets["InformationRegister_ЦеныНоменклатуры25"].fields,
)
