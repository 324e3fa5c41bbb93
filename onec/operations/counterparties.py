"""Counterparties (контрагенты): find by INN/KPP, create with a bank account, safe to retry."""

import logging

from b24app.deal_context import ClientKind, Party

from ..connector import Connector
from ..odata import composite, odata_filter, ref_or_empty
from ..profiles import bp_legal_form, ut_legal_form, ut_partner_kind
from .types import BankAccount, Counterparty

log = logging.getLogger("onec.operations")

MARKER_PREFIX = "docs1c:"


def _party_marker(inn: str, kpp: str) -> str:
    return f"{MARKER_PREFIX}inn:{inn}:{kpp}"


def find_counterparty(c: Connector, inn: str, kpp: str = "") -> Counterparty | None:
    """The live counterparty with this INN (and KPP, for a branch), or None.

    Deletion-marked rows and folders are skipped. Among duplicates (common in real bases) the
    oldest Code wins, so every call picks the same one; the others are logged for the accountant.
    """
    spec = c.spec
    template = "ИНН eq {} and DeletionMark eq {}"
    values: list = [inn, False]
    if spec.counterparties_hierarchical:
        template += " and IsFolder eq {}"
        values.append(False)
    rows = c.odata.query(spec.counterparties, filter=odata_filter(template, *values))
    if kpp:
        rows = [r for r in rows if (r.get("КПП") or "") == kpp]
    if not rows:
        return None
    rows.sort(key=lambda r: (r.get("Code") or "", r["Ref_Key"]))
    if len(rows) > 1:
        log.warning(
            "1C has %d counterparties with INN %s KPP %s; using Code %s, duplicates: %s",
            len(rows),
            inn,
            kpp or "-",
            rows[0].get("Code"),
            ", ".join(r.get("Code") or r["Ref_Key"] for r in rows[1:]),
        )
    return _counterparty(rows[0])


def _counterparty(row: dict, *, created: bool = False) -> Counterparty:
    return Counterparty(
        ref_key=row["Ref_Key"],
        name=row.get("Description", ""),
        inn=row.get("ИНН", ""),
        kpp=row.get("КПП", ""),
        code=row.get("Code", ""),
        full_name=row.get("НаименованиеПолное", ""),
        ogrn=row.get("РегистрационныйНомер", ""),
        partner_ref=ref_or_empty(row.get("Партнер_Key")),
        bank_account_ref=ref_or_empty(row.get("ОсновнойБанковскийСчет_Key")),
        created=created,
    )


def find_or_create_counterparty(c: Connector, party: Party) -> Counterparty:
    """The counterparty for a Bitrix24 requisite; created (with its bank account) if missing.

    Safe to retry: a retry after a lost response finds what the first attempt created (by INN
    and KPP), and each sub-step (partner, counterparty, account) looks up before it creates.
    """
    kpp = party.kpp if party.kind == ClientKind.COMPANY else ""
    existing = find_counterparty(c, party.inn, kpp) if party.inn else None
    if existing is None:
        existing = _create_counterparty(c, party, kpp)
    if party.bank and party.bank.account and not existing.bank_account_ref:
        account = ensure_counterparty_account(c, existing, party)
        existing = Counterparty(**{**existing.__dict__, "bank_account_ref": account.ref_key})
    return existing


def _create_counterparty(c: Connector, party: Party, kpp: str) -> Counterparty:
    spec = c.spec
    marker = _party_marker(party.inn, kpp)
    name = (party.short_name or party.full_name)[:100]
    body = {
        "Description": name,
        "НаименованиеПолное": party.full_name or party.short_name,
        "ИНН": party.inn,
        "КПП": kpp,
        "РегистрационныйНомер": party.ogrn,
    }
    if spec.partners:
        partner_ref = _find_or_create_partner(c, party, marker)
        body |= ut_legal_form(party.kind) | {
            "Партнер_Key": partner_ref,
            "ДополнительнаяИнформация": marker,
        }
    else:
        body |= bp_legal_form(party.kind) | {"Комментарий": marker}
    row = c.odata.create(spec.counterparties, body)
    log.info("created 1C counterparty %s INN %s", row.get("Code"), party.inn)
    return _counterparty(row, created=True)


def _find_or_create_partner(c: Connector, party: Party, marker: str) -> str:
    spec = c.spec
    found = c.odata.first(
        spec.partners,
        filter=odata_filter("substringof({}, Комментарий) and DeletionMark eq {}", marker, False),
        select=["Ref_Key"],
    )
    if found:
        return found["Ref_Key"]
    row = c.odata.create(
        spec.partners,
        {
            "Description": (party.short_name or party.full_name)[:100],
            "НаименованиеПолное": party.full_name or party.short_name,
            "Клиент": True,
            "ЮрФизЛицо": ut_partner_kind(party.kind),
            "Комментарий": marker,
        },
    )
    return row["Ref_Key"]


def find_bank(c: Connector, bik: str) -> dict | None:
    return c.odata.first(
        c.spec.banks, filter=odata_filter("Code eq {} and DeletionMark eq {}", bik, False)
    )


def _ensure_bank(c: Connector, party: Party) -> dict:
    bank = party.bank
    found = find_bank(c, bank.bik)
    if found:
        return found
    # Real bases fill banks from the classifier; a bank missing there is added by hand in 1C too.
    return c.odata.create(
        c.spec.banks,
        {"Code": bank.bik, "Description": bank.bank_name[:100], "КоррСчет": bank.corr_account},
    )


def ensure_counterparty_account(c: Connector, cp: Counterparty, party: Party) -> BankAccount:
    """The counterparty's settlement account, created if missing, made the main one (BP)."""
    spec = c.spec
    bank_data = party.bank
    rows = c.odata.query(
        spec.counterparty_accounts,
        filter=odata_filter("НомерСчета eq {} and DeletionMark eq {}", bank_data.account, False),
    )
    owner_field = "Owner" if spec.accounts_owner_composite else "Owner_Key"
    row = next((r for r in rows if r.get(owner_field) == cp.ref_key), None)
    bank = _ensure_bank(c, party)
    if row is None:
        body = {
            "Description": f"{bank_data.account}, {bank.get('Description', '')}"[:150],
            "НомерСчета": bank_data.account,
            "Банк_Key": bank["Ref_Key"],
        }
        if spec.accounts_owner_composite:
            body |= composite("Owner", spec.counterparties, cp.ref_key) | {"ВидСчета": "Расчетный"}
        else:
            body |= {
                "Owner_Key": cp.ref_key,
                "БИКБанка": bank_data.bik,
                "НаименованиеБанка": bank.get("Description", ""),
                "КоррСчетБанка": bank.get("КоррСчет", ""),
                "ГородБанка": bank.get("Город", ""),
            }
        row = c.odata.create(spec.counterparty_accounts, body)
    if spec.accounts_owner_composite:
        c.odata.update(
            spec.counterparties, cp.ref_key, {"ОсновнойБанковскийСчет_Key": row["Ref_Key"]}
        )
    return BankAccount(
        ref_key=row["Ref_Key"],
        account=row.get("НомерСчета", ""),
        bik=bank.get("Code", ""),
        bank_name=bank.get("Description", ""),
        corr_account=bank.get("КоррСчет", ""),
        bank_city=bank.get("Город", ""),
    )
