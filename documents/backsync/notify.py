"""Telling Bitrix24 what happened in 1C: deal timeline lines, notifications, stage moves.

Everything goes out in `batch` requests (one rate-limiter drop per 50 commands), acting as the
invoice's responsible manager when they have tokens, else as any admin with tokens. `deliver()`
answers per notice whether it is done; the caller un-claims what was not, so the next poll
retries it and nothing is reported twice.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field

from b24app.client import B24Error, client_for
from b24app.models import Portal, PortalUser

log = logging.getLogger("documents.backsync")

DEAL_ENTITY_TYPE = 2
# Three commands per notice at most (log, notify, stage): stay within one 50-command batch.
NOTICES_PER_BATCH = 16


@dataclass
class Notice:
    """One thing to tell: a deal timeline line and/or notifications, maybe a stage move."""

    key: str  # unique within one deliver() call, [a-z0-9_]
    title: str
    text: str
    deal_id: str = ""
    acting_user_id: int | None = None  # whose tokens to prefer (the responsible manager)
    notify_user_ids: list[int] = field(default_factory=list)
    tag: str = ""  # a repeated notification with the same TAG replaces the old one
    stage_by_category: dict = field(default_factory=dict)  # {category_id: stage_id}


def acting_user(portal: Portal, preferred_user_id: int | None) -> PortalUser | None:
    """The user whose tokens background work uses: the preferred one if they have tokens,
    else an admin with tokens."""
    users = PortalUser.objects.for_portal(portal).exclude(refresh_token="")
    if preferred_user_id:
        user = users.filter(user_id=preferred_user_id).first()
        if user is not None:
            return user
    return users.filter(is_admin=True).order_by("user_id").first()


class B24Session:
    """Clients per acting user for one run, and the Bitrix24 requests they sent."""

    def __init__(self, portal: Portal, factory=client_for):
        self.portal = portal
        self._factory = factory
        self._clients: dict[int, object] = {}

    def client(self, user: PortalUser):
        if user.pk not in self._clients:
            self._clients[user.pk] = self._factory(self.portal, user)
        return self._clients[user.pk]

    @property
    def request_count(self) -> int:
        return sum(getattr(c, "request_count", 0) for c in self._clients.values())


def deliver(session: B24Session, notices: list[Notice]) -> dict[str, bool]:
    """Send the notices; {key: done}. Not done = nobody to act as, or Bitrix24 failed as a whole
    (retry next poll). A failed single command (deal deleted, user gone) counts as done: it
    would fail the same way forever."""
    done: dict[str, bool] = {}
    groups: dict[int, list[Notice]] = defaultdict(list)
    users: dict[int, PortalUser] = {}
    # Most notices of a poll act as the same few managers: look each one up once.
    acting: dict[int | None, PortalUser | None] = {}
    for notice in notices:
        if notice.acting_user_id not in acting:
            acting[notice.acting_user_id] = acting_user(session.portal, notice.acting_user_id)
        user = acting[notice.acting_user_id]
        if user is None:
            log.warning(
                "portal=%s: no user with tokens to report %s", session.portal.pk, notice.key
            )
            done[notice.key] = False
            continue
        users[user.pk] = user
        groups[user.pk].append(notice)
    for user_pk, group in groups.items():
        client = session.client(users[user_pk])
        for start in range(0, len(group), NOTICES_PER_BATCH):
            chunk = group[start : start + NOTICES_PER_BATCH]
            try:
                _send_chunk(client, chunk)
            except B24Error as exc:
                log.warning(
                    "portal=%s bitrix24 batch failed (%s, retryable=%s)",
                    session.portal.pk,
                    exc.code,
                    exc.retryable,
                )
                done.update({n.key: False for n in chunk})
            else:
                done.update({n.key: True for n in chunk})
    return done


def _send_chunk(client, chunk: list[Notice]) -> None:
    deals = _deals_for_stage_moves(client, chunk)
    commands = {}
    for n in chunk:
        if n.deal_id:
            commands[f"log_{n.key}"] = (
                "crm.timeline.logmessage.add",
                {
                    "fields": {
                        "entityTypeId": DEAL_ENTITY_TYPE,
                        "entityId": int(n.deal_id),
                        "title": n.title,
                        "text": n.text,
                        "iconCode": "info",
                    }
                },
            )
        for user_id in dict.fromkeys(n.notify_user_ids):
            params = {"USER_ID": user_id, "MESSAGE": f"{n.title}\n{n.text}"}
            if n.tag:
                params["TAG"] = n.tag
            commands[f"note_{n.key}_{user_id}"] = ("im.notify.system.add", params)
        stage = _target_stage(deals.get(n.deal_id), n.stage_by_category)
        if stage:
            commands[f"stage_{n.key}"] = (
                "crm.deal.update",
                {"id": int(n.deal_id), "fields": {"STAGE_ID": stage}},
            )
    if not commands:
        return
    _, errors = client.batch(commands)
    for key, error in errors.items():
        # Deal deleted, user fired, stage renamed: logged, not retried.
        log.info("bitrix24 command %s failed: %s", key, _error_code(error))


def _deals_for_stage_moves(client, chunk: list[Notice]) -> dict[str, dict]:
    wanted = {n.deal_id for n in chunk if n.deal_id and n.stage_by_category}
    if not wanted:
        return {}
    results, errors = client.batch(
        {f"deal_{d}": ("crm.deal.get", {"id": int(d)}) for d in sorted(wanted)}
    )
    for key in errors:
        log.info("deal %s not readable (deleted in Bitrix24?)", key.removeprefix("deal_"))
    return {key.removeprefix("deal_"): deal for key, deal in results.items() if deal}


def _target_stage(deal: dict | None, stage_by_category: dict) -> str:
    """The configured stage for the deal's pipeline, unless the deal is closed or already there:
    back-sync never reopens a won or lost deal."""
    if not deal or not stage_by_category:
        return ""
    stage = stage_by_category.get(str(deal.get("CATEGORY_ID") or "0"), "")
    if not stage or deal.get("STAGE_ID") == stage or deal.get("CLOSED") == "Y":
        return ""
    return stage


def _error_code(error) -> str:
    if isinstance(error, dict):
        return str(error.get("error") or error.get("error_description") or "")[:100]
    return str(error)[:100]
