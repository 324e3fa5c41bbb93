"""What the documents print, built from the job's inputs, our legal entity and 1C's answers:
the app's own invoice (`InvoicePrintData`) and the contract template's context."""

from datetime import date

from b24app.deal_context import ClientKind
from b24app.deal_context import Party as DealParty
from onec.models import LegalEntity, OrgBankAccount

from ..money import VatRate
from ..rendering import placeholders as ph
from ..rendering.invoice_data import (
    BankDetails,
    InvoicePrintData,
    InvoiceRow,
    PartyDetails,
    Signatory,
)
from ..rendering.russian import initials
from .runner import Run, Step


def read_file(field) -> bytes | None:
    if not field:
        return None
    try:
        with field.open("rb") as handle:
            return handle.read()
    except (OSError, ValueError):
        return None


def contract_basis(run: Run) -> str:
    contract = run.result(Step.CONTRACT)
    if not contract.get("number"):
        return ""
    signed = date.fromisoformat(contract["date"])
    return f"Договор № {contract['number']} от {signed:%d.%m.%Y}"


def _buyer_line(client: DealParty) -> PartyDetails:
    name = client.full_name or client.short_name
    if client.kind == ClientKind.SOLE_TRADER and not name.lower().startswith(("ип", "индивид")):
        name = f"ИП {name}"
    kpp = client.kpp if client.kind == ClientKind.COMPANY else ""
    return PartyDetails(name, client.inn, kpp, client.legal_address, client.phone)


def invoice_print_data(
    run: Run, entity: LegalEntity, account: OrgBankAccount | None
) -> InvoicePrintData:
    """The app's own «Счет на оплату», for portals whose 1C has no print service."""
    invoice = run.result(Step.INVOICE)
    order = run.order
    chief = entity.signatory_name
    signatories = [
        Signatory(
            "Предприниматель" if entity.is_sole_trader else "Руководитель",
            initials(chief),
            read_file(entity.signature_image),
        )
    ]
    if not entity.is_sole_trader:
        signatories.append(
            Signatory(
                "Бухгалтер",
                initials(entity.accountant_name or chief),
                read_file(entity.accountant_signature_image),
            )
        )
    return InvoicePrintData(
        number=invoice["number"],
        date=date.fromisoformat(invoice["date"]),
        supplier=PartyDetails(entity.name, entity.inn, entity.kpp, entity.address),
        supplier_bank=BankDetails(
            account.bank_name if account else "",
            account.bik if account else "",
            account.corr_account if account else "",
            account.account if account else "",
            account.bank_city if account else "",
        ),
        buyer=_buyer_line(order.client),
        rows=[
            InvoiceRow(
                name=row.name,
                quantity=row.quantity,
                unit=row.unit,
                price=row.price,
                amount=row.line.amount,
                vat_rate=VatRate(row.vat_rate),
            )
            for row in order.rows
        ],
        price_includes_vat=order.price_includes_vat,
        basis=contract_basis(run),
        signatories=signatories,
        stamp_png=read_file(entity.stamp_image),
    )


def client_party(client: DealParty) -> ph.Party:
    """The deal's client as the contract template sees it (also the admin's preview)."""
    bank = client.bank
    return ph.Party(
        kind=str(client.kind),
        full_name=client.full_name,
        short_name=client.short_name,
        inn=client.inn,
        kpp=client.kpp,
        ogrn=client.ogrn,
        address=client.legal_address,
        email=client.email,
        phone=client.phone,
        director=client.director,
        director_title=client.director_title,
        bank=ph.BankData(bank.bank_name, bank.bik, bank.account, bank.corr_account)
        if bank
        else None,
    )


def legal_entity_data(entity: LegalEntity) -> ph.LegalEntityData:
    """Our legal entity as the contract template sees it (also the admin's preview)."""
    return ph.LegalEntityData(
        kind=ClientKind.SOLE_TRADER.value if entity.is_sole_trader else "company",
        full_name=entity.full_name or entity.name,
        short_name=entity.name,
        inn=entity.inn,
        kpp=entity.kpp,
        ogrn=entity.ogrn,
        address=entity.address,
        director=entity.signatory_name,
        director_title=entity.signatory_title,
        director_title_genitive=entity.signatory_title_genitive,
        basis=entity.authority_basis if not entity.is_sole_trader else "",
        chief_accountant=entity.accountant_name,
    )


def bank_data(account: OrgBankAccount | None) -> ph.BankData:
    if account is None:
        return ph.BankData()
    return ph.BankData(account.bank_name, account.bik, account.account, account.corr_account)


def contract_template_context(
    run: Run, entity: LegalEntity, account: OrgBankAccount | None
) -> dict:
    order = run.order
    contract = run.result(Step.CONTRACT)
    goods = [
        ph.GoodsRow(
            name=row.name,
            quantity=row.quantity,
            price=row.price,
            vat_rate=VatRate(row.vat_rate),
            unit=row.unit or "шт",
            article=row.article,
        )
        for row in order.rows
    ]
    return ph.contract_context(
        client=client_party(order.client),
        legal_entity=legal_entity_data(entity),
        bank=bank_data(account),
        goods=goods,
        totals=order.totals(),
        contract=ph.ContractData(
            number=contract["number"],
            date=date.fromisoformat(contract["date"]),
            valid_until=order.valid_until,
            price_includes_vat=order.price_includes_vat,
        ),
        # The order says «70_30» (PaymentScheme), the placeholders «70/30».
        payment_scheme="70/30" if order.payment_scheme in ("70_30", "70/30") else "100",
    )
