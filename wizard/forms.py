"""One plain Django form per step: field-level messages, nothing saved until all is valid."""

from dataclasses import replace
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from documents.models import PaymentScheme

from .requisites import has_errors, normalize_number

MAX_QUANTITY = Decimal("1000000")
MAX_PRICE = Decimal("100000000")


class ClientForm(forms.Form):
    requisite_id = forms.ChoiceField(label=_("Реквизит клиента"))
    inn = forms.CharField(label=_("ИНН клиента"), max_length=20, required=False)
    region = forms.TypedChoiceField(label=_("Регион"), coerce=int, required=False, empty_value=None)
    legal_entity = forms.TypedChoiceField(label=_("Наше юрлицо"), coerce=int)

    def __init__(self, state, *args, **kwargs):
        self.state = state
        super().__init__(*args, **kwargs)
        self.fields["requisite_id"].choices = [
            (p.requisite_id, p.display_name or p.requisite_id) for p in state.requisites
        ]
        self.fields["region"].choices = [("", _("— не выбран —"))] + [
            (r.pk, r.name) for r in state.region_choices
        ]
        # Every live legal entity of the portal is a valid value here; whether the region
        # allows it is checked in clean() (the region arrives in the same post).
        self.fields["legal_entity"].choices = [
            (le.pk, le.name) for le in state.offered_legal_entities
        ]

    def clean_inn(self):
        return normalize_number(self.cleaned_data.get("inn"))

    def clean(self):
        data = super().clean()
        state = self.state
        if not state.requisites:
            raise forms.ValidationError(
                _("В сделке нет клиента с реквизитами: укажите компанию или контакт в Битрикс24")
            )
        region_id, le_id = data.get("region"), data.get("legal_entity")
        region = next((r for r in state.region_choices if r.pk == region_id), None)
        if le_id is not None and le_id not in {
            le.pk for le in state.legal_entity_choices(region=region)
        }:
            self.add_error("legal_entity", _("Это юрлицо недоступно в выбранном регионе"))
        party = next(
            (p for p in state.requisites if p.requisite_id == data.get("requisite_id")), None
        )
        if party is not None:
            party = replace(party, inn=data.get("inn") or "")
            self.problems = state.party_problems(party)
            if has_errors(self.problems):
                self.add_error(None, _("Исправьте реквизиты клиента в Битрикс24"))
        return data


class ContractForm(forms.Form):
    choice = forms.ChoiceField(label=_("Договор"), widget=forms.RadioSelect)

    def __init__(self, state, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = [(f"t:{t.pk}", t.name) for t in state.templates] + [
            (f"c:{c.pk}", str(c)) for c in state.contracts
        ]
        self.fields["choice"].error_messages["invalid_choice"] = _(
            "Этот договор или шаблон недоступен для сделки"
        )


class TermsForm(forms.Form):
    contract_date = forms.DateField(label=_("Дата договора"), required=False)
    invoice_date = forms.DateField(label=_("Дата счёта"))
    due_date = forms.DateField(label=_("Оплатить до"))
    payment_scheme = forms.ChoiceField(label=_("Схема оплаты"), choices=PaymentScheme.choices)
    valid_until = forms.DateField(label=_("Договор действует до"), required=False)

    def __init__(self, state, *args, **kwargs):
        self.state = state
        super().__init__(*args, **kwargs)
        self.fields["payment_scheme"].choices = [
            (value, label)
            for value, label in PaymentScheme.choices
            if value in state.payment_schemes
        ]

    def clean(self):
        from .validation import terms_errors

        data = super().clean()
        if self.errors:
            return data
        for field, message in terms_errors(self.state, data).items():
            self.add_error(field, message)
        return data


class RowForm(forms.Form):
    ref = forms.CharField(max_length=40, required=False, widget=forms.HiddenInput)
    quantity = forms.DecimalField(
        label=_("Количество"),
        max_digits=12,
        decimal_places=3,
        min_value=Decimal("0.001"),
        max_value=MAX_QUANTITY,
        localize=True,
    )
    price = forms.DecimalField(
        label=_("Цена"),
        max_digits=15,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=MAX_PRICE,
        localize=True,
        required=False,
    )


class OutputsForm(forms.Form):
    formats = forms.MultipleChoiceField(
        label=_("Форматы"),
        choices=[("pdf", "PDF"), ("docx", "DOCX")],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Выберите хотя бы один формат")},
    )
    stamps = forms.MultipleChoiceField(
        label=_("Печать и подписи"),
        choices=[("with", _("С печатью и подписью")), ("without", _("Без печати"))],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Выберите хотя бы один вариант")},
    )
