"""Template uploads: a good DOCX becomes a version, anything else is refused with a reason."""

import io
import zipfile

import pytest
from docx import Document

from documents.models import AuditEvent, TemplateVersion
from documents.rendering.placeholders import example_context
from documents.rendering.sample_template import build_sample_contract_template
from tests.documents import test_settings_views as shared

# The admin/manager tab-session fixtures, shared with the settings view tests.
admin, as_admin, as_manager, fake_directory, manager = (
    shared.admin,
    shared.as_admin,
    shared.as_manager,
    shared.fake_directory,
    shared.manager,
)


def _docx(text: str) -> bytes:
    document = Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _upload(client, headers, template, data: bytes, name="contract.docx"):
    upload = io.BytesIO(data)
    upload.name = name
    return client.post(
        f"/documents/settings/templates/{template.pk}/upload/", {"file": upload}, **headers
    )


@pytest.fixture
def template(portal, make_template):
    return make_template(portal)


def test_it_accepts_a_good_template_as_version_1(client, as_admin, portal, template):
    response = _upload(client, as_admin, template, build_sample_contract_template())
    assert response.status_code == 200, response.content.decode()[:1500]
    template.refresh_from_db()
    assert template.current_version.version == 1
    assert {"client", "contract", "goods"} <= set(template.current_version.placeholders)
    assert (
        AuditEvent.objects.for_portal(portal)
        .filter(action="settings.template_version_uploaded", details__version=1)
        .exists()
    )


def test_it_keeps_old_versions_downloadable(client, as_admin, template):
    first = _docx("Договор № {{ contract.number }}")
    second = _docx("Договор № {{ contract.number }} от {{ contract.date }}")
    assert _upload(client, as_admin, template, first).status_code == 200
    assert _upload(client, as_admin, template, second).status_code == 200
    template.refresh_from_db()
    assert template.current_version.version == 2
    old = client.get(f"/documents/settings/templates/{template.pk}/v1.docx", **as_admin)
    assert old.status_code == 200
    assert b"".join(old.streaming_content) == first


def test_it_lists_unknown_placeholders_and_refuses_the_upload(client, as_admin, template):
    response = _upload(
        client, as_admin, template, _docx("ИНН {{ client.inn }} {{ client.shoe_size }}")
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "неизвестные поля" in body and "client.shoe_size" in body
    assert not TemplateVersion.objects.filter(template=template).exists()


@pytest.mark.parametrize(
    "payload",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ client.inn|attr('__class__') }}",
    ],
)
def test_it_refuses_hostile_jinja(client, as_admin, template, payload):
    response = _upload(client, as_admin, template, _docx(payload))
    assert response.status_code == 400
    assert "служебным данным" in response.content.decode()
    assert not TemplateVersion.objects.filter(template=template).exists()


def test_it_refuses_a_file_that_is_not_a_docx(client, as_admin, template):
    response = _upload(client, as_admin, template, b"%PDF-1.4 not a word file", "x.docx")
    assert response.status_code == 400
    assert "не является документом Word" in response.content.decode()


def test_it_refuses_a_zip_bomb(client, as_admin, template):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (8 * 1024 * 1024))
    response = _upload(client, as_admin, template, out.getvalue())
    assert response.status_code == 400
    assert "ZIP-бомбу" in response.content.decode()


def test_it_refuses_uploads_from_managers(client, as_manager, template):
    response = _upload(client, as_manager, template, build_sample_contract_template())
    assert response.status_code == 403
    assert not TemplateVersion.objects.exists()


def test_it_previews_a_template_with_example_data(client, as_admin, template):
    _upload(client, as_admin, template, _docx("Покупатель: ИНН {{ client.inn }}"))
    response = client.post(f"/documents/settings/templates/{template.pk}/preview/", **as_admin)
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert f"Покупатель: ИНН {example_context()['client']['inn']}" in text
