"""«Бухгалтерия предприятия 3.0»: the entity sets the sandbox publishes for this profile, with
the attribute names and string lengths of its configuration dump (shared/reference/onec/).
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
    PERSONS,
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
    CURRENCIES,
    USERS,
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

_PRICES = next(es for es in BP30 if es.name == "InformationRegister_ЦеныНоменклатуры")

PROFILE = Profile(
    "bp30",
    "БухгалтерияПредприятия",
    "3.0.151.23",
    {es.name: es for es in BP30}
    | {
        # Same rows under the *_RecordType name as real 1C publishes register records.
        "InformationRegister_ЦеныНоменклатуры_RecordType": EntitySet(
            "InformationRegister_ЦеныНоменклатуры_RecordType", "register", _PRICES.fields
        )
    },
    "Document_СчетНаОплатуПокупателю",
    "Document_ПоступлениеНаРасчетныйСчет",
    "Document_РеализацияТоваровУслуг",
)
