"""Steps that make files: the invoice's print forms and the contract's DOCX/PDF.

Every file is a `GeneratedFile` row (unique per job, kind, stamp variant and format); a step
re-run after a crash makes only the files that are missing.
"""

import hashlib
import time

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from onec.errors import OneCNotFound
from onec.models import LegalEntity

from ..converter import convert_docx_to_pdf
from ..models import GeneratedFile, TemplateVersion
from ..rendering.contract import TemplateError, render_contract_docx
from ..rendering.invoice_data import InvoicePrintData
from ..rendering.invoice_docx import render_invoice_docx
from ..rendering.invoice_pdf import render_invoice_pdf
from .data import contract_template_context, invoice_print_data, read_file
from .runner import Run, Step, setting
from .steps_onec import bank_account, legal_entity

Kind = GeneratedFile.Kind
SOURCE_1C, SOURCE_APP = "1c", "app"


def formats(run: Run) -> list[str]:
    """DOCX always (a deal document is a DOCX, the PDF rides along), PDF when asked for."""
    wanted = set(run.order.outputs.formats or ["pdf", "docx"])
    return ["docx"] + (["pdf"] if "pdf" in wanted else [])


def variants(run: Run) -> list[bool]:
    chosen = run.order.outputs.stamp_variants
    return [v for v in (True, False) if v in chosen] or [True]


def existing_files(run: Run, kind: str) -> set[tuple[bool, str]]:
    rows = GeneratedFile.objects.filter(job=run.job, kind=kind)
    return set(rows.values_list("with_stamp", "format"))


def store_file(run: Run, *, kind: str, with_stamp: bool, fmt: str, content: bytes, name: str):
    row = GeneratedFile(
        portal=run.portal,
        job=run.job,
        kind=kind,
        with_stamp=with_stamp,
        format=fmt,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
    )
    row.file.save(name, ContentFile(content), save=False)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        # A previous holder of the job stored it just before it vanished: keep theirs.
        row.file.delete(save=False)


def _file_name(kind: str, number: str, with_stamp: bool, fmt: str) -> str:
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in number)[:40]
    variant = "stamp" if with_stamp else "plain"
    return f"{kind}-{safe}-{variant}.{fmt}"


def step_print_forms(run: Run) -> None:
    """The invoice from 1C's print service; the app's own when the portal has none."""
    entity = legal_entity(run)
    invoice = run.result(Step.INVOICE)
    state = run.result(Step.PRINT_FORMS)
    source = state.get("source") or (
        SOURCE_APP if entity.invoice_source == LegalEntity.InvoiceSource.APP else SOURCE_1C
    )
    have = existing_files(run, Kind.INVOICE)
    own_data = None  # the app's own invoice: built once (DB reads, images) for all its files
    for with_stamp in variants(run):
        for fmt in formats(run):
            if (with_stamp, fmt) in have:
                continue
            if source == SOURCE_1C:
                try:
                    content = _printed(run, invoice, fmt, with_stamp)
                except OneCNotFound as exc:
                    if exc.code is not None:  # the service answered: the document is missing
                        raise
                    # No print service published (the web server's own 404): print ourselves.
                    source = SOURCE_APP
                    run.save(Step.PRINT_FORMS, {"done": False, "source": source})
            if source == SOURCE_APP:
                own_data = own_data or invoice_print_data(run, entity, bank_account(run, entity))
                content = _own_invoice(own_data, fmt, with_stamp)
            store_file(
                run,
                kind=Kind.INVOICE,
                with_stamp=with_stamp,
                fmt=fmt,
                content=content,
                name=_file_name("invoice", invoice["number"], with_stamp, fmt),
            )
    run.save(
        Step.PRINT_FORMS,
        {"done": True, "source": source},
        action="job.print_forms",
        source=source,
        number=invoice["number"],
    )


def _printed(run: Run, invoice: dict, fmt: str, with_stamp: bool) -> bytes:
    form = run.onec().printer.print_form(
        invoice["entity_set"], invoice["ref"], format=fmt, stamp=with_stamp
    )
    return form.content


def _own_invoice(data: InvoicePrintData, fmt: str, with_stamp: bool) -> bytes:
    if fmt == "pdf":
        return render_invoice_pdf(data, stamp=with_stamp)
    return render_invoice_docx(data, stamp=with_stamp)


def step_contract_render(run: Run) -> None:
    if not run.order.issues_contract:
        run.save(Step.CONTRACT_RENDER, {"done": True, "skipped": True})
        return
    version = _template_version(run)
    template_docx = read_file(version.file)
    if not template_docx:
        raise TemplateError("файл шаблона не найден, загрузите его заново")
    entity = legal_entity(run)
    context = contract_template_context(run, entity, bank_account(run, entity))
    stamp_png, signature_png = read_file(entity.stamp_image), read_file(entity.signature_image)
    number = run.result(Step.CONTRACT)["number"]
    have = existing_files(run, Kind.CONTRACT)
    pdf_ms: list[int] = []
    for with_stamp in variants(run):
        docx = render_contract_docx(
            template_docx,
            context,
            stamp=with_stamp,
            stamp_png=stamp_png,
            signature_png=signature_png,
        )
        for fmt in formats(run):
            if (with_stamp, fmt) in have:
                continue
            content = docx
            if fmt == "pdf":
                started = time.monotonic()
                timeout = float(setting("GENERATION_PDF_TIMEOUT_SECONDS", 60))
                content = convert_docx_to_pdf(docx, timeout=timeout)
                pdf_ms.append(round((time.monotonic() - started) * 1000))
            store_file(
                run,
                kind=Kind.CONTRACT,
                with_stamp=with_stamp,
                fmt=fmt,
                content=content,
                name=_file_name("contract", number, with_stamp, fmt),
            )
    run.save(
        Step.CONTRACT_RENDER,
        {"done": True, "template_version_id": version.pk, "pdf_ms": pdf_ms},
        action="job.contract_render",
        template_version=version.version,
        pdf_ms=pdf_ms,
    )


def _template_version(run: Run) -> TemplateVersion:
    version_id = run.job.template_version_id or run.order.template_version_id
    version = TemplateVersion.objects.for_portal(run.portal).filter(pk=version_id).first()
    if version is None:
        raise TemplateError("версия шаблона удалена")
    return version
