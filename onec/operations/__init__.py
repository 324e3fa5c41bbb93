"""What the app does in 1C. Each function takes a `Connector` and returns small dataclasses."""

from .catalog import (
    list_nomenclature,
    list_organizations,
    list_users,
    nomenclature_by_articles,
    user_by_email,
)
from .counterparties import find_counterparty, find_or_create_counterparty
from .documents import create_invoice, find_invoice, find_or_create_contract
from .payments import payment_status, payments_for_invoice, payments_since, shipments_for_invoice

__all__ = [
    "create_invoice",
    "find_counterparty",
    "find_invoice",
    "find_or_create_contract",
    "find_or_create_counterparty",
    "list_nomenclature",
    "list_organizations",
    "list_users",
    "nomenclature_by_articles",
    "payment_status",
    "payments_for_invoice",
    "payments_since",
    "shipments_for_invoice",
    "user_by_email",
]
