"""«Сформировать документы» in the deal card: for an ООО, an ИП and a физлицо the contract and
the invoice appear in the sandbox deal, and their PDFs say the right things."""

import io
import re
import subprocess
import tempfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from documents.models import GenerationJob, Invoice
from documents.money import amount_in_words, format_money, to_kopecks

# deal -> its manager (the ИП deal belongs to the St Petersburg region's manager)
DEALS = {"1": 2, "2": 3, "3": 2}


def pdf_text(content: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages
    )


def qr_payloads(pdf: bytes) -> list[str]:
    """Decode the QR codes of a PDF's first page the way a bank app would see them."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "doc.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "1", str(source), f"{tmp}/page"],
            check=True,
        )
        image = next(Path(tmp).glob("page*.png"))
        found = subprocess.run(
            ["zbarimg", "--raw", "-q", "-Sbinary", str(image)], capture_output=True, check=False
        )
    return [line for line in found.stdout.decode("utf-8").splitlines() if line]


def press(button) -> None:
    # The deal card gives the tab a fixed-height frame; a button below its fold can't take a
    # pointer click from Playwright, but a manager scrolls to it, which this stands for.
    button.scroll_into_view_if_needed()
    button.evaluate("b => b.click()")


def walk_the_wizard(frame) -> None:
    """Accept every step as the deal fills it, up to the «Сформировать документы» button."""
    submit = frame.locator('[data-testid="submit"]')
    for _ in range(8):
        if submit.count() and submit.is_visible():
            break
        wizard = frame.locator('[data-testid="wizard"]')
        step = wizard.get_attribute("data-step")
        choices = frame.locator('input[name="choice"]')
        if step == "contract" and choices.count():
            choices.first.check()  # the first template offered
        press(frame.locator('button[name="action"][value="next"]').first)
        frame.locator(f'[data-testid="wizard"]:not([data-step="{step}"])').wait_for()
    submit.wait_for()
    assert submit.is_enabled(), frame.locator('[data-testid="readiness"]').inner_text()


@pytest.mark.parametrize("deal_id", list(DEALS), ids=["ooo", "ip", "person"])
def test_it_makes_the_documents_in_the_deal_with_the_right_contents(
    demo_stack, page, screenshot, deal_id
):
    page.goto(demo_stack.deal_card_url(deal_id, user_id=DEALS[deal_id]))
    frame = page.frame_locator("#app-frame")
    frame.locator('[data-testid="wizard"]').wait_for()
    walk_the_wizard(frame)
    press(frame.locator('[data-testid="submit"]'))
    frame.locator('[data-testid="job-progress"][data-status="done"]').wait_for(timeout=60_000)
    screenshot(f"documents-{deal_id}")
    # Polling stopped: the finished partial has no trigger left.
    assert frame.locator('[data-testid="job-progress"][hx-trigger]').count() == 0

    job = GenerationJob.objects.get(portal=demo_stack.portal, deal_id=deal_id)
    invoice = Invoice.objects.get(job=job)
    contract_number = job.results["contract"]["number"]
    docs = {d.title: d for d in demo_stack.b24.state.deal_documents(deal_id)}
    assert set(docs) == {f"Договор № {contract_number}", f"Счёт на оплату № {invoice.number}"}

    invoice_pdf = docs[f"Счёт на оплату № {invoice.number}"].pdf
    text = pdf_text(invoice_pdf)
    client_inn = job.inputs["client"]["inn"]
    assert f"Счет на оплату № {invoice.number} от" in text
    assert client_inn in text and format_money(invoice.total) in text
    assert amount_in_words(invoice.total) in text
    if any(row["vat_rate"] == "НДС22" for row in job.inputs["rows"]):
        assert "НДС 22%" in text
    [payload] = qr_payloads(invoice_pdf)
    assert payload.startswith("ST00012|Name=")
    fields = dict(part.split("=", 1) for part in payload.split("|")[1:])
    assert fields["Sum"] == str(to_kopecks(invoice.total))
    assert re.fullmatch(r"\d{20}", fields["PersonalAcc"]) and re.fullmatch(r"\d{9}", fields["BIC"])

    contract_text = pdf_text(docs[f"Договор № {contract_number}"].pdf)
    assert contract_number in contract_text and client_inn in contract_text
    assert format_money(invoice.total) in contract_text
