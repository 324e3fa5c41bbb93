"""Checks shared by the step forms (field messages) and the review checklist (the same rules
re-run on the stored draft, because the admin's configuration may have changed meanwhile)."""

from datetime import timedelta

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .state import MAX_DAYS_AHEAD, MAX_DAYS_BACK, today


def terms_errors(state, terms: dict) -> dict[str, str]:
    errors: dict[str, str] = {}
    now = today()
    low, high = now - timedelta(days=MAX_DAYS_BACK), now + timedelta(days=MAX_DAYS_AHEAD)
    names = ["invoice_date", "due_date"]
    if state.issues_contract:
        names.insert(0, "contract_date")
    if state.is_yearly:
        names.append("valid_until")
    for name in names:
        value = terms.get(name)
        if value is None:
            errors[name] = _("Укажите дату")
        elif not low <= value <= high:
            errors[name] = _("Дата должна быть между %(low)s и %(high)s") % {
                "low": date_format(low, "SHORT_DATE_FORMAT"),
                "high": date_format(high, "SHORT_DATE_FORMAT"),
            }
    if errors:
        return errors
    invoice, due = terms["invoice_date"], terms["due_date"]
    if state.issues_contract and invoice < terms["contract_date"]:
        errors["invoice_date"] = _("Счёт не может быть раньше договора")
    existing = state.existing_contract
    if existing is not None:
        if invoice < existing.date:
            errors["invoice_date"] = _("Счёт не может быть раньше договора")
        elif existing.valid_until and invoice > existing.valid_until:
            errors["invoice_date"] = _("Договор действует только до %(date)s") % {
                "date": date_format(existing.valid_until, "SHORT_DATE_FORMAT")
            }
    if due <= invoice:
        errors["due_date"] = _("Срок оплаты должен быть позже даты счёта")
    if state.is_yearly and terms["valid_until"] <= terms["contract_date"]:
        errors["valid_until"] = _("Договор должен действовать дольше даты его заключения")
    if terms.get("payment_scheme") not in state.payment_schemes:
        errors["payment_scheme"] = _("Эта схема оплаты не разрешена шаблоном договора")
    return errors
