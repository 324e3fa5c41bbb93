"""«Счет на оплату» as DOCX (python-docx): the same content as the PDF, in tables."""

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from documents.money import amount_in_words, format_money

from .invoice_data import (
    InvoicePrintData,
    count_line,
    format_quantity,
    payment_payload,
    total_lines,
)
from .payment_qr import qr_png


def _cell(cell, text, *, bold=False, right=False, size=9):
    cell.text = ""
    para = cell.paragraphs[0]
    run = para.add_run(str(text))
    run.bold, run.font.size = bold, Pt(size)
    if right:
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _para(doc, text, *, bold=False, size=9, right=False):
    para = doc.add_paragraph()
    run = para.add_run(text)
    run.bold, run.font.size = bold, Pt(size)
    para.paragraph_format.space_after = Pt(2)
    if right:
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return para


def render_invoice_docx(data: InvoicePrintData, *, stamp: bool) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(14))
    bank, sup = data.supplier_bank, data.supplier

    block = doc.add_table(rows=5, cols=4)
    block.style = "Table Grid"
    block.cell(0, 0).merge(block.cell(0, 1))
    block.cell(1, 0).merge(block.cell(1, 1))
    block.cell(3, 0).merge(block.cell(3, 1))
    block.cell(4, 0).merge(block.cell(4, 1))
    block.cell(2, 2).merge(block.cell(4, 2))
    block.cell(2, 3).merge(block.cell(4, 3))
    _cell(block.cell(0, 0), bank.title)
    _cell(block.cell(0, 2), "БИК")
    _cell(block.cell(0, 3), bank.bik)
    _cell(block.cell(1, 0), "Банк получателя", size=7)
    _cell(block.cell(1, 2), "Сч. №")
    _cell(block.cell(1, 3), bank.corr_account)
    _cell(block.cell(2, 0), f"ИНН {sup.inn}")
    _cell(block.cell(2, 1), f"КПП {sup.kpp}" if sup.kpp else "КПП")
    _cell(block.cell(2, 2), "Сч. №")
    _cell(block.cell(2, 3), bank.account)
    _cell(block.cell(3, 0), sup.name)
    _cell(block.cell(4, 0), "Получатель", size=7)

    doc.add_picture(io.BytesIO(qr_png(payment_payload(data))), width=Mm(30))
    _para(doc, data.title, bold=True, size=14)
    _para(doc, f"Поставщик (Исполнитель): {sup.requisites_line}")
    _para(doc, f"Покупатель (Заказчик): {data.buyer.requisites_line}")
    _para(doc, f"Основание: {data.basis}")

    goods = doc.add_table(rows=1, cols=6)
    goods.style = "Table Grid"
    for cell, title in zip(
        goods.rows[0].cells,
        ["№", "Товары (работы, услуги)", "Кол-во", "Ед.", "Цена", "Сумма"],
        strict=True,
    ):
        _cell(cell, title, bold=True)
    for i, row in enumerate(data.rows, start=1):
        cells = goods.add_row().cells
        values = [
            i,
            row.name,
            format_quantity(row.quantity),
            row.unit,
            format_money(row.price),
            format_money(row.amount),
        ]
        for j, value in enumerate(values):
            _cell(cells[j], value, right=j in (2, 4, 5))

    for label, value in total_lines(data):
        _para(doc, f"{label} {value}", bold=True, right=True)
    _para(doc, count_line(data))
    _para(doc, amount_in_words(data.totals.total), bold=True, size=10)

    signs = doc.add_table(rows=max(len(data.signatories), 1), cols=3)
    for row, person in zip(signs.rows, data.signatories, strict=False):
        _cell(row.cells[0], person.title, bold=True)
        if stamp and person.signature_png:
            row.cells[1].paragraphs[0].add_run().add_picture(
                io.BytesIO(person.signature_png), width=Mm(30)
            )
        else:
            _cell(row.cells[1], "____________________")
        _cell(row.cells[2], person.name)
    if stamp and data.stamp_png:
        doc.add_picture(io.BytesIO(data.stamp_png), width=Mm(38))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
