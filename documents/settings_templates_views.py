"""Contract templates in the admins' settings: rules, DOCX uploads and versions, and a preview
rendered with a real deal. Same rules as settings_views: every view is behind
`@portal_admin_required` and looks rows up through the portal.
"""

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from b24app.client import B24Error, client_for
from b24app.decorators import portal_admin_required

from . import settings_forms as forms
from . import settings_templates as services
from .models import ContractTemplate
from .rendering.contract import TemplateError, render_contract_docx
from .rendering.placeholders import PLACEHOLDERS
from .settings_services import SettingsError
from .settings_views import admin_view, render_section

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _templates_context(request, **extra):
    templates = (
        ContractTemplate.objects.for_portal(request.portal)
        .select_related("current_version")
        .prefetch_related("regions")  # the list shows regions, not legal entities
    )
    return {"section": "templates", "templates": templates, "placeholders": PLACEHOLDERS} | extra


@admin_view()
def settings_templates(request: HttpRequest) -> HttpResponse:
    return render_section(request, "documents/settings/templates.html", _templates_context(request))


def _template_get(request, template_id) -> ContractTemplate:
    return get_object_or_404(ContractTemplate.objects.for_portal(request.portal), pk=template_id)


@admin_view(("GET", "POST"))
def settings_template(request: HttpRequest, template_id: int | None = None) -> HttpResponse:
    """Create (no id) or edit a template's rules; a new one can take its DOCX in the same form."""
    template = _template_get(request, template_id) if template_id else None
    page = "documents/settings/template.html"
    upload_form = forms.TemplateUploadForm()
    if request.method == "GET":
        form = forms.TemplateForm(portal=request.portal, template=template)
        return render_section(request, page, _template_context(request, template, form))
    form = forms.TemplateForm(request.POST, portal=request.portal, template=template)
    if not form.is_valid():
        context = _template_context(request, template, form)
        return render_section(request, page, context, 400)
    data = form.cleaned_data
    try:
        template = services.template_save(
            portal=request.portal,
            actor_user_id=request.b24_user.user_id,
            template=template,
            values=form.values(),
            region_ids=[r.pk for r in data["regions"]],
            legal_entity_ids=[e.pk for e in data["legal_entities"]],
        )
    except SettingsError as exc:
        form.add_error(None, exc.message)
        return render_section(request, page, _template_context(request, template, form), 400)
    form = forms.TemplateForm(portal=request.portal, template=template)
    context = _template_context(request, template, form, upload_form=upload_form)
    context["message"] = _("Шаблон сохранён.")
    return render_section(request, page, context)


def _template_context(request, template, form, **extra):
    return {
        "section": "templates",
        "template_obj": template,
        "form": form,
        "upload_form": extra.pop("upload_form", forms.TemplateUploadForm()),
        "preview_form": forms.PreviewForm(),
        "versions": list(template.versions.all()) if template else [],
        "placeholders": PLACEHOLDERS,
    } | extra


@admin_view(("POST",))
def settings_template_upload(request: HttpRequest, template_id: int) -> HttpResponse:
    template = _template_get(request, template_id)
    page = "documents/settings/template.html"
    upload_form = forms.TemplateUploadForm(request.POST, request.FILES)
    form = forms.TemplateForm(portal=request.portal, template=template)
    if not upload_form.is_valid():
        context = _template_context(request, template, form, upload_form=upload_form)
        return render_section(request, page, context, 400)
    filename, docx = upload_form.cleaned_data["file"]
    try:
        version = services.template_version_upload(
            portal=request.portal,
            actor_user_id=request.b24_user.user_id,
            template=template,
            docx=docx,
            filename=filename,
        )
    except SettingsError as exc:
        context = _template_context(
            request, template, form, upload_error=exc.message, upload_details=exc.details
        )
        return render_section(request, page, context, 400)
    template.refresh_from_db()
    message = _("Загружена версия %(n)s.") % {"n": version.version}
    context = _template_context(request, template, form, message=message)
    return render_section(request, page, context)


@csrf_exempt
@require_http_methods(["GET", "POST"])
@portal_admin_required
def settings_template_version(request: HttpRequest, template_id: int, version: int):
    """Download any version, old ones included (documents made by them may be disputed)."""
    template = _template_get(request, template_id)
    row = get_object_or_404(template.versions.all(), version=version)
    name = row.original_name or f"template-v{row.version}.docx"
    return FileResponse(row.file.open("rb"), as_attachment=True, filename=name, content_type=DOCX)


@require_POST
@csrf_exempt
@portal_admin_required
def settings_template_preview(request: HttpRequest, template_id: int) -> HttpResponse:
    template = _template_get(request, template_id)
    if template.current_version is None:
        return HttpResponse(_("Сначала загрузите файл шаблона."), status=400)
    form = forms.PreviewForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Неверный ID сделки."), status=400)
    deal = None
    if form.cleaned_data["deal_id"]:
        deal = _read_deal(request, form.cleaned_data["deal_id"])
        if isinstance(deal, HttpResponse):
            return deal
    context = services.preview_context(template=template, deal=deal)
    with template.current_version.file.open("rb") as f:
        source = f.read()
    try:
        docx = render_contract_docx(source, context, stamp=False)
    except TemplateError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(docx, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="preview-{template.pk}.docx"'
    return response


def _read_deal(request, deal_id: str):
    from b24app.deal_reader import DealNotFound, deal_context_commands, parse_deal_context

    try:
        client = client_for(request.portal, request.b24_user)
        results, errors = client.batch(deal_context_commands(deal_id))
        return parse_deal_context(deal_id, results, errors)
    except DealNotFound:
        return HttpResponse(_("Сделка не найдена."), status=404)
    except B24Error:
        return HttpResponse(_("Битрикс24 сейчас не отвечает."), status=503)
