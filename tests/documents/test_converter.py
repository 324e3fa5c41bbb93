import io
import os
import signal

import pytest
from pypdf import PdfReader

from documents.converter import ConversionError, UnoConverter, convert_docx_to_pdf, get_converter
from documents.rendering.contract import render_contract_docx
from documents.rendering.placeholders import example_context
from documents.rendering.sample_template import build_sample_contract_template


@pytest.fixture(scope="module")
def contract_docx() -> bytes:
    return render_contract_docx(build_sample_contract_template(), example_context(), stamp=False)


@pytest.fixture(scope="module")
def converter():
    converter = get_converter()
    yield converter
    converter.stop()


def _pdf_text(pdf: bytes) -> str:
    # Justified lines come back with runs of spaces and line breaks: compare words.
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.split())


@pytest.mark.slow
def test_it_turns_a_contract_into_a_pdf(converter, contract_docx):
    pdf = convert_docx_to_pdf(contract_docx)

    text = _pdf_text(pdf)
    assert "Д-2026-015" in text
    assert "Смирнова Алексея Викторовича" in text


@pytest.mark.slow
def test_it_reuses_one_warm_server_for_many_documents(converter, contract_docx):
    convert_docx_to_pdf(contract_docx)
    pid = converter.server_pid

    for _ in range(3):
        assert convert_docx_to_pdf(contract_docx).startswith(b"%PDF")
        assert converter.server_pid == pid


@pytest.mark.slow
def test_it_restarts_a_killed_server_and_still_converts(converter, contract_docx):
    convert_docx_to_pdf(contract_docx)
    killed = converter.server_pid
    os.kill(killed, signal.SIGKILL)

    pdf = convert_docx_to_pdf(contract_docx)

    assert "Д-2026-015" in _pdf_text(pdf)
    assert converter.server_pid not in (None, killed)


@pytest.mark.slow
def test_it_replaces_a_hung_server(converter, contract_docx):
    convert_docx_to_pdf(contract_docx)
    hung = converter.server_pid
    os.killpg(hung, signal.SIGSTOP)  # the server and its LibreOffice stop answering

    pdf = convert_docx_to_pdf(contract_docx, timeout=5)

    assert pdf.startswith(b"%PDF")
    assert converter.server_pid not in (None, hung)
    with pytest.raises(ProcessLookupError):
        os.killpg(hung, 0)  # the hung group is gone, not left behind


def test_it_says_plainly_when_libreoffice_is_not_installed(monkeypatch, contract_docx):
    monkeypatch.setenv("SOFFICE_BINARY", "/nonexistent/soffice")
    converter = UnoConverter()

    with pytest.raises(ConversionError) as caught:
        converter.convert(contract_docx, timeout=5)

    assert caught.value.retryable is False
    assert "LibreOffice не установлен" in caught.value.message
    converter.stop()


def test_it_says_plainly_when_unoserver_is_not_installed(monkeypatch, contract_docx):
    monkeypatch.setenv("UNOSERVER_PYTHON", "/nonexistent/python")
    converter = UnoConverter()

    with pytest.raises(ConversionError) as caught:
        converter.convert(contract_docx, timeout=5)

    assert caught.value.retryable is False
    assert "install-unoserver.sh" in caught.value.message
    converter.stop()
