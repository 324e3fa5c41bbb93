"""Steps in 1C: the counterparty, the contract, the invoice (created and posted).

Each is idempotent by lookup in 1C (INN/KPP, the contract number, the invoice's marker), so a
step cut off between 1C's answer and our commit finds what it created when it runs again.
"""

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onec import operations
from onec.models import LegalEntity, Nomenclature, OrgBankAccount
from onec.operations.types import Counterparty, InvoiceLine
from onec.selectors import employee_by_email

from ..models import Contract, ContractTemplate, Invoice
from ..money import VatRate
from ..numbering import next_contract_number
from .failures import StepFailed
from .runner import Run, Step


def legal_entity(run: Run) -> LegalEntity:
    entity = LegalEntity.objects.for_portal(run.portal).filter(pk=run.order.legal_entity_id).first()
    if entity is None or entity.deleted_in_1c:
        raise StepFailed(_("Наше юрлицо больше не доступно в 1С: выберите другое в мастере."))
    return entity


def bank_account(run: Run, entity: LegalEntity) -> OrgBankAccount | None:
    accounts = OrgBankAccount.objects.for_portal(run.portal).filter(legal_entity=entity)
    if run.order.bank_account_id:
        chosen = accounts.filter(pk=run.order.bank_account_id).first()
        if chosen:
            return chosen
    if entity.default_bank_account_id:
        return accounts.filter(pk=entity.default_bank_account_id).first() or accounts.first()
    return accounts.order_by("pk").first()


def counterparty_from(run: Run) -> Counterparty:
    data = run.result(Step.COUNTERPARTY)
    return Counterparty(
        ref_key=data["ref"],
        name=data.get("name", ""),
        inn=data.get("inn", ""),
        kpp=data.get("kpp", ""),
        partner_ref=data.get("partner_ref", ""),
        bank_account_ref=data.get("bank_account_ref", ""),
    )


def step_counterparty(run: Run) -> None:
    cp = operations.find_or_create_counterparty(run.onec(), run.order.client)
    run.save(
        Step.COUNTERPARTY,
        {
            "done": True,
            "ref": cp.ref_key,
            "name": cp.name,
            "inn": cp.inn,
            "kpp": cp.kpp,
            "code": cp.code,
            "partner_ref": cp.partner_ref,
            "bank_account_ref": cp.bank_account_ref,
            "created": cp.created,
        },
        action="job.counterparty",
        onec_ref=cp.ref_key,
        created=cp.created,
    )


def step_contract(run: Run) -> None:
    order = run.order
    if not order.issues_contract:
        existing = Contract.objects.for_portal(run.portal).filter(pk=order.existing_contract_id)
        contract = existing.first()
        if contract is None:
            raise StepFailed(_("Выбранный договор удалён из библиотеки."))
        ref = str(contract.onec_ref_key or "")
        if not ref:
            found = _contract_in_1c(run, contract.number, contract.date, contract.valid_until)
            ref = found.ref_key
        _save_contract(run, contract, ref=ref, existing=True)
        return
    template = ContractTemplate.objects.for_portal(run.portal).filter(pk=order.template_id).first()
    if template is None:
        raise StepFailed(_("Шаблон договора удалён: выберите другой в мастере."))
    on = order.contract_date or order.invoice_date
    if template.number_source == ContractTemplate.NumberSource.ONEC:
        ref, number = _contract_numbered_by_1c(run, on)
    else:
        number = run.result(Step.CONTRACT).get("number")
        if not number:
            number = _take_number(run, template, on)
        ref = _contract_in_1c(run, number, on, order.valid_until).ref_key
    contract = _library_contract(run, template, number=number, on=on, ref=ref)
    _save_contract(run, contract, ref=ref, existing=False)


def _take_number(run: Run, template: ContractTemplate, on: date) -> str:
    """The app's next number, committed with the job before 1C hears of it: a retry reuses it,
    so a job never takes two numbers (no gaps), and concurrent jobs queue on the row lock."""
    with transaction.atomic():
        number = next_contract_number(template=template, legal_entity=legal_entity(run), on=on)
        run.save(
            Step.CONTRACT,
            {"done": False, "number": number},
            action="job.contract_number",
            number=number,
        )
    return number


def _contract_in_1c(run: Run, number: str, on: date, until: date | None):
    entity = legal_entity(run)
    account = bank_account(run, entity)
    return operations.find_or_create_contract(
        run.onec(),
        counterparty=counterparty_from(run),
        organization_ref=str(entity.ref_key),
        number=number,
        date=on,
        valid_until=until,
        bank_account_ref=str(account.ref_key) if account else "",
    )


def _contract_numbered_by_1c(run: Run, on: date) -> tuple[str, str]:
    """The template says 1C numbers contracts: create it under a job-unique provisional number,
    commit its ref, then give it 1C's own code as the number. Each stage is recorded, so a retry
    neither creates a second contract nor leaves the provisional number behind."""
    c = run.onec()
    state = run.result(Step.CONTRACT)
    if not state.get("ref"):
        provisional = f"docs1c-{run.job.pk}"
        created = _contract_in_1c(run, provisional, on, run.order.valid_until)
        state = {"done": False, "ref": created.ref_key}
        run.save(Step.CONTRACT, state, action="job.contract_created", onec_ref=created.ref_key)
    row = c.odata.get(c.spec.contracts, state["ref"])
    number = row.get("Номер") or ""
    if not number or number.startswith("docs1c-"):
        number = row.get("Code") or str(run.job.pk)
        c.odata.update(
            c.spec.contracts,
            state["ref"],
            {"Номер": number, "Description": f"№ {number} от {on:%d.%m.%Y}"},
        )
    return state["ref"], number


def _library_contract(run: Run, template, *, number: str, on: date, ref: str) -> Contract:
    """The contract as the library keeps it (made in the same commit as the step's result)."""
    order = run.order
    client = order.client
    existing = Contract.objects.for_portal(run.portal).filter(onec_ref_key=ref).first()
    if existing:
        return existing
    return Contract(
        portal=run.portal,
        source=Contract.Source.APP,
        kind=template.kind,
        number=number,
        date=on,
        valid_until=order.valid_until,
        legal_entity_id=order.legal_entity_id,
        client_name=client.display_name[:500],
        client_inn=client.inn,
        client_kpp=client.kpp,
        client_kind=str(client.kind),
        onec_ref_key=ref,
        onec_counterparty_ref=run.result(Step.COUNTERPARTY).get("ref") or None,
        template_version_id=run.job.template_version_id,
        payment_scheme=order.payment_scheme if order.payment_scheme in ("100", "70_30") else "",
        deal_id=order.deal_id,
    )


def _save_contract(run: Run, contract: Contract, *, ref: str, existing: bool) -> None:
    with transaction.atomic():
        if contract.pk is None:
            contract.save()
        run.save(
            Step.CONTRACT,
            {
                "done": True,
                "ref": ref,
                "number": contract.number,
                "date": contract.date.isoformat(),
                "valid_until": contract.valid_until.isoformat() if contract.valid_until else "",
                "contract_id": contract.pk,
                "existing": existing,
            },
            action="job.contract",
            obj=contract,
            onec_ref=ref,
            number=contract.number,
        )
        type(run.job).objects.filter(pk=run.job.pk).update(contract=contract)
        run.job.contract = contract


def _invoice_lines(run: Run) -> list[InvoiceLine]:
    refs = [row.nomenclature_ref for row in run.order.rows]
    units = dict(
        Nomenclature.objects.for_portal(run.portal)
        .filter(ref_key__in=refs)
        .values_list("ref_key", "unit_ref_key")
    )
    return [
        InvoiceLine(
            nomenclature_ref=row.nomenclature_ref,
            quantity=row.quantity,
            price=row.price,
            vat_rate=VatRate(row.vat_rate),
            name=row.name,
            unit_ref_key=str(units.get(_uuid(row.nomenclature_ref)) or ""),
        )
        for row in run.order.rows
    ]


def _uuid(value: str):
    import uuid

    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _responsible_ref(run: Run) -> str:
    employee = employee_by_email(run.portal, run.order.responsible_email or run.job.user.email)
    return str(employee.ref_key) if employee else ""


def step_invoice(run: Run) -> None:
    order = run.order
    if not order.rows:
        raise StepFailed(_("В заказе нет товаров: добавьте их в мастере."))
    entity = legal_entity(run)
    account = bank_account(run, entity)
    now = timezone.localtime()
    on = datetime.combine(order.invoice_date, now.time().replace(microsecond=0))
    invoice = operations.create_invoice(
        run.onec(),
        idempotency_key=run.job.idempotency_key,
        organization_ref=str(entity.ref_key),
        counterparty=counterparty_from(run),
        contract_ref=run.result(Step.CONTRACT)["ref"],
        bank_account_ref=str(account.ref_key) if account else "",
        lines=_invoice_lines(run),
        responsible_ref=_responsible_ref(run),
        on_date=on,
        vat_payer=entity.vat_payer,
    )
    total = invoice.total or order.totals().total
    invoice_date = invoice.date.date() if invoice.date else order.invoice_date
    with transaction.atomic():
        row, _created = Invoice.objects.update_or_create(
            portal=run.portal,
            onec_ref_key=invoice.ref_key,
            defaults={
                "job": run.job,
                "contract_id": run.result(Step.CONTRACT).get("contract_id"),
                "deal_id": order.deal_id,
                "legal_entity": entity,
                "responsible_user_id": run.job.user.user_id,
                "onec_entity_set": invoice.entity_set,
                "onec_counterparty_ref": run.result(Step.COUNTERPARTY)["ref"],
                "number": invoice.number,
                "date": invoice_date,
                "total": total,
            },
        )
        run.save(
            Step.INVOICE,
            {
                "done": True,
                "ref": invoice.ref_key,
                "entity_set": invoice.entity_set,
                "number": invoice.number,
                "raw_number": invoice.raw_number,
                "date": invoice_date.isoformat(),
                "total": str(total),
                "posted": invoice.posted,
                "invoice_id": row.pk,
            },
            action="job.invoice",
            obj=row,
            onec_ref=invoice.ref_key,
            number=invoice.number,
            created=invoice.created,
        )
