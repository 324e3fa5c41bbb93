"""Bad input and outside systems failing: every case ends in a state the manager can read,
and nothing is created twice."""

import hashlib
import io
from datetime import timedelta
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from docx import Document

from documents.converter import ConversionError
from documents.models import AuditEvent, GenerationJob, TemplateVersion
from documents.pipeline import advance, job_retry, resume_stale_jobs
from onec.models import Nomenclature

from .pipeline_support import (
    DEAL_COMPANY,
    pipeline_env_fixture,  # noqa: F401 - the `env` fixture
    submit,
)

pytestmark = pytest.mark.django_db(transaction=True)
Status = GenerationJob.Status
INVOICES = "Document_СчетНаОплатуПокупателю"


def reload(job):
    job.refresh_from_db()
    return job


def test_it_waits_for_1c_and_finishes_after_it_recovers(env):
    env.onec.knobs.down = True
    job = reload(submit(env))
    assert job.status == Status.WAITING_1C
    assert job.error_step == "counterparty" and "1С сейчас недоступна" in job.error_message
    assert job.next_attempt_at > timezone.now() - timedelta(seconds=1)
    assert env.b24.state.deal_documents(DEAL_COMPANY) == []
    env.onec.knobs.down = False
    GenerationJob.objects.filter(pk=job.pk).update(next_attempt_at=timezone.now())
    assert resume_stale_jobs() == [job.pk]  # eager Celery: runs it right here
    assert reload(job).status == Status.DONE
    assert len(env.onec.find(INVOICES)) == 1
    assert len(env.b24.state.deal_documents(DEAL_COMPANY)) == 2


def test_it_does_not_run_a_waiting_job_before_its_time(env):
    env.onec.knobs.down = True
    job = reload(submit(env))
    env.onec.knobs.down = False
    assert advance(job.pk) is None
    assert reload(job).status == Status.WAITING_1C


def test_it_gives_up_after_the_retry_window(env, settings):
    env.onec.knobs.down = True
    job = reload(submit(env))
    GenerationJob.objects.filter(pk=job.pk).update(
        waiting_since=timezone.now() - timedelta(hours=25), next_attempt_at=timezone.now()
    )
    advance(job.pk)
    job = reload(job)
    assert job.status == Status.FAILED
    assert job.error_step == "counterparty" and "1С сейчас недоступна" in job.error_message
    assert AuditEvent.objects.filter(job=job, action="job.failed").exists()


def test_it_fails_fast_on_a_1c_business_error_and_never_doubles_the_invoice(env):
    stale_item = Nomenclature.objects.get(portal=env.portal, article="OLD-1")
    order = env.order()
    order.rows[0].nomenclature_ref = str(stale_item.ref_key)
    job = reload(submit(env, order))
    assert job.status == Status.FAILED and job.error_step == "invoice"
    assert "помечена на удаление" in job.error_message
    assert job.attempts == 1
    job_retry(job=job, user=env.manager)
    job = reload(job)
    assert job.status == Status.FAILED and job.attempts == 2
    assert len(env.onec.find(INVOICES)) == 1  # the retry found the first one by its marker
    assert env.b24.state.deal_documents(DEAL_COMPANY) == []


def _hostile_version(env, text: str) -> TemplateVersion:
    template = env.template()
    doc = Document()
    doc.add_paragraph(text)
    buffer = io.BytesIO()
    doc.save(buffer)
    data = buffer.getvalue()
    version = TemplateVersion(
        portal=env.portal,
        template=template,
        version=2,
        sha256=hashlib.sha256(data).hexdigest(),
    )
    version.file.save("hostile.docx", ContentFile(data), save=False)
    version.save()
    return version


@pytest.mark.parametrize(
    "text", ["{{ ''.__class__.__mro__ }}", "{{ no_such_field }}", "{{ client.inn"]
)
def test_it_fails_clearly_on_a_hostile_or_broken_template(env, text):
    version = _hostile_version(env, text)
    job = reload(submit(env, env.order(template_version_id=version.pk)))
    assert job.status == Status.FAILED and job.error_step == "contract_render"
    assert job.error_message.startswith("Шаблон договора не подходит")
    assert "__class__" not in job.error_message and "Traceback" not in job.error_message
    assert env.b24.state.deal_documents(DEAL_COMPANY) == []


def test_it_fails_clearly_when_bitrix24_refuses_the_upload(env):
    order = env.order()
    order.deal_id = "9999"  # a deal the portal does not have (deleted meanwhile)
    job = reload(submit(env, order))
    assert job.status == Status.FAILED and job.error_step == "attach"
    assert "Битрикс24 отказал" in job.error_message
    job_retry(job=job, user=env.manager)
    assert reload(job).status == Status.FAILED
    assert len(env.onec.find(INVOICES)) == 1
    assert env.b24.state.documents == {}


def test_it_retries_a_crashing_libreoffice_then_fails_clearly(env, settings):
    settings.GENERATION_CONVERSION_MAX_ATTEMPTS = 2
    crash = ConversionError(
        "Не удалось преобразовать договор в PDF: LibreOffice прервал работу.", True
    )
    with mock.patch("documents.pipeline.steps_files.convert_docx_to_pdf", side_effect=crash):
        job = reload(submit(env))
        assert job.status == Status.WAITING_1C and job.error_step == "contract_render"
        GenerationJob.objects.filter(pk=job.pk).update(next_attempt_at=timezone.now())
        advance(job.pk)
    job = reload(job)
    assert job.status == Status.FAILED and job.error_step == "contract_render"
    assert "LibreOffice" in job.error_message
    assert len(env.onec.find(INVOICES)) == 1
    assert env.b24.state.deal_documents(DEAL_COMPANY) == []


def test_it_waits_for_bitrix24_when_it_limits_requests(env):
    from b24app.client import B24RateLimited

    with mock.patch(
        "documents.pipeline.steps_b24._upload",
        side_effect=B24RateLimited("limit", "QUERY_LIMIT_EXCEEDED"),
    ):
        job = reload(submit(env))
    assert job.status == Status.WAITING_B24 and job.error_step == "attach"
    GenerationJob.objects.filter(pk=job.pk).update(next_attempt_at=timezone.now())
    advance(job.pk)
    assert reload(job).status == Status.DONE
    # The interrupted upload was marked, so the retry looked before uploading: still one set.
    assert len(env.b24.state.deal_documents(DEAL_COMPANY)) == 2
