"""Actions on a portal's 1C connection: save it, check it, open a connector from it."""

import logging

from django.db import transaction
from django.utils import timezone

from b24app.models import Portal

from .connector import Connector
from .health import HealthLine, run_health_check
from .models import OneCConnection, Profile

log = logging.getLogger("onec")


class ConnectionMissing(Exception):
    """The portal has not set up its 1C connection yet."""


def _normalized_base(base_url: str) -> str:
    base = base_url.strip()
    # Admins paste the OData URL as often as the publication base: accept both.
    marker = "odata/standard.odata"
    if marker in base:
        base = base[: base.index(marker)]
    return base if base.endswith("/") else base + "/"


@transaction.atomic
def connection_save(
    *,
    portal: Portal,
    base_url: str,
    username: str,
    password: str | None,
    profile: str,
    print_root: str = "docs1c",
    price_type: str = "",
) -> OneCConnection:
    """Create or update the connection. `password=None` (or "") keeps the stored one, so the
    settings form never has to show it back."""
    connection, _ = OneCConnection.objects.select_for_update().get_or_create(
        portal=portal,
        defaults={"base_url": _normalized_base(base_url), "username": username},
    )
    connection.base_url = _normalized_base(base_url)
    connection.username = username.strip()
    if password:
        connection.password = password
    connection.profile = Profile(profile)
    connection.print_root = (print_root or "docs1c").strip("/ ")
    connection.price_type = price_type.strip()
    connection.full_clean(exclude=["password", "last_check_report"])
    connection.save()
    return connection


def client_for_portal(portal: Portal, *, timeout: float | None = None) -> Connector:
    """The connector built from the portal's stored connection."""
    try:
        connection = portal.onec
    except OneCConnection.DoesNotExist as exc:
        raise ConnectionMissing(f"portal {portal.pk} has no 1C connection") from exc
    return connector_for(connection, timeout=timeout)


def connector_for(connection: OneCConnection, *, timeout: float | None = None) -> Connector:
    kwargs = {"timeout": timeout} if timeout else {}
    return Connector.open(
        base_url=connection.base_url,
        username=connection.username,
        password=connection.password or "",
        profile=connection.profile,
        print_root=connection.print_root or "docs1c",
        price_type=connection.price_type,
        **kwargs,
    )


def connection_check(*, portal: Portal, timeout: float | None = None) -> list[HealthLine]:
    """Run the health check and store its lines on the connection (the settings page shows them)."""
    connection = OneCConnection.objects.get(portal=portal)
    connector = connector_for(connection, timeout=timeout)
    lines = run_health_check(connector.odata, connector.printer, connector.spec)
    connection.last_check_at = timezone.now()
    connection.last_check_ok = all(line.ok for line in lines)
    connection.last_check_report = [line.as_dict() for line in lines]
    connection.save(update_fields=["last_check_at", "last_check_ok", "last_check_report"])
    log.info(
        "1C health check portal=%s ok=%s failed=%s",
        portal.pk,
        connection.last_check_ok,
        [line.title for line in lines if not line.ok],
    )
    return lines


def last_check(connection: OneCConnection) -> list[HealthLine]:
    return [HealthLine.from_dict(item) for item in connection.last_check_report or []]
