"""Contract templates in the admins' settings: their rules, DOCX versions and the preview.

Same contract as settings_services: one transaction per change with its audit row, and every
input re-checked here (ids from another portal, the DOCX itself) because a form is just a POST.
"""

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from documents.money import VatRate
from onec.models import LegalEntity

from .audit import audit
from .models import ClientKinds, ContractTemplate, PaymentScheme, Region, TemplateVersion
from .rendering.contract import MAX_TEMPLATE_BYTES, check_template
from .settings_services import SettingsError, audit_changes, own_legal_entities

TEMPLATE_FIELDS = (
    "name",
    "kind",
    "is_active",
    "client_kinds",
    "payment_schemes",
    "number_source",
    "number_prefix",
    "number_padding",
    "number_yearly_reset",
    "goods_group_refs",
    "services_only",
    "price_editable",
)


def _clean_template_values(values: dict) -> dict:
    clean = {k: values[k] for k in TEMPLATE_FIELDS if k in values}
    if "name" in clean:
        clean["name"] = str(clean["name"]).strip()[:200]
        if not clean["name"]:
            raise SettingsError(_("Укажите название шаблона."))
    choices = {
        "kind": ContractTemplate.Kind.values,
        "number_source": ContractTemplate.NumberSource.values,
    }
    for key, allowed in choices.items():
        if key in clean and clean[key] not in allowed:
            raise SettingsError(_("Неверное значение поля «%(field)s».") % {"field": key})
    lists = {"client_kinds": ClientKinds.values, "payment_schemes": PaymentScheme.values}
    for key, allowed in lists.items():
        if key in clean:
            clean[key] = [v for v in allowed if v in set(clean[key])]
            if not clean[key]:
                raise SettingsError(
                    _("Выберите хотя бы одно значение «%(field)s».") % {"field": key}
                )
    if "number_padding" in clean and not 0 <= int(clean["number_padding"]) <= 10:
        raise SettingsError(_("Число цифр номера — от 0 до 10."))
    if "goods_group_refs" in clean:
        clean["goods_group_refs"] = sorted({str(v) for v in clean["goods_group_refs"]})
    return clean


def _template_snapshot(template: ContractTemplate) -> dict:
    snap = {k: getattr(template, k) for k in TEMPLATE_FIELDS}
    snap["region_ids"] = sorted(template.regions.values_list("pk", flat=True))
    snap["legal_entity_ids"] = sorted(template.legal_entities.values_list("pk", flat=True))
    return snap


@transaction.atomic
def template_save(
    *,
    portal,
    actor_user_id: int,
    template: ContractTemplate | None = None,
    values: dict,
    region_ids=(),
    legal_entity_ids=(),
) -> ContractTemplate:
    clean = _clean_template_values(values)
    entities = own_legal_entities(portal, legal_entity_ids)
    wanted_regions = {int(i) for i in region_ids or []}
    regions = list(Region.objects.for_portal(portal).filter(pk__in=wanted_regions))
    if len(regions) != len(wanted_regions):
        raise SettingsError(_("Выбран регион, которого нет на этом портале."))
    creating = template is None
    if creating:
        template = ContractTemplate(portal=portal)
        before = {}
    else:
        template = ContractTemplate.objects.select_for_update().get(pk=template.pk, portal=portal)
        before = _template_snapshot(template)
    for key, value in clean.items():
        setattr(template, key, value)
    template.save()
    template.regions.set(regions)
    template.legal_entities.set(entities)
    audit(
        portal=portal,
        action="settings.template_created" if creating else "settings.template_updated",
        actor_user_id=actor_user_id,
        obj=template,
        changes=audit_changes(before, _template_snapshot(template)),
    )
    return template


def template_check_upload(docx: bytes):
    """The placeholder check, with the size limit applied before anything parses the file."""
    if len(docx) > MAX_TEMPLATE_BYTES:
        raise SettingsError(
            _("Файл шаблона больше %(mb)s МБ.") % {"mb": MAX_TEMPLATE_BYTES // (1024 * 1024)}
        )
    check = check_template(docx)
    if check.errors:
        raise SettingsError(check.errors[0], details=check.errors[1:])
    if check.unknown:
        raise SettingsError(
            _("В шаблоне есть неизвестные поля, шаблон не загружен."), details=check.unknown
        )
    return check


@transaction.atomic
def template_version_upload(
    *, portal, actor_user_id: int, template: ContractTemplate, docx: bytes, filename: str
) -> TemplateVersion:
    """Every upload is a new version and becomes current; older versions stay as they were,
    because generated documents point at the version that made them."""
    check = template_check_upload(docx)
    template = ContractTemplate.objects.select_for_update().get(pk=template.pk, portal=portal)
    last = template.versions.aggregate(n=Max("version"))["n"] or 0
    digest = hashlib.sha256(docx).hexdigest()
    version = TemplateVersion(
        portal=portal,
        template=template,
        version=last + 1,
        original_name=(filename or "template.docx")[-255:],
        sha256=digest,
        placeholders=check.names,
        uploaded_by=actor_user_id,
    )
    version.file.save(f"{portal.pk}-{template.pk}-v{last + 1}.docx", ContentFile(docx), save=False)
    version.save()
    template.current_version = version
    template.save(update_fields=["current_version", "updated_at"])
    audit(
        portal=portal,
        action="settings.template_version_uploaded",
        actor_user_id=actor_user_id,
        obj=template,
        version=version.version,
        sha256=digest,
        file_name=version.original_name,
    )
    return version


# ---- template preview --------------------------------------------------------------------------

_VAT_BY_PERCENT = {22: VatRate.VAT22, 20: VatRate.VAT22, 10: VatRate.VAT10, 0: VatRate.VAT0}


def _vat_rate(percent) -> VatRate:
    # A deal row without tax is «без НДС»; 20% rows of old deals print at today's 22%.
    if percent is None:
        return VatRate.NONE
    return _VAT_BY_PERCENT.get(int(percent), VatRate.NONE)


def preview_context(*, template: ContractTemplate, deal=None) -> dict:
    """The example context, with the deal's client and goods and the template's legal entity
    when a deal was chosen, so the admin sees the template with real data before managers do."""
    from datetime import date

    from documents.money import totals

    from .pipeline.data import bank_data, client_party, legal_entity_data
    from .rendering import placeholders as ph

    if deal is None or deal.client is None:
        return ph.example_context()
    # The same builders as generation, so the preview shows what managers will get.
    entity = template.legal_entities.order_by("name").first()
    entity = entity or LegalEntity.objects.for_portal(template.portal_id).order_by("pk").first()
    legal, bank = ph.LegalEntityData(), ph.BankData()
    if entity is not None:
        account = entity.default_bank_account or entity.bank_accounts.order_by("pk").first()
        legal, bank = legal_entity_data(entity), bank_data(account)
    goods = [
        ph.GoodsRow(
            name=p.name,
            quantity=p.quantity,
            price=p.price,
            vat_rate=_vat_rate(p.tax_rate),
            unit=p.measure_name or "шт",
            article=p.article,
        )
        for p in deal.products
    ]
    on = date.today()
    yearly = template.kind == ContractTemplate.Kind.YEARLY
    scheme = "70/30" if PaymentScheme.SPLIT_70_30 in (template.payment_schemes or []) else "100"
    return ph.contract_context(
        client=client_party(deal.client),
        legal_entity=legal,
        bank=bank,
        goods=goods,
        totals=totals([g.line for g in goods]),
        contract=ph.ContractData(
            number=_("ОБРАЗЕЦ"),
            date=on,
            valid_until=date(on.year, 12, 31) if yearly else None,
        ),
        payment_scheme=scheme,
    )
