"""The 1C-layout invoice: what a buyer reads in the PDF/DOCX and what a bank app reads in the QR."""

import io
import subprocess
from datetime import date
from decimal import Decimal

import pytest
from docx import Document
from pypdf import PdfReader

from documents.money import VatRate
from documents.rendering.invoice_data import (
    BankDetails,
    InvoicePrintData,
    InvoiceRow,
    PartyDetails,
    Signatory,
)
from documents.rendering.invoice_docx import render_invoice_docx
from documents.rendering.invoice_pdf import render_invoice_pdf
from documents.rendering.payment_qr import build_payment_payload
from sandbox.onec.images import signature_png, stamp_png


def _row(name, qty, price, vat=VatRate.VAT22, unit="шт"):
    qty, price = Decimal(qty), Decimal(price)
    return InvoiceRow(name, qty, unit, price, qty * price, vat)


def _invoice(rows=None, buyer_name="ООО «Вектор»", **kw):
    return InvoicePrintData(
        number="12",
        date=date(2026, 2, 1),
        supplier=PartyDetails("ООО «Ромашка»", "7752601811", "775201001", "г. Москва"),
        supplier_bank=BankDetails(
            "ПАО Сбербанк", "044525225", "30101810400000000225", "40702811770342366712", "Москва"
        ),
        buyer=PartyDetails(buyer_name, "5096030820", "509601001", "г. Химки"),
        rows=rows if rows is not None else [_row("Стол офисный", "2", "12000.25")],
        basis="Договор № Д-2026/001 от 01.01.2026",
        signatories=[
            Signatory("Руководитель", "Смирнов А. В.", signature_png("a")),
            Signatory("Бухгалтер", "Орлова М. С.", signature_png("b")),
        ],
        stamp_png=stamp_png("ООО «Ромашка»", "7752601811"),
        **kw,
    )


def _pdf_text(pdf: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.split())


def _qr_codes(pdf: bytes, tmp_path) -> list[str]:
    (tmp_path / "in.pdf").write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "200",
            "-f",
            "1",
            "-l",
            "1",
            "-png",
            str(tmp_path / "in.pdf"),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    page = next(tmp_path.glob("page*.png"))
    out = subprocess.run(
        ["zbarimg", "--quiet", "--raw", "-Sbinary", str(page)], capture_output=True, check=False
    )
    return [out.stdout.decode("utf-8").strip()] if out.stdout else []


def test_it_prints_number_parties_totals_and_words():
    text = _pdf_text(render_invoice_pdf(_invoice(), stamp=False))
    assert "Счет на оплату № 12 от 01 февраля 2026 г." in text
    assert "Поставщик (Исполнитель):" in text and "ООО «Ромашка», ИНН 7752601811" in text
    assert "Покупатель (Заказчик):" in text and "ООО «Вектор», ИНН 5096030820" in text
    assert "Основание: Договор № Д-2026/001 от 01.01.2026" in text
    assert "Итого: 24 000,50" in text
    # 24 000,50 × 22/122 = 4 327,96
    assert "В том числе НДС 22%: 4 327,96" in text
    assert "Всего к оплате: 24 000,50" in text
    assert "Всего наименований 1, на сумму 24 000,50 руб." in text
    assert "Двадцать четыре тысячи рублей 50 копеек" in text
    for label in ("Банк получателя", "БИК", "Сч. №", "Получатель", "Руководитель", "Бухгалтер"):
        assert label in text


def test_it_adds_vat_on_top_when_prices_exclude_it():
    text = _pdf_text(render_invoice_pdf(_invoice(price_includes_vat=False), stamp=False))
    assert "Сумма НДС 22%: 5 280,11" in text
    assert "Всего к оплате: 29 280,61" in text


def test_it_prints_without_vat_for_a_simplified_tax_supplier():
    rows = [_row("Консультация", "2", "5000", VatRate.NONE, "ч")]
    text = _pdf_text(render_invoice_pdf(_invoice(rows=rows), stamp=False))
    assert "Без налога (НДС)" in text
    assert "Десять тысяч рублей 00 копеек" in text


def test_it_puts_a_valid_gost_payment_qr_with_the_sum_in_kopecks(tmp_path):
    codes = _qr_codes(render_invoice_pdf(_invoice(), stamp=False), tmp_path)
    assert len(codes) == 1
    fields = codes[0].split("|")
    assert fields[0] == "ST00012"
    pairs = dict(f.split("=", 1) for f in fields[1:])
    assert pairs["Sum"] == "2400050"
    assert pairs["PersonalAcc"] == "40702811770342366712"
    assert pairs["BIC"] == "044525225"
    assert pairs["PayeeINN"] == "7752601811"
    assert [f.split("=")[0] for f in fields[1:6]] == [
        "Name",
        "PersonalAcc",
        "BankName",
        "BIC",
        "CorrespAcc",
    ]


def test_it_survives_markup_characters_and_very_long_names(tmp_path):
    long_name = "Очень длинное наименование товара с подробным описанием " * 8
    buyer = 'ООО "Рога & Копыта" <b> д\'Артаньян | филиал'
    rows = [_row(long_name, "1", "100"), _row("Болт <M8> & гайка", "3", "10.10")]
    pdf = render_invoice_pdf(_invoice(rows=rows, buyer_name=buyer), stamp=True)
    text = _pdf_text(pdf)
    assert 'ООО "Рога & Копыта" <b> д\'Артаньян' in text
    assert "Болт <M8> & гайка" in text
    payload = _qr_codes(pdf, tmp_path)[0]
    assert payload.count("|") == 9  # «|» inside values never splits a field


def test_it_paginates_many_rows_and_repeats_the_header():
    rows = [_row(f"Товар номер {i}", "1", "10") for i in range(1, 121)]
    reader = PdfReader(io.BytesIO(render_invoice_pdf(_invoice(rows=rows), stamp=False)))
    assert len(reader.pages) >= 3
    second = reader.pages[1].extract_text()
    assert "Товары (работы, услуги)" in second
    assert "Всего наименований 120" in " ".join(reader.pages[-1].extract_text().split())


def test_it_draws_stamp_and_signatures_only_when_asked():
    with_stamp = PdfReader(io.BytesIO(render_invoice_pdf(_invoice(), stamp=True)))
    without = PdfReader(io.BytesIO(render_invoice_pdf(_invoice(), stamp=False)))
    assert len(with_stamp.pages[0].images) == len(without.pages[0].images) + 3  # stamp + 2 signs


def test_it_keeps_the_mandatory_qr_block_within_300_bytes():
    payload = build_payment_payload(
        name="Я" * 400,
        personal_acc="40702811770342366712",
        bank_name="ПАО Сбербанк",
        bic="044525225",
        corresp_acc="30101810400000000225",
        amount=Decimal("1.5"),
    )
    mandatory = payload.split("|Sum=")[0]
    assert len(mandatory.encode("utf-8")) <= 300
    assert payload.endswith("|Sum=150")


@pytest.mark.parametrize("stamp", [False, True])
def test_it_renders_the_same_content_as_docx(stamp):
    doc = Document(io.BytesIO(render_invoice_docx(_invoice(), stamp=stamp)))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = " ".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "Счет на оплату № 12 от 01 февраля 2026 г." in text
    assert "В том числе НДС 22%: 4 327,96" in text
    assert "Двадцать четыре тысячи рублей 50 копеек" in text
    assert "044525225" in cells and "Стол офисный" in cells
    assert len(doc.inline_shapes) == (4 if stamp else 1)  # QR (+ 2 signatures + stamp)
