"""The generation pipeline against both sandboxes: what the manager gets in the deal and in 1C."""

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from documents.models import AuditEvent, Contract, GeneratedFile, GenerationJob, Invoice
from documents.money import amount_in_words, format_money
from documents.order import Outputs

from .pipeline_support import (
    DEAL_COMPANY,
    DEAL_PERSON,
    DEAL_SOLE_TRADER,
    pipeline_env_fixture,  # noqa: F401 - the `env` fixture
    submit,
)

pytestmark = pytest.mark.django_db(transaction=True)
Status = GenerationJob.Status
INVOICES = "Document_СчетНаОплатуПокупателю"


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def done(job) -> GenerationJob:
    job.refresh_from_db()
    assert job.status == Status.DONE, (job.error_step, job.error_message)
    return job


@pytest.mark.parametrize("deal_id", [DEAL_COMPANY, DEAL_SOLE_TRADER, DEAL_PERSON])
def test_it_puts_the_contract_and_the_invoice_into_the_deal_once(env, deal_id):
    order = env.order(deal_id)
    job = done(submit(env, order))
    docs = {d.title: d for d in env.b24.state.deal_documents(deal_id)}
    invoice = Invoice.objects.get(job=job)
    contract = job.results["contract"]["number"]
    assert sorted(docs) == sorted([f"Договор № {contract}", f"Счёт на оплату № {invoice.number}"])
    assert all(d.pdf.startswith(b"%PDF") and d.docx.startswith(b"PK") for d in docs.values())
    assert len(env.onec.find(INVOICES)) == 1
    assert env.onec.find(INVOICES)[0]["Posted"] is True
    text = pdf_text(docs[f"Счёт на оплату № {invoice.number}"].pdf)
    total = order.totals().total
    assert f"Счет на оплату № {invoice.number} от" in text
    assert format_money(total) in text and amount_in_words(total) in " ".join(text.split())
    assert "НДС 22%" in text
    assert order.client.inn in text
    contract_text = pdf_text(docs[f"Договор № {contract}"].pdf)
    assert contract in contract_text and order.client.inn in contract_text
    assert GeneratedFile.objects.filter(job=job).count() == 4


def test_it_records_what_each_step_made_and_audits_it(env):
    job = done(submit(env))
    results = job.results
    assert results["counterparty"]["ref"] and results["contract"]["ref"]
    assert results["invoice"]["ref"] and results["invoice"]["number"]
    assert len(results["attach"]["docs"]) == 2
    assert all(d["id"] for d in results["attach"]["docs"].values())
    assert Contract.objects.get(pk=job.contract_id).number == results["contract"]["number"]
    actions = list(AuditEvent.objects.filter(job=job).values_list("action", flat=True))
    for action in ("job.submitted", "job.running", "job.counterparty", "job.invoice", "job.done"):
        assert action in actions
    finished = AuditEvent.objects.get(job=job, action="job.done")
    assert finished.details["inputs_hash"] == job.inputs_hash
    assert finished.details["onec"]["invoice"] == results["invoice"]["ref"]
    assert sorted(finished.details["b24_document_ids"]) == sorted(
        d["id"] for d in results["attach"]["docs"].values()
    )


def test_it_returns_the_same_job_for_a_double_click(env):
    order = env.order()
    first = submit(env, order)
    second = submit(env, order)
    assert first.pk == second.pk
    done(first)
    assert len(env.b24.state.deal_documents(DEAL_COMPANY)) == 2
    assert len(env.onec.find(INVOICES)) == 1


def test_it_uses_at_most_four_bitrix24_requests_and_notifies_the_manager(env):
    from documents.models import PortalSettings

    PortalSettings.objects.filter(portal=env.portal).update(
        stage_after_documents={"0": "PREPARATION"}
    )
    order = env.order()
    env.b24.reset_stats()
    job = done(submit(env, order))
    assert env.b24.stats.rest_requests <= 4
    timeline = env.b24.state.deal_timeline(DEAL_COMPANY)
    assert len(timeline) == 1
    assert job.results["invoice"]["number"] in timeline[0]["text"]
    notes = [n for n in env.b24.state.notifications if n["user_id"] == "1"]
    assert len(notes) == 1 and f"/crm/deal/details/{DEAL_COMPANY}/" in notes[0]["message"]


def test_it_moves_the_deal_to_the_configured_stage(env):
    from documents.models import PortalSettings
    from wizard.models import WizardDraft
    from wizard.snapshot import context_to_json

    PortalSettings.objects.filter(portal=env.portal).update(
        stage_after_documents={"0": "PREPARATION"}
    )
    context = env.context(DEAL_COMPANY)
    draft = WizardDraft.objects.create(
        portal=env.portal,
        deal_id=DEAL_COMPANY,
        user=env.manager,
        data={"context": context_to_json(context)},
    )
    done(submit(env, env.order(), draft=draft))
    assert env.b24.state.deals[DEAL_COMPANY]["STAGE_ID"] == "PREPARATION"


def test_it_makes_both_stamp_variants_when_asked(env):
    order = env.order(outputs=Outputs(formats=["pdf", "docx"], stamp_variants=[True, False]))
    job = done(submit(env, order))
    titles = sorted(d.title for d in env.b24.state.deal_documents(DEAL_COMPANY))
    assert len(titles) == 4 and sum("(без печати)" in t for t in titles) == 2
    assert GeneratedFile.objects.filter(job=job, with_stamp=False).count() == 4


def test_it_prints_its_own_invoice_when_1c_has_no_print_service(env):
    env.onec.knobs.print_service = False
    order = env.order()
    job = done(submit(env, order))
    assert job.results["print_forms"]["source"] == "app"
    pdf = GeneratedFile.objects.get(job=job, kind="invoice", format="pdf").file.read()
    text = pdf_text(pdf)
    assert f"Счет на оплату № {job.results['invoice']['number']}" in text
    assert "В том числе НДС 22%" in text
    assert f"Договор № {job.results['contract']['number']}" in text


def test_it_issues_only_an_invoice_under_an_existing_yearly_contract(env):
    first = done(submit(env, env.order(template=env.template(yearly=True))))
    yearly = Contract.objects.get(pk=first.contract_id)
    order = env.order(
        existing_contract_id=yearly.pk,
        template_id=None,
        template_version_id=None,
        rows=env.order().rows[:1],
    )
    second = done(submit(env, order))
    assert second.results["contract"]["ref"] == str(yearly.onec_ref_key)
    assert second.results["contract_render"]["skipped"]
    assert len(env.onec.find("Catalog_ДоговорыКонтрагентов", Номер=yearly.number)) == 1
    assert len(env.onec.find(INVOICES)) == 2
    new_docs = [d for d in env.b24.state.deal_documents(DEAL_COMPANY) if "Договор" in d.title]
    assert len(new_docs) == 1  # the contract came with the first job only


def test_it_escapes_ampersands_quotes_and_long_names(env):
    order = env.order()
    client = order.client
    client.full_name = 'ООО «Рога & Копыта» <"Главные"> ' + "очень длинное имя " * 20
    client.short_name = "ООО «Рога & Копыта»"
    job = done(submit(env, order))
    docx = GeneratedFile.objects.get(job=job, kind="contract", format="docx").file.read()
    assert docx.startswith(b"PK")
    pdf = GeneratedFile.objects.get(job=job, kind="contract", format="pdf").file.read()
    assert "Рога & Копыта" in pdf_text(pdf)


def test_it_totals_the_invoice_in_1c_as_the_order_does(env):
    order = env.order(DEAL_SOLE_TRADER)
    job = done(submit(env, order))
    assert Decimal(job.results["invoice"]["total"]) == order.totals().total
