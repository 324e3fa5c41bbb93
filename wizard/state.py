"""What a draft means: the choices it holds, resolved against the portal's data, with defaults.

Views and forms read the wizard through `WizardState`; nothing here writes. Ids kept in the
draft are re-resolved on every read through portal-scoped querysets of what is offered, so a
template the admin switched off since, or a 1C item deleted since the last sync, shows up as a
problem instead of slipping through.
"""

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from functools import cached_property

from django.utils import timezone
from django.utils.translation import gettext as _

from b24app.deal_context import ClientKind, Party
from documents.models import Contract, ContractTemplate, Region
from documents.money import Line, VatRate, totals
from onec.models import LegalEntity, Nomenclature

from . import selectors
from .dadata import CompanyInfo, compare_with_dadata, party_with_dadata_fill
from .requisites import Problem, has_errors, validate_party
from .snapshot import context_from_json

STEPS = ("client", "contract", "terms", "goods", "review")
MAX_DAYS_BACK = 366  # documents dated further back or ahead are typos, not business
MAX_DAYS_AHEAD = 366
DEFAULT_DUE_DAYS = 5


def step_titles() -> dict[str, str]:
    return {
        "client": _("Клиент и наша сторона"),
        "contract": _("Договор"),
        "terms": _("Даты и условия"),
        "goods": _("Товары"),
        "review": _("Проверка"),
    }


def today() -> date:
    return timezone.localdate()


def parse_date(value) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def parse_decimal(value) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except InvalidOperation:
        return None


@dataclass
class GoodsRow:
    ref: str
    article: str
    name: str
    quantity: Decimal
    price: Decimal
    b24_row_id: str = ""
    item: Nomenclature | None = None
    vat_rate: VatRate = VatRate.NONE
    problem: str = ""

    @property
    def line(self) -> Line:
        return Line(self.quantity, self.price, self.vat_rate)

    @property
    def amount(self) -> Decimal:
        return self.line.amount

    @property
    def vat(self) -> Decimal:
        return self.line.vat(price_includes_vat=True)

    @property
    def unit(self) -> str:
        return self.item.unit if self.item else ""


@dataclass
class Check:
    step: str
    label: str
    ok: bool
    message: str = ""


class WizardState:
    def __init__(self, draft):
        self.draft = draft
        self.portal = draft.portal
        self.data = draft.data or {}
        self.context = context_from_json(self.data.get("context"))

    def section(self, name: str) -> dict:
        return dict(self.data.get(name) or {})

    # --- step 1: client and our side ---------------------------------------------------------

    @cached_property
    def requisites(self) -> list[Party]:
        parties = list(self.context.client_requisites)
        if self.context.client and not any(
            p.requisite_id == self.context.client.requisite_id for p in parties
        ):
            parties.insert(0, self.context.client)
        return parties

    @cached_property
    def base_party(self) -> Party | None:
        wanted = self.section("client").get("requisite_id")
        if wanted:
            for party in self.requisites:
                if party.requisite_id == wanted:
                    return party
        return self.context.client or (self.requisites[0] if self.requisites else None)

    @cached_property
    def dadata_info(self) -> CompanyInfo | None:
        stored = self.section("client").get("dadata") or {}
        info = stored.get("info")
        if not info or self.base_party is None:
            return None
        return CompanyInfo(**info) if info.get("inn") == self.entered_inn else None

    @property
    def dadata_note(self) -> str:
        return (self.section("client").get("dadata") or {}).get("note", "")

    @property
    def entered_inn(self) -> str:
        entered = self.section("client").get("inn")
        if entered is None:
            return self.base_party.inn if self.base_party else ""
        return entered

    @cached_property
    def party(self) -> Party | None:
        """The client as documents will show it: the chosen requisite, the INN the manager
        entered, and empty fields filled from the register when DaData was asked."""
        if self.base_party is None:
            return None
        party = replace(self.base_party, inn=self.entered_inn)
        if self.dadata_info is not None:
            party = party_with_dadata_fill(party, self.dadata_info)
        return party

    @property
    def inn_changed(self) -> bool:
        base = self.base_party
        return bool(base and self.entered_inn and self.entered_inn != base.inn)

    def party_problems(self, party: Party | None = None) -> list[Problem]:
        party = party or self.party
        if party is None:
            return []
        problems = validate_party(party, for_contract=self.issues_contract)
        if self.dadata_info is not None:
            problems += compare_with_dadata(party, self.dadata_info)
        return problems

    @property
    def client_card_url(self) -> str:
        party = self.base_party
        if party is None:
            return ""
        kind = "company" if party.entity_type_id == 4 else "contact"
        entity_id = party.entity_id or (
            self.context.company_id if kind == "company" else self.context.contact_id
        )
        if not entity_id:
            return ""
        return f"{self.portal.origin}/crm/{kind}/details/{entity_id}/"

    @property
    def client_kind(self) -> str:
        return str(ClientKind(self.party.kind)) if self.party else ClientKind.COMPANY.value

    @cached_property
    def region_choices(self) -> list[Region]:
        return list(selectors.regions(self.portal))

    @cached_property
    def default_region(self) -> Region | None:
        departments = self.draft.user.department_ids or self.context.current_user_departments
        return selectors.region_for_departments(self.portal, departments, among=self.region_choices)

    @cached_property
    def region(self) -> Region | None:
        wanted = self.section("client").get("region_id")
        if wanted:
            return next((r for r in self.region_choices if r.pk == wanted), None)
        return self.default_region

    @cached_property
    def offered_legal_entities(self) -> list[LegalEntity]:
        """Every live legal entity of the portal, loaded once; regions narrow it in memory."""
        return list(selectors.legal_entities_offered(self.portal))

    def legal_entity_choices(self, region: Region | None = None) -> list[LegalEntity]:
        region = region or self.region
        allowed = selectors.region_legal_entity_ids(region) if region is not None else set()
        if not allowed:
            return list(self.offered_legal_entities)
        return [le for le in self.offered_legal_entities if le.pk in allowed]

    @cached_property
    def legal_entity(self) -> LegalEntity | None:
        choices = self.legal_entity_choices()
        wanted = self.section("client").get("legal_entity_id")
        if wanted:
            return next((le for le in choices if le.pk == wanted), None)
        mine = selectors.legal_entity_for_party(self.portal, self.context.my_company)
        if mine is not None and any(le.pk == mine.pk for le in choices):
            return mine
        return choices[0] if len(choices) == 1 else None

    @property
    def bank_account(self):
        le = self.legal_entity
        if le is None:
            return None
        return le.default_bank_account or next(iter(le.bank_accounts.all()), None)

    # --- step 2: contract --------------------------------------------------------------------

    @cached_property
    def templates(self) -> list[ContractTemplate]:
        return selectors.templates_for(
            self.portal,
            region=self.region,
            legal_entity=self.legal_entity,
            client_kind=self.client_kind,
        )

    @cached_property
    def contracts(self) -> list[Contract]:
        return list(
            selectors.yearly_contracts_for(
                self.portal,
                client_inn=self.party.inn if self.party else "",
                legal_entity=self.legal_entity,
                on=self.invoice_date,
            )
        )

    @cached_property
    def expiring_contract(self) -> Contract | None:
        """Year-end: this client's current yearly contract ends within 30 days — the contract
        step says so and suggests a new one."""
        from documents.library import contract_suggestion

        if not self.party or not self.party.inn:
            return None
        suggestion = contract_suggestion(
            self.portal,
            client_inn=self.party.inn,
            legal_entity=self.legal_entity,
            on=self.invoice_date,
        )
        return suggestion.contract if suggestion.suggest_new else None

    @property
    def choice(self) -> str:
        return self.section("contract").get("choice", "")

    @cached_property
    def template(self) -> ContractTemplate | None:
        if self.choice.startswith("t:"):
            return next((t for t in self.templates if f"t:{t.pk}" == self.choice), None)
        return None

    @cached_property
    def existing_contract(self) -> Contract | None:
        if self.choice.startswith("c:"):
            return next((c for c in self.contracts if f"c:{c.pk}" == self.choice), None)
        return None

    @property
    def issues_contract(self) -> bool:
        return not self.choice.startswith("c:")

    @property
    def is_yearly(self) -> bool:
        return bool(self.template and self.template.kind == ContractTemplate.Kind.YEARLY)

    def templates_hint(self) -> str:
        return _(
            "Шаблоны для региона «%(region)s», юрлица «%(entity)s» и вида клиента «%(kind)s»"
        ) % {
            "region": self.region.name if self.region else _("любой"),
            "entity": self.legal_entity.name if self.legal_entity else "—",
            "kind": {
                "company": _("организация"),
                "ip": _("ИП"),
                "person": _("физлицо"),
            }[self.client_kind],
        }

    # --- step 3: dates and terms -------------------------------------------------------------

    @property
    def invoice_date(self) -> date:
        # Read apart from `terms`: the offered contracts depend on it, and the terms' payment
        # schemes depend on the chosen contract.
        return parse_date(self.section("terms").get("invoice_date")) or today()

    @cached_property
    def terms(self) -> dict:
        stored = self.section("terms")
        invoice = self.invoice_date
        return {
            "contract_date": parse_date(stored.get("contract_date")) or invoice,
            "invoice_date": invoice,
            "due_date": parse_date(stored.get("due_date"))
            or invoice + timedelta(days=DEFAULT_DUE_DAYS),
            "payment_scheme": stored.get("payment_scheme") or self.payment_schemes[0],
            "valid_until": parse_date(stored.get("valid_until")) or date(invoice.year, 12, 31),
        }

    @property
    def payment_schemes(self) -> list[str]:
        if self.template is not None and self.template.payment_schemes:
            return list(self.template.payment_schemes)
        if self.existing_contract is not None and self.existing_contract.payment_scheme:
            return [self.existing_contract.payment_scheme]
        return ["100"]

    # --- step 4: goods -----------------------------------------------------------------------

    @property
    def price_editable(self) -> bool:
        return bool(self.template and self.template.price_editable)

    def stored_rows(self) -> list[dict]:
        goods = self.section("goods")
        if "rows" in goods:
            return list(goods["rows"])
        return self.rows_from_deal()

    def rows_from_deal(self) -> list[dict]:
        """The deal's product rows matched to 1C by article (first visit of the goods step)."""
        products = self.context.products
        items = selectors.nomenclature_by_articles_any(self.portal, [p.article for p in products])
        rows = []
        for product in products:
            item = items.get((product.article or "").strip())
            price = item.price if item is not None and item.price is not None else product.price
            rows.append(
                {
                    "ref": str(item.ref_key) if item else "",
                    "article": product.article,
                    "name": product.name,
                    "quantity": str(product.quantity),
                    "price": str(price),
                    "b24_row_id": product.id,
                }
            )
        return rows

    def vat_for(self, item: Nomenclature | None) -> VatRate:
        if item is None or (self.legal_entity is not None and not self.legal_entity.vat_payer):
            return VatRate.NONE  # a simplified-tax entity invoices «Без налога (НДС)»
        try:
            return VatRate(item.vat_rate)
        except ValueError:
            return VatRate.NONE

    def resolve_rows(self, raw_rows: list[dict]) -> list[GoodsRow]:
        refs = [r.get("ref") for r in raw_rows]
        items = selectors.nomenclature_by_refs(self.portal, refs)
        allowed = selectors.allowed_refs(self.portal, self.template, refs)
        rows = []
        for raw in raw_rows:
            item = items.get(raw.get("ref") or "")
            row = GoodsRow(
                ref=raw.get("ref") or "",
                article=raw.get("article") or (item.article if item else ""),
                name=item.name if item else raw.get("name") or "",
                quantity=parse_decimal(raw.get("quantity")) or Decimal(0),
                price=parse_decimal(raw.get("price")) or Decimal(0),
                b24_row_id=raw.get("b24_row_id") or "",
                item=item,
                vat_rate=self.vat_for(item),
            )
            if item is not None and not self.price_editable and item.price is not None:
                row.price = item.price  # the price is 1C's unless the template allows editing
            row.problem = self.row_problem(row, allowed)
            rows.append(row)
        return rows

    def row_problem(self, row: GoodsRow, allowed_refs: set[str]) -> str:
        if row.item is None:
            return _(
                "Артикул «%(article)s» не найден в 1С: исправьте артикул товара в Битрикс24 "
                "или удалите строку и добавьте товар из каталога 1С"
            ) % {"article": row.article or "—"}
        if row.item.deleted_in_1c:
            return _("Товар помечен на удаление в 1С: удалите строку и выберите другой товар")
        if row.ref not in allowed_refs:
            return _("Этот товар нельзя продавать по выбранному шаблону договора")
        if row.item.price is None and not self.price_editable:
            return _("В 1С не задана цена товара — попросите бухгалтера её указать")
        if row.quantity <= 0:
            return _("Количество должно быть больше нуля")
        if row.price <= 0:
            return _("Цена должна быть больше нуля")
        return ""

    @cached_property
    def rows(self) -> list[GoodsRow]:
        return self.resolve_rows(self.stored_rows())

    def totals_for(self, rows: list[GoodsRow]):
        return totals([r.line for r in rows], price_includes_vat=True)

    # --- step 5: review ----------------------------------------------------------------------

    @property
    def outputs(self) -> dict:
        stored = self.section("outputs")
        return {
            "formats": stored.get("formats") or ["pdf", "docx"],
            "stamps": stored.get("stamps") or ["with"],
        }

    def checklist(self) -> list[Check]:
        from .validation import terms_errors

        problems = self.party_problems()
        errors = [p.message for p in problems if p.is_error]
        checks = [
            Check(
                "client",
                _("Реквизиты клиента"),
                self.party is not None and not has_errors(problems),
                "; ".join(errors) if self.party else _("В сделке нет клиента"),
            ),
            Check(
                "client",
                _("Наше юрлицо и его банковский счёт"),
                self.legal_entity is not None and self.bank_account is not None,
                _("Выберите юрлицо с банковским счётом в 1С"),
            ),
            Check(
                "contract",
                _("Договор"),
                self.template is not None or self.existing_contract is not None,
                _("Выберите шаблон договора или действующий годовой договор"),
            ),
        ]
        term_errors = terms_errors(self, self.terms)
        checks.append(
            Check("terms", _("Даты и условия"), not term_errors, "; ".join(term_errors.values()))
        )
        bad = [r for r in self.rows if r.problem]
        checks.append(
            Check(
                "goods",
                _("Товары"),
                bool(self.rows) and not bad,
                _("Добавьте хотя бы один товар")
                if not self.rows
                else _("Строк с ошибками: %(n)s") % {"n": len(bad)},
            )
        )
        return checks

    def ready(self) -> bool:
        return all(c.ok for c in self.checklist())
