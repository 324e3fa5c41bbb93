"""What the admin sees about the back-sync of a portal (the settings page includes
templates/documents/backsync/status.html with this)."""

from dataclasses import dataclass, field

from b24app.models import Portal
from onec.models import SyncStatus

from .employees import EMPLOYEES_KIND


@dataclass
class SyncLine:
    kind: str
    title: str
    last_success_at: object = None
    last_error: str = ""
    last_error_at: object = None
    counts: dict = field(default_factory=dict)


@dataclass
class SyncOverview:
    lines: list[SyncLine]
    unmatched_users: list[dict]


_TITLES = {
    SyncStatus.Kind.PAYMENTS: SyncStatus.Kind.PAYMENTS.label,
    SyncStatus.Kind.CATALOG_PUSH: SyncStatus.Kind.CATALOG_PUSH.label,
}


def sync_overview(portal: Portal) -> SyncOverview:
    rows = {s.kind: s for s in SyncStatus.objects.for_portal(portal)}
    lines = []
    for kind, title in _TITLES.items():
        row = rows.get(kind)
        lines.append(
            SyncLine(
                kind=kind,
                title=str(title),
                last_success_at=row.last_success_at if row else None,
                last_error=row.last_error if row else "",
                last_error_at=row.last_error_at if row else None,
                counts=dict((row.counts or {}).items()) if row else {},
            )
        )
    employees = rows.get(EMPLOYEES_KIND)
    unmatched = list((employees.counts or {}).get("unmatched", [])) if employees else []
    return SyncOverview(lines=lines, unmatched_users=unmatched)
