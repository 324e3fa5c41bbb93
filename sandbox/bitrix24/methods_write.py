"""What the app writes into the portal: deal documents, timeline, notifications; and the
catalog (new-style camelCase methods)."""

import base64
import binascii

from sandbox.bitrix24.params import as_dict, as_list
from sandbox.bitrix24.rest import (
    Listed,
    RestError,
    matches,
    method,
    not_found,
    order_by,
    paginate,
    select,
)
from sandbox.bitrix24.seed import ARTICLE_PROPERTY_CODE, ARTICLE_PROPERTY_ID, CATALOG_IBLOCK_ID
from sandbox.bitrix24.state import UploadedDocument, now_iso

ENTITY_TYPES = {"1": "lead", "2": "deal", "3": "contact", "4": "company"}
_DOCX_MAGIC = b"PK\x03\x04"
_PDF_MAGIC = b"%PDF"


def _b64(value, name: str) -> bytes:
    try:
        return base64.b64decode(str(value), validate=True)
    except (binascii.Error, ValueError):
        raise RestError("100", f"Invalid value to match with parameter {{{name}}}.") from None


def document_json(sandbox, doc: UploadedDocument) -> dict:
    base = sandbox.url
    data = {
        "changeStampsEnabled": False,
        "changeStampsDisabledReason": "В шаблоне нет печатей и подписей",
        "changeQrCodeEnabled": False,
        "qrCodeEnabled": False,
        "changeQrCodeDisabledReason": "В шаблоне нет QR-кода",
        "products": {"currencyId": "RUB", "totalSum": "0.00", "totalRows": 0},
        "downloadUrl": f"{base}/sandbox/documents/{doc.id}/docx",
        "publicUrl": None,
        "title": doc.title,
        "number": doc.number,
        "id": doc.id,
        "createTime": doc.create_time,
        "createdBy": doc.created_by,
        "updateTime": doc.create_time,
        "updatedBy": None,
        "stampsEnabled": doc.stamps_enabled,
        "isTransformationError": False,
        "values": {"productsTableVariant": "", "_creationMethod": "rest"},
        "templateId": doc.template_id,
        "pullTag": f"TRANSFORMDOCUMENT{doc.id}",
        "emailDiskFile": int(doc.id) + 5000,
        "entityId": doc.entity_id,
        "entityTypeId": doc.entity_type_id,
        "downloadUrlMachine": f"{base}/sandbox/documents/{doc.id}/docx",
    }
    if doc.pdf:
        data["pdfUrl"] = f"{base}/sandbox/documents/{doc.id}/pdf"
        data["pdfUrlMachine"] = data["pdfUrl"]
    return data


@method("crm.documentgenerator.document.upload", batch_allowed=False)
def document_upload(call):
    fields = call.fields()
    if not fields:
        raise RestError(
            "100",
            "Invalid value {} to match with parameter {fields}. Should be value of type array.",
        )
    for required in ("fileContent", "region", "entityTypeId", "entityId", "title", "number"):
        if fields.get(required) in (None, ""):
            raise RestError("100", f"Required parameter '{required}' is not set.")
    entity_type, entity_id = str(fields["entityTypeId"]), str(fields["entityId"])
    if entity_type not in ENTITY_TYPES:
        raise RestError("0", "No provider for entityTypeId")
    if entity_type == "2" and entity_id not in call.state.deals:
        raise RestError("0", "Entity not found")
    docx = _b64(fields["fileContent"], "fileContent")
    if not docx.startswith(_DOCX_MAGIC):
        raise RestError("DOCGEN_FILE_ERROR", "fileContent is not a DOCX file")
    pdf = _b64(fields["pdfContent"], "pdfContent") if fields.get("pdfContent") else None
    if pdf is not None and not pdf.startswith(_PDF_MAGIC):
        raise RestError("DOCGEN_FILE_ERROR", "pdfContent is not a PDF file")
    doc = UploadedDocument(
        id=str(call.state.next_id()),
        entity_type_id=entity_type,
        entity_id=entity_id,
        title=str(fields["title"]),
        number=str(fields["number"]),
        region=str(fields["region"]),
        docx=docx,
        pdf=pdf,
        created_by=call.user_id,
        create_time=now_iso(),
        template_id="55",  # the hidden per-app template the portal attaches uploads to
        stamps_enabled=str(fields.get("stampsEnabled", "")).upper() in ("1", "Y", "TRUE"),
    )
    with call.state.lock:
        call.state.documents[doc.id] = doc
    return {"document": document_json(call.sandbox, doc)}


@method("crm.documentgenerator.document.get")
def document_get(call):
    doc = call.state.documents.get(str(call.param("id", "")))
    if doc is None:
        raise RestError("DOCGEN_ACCESS_ERROR", "Access denied")
    return {"document": document_json(call.sandbox, doc)}


@method("crm.documentgenerator.document.list")
def document_list(call):
    filter_ = as_dict(call.param("filter", {}))
    rows = [document_json(call.sandbox, d) for d in call.state.documents.values()]
    rows = [r for r in rows if matches(r, filter_)]
    return paginate(call, rows, wrap="documents")


@method("crm.timeline.logmessage.add")
def logmessage_add(call):
    fields = call.fields()
    for required in ("entityTypeId", "entityId", "title", "text"):
        if fields.get(required) in (None, ""):
            raise RestError("ERROR_ARGUMENT", f"Argument '{required}' is null or empty")
    entry = {
        "id": call.state.next_id(),
        "kind": "log",
        "created": now_iso(),
        "authorId": int(call.user_id),
        "title": str(fields["title"]),
        "text": str(fields["text"]),
        "iconCode": str(fields.get("iconCode") or "info"),
        "entity_type_id": str(fields["entityTypeId"]),
        "entity_id": str(fields["entityId"]),
    }
    with call.state.lock:
        call.state.timeline_logs.append(entry)
    public = {k: entry[k] for k in ("id", "created", "authorId", "title", "text", "iconCode")}
    return {"logMessage": public}


@method("crm.timeline.comment.add")
def comment_add(call):
    fields = {k.upper(): v for k, v in call.fields().items()}
    entity_type = str(fields.get("ENTITY_TYPE", "")).lower()
    if entity_type not in ENTITY_TYPES.values() or not fields.get("ENTITY_ID"):
        raise RestError("NOT_FOUND", "Not found.")
    if not fields.get("COMMENT") and not fields.get("FILES"):
        raise RestError("ERROR_ARGUMENT", "Argument 'COMMENT' is null or empty")
    files = []
    for item in as_list(fields.get("FILES")):
        pair = as_list(item)
        if len(pair) == 2:
            files.append((str(pair[0]), _b64(pair[1], "FILES")))
    type_id = {v: k for k, v in ENTITY_TYPES.items()}[entity_type]
    entry = {
        "id": call.state.next_id(),
        "kind": "comment",
        "created": now_iso(),
        "authorId": int(fields.get("AUTHOR_ID") or call.user_id),
        "text": str(fields.get("COMMENT", "")),
        "files": files,
        "entity_type_id": type_id,
        "entity_id": str(fields["ENTITY_ID"]),
    }
    with call.state.lock:
        call.state.timeline_comments.append(entry)
    return entry["id"]


def _notify(call, kind: str):
    user_id = str(call.param("USER_ID", "") or "")
    if not user_id:
        raise RestError("USER_ID_EMPTY", "User ID can't be empty")
    if user_id not in call.state.users:
        raise RestError("USER_ID_EMPTY", "User ID can't be empty")
    message = str(call.param("MESSAGE", "") or "")
    if not message:
        raise RestError("MESSAGE_EMPTY", "Message can't be empty")
    entry = {
        "id": call.state.next_id(),
        "kind": kind,
        "user_id": user_id,
        "from_user_id": call.user_id,
        "message": message,
        "message_out": str(call.param("MESSAGE_OUT", "") or ""),
        "tag": str(call.param("TAG", "") or ""),
        "sub_tag": str(call.param("SUB_TAG", "") or ""),
        "attach": call.param("ATTACH"),
        "created": now_iso(),
    }
    with call.state.lock:
        if entry["tag"]:  # a notification with the same TAG replaces the previous one
            call.state.notifications[:] = [
                n
                for n in call.state.notifications
                if not (n["tag"] == entry["tag"] and n["user_id"] == user_id)
            ]
        call.state.notifications.append(entry)
    return entry["id"]


@method("im.notify.system.add")
def notify_system(call):
    return _notify(call, "system")


@method("im.notify.personal.add")
def notify_personal(call):
    return _notify(call, "personal")


# --- catalog (new-style REST: camelCase, results wrapped in an object) ----------------------


def _public_product(row: dict) -> dict:
    return {k: v for k, v in row.items() if not k.startswith("_")}


@method("catalog.catalog.list")
def catalog_catalog_list(call):
    rows = [
        {
            "id": CATALOG_IBLOCK_ID,
            "iblockId": CATALOG_IBLOCK_ID,
            "iblockTypeId": "CRM_PRODUCT_CATALOG",
            "lid": "s1",
            "name": "Товарный каталог CRM",
            "productIblockId": None,
            "skuPropertyId": None,
            "subscription": "N",
            "vatId": 4,
            "yandexExport": "N",
        }
    ]
    return Listed(rows, 1, wrap="catalogs")


@method("catalog.productProperty.list")
def catalog_property_list(call):
    rows = [
        {
            "id": ARTICLE_PROPERTY_ID,
            "iblockId": CATALOG_IBLOCK_ID,
            "name": "Артикул",
            "code": ARTICLE_PROPERTY_CODE,
            "propertyType": "S",
            "multiple": "N",
            "active": "Y",
            "sort": 100,
            "xmlId": ARTICLE_PROPERTY_CODE,
        }
    ]
    rows = [r for r in rows if matches(r, as_dict(call.param("filter", {})))]
    return Listed(rows, len(rows), wrap="productProperties")


def _require_iblock(call, fields_or_filter: dict):
    if str(fields_or_filter.get("iblockId", "")) != str(CATALOG_IBLOCK_ID):
        raise RestError(200040300010, "Required field 'iblockId' is missing or wrong")


@method("catalog.product.list")
def catalog_product_list(call):
    filter_ = as_dict(call.param("filter", {}))
    _require_iblock(call, filter_)
    fields = [str(f) for f in as_list(call.param("select"))]
    if fields and not {"id", "iblockId"} <= set(fields):
        raise RestError(200040300010, "Required select fields 'id' and 'iblockId' are missing")
    rows = [r for r in call.state.catalog.values() if matches(r, filter_)]
    rows = order_by(rows, as_dict(call.param("order", {})) or {"id": "ASC"})
    return paginate(call, rows, shape=lambda r: select(_public_product(r), fields), wrap="products")


@method("catalog.product.get")
def catalog_product_get(call):
    row = call.state.catalog.get(int(call.param("id", 0) or 0))
    if row is None:
        raise not_found("Product is not exists")
    return {"product": _public_product(row)}


def _apply_product_fields(row: dict, fields: dict):
    for key, value in fields.items():
        if key in ("id", "iblockId"):
            continue
        if key.startswith("property") and not isinstance(value, dict):
            value = {"value": value, "valueId": str(row["id"] + 9000)}
        row[key] = value
    row["timestampX"] = now_iso()


@method("catalog.product.add")
def catalog_product_add(call):
    fields = call.fields()
    _require_iblock(call, fields)
    if not fields.get("name"):
        raise RestError(200040300020, "Required field 'name' is missing")
    with call.state.lock:
        new_id = max(call.state.catalog, default=0) + 1
        row = {
            "id": new_id,
            "iblockId": CATALOG_IBLOCK_ID,
            "active": "Y",
            "type": 1,
            "measure": 796,
            "vatId": 4,
            "vatIncluded": "Y",
            "dateCreate": now_iso(),
            "createdBy": int(call.user_id),
            "_price": str(fields.pop("_price", "0")),
            "_tax_rate": 22,
            "_measure": (796, "шт"),
        }
        _apply_product_fields(row, fields)
        call.state.catalog[new_id] = row
    return {"element": _public_product(row)}


@method("catalog.product.update")
def catalog_product_update(call):
    with call.state.lock:
        row = call.state.catalog.get(int(call.param("id", 0) or 0))
        if row is None:
            raise not_found("Product is not exists")
        _apply_product_fields(row, call.fields())
    return {"element": _public_product(row)}
