"""«Управление торговлей 11»: the entity sets the sandbox publishes for this profile, with the
attribute names and string lengths of its configuration dump (shared/reference/onec/).
"""

from .schema_common import (
    CONTACT_INFO,
    CURRENCIES,
    PERSONS,
    USERS,
    B,
    C,
    D,
    E,
    EntitySet,
    N,
    Profile,
    ref,
    s,
)

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
    PERSONS,
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
    CURRENCIES,
    USERS,
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


_PRICES = next(es for es in UT11 if es.name == "InformationRegister_ЦеныНоменклатуры25")

PROFILE = Profile(
    "ut11",
    "УправлениеТорговлей",
    "11.5.8.250",
    {es.name: es for es in UT11}
    | {
        # Same rows under the *_RecordType name as real 1C publishes register records.
        "InformationRegister_ЦеныНоменклатуры25_RecordType": EntitySet(
            "InformationRegister_ЦеныНоменклатуры25_RecordType", "register", _PRICES.fields
        )
    },
    "Document_ЗаказКлиента",
    "Document_ПоступлениеБезналичныхДенежныхСредств",
    "Document_РеализацияТоваровУслуг",
)
