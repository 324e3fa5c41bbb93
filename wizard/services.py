"""Actions of the wizard: open a draft, save a step, save an INN to Bitrix24, submit.

Every change of a draft bumps its revision: the submit's idempotency key includes it, so the
same state pressed twice is one job and a changed draft is a new one.
"""

import logging
from dataclasses import asdict

from django.db import transaction
from django.utils.translation import gettext as _

from b24app.client import B24Error, client_for
from b24app.deal_context import DealContext
from b24app.models import Portal, PortalUser
from documents.jobs import job_submit
from documents.order import DocumentOrder, OrderRow, Outputs

from .dadata import DadataUnavailable, find_party
from .models import WizardDraft
from .requisites import clean_party, is_valid_inn
from .selectors import dadata_token
from .snapshot import context_to_json
from .state import STEPS, WizardState

log = logging.getLogger(__name__)


class WizardError(Exception):
    """An action refused with a message for the manager."""


def draft_open(*, portal: Portal, user: PortalUser, context: DealContext) -> WizardDraft:
    """The manager's draft for this deal, with the context just read from Bitrix24 stored in
    it (a reopened tab refreshes the snapshot; what the manager entered stays)."""
    snapshot = context_to_json(context)
    with transaction.atomic():
        draft, created = WizardDraft.objects.select_for_update().get_or_create(
            portal=portal,
            deal_id=str(context.deal_id),
            user=user,
            defaults={"data": {"context": snapshot}, "step": STEPS[0]},
        )
        if not created and draft.data.get("context") != snapshot:
            draft.data = {**draft.data, "context": snapshot}
            draft.revision += 1
            draft.save(update_fields=["data", "revision", "updated_at"])
    # The tab renders the wizard next: its reads through the draft must not query these again.
    draft.portal, draft.user = portal, user
    return draft


def draft_preselect_contract(
    *, portal: Portal, user: PortalUser, deal_id: str, contract
) -> WizardDraft:
    """«Выставить счёт по договору» from the library: the manager's draft for that deal opens on
    the contract step with this contract and its legal entity chosen. The deal context arrives
    when the tab opens (`draft_open`)."""
    with transaction.atomic():
        draft, _ = WizardDraft.objects.select_for_update().get_or_create(
            portal=portal, deal_id=str(deal_id), user=user, defaults={"data": {}}
        )
        client = {**draft.data.get("client", {}), "legal_entity_id": contract.legal_entity_id}
        return draft_update(
            draft, step="contract", client=client, contract={"choice": f"c:{contract.pk}"}
        )


def draft_update(draft: WizardDraft, *, step: str | None = None, **sections) -> WizardDraft:
    """Merge `sections` into the draft's data and move to `step`; a real change bumps the
    revision, a repeated identical post does not (so a double submit stays one job)."""
    data = {**draft.data, **sections}
    changed = data != draft.data
    moved = step is not None and step != draft.step
    if not (changed or moved):
        return draft
    draft.data = data
    if step is not None:
        draft.step = step
    if changed:
        draft.revision += 1
    draft.save(update_fields=["data", "step", "revision", "updated_at"])
    return draft


def dadata_check(draft: WizardDraft) -> WizardDraft:
    """Ask the register about the entered INN; the answer (or why there is none) is kept in the
    draft so the client step shows it without asking again."""
    state = WizardState(draft)
    party = state.party
    client = state.section("client")
    if party is None or not is_valid_inn(state.entered_inn):
        client["dadata"] = {"info": None, "note": _("Сначала укажите правильный ИНН")}
        return draft_update(draft, client=client)
    try:
        info = find_party(state.entered_inn, token=dadata_token(draft.portal), kpp=party.kpp)
    except DadataUnavailable as exc:
        client["dadata"] = {"info": None, "note": str(exc)}
        return draft_update(draft, client=client)
    if info is None:
        note = _("DaData не нашла организацию с этим ИНН в реестре")
        client["dadata"] = {"info": None, "note": note}
    else:
        client["dadata"] = {"info": asdict(info), "note": ""}
    return draft_update(draft, client=client)


def inn_save_to_b24(*, draft: WizardDraft, user: PortalUser) -> str:
    """Write the entered INN into the client's Bitrix24 requisite now (not at submit: the
    manager sees at once whether Bitrix24 took it, and the documents don't depend on it)."""
    state = WizardState(draft)
    party, inn = state.base_party, state.entered_inn
    if party is None or not party.requisite_id:
        raise WizardError(_("У клиента нет реквизита в Битрикс24, некуда сохранить ИНН"))
    if not is_valid_inn(inn, party.kind):
        raise WizardError(_("ИНН неправильный — исправьте его перед сохранением"))
    try:
        client_for(draft.portal, user).call(
            "crm.requisite.update", {"id": party.requisite_id, "fields": {"RQ_INN": inn}}
        )
    except B24Error as exc:
        log.warning("crm.requisite.update failed: %s", getattr(exc, "code", type(exc).__name__))
        if exc.retryable:
            raise WizardError(_("Битрикс24 не ответил — попробуйте ещё раз")) from None
        raise WizardError(
            _("Битрикс24 не сохранил ИНН: недостаточно прав или реквизит удалён")
        ) from None
    context = dict(draft.data.get("context") or {})
    requisites = [
        {**p, "inn": inn} if p.get("requisite_id") == party.requisite_id else p
        for p in context.get("client_requisites") or []
    ]
    client = context.get("client")
    if client and client.get("requisite_id") == party.requisite_id:
        client = {**client, "inn": inn}
    draft_update(draft, context={**context, "client_requisites": requisites, "client": client})
    return _("ИНН %(inn)s сохранён в реквизит клиента в Битрикс24") % {"inn": inn}


def order_build(state: WizardState) -> DocumentOrder:
    terms = state.terms
    outputs = state.outputs
    bank = state.bank_account
    return DocumentOrder(
        deal_id=state.draft.deal_id,
        client=clean_party(state.party),
        legal_entity_id=state.legal_entity.pk,
        bank_account_id=bank.pk if bank else None,
        region_id=state.region.pk if state.region else None,
        rows=[
            OrderRow(
                nomenclature_ref=row.ref,
                article=row.article,
                name=row.name,
                unit=row.unit,
                quantity=row.quantity,
                price=row.price,
                vat_rate=row.vat_rate.value,
                b24_row_id=row.b24_row_id,
            )
            for row in state.rows
        ],
        invoice_date=terms["invoice_date"],
        due_date=terms["due_date"],
        template_id=state.template.pk if state.template else None,
        template_version_id=state.template.current_version_id if state.template else None,
        existing_contract_id=state.existing_contract.pk if state.existing_contract else None,
        contract_date=terms["contract_date"] if state.issues_contract else None,
        valid_until=terms["valid_until"] if state.is_yearly else None,
        payment_scheme=terms["payment_scheme"],
        price_includes_vat=True,
        outputs=Outputs(
            formats=list(outputs["formats"]),
            stamp_variants=[v == "with" for v in ("with", "without") if v in outputs["stamps"]],
        ),
        save_inn_to_b24=False,  # done at once by inn_save_to_b24 when the manager asks
        responsible_email=user_email(state),
    )


def user_email(state: WizardState) -> str:
    return state.draft.user.email or state.context.current_user_email


def draft_submit(*, draft: WizardDraft, user: PortalUser, lang: str = "ru"):
    """One job per confirmed state, however often the button is pressed."""
    state = WizardState(draft)
    if not state.ready():
        raise WizardError(_("Не всё готово: исправьте пункты, отмеченные красным"))
    return job_submit(order=order_build(state), user=user, draft=draft, lang=lang)
