"""Bitrix24 users matched to 1C users (Catalog_Пользователи) by work e-mail.

The match is stored on `onec.Employee.b24_user_id`: the pipeline takes the 1C user for a
document's «Ответственный» from it, and notifications are routed by it. Users without e-mail or
without a 1C user of that e-mail are listed for the admin.
"""

from django.db import transaction
from django.utils import timezone

from b24app.models import Portal
from onec.models import Employee, SyncStatus

from .notify import B24Session, acting_user
from .services import portal_lock

# Not one of SyncStatus.Kind's choices yet (see the report): DB-wise just a string.
EMPLOYEES_KIND = "employees"


def match_employees(portal: Portal, *, session: B24Session | None = None) -> dict:
    with portal_lock(portal.pk, "employees"):
        session = session or B24Session(portal)
        user = acting_user(portal, None)
        if user is None:
            return {"matched": 0, "unmatched": []}
        b24_users = session.client(user).list_all("user.get", {"FILTER": {"ACTIVE": True}})
        employees = list(Employee.objects.for_portal(portal))
        by_email = {e.email.strip().lower(): e for e in employees if e.email.strip()}
        matched: dict[int, int] = {}  # employee pk -> b24 user id
        unmatched = []
        for row in b24_users:
            user_id = int(row["ID"])
            email = str(row.get("EMAIL") or "").strip().lower()
            employee = by_email.get(email) if email else None
            if employee is None:
                unmatched.append(
                    {
                        "id": user_id,
                        "name": " ".join(
                            p for p in (row.get("NAME"), row.get("LAST_NAME")) if p
                        ).strip(),
                        "email": email,
                    }
                )
                continue
            matched[employee.pk] = user_id
        with transaction.atomic():
            for employee in employees:
                new = matched.get(employee.pk)
                if employee.b24_user_id != new:
                    employee.b24_user_id = new
                    employee.save(update_fields=["b24_user_id"])
            status, _ = SyncStatus.objects.get_or_create(portal=portal, kind=EMPLOYEES_KIND)
            status.counts = {"matched": len(matched), "unmatched": unmatched}
            status.last_success_at = timezone.now()
            status.last_error = ""
            status.save(update_fields=["counts", "last_success_at", "last_error"])
        return {"matched": len(matched), "unmatched": unmatched}


def employee_for_user(portal: Portal, b24_user_id: int) -> Employee | None:
    """The 1C user to put as «Ответственный» in documents made by this Bitrix24 user."""
    return Employee.objects.for_portal(portal).filter(b24_user_id=b24_user_id).first()
