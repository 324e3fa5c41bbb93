"""The one demo world both sandboxes are seeded from, so the portal and the 1C base agree:
our legal entities have the same INN in Bitrix24 (my-company requisites) and in 1C
(`Catalog_Организации`), product articles match 1C nomenclature, user e-mails match 1C users.

Every INN, OGRN, BIK and account here passes its checksum, except in BROKEN_CLIENT, which is
broken on purpose (the wizard's checklist must catch it).
"""

SBER_MSK = {
    "bik": "044525225",
    "bank_name": "ПАО Сбербанк",
    "corr_account": "30101810400000000225",
    "city": "Москва",
}
SBER_SPB = {
    "bik": "044030653",
    "bank_name": "Северо-Западный банк ПАО Сбербанк",
    "corr_account": "30101810500000000653",
    "city": "Санкт-Петербург",
}
TBANK = {
    "bik": "044525974",
    "bank_name": "АО «ТБанк»",
    "corr_account": "30101810145250000974",
    "city": "Москва",
}

# Our side: 1C organizations and Bitrix24 my-company requisites.
LEGAL_ENTITIES = [
    {
        "key": "romashka",
        "short_name": "ООО «Ромашка»",
        "full_name": "Общество с ограниченной ответственностью «Ромашка»",
        "inn": "7752601811",
        "kpp": "775201001",
        "ogrn": "1027700625270",
        "address": "125009, г. Москва, ул. Тверская, д. 7, офис 12",
        "director": "Смирнов Алексей Викторович",
        "director_title": "Генеральный директор",
        "accountant": "Орлова Мария Сергеевна",
        "vat": True,
        "bank": {**SBER_MSK, "account": "40702810078778932879"},
        "region": "Москва",
    },
    {
        "key": "romashka_north",
        "short_name": "ООО «Ромашка-Север»",
        "full_name": "Общество с ограниченной ответственностью «Ромашка-Север»",
        "inn": "7866131863",
        "kpp": "786601001",
        "ogrn": "1187847555972",
        "address": "191186, г. Санкт-Петербург, Невский пр-т, д. 28",
        "director": "Кузьмина Елена Андреевна",
        "director_title": "Директор",
        "accountant": "Кузьмина Елена Андреевна",
        "vat": True,
        "bank": {**SBER_SPB, "account": "40702810126859952890"},
        "region": "Санкт-Петербург",
    },
    {
        "key": "sokolova_ip",
        "short_name": "ИП Соколова А. П.",
        "full_name": "Индивидуальный предприниматель Соколова Анна Петровна",
        "inn": "777865797502",
        "kpp": "",
        "ogrn": "316774671049742",
        "address": "109012, г. Москва, ул. Ильинка, д. 4",
        "director": "Соколова Анна Петровна",
        "director_title": "Индивидуальный предприниматель",
        "accountant": "",
        "vat": False,  # УСН: invoices «Без налога (НДС)»
        "bank": {**TBANK, "account": "40802810421742180967"},
        "region": "Москва",
    },
]

# Clients in the portal. `kind`: company / ip / person (requisite presets 1 / 2 / 3).
CLIENTS = [
    {
        "key": "vector",
        "kind": "company",
        "title": "Вектор",
        "short_name": "ООО «Вектор»",
        "full_name": "Общество с ограниченной ответственностью «Вектор»",
        "inn": "5096030820",
        "kpp": "509601001",
        "ogrn": "1157746601891",
        "director": "Павлов Дмитрий Олегович",
        "director_title": "Генеральный директор",
        "address": "141400, Московская обл., г. Химки, ул. Ленина, д. 3",
        "email": "info@vector.test",
        "bank": {**SBER_MSK, "account": "40702810592908100339"},
    },
    {
        "key": "ivanov_ip",
        "kind": "ip",
        "title": "ИП Иванов",
        "short_name": "ИП Иванов И. И.",
        "full_name": "Индивидуальный предприниматель Иванов Иван Иванович",
        "first_name": "Иван",
        "last_name": "Иванов",
        "second_name": "Иванович",
        "inn": "784323194819",
        "kpp": "",
        "ogrn": "320780065075298",
        "director": "Иванов Иван Иванович",
        "director_title": "",
        "address": "190000, г. Санкт-Петербург, ул. Садовая, д. 10, кв. 5",
        "email": "ivanov@ip.test",
        "bank": {**SBER_SPB, "account": "40802810007579383470"},
    },
    {
        "key": "petrov_person",
        "kind": "person",
        "title": "Петров Пётр Петрович",
        "short_name": "Петров П. П.",
        "full_name": "Петров Пётр Петрович",
        "first_name": "Пётр",
        "last_name": "Петров",
        "second_name": "Петрович",
        "inn": "507574911813",
        "kpp": "",
        "ogrn": "",
        "director": "",
        "director_title": "",
        "address": "143000, Московская обл., г. Одинцово, ул. Мира, д. 1, кв. 2",
        "email": "petrov@mail.test",
        "bank": None,
    },
    {
        "key": "roga",
        "kind": "company",
        "title": "Рога & Копыта",
        "short_name": 'ООО "Рога & Копыта"',
        "full_name": 'Общество с ограниченной ответственностью "Рога & Копыта" <b>',
        "inn": "5482199356",
        "kpp": "548201001",
        "ogrn": "1205400971148",
        "director": "Бендер Остап Ибрагимович",
        "director_title": "Генеральный директор",
        "address": "630099, г. Новосибирск, ул. Ленина, д. 1",
        "email": "office@roga.test",
        "bank": {**TBANK, "account": "40702810517468145384"},
    },
]

# Broken on purpose: INN checksum, KPP format, OGRN checksum, account key.
BROKEN_CLIENT = {
    "key": "broken",
    "kind": "company",
    "title": "Кривые Реквизиты",
    "short_name": "ООО «Кривые Реквизиты»",
    "full_name": "Общество с ограниченной ответственностью «Кривые Реквизиты»",
    "inn": "7707083894",
    "kpp": "77070A1",
    "ogrn": "1027700132196",
    "director": "",
    "director_title": "",
    "address": "",
    "email": "",
    "bank": {**SBER_MSK, "account": "40702810000000000001"},
}

# 1C nomenclature; `in_b24` rows are also Bitrix24 products. VAT as in VatRate values.
PRODUCTS = [
    {
        "article": "RM-001",
        "name": "Стол офисный «Ромашка»",
        "unit": "шт",
        "price": "12000.00",
        "vat": "НДС22",
        "service": False,
        "group": "Мебель",
    },
    {
        "article": "RM-002",
        "name": "Кресло рабочее",
        "unit": "шт",
        "price": "8500.00",
        "vat": "НДС22",
        "service": False,
        "group": "Мебель",
    },
    {
        "article": "SRV-010",
        "name": "Монтаж и сборка мебели",
        "unit": "усл",
        "price": "3000.00",
        "vat": "НДС22",
        "service": True,
        "group": "Услуги",
    },
    {
        "article": "BK-100",
        "name": "Справочник «Офис под ключ»",
        "unit": "шт",
        "price": "500.00",
        "vat": "НДС10",
        "service": False,
        "group": "Книги",
    },
    {
        "article": "CONS-1",
        "name": "Консультация по расстановке",
        "unit": "ч",
        "price": "5000.00",
        "vat": "БезНДС",
        "service": True,
        "group": "Услуги",
    },
    {
        "article": "RM-003",
        "name": "Тумба подкатная",
        "unit": "шт",
        "price": "4999.99",
        "vat": "НДС22",
        "service": False,
        "group": "Мебель",
    },
]
# A Bitrix24 product whose article 1C does not know: the wizard must flag it.
UNMATCHED_PRODUCT = {"article": "NO-1C-9", "name": "Товар без карточки в 1С", "price": "100.00"}

DEPARTMENTS = [
    {"id": "1", "name": "Ромашка", "parent": ""},
    {"id": "2", "name": "Отдел продаж Москва", "parent": "1"},
    {"id": "3", "name": "Отдел продаж Санкт-Петербург", "parent": "1"},
]

USERS = [
    {
        "id": "1",
        "name": "Администратор",
        "last_name": "Портала",
        "email": "admin@romashka.test",
        "admin": True,
        "departments": ["1"],
    },
    {
        "id": "2",
        "name": "Анна",
        "last_name": "Смирнова",
        "email": "smirnova@romashka.test",
        "admin": False,
        "departments": ["2"],
    },
    {
        "id": "3",
        "name": "Олег",
        "last_name": "Кузнецов",
        "email": "kuznetsov@romashka.test",
        "admin": False,
        "departments": ["3"],
    },
    {
        "id": "4",
        "name": "Без",
        "last_name": "Почты",
        "email": "",
        "admin": False,
        "departments": ["2"],
    },
]

# Deals: client key, our legal entity key (my-company requisite link), product rows.
DEALS = [
    {
        "id": "1",
        "title": "Мебель для офиса Вектор",
        "client": "vector",
        "my_company": "romashka",
        "assigned": "2",
        "rows": [("RM-001", "2"), ("RM-002", "4"), ("SRV-010", "1")],
    },
    {
        "id": "2",
        "title": "Книги и консультация для ИП Иванова",
        "client": "ivanov_ip",
        "my_company": "romashka_north",
        "assigned": "3",
        "rows": [("BK-100", "10"), ("RM-003", "1")],
    },
    {
        "id": "3",
        "title": "Кресло для Петрова",
        "client": "petrov_person",
        "my_company": "romashka",
        "assigned": "2",
        "rows": [("RM-002", "1")],
    },
    {
        "id": "4",
        "title": "Сделка с кривыми реквизитами",
        "client": "broken",
        "my_company": "romashka",
        "assigned": "2",
        "rows": [("RM-001", "1"), ("NO-1C-9", "3")],
    },
    {
        "id": "5",
        "title": "Поставка для Рога & Копыта",
        "client": "roga",
        "my_company": "romashka",
        "assigned": "2",
        "rows": [("RM-001", "1"), ("CONS-1", "2")],
    },
    {
        "id": "6",
        "title": "Пустая сделка",
        "client": "vector",
        "my_company": "romashka",
        "assigned": "2",
        "rows": [],
    },
]

# 1C users (Catalog_Пользователи) with work e-mails: Bitrix24 users are matched by them.
ONEC_USERS = [
    {"name": "Смирнова Анна", "email": "smirnova@romashka.test"},
    {"name": "Кузнецов Олег", "email": "kuznetsov@romashka.test"},
    {"name": "Орлова Мария (бухгалтер)", "email": "orlova@romashka.test"},
]

DEMO_LOGIN = "Администратор"
DEMO_PASSWORD = "demo"
