"""Portal admins' settings: thin views, each behind `@portal_admin_required` (checked on every
request, not only by hiding buttons). Rows are looked up through the portal: another portal's
id is a 404.

Views inside the portal's iframe carry identity in the signed `X-Tab-Token` header (or a
`tab_token` form field for downloads), never in cookies, so CSRF cookies cannot work here and
are not needed: a forged cross-site request has no token.
"""

import logging

from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from b24app.client import B24Error, client_for
from b24app.decorators import portal_admin_required
from documents.backsync.status import sync_overview
from onec import selectors as onec_selectors
from onec import services as onec_services
from onec.models import LegalEntity, OneCConnection, SyncStatus

from . import settings_forms as forms
from . import settings_services as services
from .models import AuditEvent, Region

log = logging.getLogger("documents.settings")
SECTIONS = ("connection", "regions", "entities", "templates", "stages", "audit", "transfer")


def render_section(
    request: HttpRequest,
    template: str,
    context: dict,
    status: int = 200,
    *,
    page: str = "documents/settings/page.html",
):
    """htmx swaps one section into the panel; a plain request gets the whole `page`."""
    token = request.headers.get("X-Tab-Token") or request.POST.get("tab_token", "")
    context = {"tab_token": token, "portal": request.portal, "b24_user": request.b24_user} | context
    if request.htmx:
        return render(request, template, context, status=status)
    return render(request, page, {"section_template": template, **context}, status=status)


def admin_view(methods=("GET",)):
    def wrap(view):
        return csrf_exempt(require_http_methods(list(methods))(portal_admin_required(view)))

    return wrap


# ---- Bitrix24 directory (departments, users, deal stages) --------------------------------------


def b24_directory(request: HttpRequest, *, stages: bool = False) -> dict:
    """What a section lists from the portal: departments and users (regions), or with `stages`
    the deal pipelines and their stages; only what the section shows is asked for. An
    unreachable portal leaves the lists empty (saved ids still show as «ID n»), so settings
    stay editable while Bitrix24 is down."""
    empty = {"departments": [], "users": [], "pipelines": [], "error": ""}
    try:
        client = client_for(request.portal, request.b24_user)
        if stages:
            return empty | {"pipelines": _pipelines(client)}
        results, _errors = client.batch(
            {"departments": ("department.get", {}), "users": ("user.get", {"ACTIVE": "true"})}
        )
    except B24Error as exc:
        log.warning("b24 directory unavailable portal=%s: %s", request.portal.pk, exc.code)
        return empty | {"error": _("Битрикс24 не ответил: списки недоступны.")}
    return empty | {
        "departments": [
            {"id": str(d.get("ID")), "name": d.get("NAME") or ""}
            for d in results.get("departments") or []
        ],
        "users": [
            {
                "id": str(u.get("ID")),
                "name": " ".join(filter(None, [u.get("NAME"), u.get("LAST_NAME")])),
            }
            for u in results.get("users") or []
        ],
    }


def _pipelines(client) -> list[dict]:
    """Deal pipelines with their stages: one batch, a second only for custom pipelines."""
    results, _errors = client.batch(
        {
            "categories": ("crm.dealcategory.list", {}),
            "stages0": ("crm.dealcategory.stage.list", {"id": 0}),
        }
    )
    categories = [{"ID": "0", "NAME": _("Общая")}, *list(results.get("categories") or [])]
    stage_results = {"stages0": results.get("stages0") or []}
    extra = {
        f"stages{c['ID']}": ("crm.dealcategory.stage.list", {"id": c["ID"]}) for c in categories[1:]
    }
    if extra:
        more, _errors = client.batch(extra)
        stage_results |= more
    return [
        {
            "id": str(c["ID"]),
            "name": c.get("NAME") or "",
            "stages": [
                {"id": s.get("STATUS_ID"), "name": s.get("NAME")}
                for s in stage_results.get(f"stages{c['ID']}") or []
            ],
        }
        for c in categories
    ]


# ---- main page and the 1C connection -----------------------------------------------------------


def _connection_context(request, form=None, dadata_form=None, lines=None, message=""):
    connection = OneCConnection.objects.filter(portal=request.portal).first()
    if form is None:
        initial = {}
        if connection:
            initial = {
                f: getattr(connection, f)
                for f in ("base_url", "username", "profile", "print_root", "price_type")
            }
        form = forms.ConnectionForm(initial=initial)
    if lines is None and connection:
        lines = onec_services.last_check(connection)
    return {
        "section": "connection",
        "form": form,
        "dadata_form": dadata_form or forms.DadataForm(),
        "dadata_set": bool(services.portal_settings_get(request.portal).dadata_token),
        "connection": connection,
        "lines": lines or [],
        "sync": onec_selectors.sync_status(request.portal, SyncStatus.Kind.REFERENCE),
        "overview": sync_overview(request.portal),
        "message": message,
    }


@admin_view(("GET", "POST"))
def settings_connection(request: HttpRequest) -> HttpResponse:
    template = "documents/settings/connection.html"
    if request.method == "GET":
        return render_section(request, template, _connection_context(request))
    form = forms.ConnectionForm(request.POST)
    if not form.is_valid():
        return render_section(request, template, _connection_context(request, form=form), 400)
    try:
        services.connection_save(
            portal=request.portal, actor_user_id=request.b24_user.user_id, **form.cleaned_data
        )
    except services.SettingsError as exc:
        form.add_error(None, exc.message)
        return render_section(request, template, _connection_context(request, form=form), 400)
    return render_section(
        request, template, _connection_context(request, message=_("Подключение сохранено."))
    )


@admin_view(("POST",))
def settings_connection_check(request: HttpRequest) -> HttpResponse:
    template = "documents/settings/connection.html"
    try:
        lines = onec_services.connection_check(portal=request.portal)
    except OneCConnection.DoesNotExist:
        message = _("Сначала сохраните подключение к 1С.")
        return render_section(request, template, _connection_context(request, message=message))
    return render_section(request, template, _connection_context(request, lines=lines))


@admin_view(("POST",))
def settings_sync_now(request: HttpRequest) -> HttpResponse:
    from onec.tasks import refresh_reference_data

    portal_id = request.portal.pk
    if OneCConnection.objects.filter(portal=request.portal).exists():
        transaction.on_commit(lambda: refresh_reference_data.delay(portal_id))
        message = _("Обновление справочников запущено.")
    else:
        message = _("Сначала сохраните подключение к 1С.")
    context = _connection_context(request, message=message)
    return render_section(request, "documents/settings/connection.html", context)


@admin_view(("POST",))
def settings_dadata(request: HttpRequest) -> HttpResponse:
    template = "documents/settings/connection.html"
    form = forms.DadataForm(request.POST)
    if not form.is_valid():
        return render_section(request, template, _connection_context(request, dadata_form=form))
    token = form.cleaned_data["dadata_token"]
    if token or form.cleaned_data["clear"]:
        services.dadata_token_save(
            portal=request.portal, actor_user_id=request.b24_user.user_id, token=token
        )
    context = _connection_context(request, message=_("Токен DaData сохранён."))
    return render_section(request, template, context)


# ---- regions -----------------------------------------------------------------------------------


def _regions_context(request, form=None, region=None, message="", directory=None):
    directory = directory or b24_directory(request)
    if form is None:
        form = forms.RegionForm(
            portal=request.portal,
            departments=directory["departments"],
            users=directory["users"],
            region=region,
        )
    regions = Region.objects.for_portal(request.portal).prefetch_related("legal_entities")
    names = {d["id"]: d["name"] for d in directory["departments"]}
    for r in regions:
        r.department_names = [names.get(str(d), f"ID {d}") for d in r.department_ids]
    return {
        "section": "regions",
        "regions": regions,
        "form": form,
        "region": region,
        "directory_error": directory["error"],
        "message": message,
    }


@admin_view(("GET", "POST"))
def settings_regions(request: HttpRequest, region_id: int | None = None) -> HttpResponse:
    template = "documents/settings/regions.html"
    region = None
    if region_id is not None:
        region = get_object_or_404(Region.objects.for_portal(request.portal), pk=region_id)
    if request.method == "GET":
        return render_section(request, template, _regions_context(request, region=region))
    directory = b24_directory(request)
    form = forms.RegionForm(
        request.POST,
        portal=request.portal,
        departments=directory["departments"],
        users=directory["users"],
        region=region,
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.region_save(
                portal=request.portal,
                actor_user_id=request.b24_user.user_id,
                region=region,
                name=data["name"],
                department_ids=data["department_ids"],
                legal_entity_ids=[e.pk for e in data["legal_entities"]],
                notify_user_ids=data["notify_user_ids"],
            )
        except services.SettingsError as exc:
            form.add_error(None, exc.message)
        else:
            context = _regions_context(request, message=_("Регион сохранён."), directory=directory)
            return render_section(request, template, context)
    context = _regions_context(request, form=form, region=region, directory=directory)
    return render_section(request, template, context, status=400)


@admin_view(("POST",))
def settings_region_delete(request: HttpRequest, region_id: int) -> HttpResponse:
    region = get_object_or_404(Region.objects.for_portal(request.portal), pk=region_id)
    services.region_delete(
        portal=request.portal, actor_user_id=request.b24_user.user_id, region=region
    )
    context = _regions_context(request, message=_("Регион удалён."))
    return render_section(request, "documents/settings/regions.html", context)


# ---- legal entities ----------------------------------------------------------------------------


@admin_view()
def settings_entities(request: HttpRequest) -> HttpResponse:
    entities = onec_selectors.legal_entities(request.portal)
    context = {"section": "entities", "entities": entities}
    return render_section(request, "documents/settings/entities.html", context)


@admin_view(("GET", "POST"))
def settings_entity(request: HttpRequest, entity_id: int) -> HttpResponse:
    template = "documents/settings/entity.html"
    entity = get_object_or_404(LegalEntity.objects.for_portal(request.portal), pk=entity_id)
    message, status = "", 200
    if request.method == "GET":
        form = forms.LegalEntityForm(entity=entity)
    else:
        form = forms.LegalEntityForm(request.POST, request.FILES, entity=entity)
        if form.is_valid():
            values, images = form.values_and_images()
            try:
                entity = services.legal_entity_update(
                    portal=request.portal,
                    actor_user_id=request.b24_user.user_id,
                    entity=entity,
                    values=values,
                    images=images,
                )
            except services.SettingsError as exc:
                form.add_error(None, exc.message)
                status = 400
            else:
                message = _("Юрлицо сохранено.")
                form = forms.LegalEntityForm(entity=entity)
        else:
            status = 400
    context = {"section": "entities", "entity": entity, "form": form, "message": message}
    return render_section(request, template, context, status)


@csrf_exempt
@require_http_methods(["GET", "POST"])
@portal_admin_required
def settings_entity_image(request: HttpRequest, entity_id: int, field: str) -> HttpResponse:
    if field not in services.ENTITY_IMAGE_FIELDS:
        raise Http404
    entity = get_object_or_404(LegalEntity.objects.for_portal(request.portal), pk=entity_id)
    image = getattr(entity, field)
    if not image:
        raise Http404
    return FileResponse(image.open("rb"), content_type="image/png")


# ---- deal stages -------------------------------------------------------------------------------


@admin_view(("GET", "POST"))
def settings_stages(request: HttpRequest) -> HttpResponse:
    settings = services.portal_settings_get(request.portal)
    directory = b24_directory(request, stages=True)
    message, status = "", 200
    if request.method == "POST":
        maps = {kind: {} for kind in services.STAGE_KINDS}
        for key, value in request.POST.items():
            kind, _sep, category = key.rpartition("__")
            if kind in maps:
                maps[kind][category] = value
        try:
            settings = services.stages_save(
                portal=request.portal, actor_user_id=request.b24_user.user_id, **maps
            )
            message = _("Стадии сохранены.")
        except services.SettingsError as exc:
            message, status = exc.message, 400
    rows = []
    for pipeline in directory["pipelines"]:
        chosen = {
            kind: getattr(settings, kind).get(pipeline["id"], "") for kind in services.STAGE_KINDS
        }
        rows.append(pipeline | {"chosen": chosen})
    context = {
        "section": "stages",
        "pipelines": rows,
        "kinds": [
            ("stage_after_documents", _("После формирования документов")),
            ("stage_after_payment", _("После оплаты")),
            ("stage_after_shipment", _("После полной отгрузки")),
        ],
        "directory_error": directory["error"],
        "message": message,
    }
    return render_section(request, "documents/settings/stages.html", context, status)


# ---- audit -------------------------------------------------------------------------------------


@admin_view()
def settings_audit(request: HttpRequest) -> HttpResponse:
    events = AuditEvent.objects.for_portal(request.portal).filter(action__startswith="settings.")
    context = {"section": "audit", "events": events[:200]}
    return render_section(request, "documents/settings/audit.html", context)


# ---- export / import ---------------------------------------------------------------------------


@admin_view()
def settings_transfer(request: HttpRequest) -> HttpResponse:
    context = {"section": "transfer", "form": forms.ImportForm()}
    return render_section(request, "documents/settings/transfer.html", context)


@admin_view(("GET", "POST"))
def settings_export(request: HttpRequest) -> HttpResponse:
    from .settings_export import settings_export_json

    response = HttpResponse(
        settings_export_json(request.portal), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="docs1c-settings.json"'
    return response


@admin_view(("POST",))
def settings_import(request: HttpRequest) -> HttpResponse:
    from .settings_export import settings_import as apply_import

    form = forms.ImportForm(request.POST, request.FILES)
    context = {"section": "transfer", "form": form}
    if not form.is_valid():
        return render_section(request, "documents/settings/transfer.html", context, 400)
    try:
        counts = apply_import(
            portal=request.portal,
            actor_user_id=request.b24_user.user_id,
            raw=form.cleaned_data["file"],
        )
    except services.SettingsError as exc:
        context["error"] = exc.message
        return render_section(request, "documents/settings/transfer.html", context, 400)
    context["message"] = (
        _(
            "Настройки загружены: юрлиц %(legal_entities)s, регионов %(regions)s, "
            "шаблонов %(templates)s."
        )
        % counts
    )
    context["form"] = forms.ImportForm()
    return render_section(request, "documents/settings/transfer.html", context)
