"""Contract rendering and DOCX → PDF conversion: what one document costs.

Figures: docxtpl render of a 30-row contract, the converter's cold start (server + LibreOffice +
first document), warm per-document conversion (p50/p95 over 10 documents, one server), and for
comparison one fresh `soffice --convert-to pdf` per document, which is what the warm server saves.
"""

import shutil
import statistics
import subprocess
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

from documents.converter import UnoConverter
from documents.money import totals
from documents.rendering.contract import render_contract_docx
from documents.rendering.placeholders import (
    BankData,
    ContractData,
    GoodsRow,
    LegalEntityData,
    Party,
    contract_context,
)
from documents.rendering.sample_template import build_sample_contract_template

WARM_DOCUMENTS = 10
ROWS = 30


def _context(n: int) -> dict:
    goods = [
        GoodsRow(f"Товар № {i} для договора {n}", Decimal(i % 7 + 1), Decimal("1234.56") + i)
        for i in range(1, ROWS + 1)
    ]
    return contract_context(
        client=Party(
            full_name="Общество с ограниченной ответственностью «Вектор»",
            inn="7707083893",
            kpp="770701001",
            director="Павлов Дмитрий Олегович",
            director_title="Генеральный директор",
        ),
        legal_entity=LegalEntityData(
            full_name="Общество с ограниченной ответственностью «Ромашка»",
            inn="7728168971",
            director="Смирнов Алексей Викторович",
            director_title="Генеральный директор",
        ),
        bank=BankData(
            "АО «Альфа-Банк»", "044525593", "40702810401300012345", "30101810200000000593"
        ),
        goods=goods,
        totals=totals([g.line for g in goods]),
        contract=ContractData(number=f"Д-{n:04d}", date=date(2026, 2, 1)),
        payment_scheme="70/30",
    )


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def _one_shot_soffice(docx: bytes) -> float | None:
    soffice = shutil.which("soffice")
    if not soffice:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "contract.docx"
        source.write_bytes(docx)
        started = time.perf_counter()
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{tmp}/profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                tmp,
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        return time.perf_counter() - started


def run() -> list[str]:
    template = build_sample_contract_template()
    documents, render_times = [], []
    for n in range(WARM_DOCUMENTS + 1):
        context = _context(n)
        started = time.perf_counter()
        documents.append(render_contract_docx(template, context, stamp=False))
        render_times.append(time.perf_counter() - started)

    converter = UnoConverter()
    try:
        started = time.perf_counter()
        converter.convert(documents[0], timeout=120)
        cold = time.perf_counter() - started
        pid = converter.server_pid
        warm = []
        for docx in documents[1:]:
            started = time.perf_counter()
            converter.convert(docx, timeout=60)
            warm.append(time.perf_counter() - started)
        reused = converter.server_pid == pid
    finally:
        converter.stop()

    lines = [
        f"docxtpl render, {ROWS}-row contract: p50 {statistics.median(render_times) * 1000:.0f} ms"
        f", p95 {_percentile(render_times, 95) * 1000:.0f} ms",
        f"cold start (unoserver + LibreOffice + first PDF): {cold:.2f} s",
        f"warm conversion over {len(warm)} documents: p50 {statistics.median(warm) * 1000:.0f} ms"
        f", p95 {_percentile(warm, 95) * 1000:.0f} ms, one server for all: {reused}",
    ]
    one_shot = _one_shot_soffice(documents[0])
    if one_shot is not None:
        lines.append(f"for comparison, a fresh soffice per document: {one_shot:.2f} s")
    return lines
