"""Reading Bitrix24's first POST into an iframe page (install, app, placements).

Nothing here is trusted yet: the values are checked for shape only. Whether the token is real is
decided by `b24app.entry` against the portal or the OAuth server.
"""

import json
import re
from dataclasses import dataclass, field

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

MAX_BODY = 64 * 1024  # a placement POST is ~1 KB; anything near this is not Bitrix24
_TOKEN = re.compile(r"^[A-Za-z0-9._\-]{8,512}$")
_MEMBER = re.compile(r"^[A-Za-z0-9_\-]{1,64}$")
_ENTITY_ID = re.compile(r"^[1-9][0-9]{0,18}$")


class BadPost(Exception):
    """A request we can't read: answer `status` with `message` and change nothing."""

    def __init__(self, message, status: int = 400):
        super().__init__(str(message))
        self.message = message
        self.status = status


@dataclass
class PlacementPost:
    member_id: str
    auth_id: str
    refresh_id: str
    lang: str
    placement: str
    domain: str = ""
    application_token: str = ""
    options: dict = field(default_factory=dict)

    def __repr__(self):  # never let tokens into a log line through a repr
        return f"PlacementPost(member_id={self.member_id!r}, placement={self.placement!r})"

    @property
    def entity_id(self) -> str:
        return str(self.options.get("ID") or self.options.get("ENTITY_ID") or "")


def read_body(request: HttpRequest, limit: int = MAX_BODY) -> str:
    """The raw form body, refused when too large or not UTF-8 (before Django parses it)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit:
        raise BadPost(_("Запрос слишком большой."), 413)
    raw = request.body
    if len(raw) > limit:
        raise BadPost(_("Запрос слишком большой."), 413)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadPost(_("Запрос не в кодировке UTF-8.")) from exc


def lang_of(request: HttpRequest) -> str:
    lang = (request.GET.get("LANG") or request.POST.get("LANG") or "").lower()
    return "en" if lang == "en" else "ru"


def parse_placement_post(request: HttpRequest, *, default_placement: str = "") -> PlacementPost:
    read_body(request)
    data = request.POST
    member_id = data.get("member_id", "").strip()
    auth_id = data.get("AUTH_ID", "").strip()
    refresh_id = data.get("REFRESH_ID", "").strip()
    if not _MEMBER.match(member_id) or not _TOKEN.match(auth_id):
        raise BadPost(_("Откройте приложение из Битрикс24: нет данных авторизации."), 403)
    if refresh_id and not _TOKEN.match(refresh_id):
        raise BadPost(_("Откройте приложение из Битрикс24: нет данных авторизации."), 403)
    post = PlacementPost(
        member_id=member_id,
        auth_id=auth_id,
        refresh_id=refresh_id,
        lang=lang_of(request),
        placement=(data.get("PLACEMENT") or default_placement).strip()[:64],
        domain=(request.GET.get("DOMAIN") or data.get("DOMAIN") or "")[:255],
        application_token=data.get("APPLICATION_TOKEN", "")[:128],
    )
    raw_options = data.get("PLACEMENT_OPTIONS", "")
    if raw_options:
        post.options = parse_options(raw_options)
    return post


def parse_options(raw: str) -> dict:
    """PLACEMENT_OPTIONS is a JSON *string* such as `{"ID":"8061"}`."""
    try:
        options = json.loads(raw)
    except ValueError as exc:
        raise BadPost(_("Битрикс24 передал повреждённые параметры вкладки.")) from exc
    if not isinstance(options, dict):
        raise BadPost(_("Битрикс24 передал повреждённые параметры вкладки."))
    return options


def require_deal_id(post: PlacementPost) -> str:
    deal_id = post.entity_id
    if not _ENTITY_ID.match(deal_id):
        raise BadPost(_("Вкладку нужно открывать из карточки сделки."))
    return deal_id
