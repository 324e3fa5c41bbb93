"""Admins' settings (`settings_*`) and the yearly-contract library (`library_*`)."""

from django.urls import path

from . import library_views, settings_templates_views, settings_views

s = settings_views
t = settings_templates_views
urlpatterns = [
    path("settings/", s.settings_connection, name="settings_index"),
    path("settings/connection/", s.settings_connection, name="settings_connection"),
    path("settings/connection/check/", s.settings_connection_check, name="settings_check"),
    path("settings/connection/sync/", s.settings_sync_now, name="settings_sync"),
    path("settings/dadata/", s.settings_dadata, name="settings_dadata"),
    path("settings/regions/", s.settings_regions, name="settings_regions"),
    path("settings/regions/<int:region_id>/", s.settings_regions, name="settings_region"),
    path(
        "settings/regions/<int:region_id>/delete/",
        s.settings_region_delete,
        name="settings_region_delete",
    ),
    path("settings/entities/", s.settings_entities, name="settings_entities"),
    path("settings/entities/<int:entity_id>/", s.settings_entity, name="settings_entity"),
    path(
        "settings/entities/<int:entity_id>/<str:field>.png",
        s.settings_entity_image,
        name="settings_entity_image",
    ),
    path("settings/templates/", t.settings_templates, name="settings_templates"),
    path("settings/templates/new/", t.settings_template, name="settings_template_new"),
    path("settings/templates/<int:template_id>/", t.settings_template, name="settings_template"),
    path(
        "settings/templates/<int:template_id>/upload/",
        t.settings_template_upload,
        name="settings_template_upload",
    ),
    path(
        "settings/templates/<int:template_id>/v<int:version>.docx",
        t.settings_template_version,
        name="settings_template_version",
    ),
    path(
        "settings/templates/<int:template_id>/preview/",
        t.settings_template_preview,
        name="settings_template_preview",
    ),
    path("settings/stages/", s.settings_stages, name="settings_stages"),
    path("settings/audit/", s.settings_audit, name="settings_audit"),
    path("settings/transfer/", s.settings_transfer, name="settings_transfer"),
    path("settings/export.json", s.settings_export, name="settings_export"),
    path("settings/import/", s.settings_import, name="settings_import"),
    path("library/", library_views.library_index, name="library_index"),
    path("library/<int:contract_id>/", library_views.library_contract, name="library_contract"),
    path(
        "library/<int:contract_id>/files/<int:file_id>/",
        library_views.library_contract_file,
        name="library_contract_file",
    ),
    path(
        "library/<int:contract_id>/issue/",
        library_views.library_issue_invoice,
        name="library_issue_invoice",
    ),
]
