"""The default contract template («Договор поставки»), built by code so it is reviewable in a diff.

It uses only documented placeholders (see placeholders.PLACEHOLDERS) and serves as the example
an admin downloads, edits in Word and uploads back. Each placeholder is written inside one run:
Word splits runs on its own when edited, docxtpl merges them back on render.
"""

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.shared import Cm, Pt

FONT = "Times New Roman"  # LibreOffice substitutes metric-compatible Liberation Serif

GOODS_COLUMNS = (
    ("№", "{{ row.n }}", Cm(1.0)),
    ("Наименование товара", "{{ row.name }}", Cm(7.2)),
    ("Кол-во", "{{ row.quantity }}", Cm(1.7)),
    ("Ед.", "{{ row.unit }}", Cm(1.3)),
    ("Цена, руб.", "{{ row.price }}", Cm(2.6)),
    ("Сумма, руб.", "{{ row.amount }}", Cm(2.9)),
)

SECTIONS = (
    (
        "1. Предмет договора",
        (
            "1.1. Поставщик обязуется передать в собственность Покупателя, а Покупатель — принять "
            "и оплатить товар (далее — «Товар») в ассортименте, количестве и по ценам, указанным "
            "в Спецификации (п. 1.2 Договора).",
            "1.2. Спецификация:",
        ),
    ),
    (
        "2. Цена и порядок расчётов",
        (
            "2.1. Общая стоимость Товара по Договору составляет {{ totals.total }} руб. "
            "({{ totals.in_words }}), {{ totals.vat_phrase }}",
            "2.2. {{ payment.text }}",
            "2.3. Обязательство Покупателя по оплате считается исполненным в момент зачисления "
            "денежных средств на расчётный счёт Поставщика.",
        ),
    ),
    (
        "3. Поставка",
        (
            "3.1. Поставщик передаёт Товар в течение {{ contract.delivery_days }} рабочих дней "
            "с даты поступления оплаты (предоплаты) на расчётный счёт Поставщика.",
            "3.2. Право собственности и риск случайной гибели Товара переходят к Покупателю "
            "в момент передачи Товара, что подтверждается подписанием универсального "
            "передаточного документа (УПД) или товарной накладной.",
        ),
    ),
    (
        "4. Ответственность сторон",
        (
            "4.1. За просрочку оплаты Поставщик вправе потребовать от Покупателя неустойку "
            "в размере 0,1% от неоплаченной суммы за каждый день просрочки, но не более 10% "
            "от стоимости Товара.",
            "4.2. Споры разрешаются путём переговоров, а при недостижении согласия — "
            "в арбитражном суде по месту нахождения Поставщика.",
        ),
    ),
    (
        "5. Срок действия договора",
        (
            "5.1. Договор вступает в силу с момента подписания Сторонами и действует до "
            "{{ contract.valid_until }}, а в части расчётов — до полного исполнения Сторонами "
            "своих обязательств.",
            "5.2. Договор составлен в двух экземплярах, имеющих равную юридическую силу, "
            "по одному для каждой из Сторон.",
        ),
    ),
)


def _requisites(side: str) -> list[str]:
    return [
        f"{{{{ {side}.name }}}}",
        f"ИНН {{{{ {side}.inn }}}}{{% if {side}.kpp %}}, КПП {{{{ {side}.kpp }}}}{{% endif %}}",
        f"{{% if {side}.ogrn %}}{{% if {side}.is_ip %}}ОГРНИП{{% else %}}ОГРН{{% endif %}} "
        f"{{{{ {side}.ogrn }}}}{{% endif %}}",
        f"Адрес: {{{{ {side}.address }}}}",
        f"{{% if {side}.bank.account %}}Р/с {{{{ {side}.bank.account }}}} "
        f"в {{{{ {side}.bank.name }}}}{{% endif %}}",
        f"{{% if {side}.bank.bik %}}БИК {{{{ {side}.bank.bik }}}}, "
        f"к/с {{{{ {side}.bank.corr_account }}}}{{% endif %}}",
    ]


def _paragraph(container, text: str = "", *, bold=False, align=None, space_after=None):
    paragraph = container.add_paragraph()
    if text:
        run = paragraph.add_run(text)
        run.bold = bold
    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(4) if space_after is None else space_after
    return paragraph


def _cell_text(cell, text: str, *, bold=False, align=None) -> None:
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.bold = bold
    if align is not None:
        paragraph.alignment = align


def _goods_table(document) -> None:
    table = document.add_table(rows=0, cols=len(GOODS_COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = table.add_row().cells
    for cell, (title, _value, _width) in zip(header, GOODS_COLUMNS, strict=True):
        _cell_text(cell, title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    # docxtpl's {%tr %} tags replace their whole row, so the loop gets rows of its own.
    _cell_text(table.add_row().cells[0], "{%tr for row in goods %}")
    row = table.add_row().cells
    for n, (cell, (_title, value, _width)) in enumerate(zip(row, GOODS_COLUMNS, strict=True)):
        _cell_text(cell, value, align=WD_ALIGN_PARAGRAPH.RIGHT if n >= 2 else None)
    _cell_text(table.add_row().cells[0], "{%tr endfor %}")
    for label, value in (
        ("Итого:", "{{ totals.amount }}"),
        ("{{ totals.vat_label }}:", "{{ totals.vat }}"),
        ("Всего к оплате:", "{{ totals.total }}"),
    ):
        cells = table.add_row().cells
        merged = cells[0].merge(cells[-2])
        _cell_text(merged, label, bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
        _cell_text(cells[-1], value, bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    # Word reads the cell widths, LibreOffice the grid columns: set both.
    table.autofit = False
    for column, (_title, _value, width) in zip(table.columns, GOODS_COLUMNS, strict=True):
        column.width = width
    for row in table.rows:
        for cell, (_title, _value, width) in zip(row.cells, GOODS_COLUMNS, strict=True):
            cell.width = width
    _paragraph(
        document,
        "Всего наименований {{ totals.count }}, на сумму {{ totals.total }} руб. "
        "({{ totals.in_words }}).",
    )


def _parties_table(document) -> None:
    table = document.add_table(rows=1, cols=2)
    # Requisites and signatures stay on one page: a signature torn from its party is useless.
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    for cell, side, role in (
        (table.rows[0].cells[0], "legal_entity", "Поставщик"),
        (table.rows[0].cells[1], "client", "Покупатель"),
    ):
        cell.width = Cm(8.4)
        _cell_text(cell, f"{role}:", bold=True)
        for line in _requisites(side):
            _paragraph(cell, line, space_after=Pt(0))
        _paragraph(cell, f"{{{{ {side}.director_title }}}}", space_after=Pt(0))
        if side == "legal_entity":
            _paragraph(cell, "{{ signature }}", space_after=Pt(0))
        _paragraph(
            cell, f"______________ / {{{{ {side}.director_initials }}}} /", space_after=Pt(0)
        )
        if side == "legal_entity":
            _paragraph(cell, "М.П. {{ stamp }}", space_after=Pt(0))
        else:
            _paragraph(cell, "{% if client.is_company %}М.П.{% endif %}", space_after=Pt(0))


def build_sample_contract_template() -> bytes:
    document = Document()
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(10.5)
    section = document.sections[0]
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin = section.bottom_margin = Cm(1.5)

    _paragraph(
        document,
        "ДОГОВОР ПОСТАВКИ № {{ contract.number }}",
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    place = _paragraph(document, "{{ contract.city }}\t{{ contract.date }}")
    place.paragraph_format.tab_stops.add_tab_stop(Cm(17), WD_TAB_ALIGNMENT.RIGHT)
    _paragraph(
        document,
        "{{ legal_entity.preamble }}, с одной стороны, и {{ client.preamble }}, с другой "
        "стороны, вместе именуемые «Стороны», заключили настоящий договор (далее — «Договор») "
        "о нижеследующем:",
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    )
    for title, paragraphs in SECTIONS:
        _paragraph(document, title.upper(), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        for text in paragraphs:
            _paragraph(document, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        if title.startswith("1."):
            _goods_table(document)
    heading = _paragraph(
        document, "6. РЕКВИЗИТЫ И ПОДПИСИ СТОРОН", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER
    )
    heading.paragraph_format.keep_with_next = True
    _parties_table(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
