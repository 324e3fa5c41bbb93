"""Contract numbers made by the app: per legal entity and template scheme, consecutive, no
duplicates and no gaps under concurrency.

The counter row is locked with SELECT … FOR UPDATE (PostgreSQL), so concurrent jobs queue on it;
the number is taken inside the caller's transaction, so a rolled-back job gives its number back
(no gap). SQLite serialises writers on its own (IMMEDIATE transactions, see settings).
"""

from datetime import date

from django.db import IntegrityError, transaction

from .models import ContractTemplate, NumberSequence


def _prefix(template: ContractTemplate, on: date) -> str:
    return template.number_prefix.replace("{year}", str(on.year))


def format_number(template: ContractTemplate, number: int, on: date) -> str:
    digits = str(number).zfill(template.number_padding) if template.number_padding else str(number)
    return f"{_prefix(template, on)}{digits}"


def next_contract_number(*, template: ContractTemplate, legal_entity, on: date) -> str:
    """Take the next number. Call inside `transaction.atomic()` of the step that uses it."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_contract_number() must run inside transaction.atomic()")
    key = {
        "portal": template.portal,
        "legal_entity": legal_entity,
        "prefix": template.number_prefix,
        "year": on.year if template.number_yearly_reset else 0,
    }
    sequence = NumberSequence.objects.select_for_update().filter(**key).first()
    if sequence is None:
        try:
            with transaction.atomic():  # savepoint: another job may create the row first
                NumberSequence.objects.create(**key)
        except IntegrityError:
            pass
        sequence = NumberSequence.objects.select_for_update().get(**key)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return format_number(template, sequence.last_number, on)
