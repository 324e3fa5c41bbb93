"""The audit trail: one row per state change, written inside the changing transaction."""

from django.db import transaction

from .models import AuditEvent


def audit(
    *,
    portal,
    action: str,
    actor_user_id: int | None = None,
    deal_id: str = "",
    job=None,
    obj=None,
    **details,
) -> AuditEvent:
    """Record `action`. Must run inside the transaction that makes the change it describes, so
    the change and its audit row commit or roll back together."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit() must be called inside transaction.atomic()")
    return AuditEvent.objects.create(
        portal=portal,
        action=action,
        actor_user_id=actor_user_id,
        deal_id=str(deal_id or (job.deal_id if job else "")),
        job=job,
        object_type=type(obj).__name__ if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        details=details,
    )
