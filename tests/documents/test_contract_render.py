import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from docx import Document
from PIL import Image, ImageDraw

from documents.money import amount_in_words, format_money, totals
from documents.rendering.contract import TemplateError, check_template, render_contract_docx
from documents.rendering.placeholders import (
    PLACEHOLDERS,
    BankData,
    ContractData,
    GoodsRow,
    LegalEntityData,
    Party,
    contract_context,
)
from documents.rendering.sample_template import build_sample_contract_template

OUR_ENTITY = LegalEntityData(
    full_name="Общество с ограниченной ответственностью «Ромашка»",
    short_name="ООО «Ромашка»",
    inn="7728168971",
    kpp="772801001",
    ogrn="1027700067328",
    address="117393, г. Москва, ул. Профсоюзная, д. 56",
    director="Смирнов Алексей Викторович",
    director_title="Генеральный директор",
)
OUR_BANK = BankData("АО «Альфа-Банк»", "044525593", "40702810401300012345", "30101810200000000593")
COMPANY_CLIENT = Party(
    full_name="Общество с ограниченной ответственностью «Вектор»",
    inn="7707083893",
    kpp="770701001",
    ogrn="1027700132195",
    director="Кузьмина Елена Андреевна",
    director_title="Директор",
)
SOLE_TRADER = Party(
    kind="ip",
    full_name="ИП Соколова Анна Петровна",
    inn="500100732259",
    ogrn="304500116000157",
    director="Соколова Анна Петровна",
    director_title="Индивидуальный предприниматель",
)
PERSON = Party(kind="person", full_name="Петров Пётр Петрович", passport="4510 123456")

GOODS = [
    GoodsRow("Кресло офисное", Decimal("2"), Decimal("15000.00")),
    GoodsRow("Стол письменный", Decimal("1.5"), Decimal("8000.40"), unit="шт"),
    GoodsRow("Доставка", Decimal("1"), Decimal("999.99"), unit="усл"),
]


def _context(client: Party, *, goods=GOODS, scheme="100") -> dict:
    return contract_context(
        client=client,
        legal_entity=OUR_ENTITY,
        bank=OUR_BANK,
        goods=goods,
        totals=totals([g.line for g in goods]),
        contract=ContractData(
            number="Д-2026-007", date=date(2026, 2, 1), valid_until=date(2026, 12, 31)
        ),
        payment_scheme=scheme,
    )


def _text(docx: bytes) -> str:
    document = Document(io.BytesIO(docx))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(dict.fromkeys(cell.text for cell in row.cells)))
    return "\n".join(lines)


def _template(*paragraphs: str) -> bytes:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _png(color: str) -> bytes:
    image = Image.new("RGBA", (200, 200), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((5, 5, 195, 195), outline=color, width=6)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def sample() -> bytes:
    return build_sample_contract_template()


def test_it_renders_the_sample_contract_for_a_company(sample):
    text = _text(render_contract_docx(sample, _context(COMPANY_CLIENT), stamp=False))
    expected = totals([g.line for g in GOODS])

    assert "ДОГОВОР ПОСТАВКИ № Д-2026-007" in text
    assert "1 февраля 2026 г." in text
    assert "действует до 31 декабря 2026 г." in text
    assert (
        "в лице Генерального директора Смирнова Алексея Викторовича, "
        "действующего на основании Устава" in text
    )
    assert (
        "Общество с ограниченной ответственностью «Вектор», именуемое в дальнейшем «Покупатель», "
        "в лице Директора Кузьминой Елены Андреевны, действующей на основании Устава" in text
    )
    assert "1 | Кресло офисное | 2 | шт | 15 000,00 | 30 000,00" in text
    assert "2 | Стол письменный | 1,5 | шт | 8 000,40 | 12 000,60" in text
    assert f"Всего к оплате: | {format_money(expected.total)}" in text
    assert f"В том числе НДС 22%: | {format_money(expected.vat)}" in text
    assert amount_in_words(expected.total) in text
    assert "ИНН 7707083893, КПП 770701001" in text
    assert "Р/с 40702810401300012345 в АО «Альфа-Банк»" in text
    assert "Смирнов А. В." in text and "Кузьмина Е. А." in text


def test_it_renders_for_a_sole_trader(sample):
    text = _text(render_contract_docx(sample, _context(SOLE_TRADER, scheme="70/30"), stamp=False))

    assert (
        "Индивидуальный предприниматель Соколова Анна Петровна, действующая на основании записи "
        "в ЕГРИП (ОГРНИП 304500116000157), именуемая в дальнейшем «Покупатель»" in text
    )
    assert "ОГРНИП 304500116000157" in text
    assert "ИНН 500100732259\n" in text  # no KPP for a sole trader
    assert "оплачивает 70% стоимости Товара" in text and "оставшиеся 30%" in text


def test_it_renders_for_a_private_person(sample):
    text = _text(render_contract_docx(sample, _context(PERSON), stamp=False))

    assert "Петров Пётр Петрович, паспорт 4510 123456, именуемый в дальнейшем «Покупатель»" in text
    assert "оплачивает 100% стоимости Товара" in text


def test_it_keeps_xml_special_characters_and_long_names(sample):
    nasty = "Рога & Копыта <\"Экспорт\"> 'и партнёры'"
    long_name = "ООО «" + "Очень длинное наименование " * 19 + "»"
    assert len(long_name) > 500
    goods = [GoodsRow('Гвозди 5" <оцинк.> & шурупы', Decimal(3), Decimal("10.00"))]
    client = Party(full_name=nasty, inn="7707083893", director="Бендер Остап Ибрагимович")
    entity = LegalEntityData(full_name=long_name, director="Смирнов Алексей Викторович")
    context = contract_context(
        client=client,
        legal_entity=entity,
        bank=OUR_BANK,
        goods=goods,
        totals=totals([g.line for g in goods]),
        contract=ContractData(number="1 & 2", date=date(2026, 3, 8)),
        payment_scheme="100",
    )

    text = _text(render_contract_docx(sample, context, stamp=False))

    assert nasty in text
    assert long_name in text
    assert 'Гвозди 5" <оцинк.> & шурупы' in text
    assert "№ 1 & 2" in text


def test_it_places_stamp_and_signature_only_in_the_stamped_variant(sample):
    context = _context(COMPANY_CLIENT)
    stamped = render_contract_docx(
        sample, context, stamp=True, stamp_png=_png("blue"), signature_png=_png("black")
    )
    plain = render_contract_docx(
        sample, context, stamp=False, stamp_png=_png("blue"), signature_png=_png("black")
    )

    assert len(Document(io.BytesIO(stamped)).inline_shapes) == 2
    assert len(Document(io.BytesIO(plain)).inline_shapes) == 0
    assert _text(plain).count("М.П.") == _text(stamped).count("М.П.")


def test_it_refuses_an_image_that_is_not_one(sample):
    with pytest.raises(TemplateError, match="печати или подписи"):
        render_contract_docx(sample, _context(COMPANY_CLIENT), stamp=True, stamp_png=b"not png")


def test_it_accepts_the_sample_template(sample):
    check = check_template(sample)

    assert check.ok, check.errors
    assert check.unknown == []


def test_it_documents_every_placeholder_the_sample_uses(sample):
    names = {p.name for p in PLACEHOLDERS}
    assert {"client.inn", "legal_entity.in_person_of", "goods[].name", "totals.in_words"} <= names
    assert all(p.description for p in PLACEHOLDERS)
    by_name = {p.name: p for p in PLACEHOLDERS}
    assert by_name["contract.date"].example == "1 февраля 2026 г."


@pytest.mark.parametrize(
    "attack",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ client['__class__'] }}",
        "{{ client|attr('__class__') }}",
        "{% for c in ''.__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
    ],
)
def test_it_refuses_templates_that_reach_for_internals(attack):
    template = _template("Договор № {{ contract.number }}", attack)

    check = check_template(template)

    assert not check.ok
    assert "служебным" in check.errors[0]
    with pytest.raises(TemplateError):
        render_contract_docx(template, _context(COMPANY_CLIENT), stamp=False)


def test_it_refuses_templates_that_would_exhaust_memory():
    template = _template("{{ 'x' * 100000000 }}")

    assert not check_template(template).ok
    with pytest.raises(TemplateError):
        render_contract_docx(template, _context(COMPANY_CLIENT), stamp=False)


def test_it_lists_unknown_placeholders_and_will_not_leave_blanks():
    template = _template(
        "ИНН {{ client.innn }} {{ manager_phone }} {{ client.inn }}",
        "{% for row in goods %}{{ row.name }} {{ row.price2 }}{% endfor %}",
    )

    check = check_template(template)

    assert check.unknown == ["client.innn", "goods[].price2", "manager_phone"]
    with pytest.raises(TemplateError, match="неизвестное поле"):
        render_contract_docx(template, _context(COMPANY_CLIENT), stamp=False)


def test_it_reports_broken_template_syntax():
    check = check_template(_template("Договор № {{ contract.number"))

    assert not check.ok
    assert "Ошибка в разметке" in check.errors[0]


@pytest.mark.parametrize(
    "payload",
    [b"%PDF-1.4 not a docx", "Договор {{ client.inn }}".encode(), b""],
)
def test_it_refuses_files_that_are_not_docx(payload):
    check = check_template(payload)

    assert check.errors == ["Файл не является документом Word (DOCX)."]
    with pytest.raises(TemplateError):
        render_contract_docx(payload, _context(COMPANY_CLIENT), stamp=False)


def test_it_refuses_a_zip_that_is_not_a_word_document():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hi")

    assert not check_template(out.getvalue()).ok


def test_it_refuses_a_zip_bomb_without_expanding_it(sample):
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(sample)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb,
    ):
        for info in source.infolist():
            bomb.writestr(info, source.read(info))
        bomb.writestr("word/media/padding.bin", b"\0" * (20 * 1024 * 1024))

    check = check_template(out.getvalue())

    assert not check.ok
    assert "ZIP-бомбу" in check.errors[0]


def test_it_refuses_a_zip_with_too_many_members(sample):
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(sample)) as source, zipfile.ZipFile(out, "w") as archive:
        for info in source.infolist():
            archive.writestr(info, source.read(info))
        for n in range(600):
            archive.writestr(f"extra/part{n}.xml", "<a/>")

    assert not check_template(out.getvalue()).ok


def test_it_refuses_a_huge_file_before_reading_it():
    check = check_template(b"PK" + b"\0" * (11 * 1024 * 1024))

    assert not check.ok
    assert "больше 10 МБ" in check.errors[0]


def test_it_finds_errors_that_only_show_when_the_template_is_filled():
    check = check_template(_template("ИНН {{ client.inn + 1 }}"))

    assert not check.ok
    assert "не удалось заполнить" in check.errors[0]
