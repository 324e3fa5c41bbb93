"""The job in the deal tab: progress polling, documents, history, retry, audit, file links."""

from datetime import date, timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.urls import reverse

from b24app import tab_session
from b24app.deal_context import Party
from b24app.models import PortalUser
from documents.models import AuditEvent, GeneratedFile, GenerationJob
from documents.order import DocumentOrder, OrderRow

Status = GenerationJob.Status


@pytest.fixture
def manager(portal):
    return PortalUser.objects.create(portal=portal, user_id=2, name="Анна")


def _headers(portal, user, deal_id="7"):
    token = tab_session.issue(
        tab_session.TabSession(portal.pk, user.user_id, str(deal_id), "ru", "CRM_DEAL_DETAIL_TAB")
    )
    return {"HTTP_X_TAB_TOKEN": token, "HTTP_HX_REQUEST": "true"}


def _job(portal, user, *, deal_id="7", key="k1", **fields):
    order = DocumentOrder(
        deal_id=deal_id,
        client=Party(inn="7707083893", full_name="ООО «Вектор»"),
        legal_entity_id=1,
        rows=[OrderRow("r", "A-1", "Стол", "шт", Decimal(1), Decimal(100), "НДС22")],
        invoice_date=date(2026, 2, 1),
        due_date=date(2026, 2, 6),
    )
    return GenerationJob.objects.create(
        portal=portal,
        user=user,
        deal_id=deal_id,
        idempotency_key=key,
        inputs=order.to_json(),
        inputs_hash=order.fingerprint(),
        **fields,
    )


def test_it_keeps_polling_while_the_job_runs(client, portal, manager):
    job = _job(portal, manager, status=Status.RUNNING, step="invoice")
    url = reverse("documents:job_progress", args=[job.pk])
    response = client.get(url, **_headers(portal, manager))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'hx-trigger="every 1s"' in html
    assert 'data-step="invoice" data-state="current"' in html


def test_it_stops_polling_with_286_when_done_and_offers_the_files(
    client, portal, manager, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    job = _job(
        portal,
        manager,
        status=Status.DONE,
        results={"invoice": {"done": True, "number": "12"}, "counterparty": {"done": True}},
    )
    from django.core.files.base import ContentFile

    row = GeneratedFile(portal=portal, job=job, kind="invoice", with_stamp=True, format="pdf")
    row.file.save("invoice-12.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    row.sha256, row.size = "x", 13
    row.save()
    response = client.get(
        reverse("documents:job_progress", args=[job.pk]), **_headers(portal, manager)
    )
    html = response.content.decode()
    assert response.status_code == 286
    assert "hx-trigger" not in html.split("job-steps")[0]
    assert "Счёт № 12" in html
    link = html.split('data-testid="download-invoice-pdf"')[0].rsplit('href="', 1)[1].split('"')[0]
    download = client.get(link)  # no tab header: the signed link is the credential
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 test"
    assert "attachment" in download["Content-Disposition"]


def test_it_refuses_a_tampered_file_link(client, portal, manager):
    response = client.get(reverse("documents:job_file", args=["bogus:token"]))
    assert response.status_code == 404


def test_it_hides_jobs_of_another_deal_and_another_portal(client, portal, other_portal, manager):
    job = _job(portal, manager, deal_id="8")
    url = reverse("documents:job_progress", args=[job.pk])
    assert client.get(url, **_headers(portal, manager, deal_id="7")).status_code == 404
    stranger = PortalUser.objects.create(portal=other_portal, user_id=2)
    assert client.get(url, **_headers(other_portal, stranger, deal_id="8")).status_code == 404
    assert client.get(url).status_code == 403  # no tab token at all


def test_it_shows_the_failed_step_reason_and_retries_from_it(
    client, portal, manager, django_capture_on_commit_callbacks
):
    job = _job(
        portal,
        manager,
        status=Status.FAILED,
        step="invoice",
        error_step="invoice",
        error_message="1С отказалась выполнить операцию: Не заполнено поле Договор",
        results={"counterparty": {"done": True, "ref": "x"}},
    )
    headers = _headers(portal, manager)
    html = client.get(reverse("documents:job_progress", args=[job.pk]), **headers).content.decode()
    assert "Не заполнено поле Договор" in html
    assert 'data-step="invoice" data-state="failed"' in html
    assert 'data-testid="job-retry"' in html
    with (
        mock.patch("documents.pipeline.actions.enqueue") as enqueue,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(reverse("documents:job_retry", args=[job.pk]), **headers)
    assert response.status_code == 200
    job.refresh_from_db()
    assert job.status == Status.PENDING
    assert job.results["counterparty"]["done"]  # what was made stays made
    assert AuditEvent.objects.filter(job=job, action="job.retry", actor_user_id=2).exists()
    enqueue.assert_called_once_with(job.pk)


def test_it_lists_the_deal_history_with_the_stale_badge(client, portal, manager):
    from documents.selectors import deal_snapshot
    from wizard.models import WizardDraft

    context = {"deal_id": "7", "products": [{"id": "1", "quantity": "2", "price": "100"}]}
    draft = WizardDraft.objects.create(
        portal=portal, deal_id="7", user=manager, data={"context": context}
    )
    fresh = _job(
        portal,
        manager,
        key="a",
        status=Status.DONE,
        draft=draft,
        results={"deal_snapshot": deal_snapshot(context)},
    )
    old_context = {**context, "products": [{"id": "1", "quantity": "1", "price": "100"}]}
    stale = _job(
        portal,
        manager,
        key="b",
        status=Status.DONE,
        draft=draft,
        results={"deal_snapshot": deal_snapshot(old_context)},
    )
    GenerationJob.objects.filter(pk=stale.pk).update(
        created_at=fresh.created_at - timedelta(hours=1)
    )
    response = client.get(reverse("documents:job_history", args=["7"]), **_headers(portal, manager))
    html = response.content.decode()
    rows = html.split("<tr ")[1:]
    assert f'data-job-id="{fresh.pk}"' in rows[0] and "job-stale" not in rows[0]
    assert f'data-job-id="{stale.pk}"' in rows[1] and "job-stale" in rows[1]


def test_it_shows_the_audit_of_the_deal_only(client, portal, manager):
    from django.db import transaction

    from documents.audit import audit

    job = _job(portal, manager)
    with transaction.atomic():
        audit(portal=portal, action="job.submitted", actor_user_id=2, job=job, obj=job)
        audit(portal=portal, action="job.elsewhere", deal_id="99")
    html = client.get(
        reverse("documents:deal_audit", args=["7"]), **_headers(portal, manager)
    ).content.decode()
    assert "job.submitted" in html and "job.elsewhere" not in html
