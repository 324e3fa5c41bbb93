"""Set up the demo portal the way a customer would, but without clicking.

1. Install: read the sandbox portal's install page (the hidden form Bitrix24 posts into the
   installer iframe) and post it to the app's `/b24/install/`, exactly like the browser does.
2. Connect the portal to the 1C sandbox and pull its reference data.
3. Configure what an admin would: regions mapped to departments and legal entities,
   signatories and stamps of the legal entities, a one-off and a yearly contract template.

Used by `make demo` (`manage.py demo_setup`) and by the browser tests' `demo_stack`.
"""

import hashlib
from html.parser import HTMLParser
from urllib.parse import urljoin

import requests
from django.core.files.base import ContentFile
from django.db import transaction

from . import demo_data


class SetupError(Exception):
    pass


class _InstallForm(HTMLParser):
    def __init__(self):
        super().__init__()
        self.action = ""
        self.fields: dict[str, str] = {}
        self._inside = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == "b24-post":
            self.action, self._inside = attrs.get("action", ""), True
        elif tag == "input" and self._inside and attrs.get("name"):
            self.fields[attrs["name"]] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._inside = False


def install_app(portal_url: str, *, admin_user_id: str = "1", timeout: float = 30):
    """Post the portal's installer form to the app; return the installed `Portal`."""
    from b24app.models import Portal

    page = requests.get(f"{portal_url}/marketplace/install/?user={admin_user_id}", timeout=timeout)
    page.raise_for_status()
    form = _InstallForm()
    form.feed(page.text)
    if not form.action or "member_id" not in form.fields:
        raise SetupError("the portal's install page has no installer form")
    answer = requests.post(form.action, data=form.fields, timeout=timeout)
    if answer.status_code != 200:
        raise SetupError(f"the app's installer answered {answer.status_code}")
    # What the page's BX24.installFinish() would tell the portal.
    requests.post(f"{portal_url}/sandbox/install-finished", timeout=timeout)
    portal = Portal.objects.filter(member_id=form.fields["member_id"]).first()
    if portal is None:
        raise SetupError("the app's installer did not register the portal")
    return portal


def connect_onec(portal, *, onec_url: str, profile: str = "bp30") -> dict:
    from onec.services import connection_save
    from onec.sync import sync_reference_data

    with transaction.atomic():
        connection_save(
            portal=portal,
            base_url=onec_url,
            username=demo_data.DEMO_LOGIN,
            password=demo_data.DEMO_PASSWORD,
            profile=profile,
            price_type="Основная цена продажи",
        )
    return sync_reference_data(portal)


def configure(portal) -> None:
    """Regions, legal entities' signatories and stamps, templates (idempotent)."""
    from documents.models import ContractTemplate, PortalSettings, Region, TemplateVersion
    from documents.rendering.russian import genitive_name, genitive_title
    from documents.rendering.sample_template import build_sample_contract_template
    from onec.models import LegalEntity

    from .onec.images import signature_png, stamp_png

    PortalSettings.objects.get_or_create(portal=portal)
    entities = {e.inn: e for e in LegalEntity.objects.for_portal(portal)}
    by_key = {}
    for spec in demo_data.LEGAL_ENTITIES:
        entity = entities.get(spec["inn"])
        if entity is None:
            raise SetupError(f"1C has no organization with INN {spec['inn']}: sync first")
        by_key[spec["key"]] = entity
        entity.signatory_name = spec["director"]
        entity.signatory_name_genitive = genitive_name(spec["director"])
        entity.signatory_title = spec["director_title"]
        entity.signatory_title_genitive = genitive_title(spec["director_title"])
        entity.accountant_name = spec["accountant"]
        if not entity.stamp_image:
            stamp = ContentFile(stamp_png(spec["short_name"], spec["inn"]))
            entity.stamp_image.save(f"{spec['key']}-stamp.png", stamp, save=False)
            signature = ContentFile(signature_png(spec["director"]))
            entity.signature_image.save(f"{spec['key']}-sign.png", signature, save=False)
        entity.save()

    regions = {}
    for name, departments, keys in (
        ("Москва", ["2"], ["romashka", "sokolova_ip"]),
        ("Санкт-Петербург", ["3"], ["romashka_north"]),
    ):
        region, _ = Region.objects.get_or_create(portal=portal, name=name)
        region.department_ids = departments
        region.notify_user_ids = ["1"]
        region.save()
        region.legal_entities.set([by_key[k] for k in keys])
        regions[name] = region

    docx = build_sample_contract_template()
    for name, kind, prefix in (
        ("Договор поставки", ContractTemplate.Kind.ONE_OFF, "П-{year}/"),
        ("Годовой договор поставки", ContractTemplate.Kind.YEARLY, "Г-{year}/"),
    ):
        template, created = ContractTemplate.objects.get_or_create(
            portal=portal,
            name=name,
            defaults={
                "kind": kind,
                "client_kinds": ["company", "ip", "person"],
                "payment_schemes": ["100", "70_30"],
                "number_prefix": prefix,
                "number_padding": 3,
            },
        )
        if created:
            template.regions.set(regions.values())
            template.legal_entities.set(by_key.values())
            version = TemplateVersion(
                portal=portal,
                template=template,
                version=1,
                original_name="dogovor-postavki.docx",
                sha256=hashlib.sha256(docx).hexdigest(),
            )
            version.file.save("dogovor-postavki.docx", ContentFile(docx), save=False)
            version.save()
            template.current_version = version
            template.save(update_fields=["current_version"])


def setup_demo(*, portal_url: str, onec_url: str, onec_profile: str = "bp30"):
    portal = install_app(portal_url)
    counts = connect_onec(portal, onec_url=urljoin(onec_url, "."), profile=onec_profile)
    configure(portal)
    return portal, counts
