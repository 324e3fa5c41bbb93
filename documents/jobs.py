"""Submitting a document order: the one entry point the wizard (and the library) calls."""

import hashlib

from django.db import IntegrityError, transaction

from .audit import audit
from .models import GenerationJob
from .order import DocumentOrder


def idempotency_key(*, portal, order: DocumentOrder, user, draft=None, salt: str = "") -> str:
    """The same confirmed order from the same manager is the same job: a double click, a retry
    of the request or a second tab all land here with the same key. `salt` makes an explicit
    «Сформировать заново» a new job."""
    revision = draft.revision if draft is not None else ""
    raw = f"{portal.pk}|{user.user_id}|{order.deal_id}|{revision}|{order.fingerprint()}|{salt}"
    return hashlib.sha256(raw.encode()).hexdigest()


def job_submit(
    *, order: DocumentOrder, user, draft=None, salt: str = "", lang: str = "ru"
) -> GenerationJob:
    """Create (or return the existing) job for this order and start it after commit."""
    # Imported here: the pipeline package imports this module (job_regenerate submits a job).
    from .pipeline.runner import enqueue

    portal = user.portal
    key = idempotency_key(portal=portal, order=order, user=user, draft=draft, salt=salt)
    existing = GenerationJob.objects.for_portal(portal).filter(idempotency_key=key).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            job = GenerationJob.objects.create(
                portal=portal,
                idempotency_key=key,
                deal_id=order.deal_id,
                lang=lang,
                user=user,
                draft=draft,
                inputs=order.to_json(),
                inputs_hash=order.fingerprint(),
                template_version_id=order.template_version_id,
            )
            audit(
                portal=portal,
                action="job.submitted",
                actor_user_id=user.user_id,
                job=job,
                obj=job,
                inputs_hash=job.inputs_hash,
                template_version_id=order.template_version_id,
                existing_contract_id=order.existing_contract_id,
            )
            transaction.on_commit(lambda: enqueue(job.pk))
    except IntegrityError:
        # Another request with the same key won the race: theirs is the job.
        return GenerationJob.objects.for_portal(portal).get(idempotency_key=key)
    return job
