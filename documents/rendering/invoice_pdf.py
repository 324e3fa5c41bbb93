"""«Счет на оплату» in the layout of 1C's print form, drawn with reportlab."""

import io
from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    HRFlowable,
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from documents.money import amount_in_words, format_money

from .invoice_data import (
    InvoicePrintData,
    count_line,
    format_quantity,
    payment_payload,
    total_lines,
)
from .payment_qr import qr_png

FONT_DIR = "/usr/share/fonts/truetype/dejavu"  # Debian fonts-dejavu-core: has Cyrillic
FONT, FONT_BOLD = "DejaVuSans", "DejaVuSans-Bold"


@cache
def register_fonts():
    pdfmetrics.registerFont(TTFont(FONT, f"{FONT_DIR}/DejaVuSans.ttf"))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, f"{FONT_DIR}/DejaVuSans-Bold.ttf"))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD)


def _styles():
    base = ParagraphStyle("base", fontName=FONT, fontSize=8, leading=10)
    return {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7, leading=8.5),
        "bold": ParagraphStyle("bold", parent=base, fontName=FONT_BOLD),
        "right": ParagraphStyle("right", parent=base, alignment=TA_RIGHT),
        "title": ParagraphStyle("title", parent=base, fontName=FONT_BOLD, fontSize=13, leading=16),
        "words": ParagraphStyle("words", parent=base, fontName=FONT_BOLD, fontSize=9, leading=11),
    }


def _p(text, style):
    return Paragraph(escape(str(text)), style)


def _bank_block(data: InvoicePrintData, st) -> Table:
    bank, sup = data.supplier_bank, data.supplier
    rows = [
        [_p(bank.title, st["base"]), "", _p("БИК", st["base"]), _p(bank.bik, st["base"])],
        [
            _p("Банк получателя", st["small"]),
            "",
            _p("Сч. №", st["base"]),
            _p(bank.corr_account, st["base"]),
        ],
        [
            _p(f"ИНН {sup.inn}", st["base"]),
            _p(f"КПП {sup.kpp}" if sup.kpp else "КПП", st["base"]),
            _p("Сч. №", st["base"]),
            _p(bank.account, st["base"]),
        ],
        [_p(sup.name, st["base"]), "", "", ""],
        [_p("Получатель", st["small"]), "", "", ""],
    ]
    table = Table(rows, colWidths=[45 * mm, 40 * mm, 14 * mm, 46 * mm])
    grid = colors.black
    table.setStyle(
        TableStyle(
            [
                ("SPAN", (0, 0), (1, 0)),
                ("SPAN", (0, 1), (1, 1)),
                ("SPAN", (0, 3), (1, 3)),
                ("SPAN", (0, 4), (1, 4)),
                ("SPAN", (2, 2), (2, 4)),
                ("SPAN", (3, 2), (3, 4)),
                ("BOX", (0, 0), (-1, -1), 0.7, grid),
                ("LINEAFTER", (1, 0), (2, -1), 0.7, grid),
                ("LINEBELOW", (0, 1), (-1, 1), 0.7, grid),
                ("LINEBELOW", (0, 2), (1, 2), 0.7, grid),
                ("LINEAFTER", (0, 2), (0, 2), 0.7, grid),
                ("LINEBELOW", (2, 0), (3, 0), 0.7, grid),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    return table


def _goods_table(data: InvoicePrintData, st) -> Table:
    header = ["№", "Товары (работы, услуги)", "Кол-во", "Ед.", "Цена", "Сумма"]
    rows = [[_p(h, st["bold"]) for h in header]]
    for i, row in enumerate(data.rows, start=1):
        rows.append(
            [
                _p(i, st["base"]),
                _p(row.name, st["base"]),
                _p(format_quantity(row.quantity), st["right"]),
                _p(row.unit, st["base"]),
                _p(format_money(row.price), st["right"]),
                _p(format_money(row.amount), st["right"]),
            ]
        )
    table = Table(
        rows, colWidths=[8 * mm, 92 * mm, 17 * mm, 12 * mm, 26 * mm, 27 * mm], repeatRows=1
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BOX", (0, 0), (-1, -1), 1.2, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _totals_table(data: InvoicePrintData, st) -> Table:
    rows = [[_p(label, st["bold"]), _p(value, st["bold"])] for label, value in total_lines(data)]
    for row in rows:
        row[0].style = ParagraphStyle("tr", parent=st["bold"], alignment=TA_RIGHT)
        row[1].style = ParagraphStyle("tv", parent=st["bold"], alignment=TA_RIGHT)
    table = Table(rows, colWidths=[155 * mm, 27 * mm])
    table.setStyle(
        TableStyle(
            [("TOPPADDING", (0, 0), (-1, -1), 0.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5)]
        )
    )
    return table


def _signatures(data: InvoicePrintData, st, *, stamp: bool) -> Table:
    cells = []
    for person in data.signatories:
        if stamp and person.signature_png:
            sign = Image(io.BytesIO(person.signature_png), width=32 * mm, height=12 * mm)
        else:
            sign = ""
        cells.append([_p(person.title, st["bold"]), sign, _p(person.name, st["base"])])
    if not cells:
        cells = [["", "", ""]]
    inner = Table(cells, colWidths=[30 * mm, 38 * mm, 45 * mm], rowHeights=14 * mm)
    inner.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (1, 0), (2, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ]
        )
    )
    stamp_cell = ""
    if stamp and data.stamp_png:
        stamp_cell = Image(io.BytesIO(data.stamp_png), width=38 * mm, height=38 * mm)
    outer = Table([[inner, stamp_cell]], colWidths=[118 * mm, 64 * mm])
    outer.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return outer


def render_invoice_pdf(data: InvoicePrintData, *, stamp: bool) -> bytes:
    register_fonts()
    st = _styles()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=14 * mm,
        rightMargin=14 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=data.title,
        author=data.supplier.name,
    )
    qr = Image(io.BytesIO(qr_png(payment_payload(data))), width=34 * mm, height=34 * mm)
    head = Table([[_bank_block(data, st), qr]], colWidths=[147 * mm, 36 * mm])
    head.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (0, 0), 0)])
    )
    parties = Table(
        [
            [
                _p("Поставщик (Исполнитель):", st["base"]),
                _p(data.supplier.requisites_line, st["bold"]),
            ],
            [_p("Покупатель (Заказчик):", st["base"]), _p(data.buyer.requisites_line, st["bold"])],
            [_p("Основание:", st["base"]), _p(data.basis or "", st["bold"])],
        ],
        colWidths=[38 * mm, 144 * mm],
    )
    parties.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    story = [
        head,
        Spacer(1, 5 * mm),
        _p(data.title, st["title"]),
        HRFlowable(width="100%", thickness=1.5, color=colors.black, spaceBefore=2, spaceAfter=4),
        parties,
        Spacer(1, 3 * mm),
        _goods_table(data, st),
        Spacer(1, 2 * mm),
        KeepTogether(
            [
                _totals_table(data, st),
                Spacer(1, 2 * mm),
                _p(count_line(data), st["base"]),
                _p(amount_in_words(data.totals.total), st["words"]),
                HRFlowable(width="100%", thickness=1.5, color=colors.black, spaceBefore=4),
                _signatures(data, st, stamp=stamp),
            ]
        ),
    ]
    doc.build(story)
    return buf.getvalue()
