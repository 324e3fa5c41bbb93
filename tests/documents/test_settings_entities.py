"""Legal entity settings: signatory, basis, bank account, invoice source, stamp images."""

import io
import struct
import zlib

import pytest
from PIL import Image

from documents.models import AuditEvent
from onec.models import OrgBankAccount
from tests.documents import test_settings_views as shared

# The admin/manager tab-session fixtures, shared with the settings view tests.
admin, as_admin, fake_directory = (shared.admin, shared.as_admin, shared.fake_directory)


def _png(size=(40, 40), mode="RGBA", fmt="PNG") -> io.BytesIO:
    out = io.BytesIO()
    Image.new(mode, size, (10, 20, 200, 0) if mode == "RGBA" else (10, 20, 200)).save(out, fmt)
    out.seek(0)
    out.name = "stamp.png"
    return out


def _png_claiming(width: int, height: int) -> io.BytesIO:
    """A tiny PNG whose header declares huge dimensions: a decompression bomb."""
    data = bytearray(_png().getvalue())
    ihdr = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    out = io.BytesIO(bytes(data))
    out.name = "bomb.png"
    return out


@pytest.fixture
def entity(portal, make_legal_entity):
    return make_legal_entity(portal)


def _post(client, headers, entity, **fields):
    data = {"invoice_source": "app", "authority_basis": "Устава"} | fields
    return client.post(f"/documents/settings/entities/{entity.pk}/", data, **headers)


def test_it_saves_the_signatory_basis_account_and_invoice_source(client, as_admin, portal, entity):
    account = OrgBankAccount.objects.create(
        portal=portal,
        legal_entity=entity,
        ref_key="00000000-0000-0000-0000-000000000001",
        account="40702810000000000001",
        bik="044525225",
    )
    response = _post(
        client,
        as_admin,
        entity,
        signatory_name="Смирнова Анна Павловна",
        signatory_name_genitive="Смирновой Анны Павловны",
        signatory_title="Генеральный директор",
        signatory_title_genitive="Генерального директора",
        authority_basis="доверенности № 5 от 10.01.2026",
        default_bank_account=account.pk,
        invoice_source="app",
    )
    assert response.status_code == 200, response.content.decode()[:1500]
    entity.refresh_from_db()
    assert entity.signatory_name_genitive == "Смирновой Анны Павловны"
    assert entity.authority_basis == "доверенности № 5 от 10.01.2026"
    assert entity.default_bank_account == account and entity.invoice_source == "app"
    event = AuditEvent.objects.for_portal(portal).get(action="settings.legal_entity_updated")
    assert event.details["changes"]["invoice_source"] == ["1c", "app"]


def test_it_refuses_a_bank_account_of_another_entity(
    client, as_admin, portal, entity, make_legal_entity
):
    other = make_legal_entity(portal, inn="7707083893")
    account = OrgBankAccount.objects.create(
        portal=portal,
        legal_entity=other,
        ref_key="00000000-0000-0000-0000-000000000002",
        account="40702810000000000002",
        bik="044525225",
    )
    response = _post(client, as_admin, entity, default_bank_account=account.pk)
    assert response.status_code == 400
    entity.refresh_from_db()
    assert entity.default_bank_account is None


def test_it_stores_a_transparent_png_stamp_and_serves_it(client, as_admin, entity):
    response = _post(client, as_admin, entity, stamp_image=_png())
    assert response.status_code == 200, response.content.decode()[:1500]
    entity.refresh_from_db()
    assert entity.stamp_image
    image = client.get(f"/documents/settings/entities/{entity.pk}/stamp_image.png", **as_admin)
    assert image.status_code == 200
    assert Image.open(io.BytesIO(b"".join(image.streaming_content))).mode == "RGBA"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: _png(mode="RGB"), "прозрачного фона"),
        (lambda: _png(fmt="JPEG", mode="RGB"), "PNG"),
        (lambda: _png(size=(2100, 20)), "2000×2000"),
        (lambda: _png_claiming(60000, 60000), "2000×2000"),
        (lambda: io.BytesIO(b"GIF89a not really"), "не является изображением"),
    ],
)
def test_it_refuses_bad_stamp_images(client, as_admin, entity, upload, message):
    response = _post(client, as_admin, entity, stamp_image=upload())
    assert response.status_code == 400
    assert message in response.content.decode()
    entity.refresh_from_db()
    assert not entity.stamp_image


def test_it_refuses_an_image_over_one_megabyte(client, as_admin, entity):
    big = io.BytesIO(_png().getvalue() + b"\0" * (1024 * 1024))
    big.name = "big.png"
    response = _post(client, as_admin, entity, stamp_image=big)
    assert response.status_code == 400
    assert "1 МБ" in response.content.decode()
