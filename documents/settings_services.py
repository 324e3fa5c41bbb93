"""Portal admins' settings: every change runs in one transaction and writes its audit row.

Views only call these functions with already-parsed values; the functions re-check what a form
could be tricked into (ids from another portal, images), because a settings form is just a POST
that anyone holding an admin's tab token can forge. Contract templates follow the same rules in
settings_templates.
"""

import hashlib
import io
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from onec import services as onec_services
from onec.models import LegalEntity, OneCConnection, OrgBankAccount

from .audit import audit
from .models import PortalSettings, Region

MAX_IMAGE_BYTES = 1024 * 1024
MAX_IMAGE_SIDE = 2000
# Well below Pillow's own default (~89 Mpx): a stamp is at most 2000×2000 = 4 Mpx, so anything
# that declares more is either a mistake or a decompression bomb.
MAX_IMAGE_PIXELS = MAX_IMAGE_SIDE * MAX_IMAGE_SIDE


class SettingsError(Exception):
    """Bad input: `message` is shown to the admin and nothing was changed."""

    def __init__(self, message: str, *, details: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or []


def audit_changes(before: dict, after: dict) -> dict:
    """What changed, for the audit row: {field: [old, new]}."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


# ---- images (stamp, signatures) -------------------------------------------------------------


def image_validate(data: bytes) -> bytes:
    """A PNG with an alpha channel, small enough to print: stamps must not hide the text under
    them, so a JPEG or an opaque PNG is refused rather than silently accepted."""
    if len(data) > MAX_IMAGE_BYTES:
        raise SettingsError(_("Изображение больше 1 МБ. Уменьшите его и загрузите снова."))
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its limit and twice the limit; make that a refusal too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                fmt, size, mode, info = probe.format, probe.size, probe.mode, dict(probe.info)
                if size[0] * size[1] > MAX_IMAGE_PIXELS:
                    raise Image.DecompressionBombError("too many pixels")
                probe.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise SettingsError(_("Изображение слишком большое (больше 2000×2000 точек).")) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise SettingsError(_("Файл не является изображением PNG.")) from exc
    if fmt != "PNG":
        raise SettingsError(_("Нужен файл PNG с прозрачным фоном."))
    if size[0] > MAX_IMAGE_SIDE or size[1] > MAX_IMAGE_SIDE:
        raise SettingsError(_("Изображение слишком большое (больше 2000×2000 точек)."))
    has_alpha = mode in ("RGBA", "LA", "PA") or "transparency" in info
    if not has_alpha:
        raise SettingsError(_("У изображения нет прозрачного фона: сохраните PNG с прозрачностью."))
    return data


# ---- general settings --------------------------------------------------------------------------


def portal_settings_get(portal) -> PortalSettings:
    settings, _created = PortalSettings.objects.get_or_create(portal=portal)
    return settings


@transaction.atomic
def dadata_token_save(*, portal, actor_user_id: int, token: str) -> PortalSettings:
    settings = PortalSettings.objects.select_for_update().get(pk=portal_settings_get(portal).pk)
    settings.dadata_token = token.strip()
    settings.save(update_fields=["dadata_token", "updated_at"])
    # The token itself never goes to the audit: only that it was set or cleared.
    audit(
        portal=portal,
        action="settings.dadata_token",
        actor_user_id=actor_user_id,
        obj=settings,
        token_set=bool(settings.dadata_token),
    )
    return settings


@transaction.atomic
def connection_save(*, portal, actor_user_id: int, **fields):
    """The 1C connection (onec.services does the work); the password is never audited."""
    existing = OneCConnection.objects.filter(portal=portal).first()
    before = _connection_snapshot(existing) if existing is not None else {}
    try:
        connection = onec_services.connection_save(portal=portal, **fields)
    except (ValidationError, ValueError) as exc:  # full_clean, or an unknown profile value
        raise SettingsError(_("Проверьте адрес публикации и логин 1С.")) from exc
    audit(
        portal=portal,
        action="settings.onec_connection",
        actor_user_id=actor_user_id,
        obj=connection,
        changes=audit_changes(before, _connection_snapshot(connection)),
        password_changed=bool(fields.get("password")),
    )
    return connection


def _connection_snapshot(connection: OneCConnection) -> dict:
    fields = ("base_url", "username", "profile", "print_root", "price_type")
    return {f: getattr(connection, f) for f in fields}


STAGE_KINDS = ("stage_after_documents", "stage_after_payment", "stage_after_shipment")


def _clean_stage_map(value: dict) -> dict:
    result = {}
    for category, stage in (value or {}).items():
        category, stage = str(category).strip(), str(stage or "").strip()
        if not category.isdigit() or len(stage) > 50:
            raise SettingsError(_("Неверная стадия сделки."))
        if stage:
            result[category] = stage
    return result


@transaction.atomic
def stages_save(*, portal, actor_user_id: int, **maps: dict) -> PortalSettings:
    settings = PortalSettings.objects.select_for_update().get(pk=portal_settings_get(portal).pk)
    before = {k: getattr(settings, k) for k in STAGE_KINDS}
    after = {k: _clean_stage_map(maps.get(k, {})) for k in STAGE_KINDS}
    for key, value in after.items():
        setattr(settings, key, value)
    settings.save()
    audit(
        portal=portal,
        action="settings.deal_stages",
        actor_user_id=actor_user_id,
        obj=settings,
        changes=audit_changes(before, after),
    )
    return settings


# ---- regions -----------------------------------------------------------------------------------


def own_legal_entities(portal, ids) -> list[LegalEntity]:
    wanted = {int(i) for i in ids or []}
    found = list(LegalEntity.objects.for_portal(portal).filter(pk__in=wanted))
    if len(found) != len(wanted):
        raise SettingsError(_("Выбрано юрлицо, которого нет на этом портале."))
    return found


def _int_ids(values) -> list[int]:
    try:
        ids = sorted({int(v) for v in values or []})
    except (TypeError, ValueError) as exc:
        raise SettingsError(_("Неверный идентификатор Битрикс24.")) from exc
    if any(i <= 0 for i in ids):
        raise SettingsError(_("Неверный идентификатор Битрикс24."))
    return ids


@transaction.atomic
def region_save(
    *,
    portal,
    actor_user_id: int,
    region: Region | None = None,
    name: str,
    department_ids=(),
    legal_entity_ids=(),
    notify_user_ids=(),
) -> Region:
    name = name.strip()
    if not name:
        raise SettingsError(_("Укажите название региона."))
    entities = own_legal_entities(portal, legal_entity_ids)
    if region is not None and region.portal_id != portal.pk:
        raise SettingsError(_("Регион не найден."))
    creating = region is None
    region = region or Region(portal=portal)
    before = {} if creating else _region_snapshot(region)
    region.name = name
    region.department_ids = _int_ids(department_ids)
    region.notify_user_ids = _int_ids(notify_user_ids)
    try:
        with transaction.atomic():
            region.save()
    except IntegrityError as exc:
        raise SettingsError(_("Регион с таким названием уже есть.")) from exc
    region.legal_entities.set(entities)
    audit(
        portal=portal,
        action="settings.region_created" if creating else "settings.region_updated",
        actor_user_id=actor_user_id,
        obj=region,
        changes=audit_changes(before, _region_snapshot(region)),
    )
    return region


def _region_snapshot(region: Region) -> dict:
    return {
        "name": region.name,
        "department_ids": list(region.department_ids),
        "notify_user_ids": list(region.notify_user_ids),
        "legal_entity_ids": sorted(region.legal_entities.values_list("pk", flat=True)),
    }


@transaction.atomic
def region_delete(*, portal, actor_user_id: int, region: Region) -> None:
    audit(
        portal=portal,
        action="settings.region_deleted",
        actor_user_id=actor_user_id,
        obj=region,
        name=region.name,
    )
    region.delete()


# ---- legal entities ----------------------------------------------------------------------------

ENTITY_TEXT_FIELDS = (
    "signatory_name",
    "signatory_name_genitive",
    "signatory_title",
    "signatory_title_genitive",
    "authority_basis",
    "accountant_name",
)
ENTITY_IMAGE_FIELDS = ("stamp_image", "signature_image", "accountant_signature_image")


def _entity_snapshot(entity: LegalEntity) -> dict:
    fields = (*ENTITY_TEXT_FIELDS, "invoice_source", "default_bank_account_id")
    return {f: getattr(entity, f) for f in fields}


@transaction.atomic
def legal_entity_update(
    *,
    portal,
    actor_user_id: int,
    entity: LegalEntity,
    values: dict,
    images: dict[str, bytes | None] | None = None,
) -> LegalEntity:
    """`values`: the admin's text fields, `default_bank_account_id`, `invoice_source`.
    `images`: {field: PNG bytes} to replace, {field: None} to remove."""
    entity = LegalEntity.objects.select_for_update().get(pk=entity.pk, portal=portal)
    before = _entity_snapshot(entity)
    for name in ENTITY_TEXT_FIELDS:
        if name in values:
            setattr(entity, name, (values[name] or "").strip()[:255])
    if "invoice_source" in values:
        if values["invoice_source"] not in LegalEntity.InvoiceSource.values:
            raise SettingsError(_("Неверный источник счёта."))
        entity.invoice_source = values["invoice_source"]
    if "default_bank_account_id" in values:
        account_id = values["default_bank_account_id"]
        if account_id:
            account = OrgBankAccount.objects.for_portal(portal).filter(
                pk=account_id, legal_entity=entity
            )
            if not account.exists():
                raise SettingsError(_("Этот расчётный счёт не принадлежит юрлицу."))
        entity.default_bank_account_id = account_id or None
    changed_images = []
    for name, data in (images or {}).items():
        if name not in ENTITY_IMAGE_FIELDS:
            continue
        field_file = getattr(entity, name)
        if data is None:
            if field_file:
                field_file.delete(save=False)
                changed_images.append(f"{name}:removed")
            continue
        image_validate(data)
        digest = hashlib.sha256(data).hexdigest()[:16]
        field_file.save(f"{portal.pk}-{entity.pk}-{digest}.png", ContentFile(data), save=False)
        changed_images.append(f"{name}:replaced")
    entity.save()
    audit(
        portal=portal,
        action="settings.legal_entity_updated",
        actor_user_id=actor_user_id,
        obj=entity,
        changes=audit_changes(before, _entity_snapshot(entity)),
        images=changed_images,
    )
    return entity
