"""A deal tab opened with LANG=en shows the generation job (progress, steps, history, audit,
refusals) and invoice payment statuses in English; the same views in Russian stay Russian."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from b24app import tab_session
from b24app.models import PortalUser
from documents.models import Contract, GenerationJob, Invoice
from documents.pipeline.failures import classify
from onec.services import ConnectionMissing
from tests.documents.test_job_views import _job

Status = GenerationJob.Status


@pytest.fixture
def manager(portal):
    return PortalUser.objects.create(portal=portal, user_id=2, name="Анна")


def _tab(portal, user, lang, deal_id="7"):
    token = tab_session.issue(
        tab_session.TabSession(portal.pk, user.user_id, str(deal_id), lang, "CRM_DEAL_DETAIL_TAB")
    )
    return {"HTTP_X_TAB_TOKEN": token, "HTTP_HX_REQUEST": "true"}


def _step_labels(html: str) -> list[str]:
    items = html.split('<ol class="job-steps"', 1)[1].split("</ol>", 1)[0].split("<li ")[1:]
    return [item.split("</span>", 1)[1].split("</li>", 1)[0].strip() for item in items]


def _progress(client, portal, manager, lang, **fields):
    job = _job(portal, manager, **fields)
    response = client.get(
        reverse("documents:job_progress", args=[job.pk]), **_tab(portal, manager, lang)
    )
    assert response.status_code in (200, 286)
    return response.content.decode()


@pytest.mark.django_db
def test_it_shows_the_running_jobs_steps_in_english(client, portal, manager):
    html = _progress(client, portal, manager, "en", status=Status.RUNNING, step="invoice")
    assert "Generating the documents…" in html
    assert _step_labels(html) == [
        "Counterparty in 1C",
        "Contract in 1C",
        "Invoice in 1C and posting",
        "Invoice print forms",
        "Contract document",
        "Documents in the deal",
        "Notification",
    ]


@pytest.mark.django_db
def test_it_still_shows_the_steps_in_russian(client, portal, manager):
    html = _progress(client, portal, manager, "ru", status=Status.RUNNING, step="invoice")
    assert "Документы формируются…" in html
    labels = _step_labels(html)
    assert labels[0] == "Контрагент в 1С" and "Счёт в 1С и проведение" in labels
    assert "Generating" not in html


@pytest.mark.django_db
def test_it_shows_a_failed_and_a_waiting_job_in_english(client, portal, manager):
    failed = _progress(client, portal, manager, "en", status=Status.FAILED, step="invoice", key="f")
    assert "The documents were not generated" in failed and ">Retry</button>" in failed
    waiting = _progress(
        client,
        portal,
        manager,
        "en",
        status=Status.WAITING_1C,
        step="counterparty",
        next_attempt_at=dt.datetime(2026, 2, 1, 9, 30, tzinfo=dt.UTC),
        key="w",
    )
    assert "Waiting for 1C" in waiting
    assert "Nothing will be lost: the documents will appear by themselves." in waiting


@pytest.mark.django_db
def test_it_lists_the_history_and_the_audit_in_english(client, portal, manager):
    _job(portal, manager, status=Status.DONE, results={"contract": {"number": "Д-5"}})
    headers = _tab(portal, manager, "en")
    history = client.get(reverse("documents:job_history", args=["7"]), **headers).content.decode()
    assert "Documents for the deal" in history
    assert "<td>Done</td>" in history and "Contract" in history and "Договор" not in history
    audit = client.get(reverse("documents:deal_audit", args=["7"]), **headers).content.decode()
    assert "Activity log" in audit and "No entries." in audit
    russian = client.get(
        reverse("documents:job_history", args=["7"]), **_tab(portal, manager, "ru")
    ).content.decode()
    assert "<td>Готово</td>" in russian and "Документы по сделке" in russian


@pytest.mark.django_db
def test_it_refuses_to_retry_a_finished_job_in_english(client, portal, manager):
    job = _job(portal, manager, status=Status.DONE)
    response = client.post(
        reverse("documents:job_retry", args=[job.pk]), **_tab(portal, manager, "en")
    )
    assert response.status_code == 409
    assert "This job cannot be retried: it did not fail." in response.content.decode()


def test_it_words_pipeline_failures_in_the_active_language():
    # The worker stores the message in the language active when the step failed.
    with translation.override("en"):
        failure = classify(ConnectionMissing("no connection"), job_id=1, step="counterparty")
    assert failure.message == "The portal administrator has not set up the 1C connection."
    with translation.override("ru"):
        failure = classify(ConnectionMissing("no connection"), job_id=1, step="counterparty")
    assert failure.message == "Подключение к 1С не настроено администратором портала."


@pytest.mark.django_db
def test_it_shows_invoice_payment_statuses_in_english(client, portal, manager, make_legal_entity):
    entity = make_legal_entity(portal)
    contract = Contract.objects.create(
        portal=portal,
        kind="yearly",
        number="Г-001",
        date=dt.date.today() - dt.timedelta(days=10),
        valid_until=dt.date.today() + dt.timedelta(days=300),
        legal_entity=entity,
        client_name="ООО «Вектор»",
        client_inn="7707083893",
    )
    for number, status in (("45", Invoice.PaymentStatus.PAID), ("46", "partial")):
        Invoice.objects.create(
            portal=portal,
            contract=contract,
            deal_id="12",
            legal_entity=entity,
            onec_entity_set="Document_СчетНаОплатуПокупателю",
            onec_ref_key=uuid.uuid4(),
            number=number,
            date=dt.date.today(),
            total=Decimal("1000.00"),
            payment_status=status,
            paid_amount=Decimal("400.00"),
        )
    url = f"/documents/library/{contract.pk}/"
    english = client.get(url, **_tab(portal, manager, "en", deal_id="")).content.decode()
    assert "<td>Paid</td>" in english and "<td>Partially paid (400.00)</td>" in english
    assert "Invoices under the contract" in english
    russian = client.get(url, **_tab(portal, manager, "ru", deal_id="")).content.decode()
    assert "<td>Оплачен</td>" in russian and "Оплачен частично" in russian


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "The portal administrator has not set up the 1C connection."),
        ("ru", "Подключение к 1С не настроено администратором портала."),
    ],
)
def test_it_words_a_failed_job_in_the_managers_language(portal, manager, lang, message):
    from documents.pipeline import advance

    job = _job(portal, manager, status=Status.PENDING, lang=lang)  # the portal has no 1C
    with translation.override("ru" if lang == "en" else "en"):  # whatever the worker runs in
        advance(job.pk)
    job.refresh_from_db()
    assert (job.status, job.error_message) == (Status.FAILED, message)
