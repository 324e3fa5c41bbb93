"""Copy a configuration between portals: settings as JSON, matched by meaning, not by id.

Ids differ between portals, so rows are referred to by what survives a copy: regions and
templates by name, legal entities by INN/KPP, bank accounts by account number. Secrets (the 1C
password, the DaData token) and images are never exported. Import runs in one transaction: a
file that does not fit changes nothing.
"""

import json

from django.db import transaction
from django.utils.translation import gettext as _

from onec.models import LegalEntity

from .audit import audit
from .models import ContractTemplate, Region
from .settings_services import (
    ENTITY_TEXT_FIELDS,
    STAGE_KINDS,
    SettingsError,
    legal_entity_update,
    portal_settings_get,
    region_save,
    stages_save,
)
from .settings_templates import TEMPLATE_FIELDS, template_save

FORMAT = "docs1c-settings"
VERSION = 1


def _entity_key(entity: LegalEntity) -> dict:
    return {"inn": entity.inn, "kpp": entity.kpp}


def settings_export(portal) -> dict:
    settings = portal_settings_get(portal)
    entities = LegalEntity.objects.for_portal(portal).filter(deleted_in_1c=False)
    return {
        "format": FORMAT,
        "version": VERSION,
        "stages": {kind: getattr(settings, kind) for kind in STAGE_KINDS},
        "legal_entities": [
            _entity_key(e)
            | {f: getattr(e, f) for f in ENTITY_TEXT_FIELDS}
            | {
                "invoice_source": e.invoice_source,
                "default_bank_account": e.default_bank_account.account
                if e.default_bank_account
                else "",
            }
            for e in entities.select_related("default_bank_account")
        ],
        "regions": [
            {
                "name": r.name,
                "department_ids": r.department_ids,
                "notify_user_ids": r.notify_user_ids,
                "legal_entities": [_entity_key(e) for e in r.legal_entities.all()],
            }
            for r in Region.objects.for_portal(portal).prefetch_related("legal_entities")
        ],
        # Rules only: the DOCX files are uploaded again on the target portal, where they are
        # checked like any other upload.
        "templates": [
            {f: getattr(t, f) for f in TEMPLATE_FIELDS}
            | {
                "regions": [r.name for r in t.regions.all()],
                "legal_entities": [_entity_key(e) for e in t.legal_entities.all()],
            }
            for t in ContractTemplate.objects.for_portal(portal).prefetch_related(
                "regions", "legal_entities"
            )
        ],
    }


def settings_export_json(portal) -> bytes:
    return json.dumps(settings_export(portal), ensure_ascii=False, indent=2).encode()


def _find_entity(portal, key: dict) -> LegalEntity:
    if not isinstance(key, dict):
        raise SettingsError(_("Файл настроек повреждён."))
    entity = (
        LegalEntity.objects.for_portal(portal)
        .filter(inn=str(key.get("inn", "")), kpp=str(key.get("kpp", "")), deleted_in_1c=False)
        .first()
    )
    if entity is None:
        raise SettingsError(
            _("Юрлицо с ИНН %(inn)s не найдено: сначала обновите справочники 1С.")
            % {"inn": key.get("inn", "")}
        )
    return entity


def _list(data: dict, key: str) -> list:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise SettingsError(_("Файл настроек повреждён."))
    return value


@transaction.atomic
def settings_import(*, portal, actor_user_id: int, raw: bytes) -> dict:
    """Apply an exported file; returns counts. Rows missing from the file are left alone."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SettingsError(_("Файл настроек не является JSON.")) from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise SettingsError(_("Это не файл настроек приложения."))
    if data.get("version") != VERSION:
        raise SettingsError(_("Версия файла настроек не поддерживается."))
    try:
        counts = _apply(portal, actor_user_id, data)
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        raise SettingsError(_("Файл настроек повреждён.")) from exc
    audit(portal=portal, action="settings.imported", actor_user_id=actor_user_id, counts=counts)
    return counts


def _apply(portal, actor: int, data: dict) -> dict:
    stages = data.get("stages") or {}
    if not isinstance(stages, dict):
        raise SettingsError(_("Файл настроек повреждён."))
    stages_save(portal=portal, actor_user_id=actor, **{k: stages.get(k, {}) for k in STAGE_KINDS})
    for item in _list(data, "legal_entities"):
        entity = _find_entity(portal, item)
        values = {f: str(item.get(f, "")) for f in ENTITY_TEXT_FIELDS if f in item}
        values["invoice_source"] = item.get("invoice_source", entity.invoice_source)
        account = entity.bank_accounts.filter(account=item.get("default_bank_account")).first()
        if account:
            values["default_bank_account_id"] = account.pk
        legal_entity_update(portal=portal, actor_user_id=actor, entity=entity, values=values)
    regions = {}
    for item in _list(data, "regions"):
        existing = Region.objects.for_portal(portal).filter(name=item["name"]).first()
        regions[item["name"]] = region_save(
            portal=portal,
            actor_user_id=actor,
            region=existing,
            name=item["name"],
            department_ids=item.get("department_ids", []),
            notify_user_ids=item.get("notify_user_ids", []),
            legal_entity_ids=[_find_entity(portal, k).pk for k in item.get("legal_entities", [])],
        )
    for item in _list(data, "templates"):
        existing = ContractTemplate.objects.for_portal(portal).filter(name=item["name"]).first()
        region_ids = []
        for name in item.get("regions", []):
            region = (
                regions.get(name) or Region.objects.for_portal(portal).filter(name=name).first()
            )
            if region is None:
                raise SettingsError(_("Регион «%(name)s» не найден.") % {"name": name})
            region_ids.append(region.pk)
        template_save(
            portal=portal,
            actor_user_id=actor,
            template=existing,
            values={f: item[f] for f in TEMPLATE_FIELDS if f in item},
            region_ids=region_ids,
            legal_entity_ids=[_find_entity(portal, k).pk for k in item.get("legal_entities", [])],
        )
    return {
        "legal_entities": len(_list(data, "legal_entities")),
        "regions": len(_list(data, "regions")),
        "templates": len(_list(data, "templates")),
    }
