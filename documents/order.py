"""What the manager asked for: the contract between the wizard and the generation pipeline.

The wizard builds a `DocumentOrder` from a finished draft; `documents.jobs.job_submit` stores
it as the job's input snapshot (JSON); every pipeline step reads it back from there, so a retry
days later works from exactly what the manager confirmed.
"""

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal

from b24app.deal_context import Party

from .money import Line, VatRate, totals


@dataclass
class OrderRow:
    nomenclature_ref: str  # 1C Ref_Key of the item
    article: str
    name: str
    unit: str
    quantity: Decimal
    price: Decimal  # including VAT when the order's price_includes_vat
    vat_rate: str  # VatRate value
    b24_row_id: str = ""

    @property
    def line(self) -> Line:
        return Line(self.quantity, self.price, VatRate(self.vat_rate))


@dataclass
class Outputs:
    formats: list[str] = field(default_factory=lambda: ["pdf", "docx"])
    # Which variants to make: True = with stamp and signatures, False = without.
    stamp_variants: list[bool] = field(default_factory=lambda: [True])


@dataclass
class DocumentOrder:
    deal_id: str
    client: Party
    legal_entity_id: int
    rows: list[OrderRow]
    invoice_date: date
    due_date: date
    bank_account_id: int | None = None
    region_id: int | None = None
    # Either a new contract from a template version, or an existing (yearly) contract.
    template_id: int | None = None
    template_version_id: int | None = None
    existing_contract_id: int | None = None
    contract_date: date | None = None
    valid_until: date | None = None
    payment_scheme: str = "100"
    price_includes_vat: bool = True
    outputs: Outputs = field(default_factory=Outputs)
    save_inn_to_b24: bool = False
    responsible_email: str = ""

    @property
    def issues_contract(self) -> bool:
        return self.existing_contract_id is None

    def totals(self):
        return totals([row.line for row in self.rows], price_includes_vat=self.price_includes_vat)

    # --- JSON round trip (Decimal and date as strings) ---------------------------------

    def to_json(self) -> dict:
        return json.loads(json.dumps(asdict(self), default=_encode))

    @classmethod
    def from_json(cls, data: dict) -> "DocumentOrder":
        data = dict(data)
        data["client"] = Party.from_dict(data["client"])
        data["rows"] = [
            OrderRow(
                **{
                    **row,
                    "quantity": Decimal(row["quantity"]),
                    "price": Decimal(row["price"]),
                }
            )
            for row in data["rows"]
        ]
        data["outputs"] = Outputs(**data.get("outputs", {}))
        for name in ("invoice_date", "due_date", "contract_date", "valid_until"):
            if data.get(name):
                data[name] = date.fromisoformat(data[name])
        return cls(**data)

    def fingerprint(self) -> str:
        """A stable hash of the inputs (the audit keeps it; «устарел» compares against it)."""
        canonical = json.dumps(self.to_json(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()


def _encode(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")
