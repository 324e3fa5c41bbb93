"""What the sandbox portal holds: the CRM data and everything the app wrote.

Plain dicts shaped like the REST answers (legacy `crm.*` rows keep UPPER_CASE keys and string
values), so handlers can hand them out with little translation and tests can read them directly.
"""

import itertools
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

MSK = timezone(timedelta(hours=3))


def now_iso() -> str:
    return datetime.now(MSK).replace(microsecond=0).isoformat()


@dataclass
class UploadedDocument:
    """A document the app put into the deal with crm.documentgenerator.document.upload."""

    id: str
    entity_type_id: str
    entity_id: str
    title: str
    number: str
    region: str
    docx: bytes
    pdf: bytes | None
    created_by: str
    create_time: str
    template_id: str = ""
    stamps_enabled: bool = False


@dataclass
class PortalState:
    # CRM data
    deals: dict = field(default_factory=dict)  # ID -> crm.deal fields
    product_rows: dict = field(default_factory=dict)  # deal ID -> [crm.deal.productrows rows]
    companies: dict = field(default_factory=dict)
    contacts: dict = field(default_factory=dict)
    requisite_presets: dict = field(default_factory=dict)
    requisites: dict = field(default_factory=dict)
    bank_details: dict = field(default_factory=dict)
    addresses: list = field(default_factory=list)  # crm.address rows
    requisite_links: dict = field(default_factory=dict)  # (entity type, entity id) -> link
    users: dict = field(default_factory=dict)
    admins: set = field(default_factory=set)
    departments: dict = field(default_factory=dict)
    deal_categories: dict = field(default_factory=dict)  # ID -> {"ID", "NAME", "SORT"}
    statuses: list = field(default_factory=list)  # crm.status rows (deal stages)
    catalog: dict = field(default_factory=dict)  # catalog.product rows keyed by id (int)
    # What the app wrote
    placements: list = field(default_factory=list)  # {"placement", "handler", "title", ...}
    events: list = field(default_factory=list)  # {"event", "handler", "auth_type", ...}
    documents: dict = field(default_factory=dict)  # ID -> UploadedDocument
    timeline_logs: list = field(default_factory=list)
    timeline_comments: list = field(default_factory=list)
    notifications: list = field(default_factory=list)
    install_finished: bool = False
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1000), repr=False)

    def next_id(self) -> int:
        with self.lock:
            return next(self._ids)

    def deal_documents(self, deal_id: str) -> list[UploadedDocument]:
        return [
            d
            for d in self.documents.values()
            if d.entity_type_id == "2" and d.entity_id == str(deal_id)
        ]

    def deal_timeline(self, deal_id: str) -> list[dict]:
        entries = [
            e
            for e in self.timeline_logs + self.timeline_comments
            if str(e.get("entity_type_id")) == "2" and str(e.get("entity_id")) == str(deal_id)
        ]
        return sorted(entries, key=lambda e: e["id"])
