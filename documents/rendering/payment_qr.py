"""The payment QR code of ГОСТ Р 56042-2014 (format ST00012: UTF-8, «|» separators)."""

import io
from decimal import Decimal

import segno

from documents.money import to_kopecks

MANDATORY_LIMIT = 300  # bytes, the standard's limit for the mandatory block


def _clean(value: str) -> str:
    # «|» separates fields and cannot be escaped in ST00012; line breaks confuse bank apps.
    return " ".join(str(value).replace("|", " ").split())


def build_payment_payload(
    *,
    name: str,
    personal_acc: str,
    bank_name: str,
    bic: str,
    corresp_acc: str,
    amount: Decimal,
    purpose: str = "",
    payee_inn: str = "",
    kpp: str = "",
) -> str:
    """`ST00012|Name=…|PersonalAcc=…|BankName=…|BIC=…|CorrespAcc=…|Sum=<kopecks>|Purpose=…|…`.

    The mandatory part keeps ≤ 300 bytes by shortening the payee name (the only free-text field
    in it), on a character boundary so the UTF-8 stays valid.
    """
    tail = f"|PersonalAcc={_clean(personal_acc)}|BankName={_clean(bank_name)}"
    tail += f"|BIC={_clean(bic)}|CorrespAcc={_clean(corresp_acc)}"
    head = "ST00012|Name="
    room = MANDATORY_LIMIT - len((head + tail).encode("utf-8"))
    payee = _clean(name)
    while len(payee.encode("utf-8")) > max(room, 0):
        payee = payee[:-1]
    payload = head + payee + tail
    payload += f"|Sum={to_kopecks(Decimal(amount))}"
    if purpose:
        payload += f"|Purpose={_clean(purpose)[:210]}"
    if payee_inn:
        payload += f"|PayeeINN={_clean(payee_inn)}"
    if kpp:
        payload += f"|KPP={_clean(kpp)}"
    return payload


def qr_png(payload: str, *, scale: int = 4) -> bytes:
    buf = io.BytesIO()
    segno.make(payload, error="m", encoding="utf-8", micro=False).save(
        buf, kind="png", scale=scale, border=2
    )
    return buf.getvalue()
