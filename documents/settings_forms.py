"""Forms of the settings page: they parse and bound input; the services decide and save.

Choices that point at rows (regions, legal entities, bank accounts) are built from the current
portal only, so an id from another portal fails validation before any service sees it.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from onec.models import LegalEntity, Nomenclature, OrgBankAccount, Profile

from .models import ClientKinds, ContractTemplate, PaymentScheme, Region
from .rendering.contract import MAX_TEMPLATE_BYTES
from .settings_services import (
    ENTITY_IMAGE_FIELDS,
    ENTITY_TEXT_FIELDS,
    MAX_IMAGE_BYTES,
    SettingsError,
    image_validate,
)

MAX_IMPORT_BYTES = 2 * 1024 * 1024


def _read_limited(upload, limit: int, message) -> bytes:
    if upload.size > limit:
        raise forms.ValidationError(message)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise forms.ValidationError(message)
    return data


class ConnectionForm(forms.Form):
    base_url = forms.URLField(label=_("Адрес публикации 1С"), max_length=500, assume_scheme="https")
    username = forms.CharField(label=_("Пользователь 1С"), max_length=255)
    password = forms.CharField(
        label=_("Пароль"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Оставьте пустым, чтобы не менять сохранённый пароль."),
    )
    profile = forms.ChoiceField(label=_("Конфигурация"), choices=Profile.choices)
    print_root = forms.CharField(label=_("Корень сервиса печати"), max_length=64, required=False)
    price_type = forms.CharField(label=_("Вид цен"), max_length=150, required=False)


class DadataForm(forms.Form):
    dadata_token = forms.CharField(
        label=_("Токен DaData"),
        max_length=100,
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Оставьте пустым и отметьте «Удалить», чтобы убрать токен."),
    )
    clear = forms.BooleanField(label=_("Удалить токен"), required=False)


def _id_choices(directory: list[dict], current) -> list[tuple[str, str]]:
    """Known Bitrix24 entries plus ids already saved (Bitrix24 may be unreachable right now)."""
    choices = {str(item["id"]): item["name"] for item in directory}
    for value in current or []:
        choices.setdefault(str(value), f"ID {value}")
    return sorted(choices.items(), key=lambda kv: kv[1])


class RegionForm(forms.Form):
    name = forms.CharField(label=_("Название"), max_length=150)
    department_ids = forms.MultipleChoiceField(label=_("Подразделения Битрикс24"), required=False)
    legal_entities = forms.ModelMultipleChoiceField(
        label=_("Юрлица"), queryset=LegalEntity.objects.none(), required=False
    )
    notify_user_ids = forms.MultipleChoiceField(
        label=_("Кому сообщать о нераспознанных оплатах"), required=False
    )

    def __init__(self, *args, portal, departments=(), users=(), region=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["legal_entities"].queryset = LegalEntity.objects.for_portal(portal).filter(
            deleted_in_1c=False
        )
        self.fields["department_ids"].choices = _id_choices(
            departments, region.department_ids if region else []
        )
        self.fields["notify_user_ids"].choices = _id_choices(
            users, region.notify_user_ids if region else []
        )
        if region is not None and not self.is_bound:
            self.initial = {
                "name": region.name,
                "department_ids": [str(d) for d in region.department_ids],
                "legal_entities": list(region.legal_entities.all()),
                "notify_user_ids": [str(u) for u in region.notify_user_ids],
            }


class PngField(forms.FileField):
    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload or upload is initial:
            return None
        raw = _read_limited(upload, MAX_IMAGE_BYTES, _("Изображение больше 1 МБ."))
        try:
            return image_validate(raw)
        except SettingsError as exc:
            raise forms.ValidationError(exc.message) from exc


class LegalEntityForm(forms.Form):
    signatory_name = forms.CharField(label=_("Подписант (именительный)"), required=False)
    signatory_name_genitive = forms.CharField(label=_("Подписант (родительный)"), required=False)
    signatory_title = forms.CharField(label=_("Должность (именительный)"), required=False)
    signatory_title_genitive = forms.CharField(label=_("Должность (родительный)"), required=False)
    authority_basis = forms.CharField(
        label=_("Действует на основании"),
        required=False,
        help_text=_("В родительном падеже: «Устава», «доверенности № 5 от 10.01.2026»."),
    )
    accountant_name = forms.CharField(label=_("Главный бухгалтер"), required=False)
    default_bank_account = forms.ModelChoiceField(
        label=_("Расчётный счёт по умолчанию"),
        queryset=OrgBankAccount.objects.none(),
        required=False,
    )
    invoice_source = forms.ChoiceField(
        label=_("Счёт печатает"), choices=LegalEntity.InvoiceSource.choices
    )
    stamp_image = PngField(label=_("Печать (PNG с прозрачностью)"), required=False)
    signature_image = PngField(label=_("Подпись руководителя (PNG)"), required=False)
    accountant_signature_image = PngField(label=_("Подпись бухгалтера (PNG)"), required=False)
    remove_stamp_image = forms.BooleanField(label=_("Удалить печать"), required=False)
    remove_signature_image = forms.BooleanField(label=_("Удалить подпись"), required=False)
    remove_accountant_signature_image = forms.BooleanField(
        label=_("Удалить подпись бухгалтера"), required=False
    )

    def __init__(self, *args, entity: LegalEntity, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["default_bank_account"].queryset = OrgBankAccount.objects.for_portal(
            entity.portal_id
        ).filter(legal_entity=entity)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                field.max_length = 255
        if not self.is_bound:
            self.initial = {
                name: getattr(entity, name) for name in (*ENTITY_TEXT_FIELDS, "invoice_source")
            } | {"default_bank_account": entity.default_bank_account_id}

    def values_and_images(self) -> tuple[dict, dict]:
        data = self.cleaned_data
        values = {k: data[k] for k in data if not k.endswith("_image")}
        account = values.pop("default_bank_account", None)
        values["default_bank_account_id"] = account.pk if account else None
        images = {}
        for name in ENTITY_IMAGE_FIELDS:
            if data.get(name):
                images[name] = data[name]
            elif data.get(f"remove_{name}"):
                images[name] = None
        for name in list(values):
            if name.startswith("remove_"):
                values.pop(name)
        return values, images


class TemplateForm(forms.Form):
    name = forms.CharField(label=_("Название"), max_length=200)
    kind = forms.ChoiceField(label=_("Вид договора"), choices=ContractTemplate.Kind.choices)
    is_active = forms.BooleanField(label=_("Активен"), required=False, initial=True)
    regions = forms.ModelMultipleChoiceField(
        label=_("Регионы"), queryset=Region.objects.none(), required=False
    )
    legal_entities = forms.ModelMultipleChoiceField(
        label=_("Юрлица"), queryset=LegalEntity.objects.none(), required=False
    )
    client_kinds = forms.MultipleChoiceField(
        label=_("Клиенты"), choices=ClientKinds.choices, widget=forms.CheckboxSelectMultiple
    )
    payment_schemes = forms.MultipleChoiceField(
        label=_("Схемы оплаты"), choices=PaymentScheme.choices, widget=forms.CheckboxSelectMultiple
    )
    number_source = forms.ChoiceField(
        label=_("Номер договора"), choices=ContractTemplate.NumberSource.choices
    )
    number_prefix = forms.CharField(
        label=_("Префикс номера"),
        max_length=20,
        required=False,
        help_text=_("Можно вставить {year}: «Д-{year}-» даст «Д-2026-015»."),
    )
    number_padding = forms.IntegerField(label=_("Цифр в номере"), min_value=0, max_value=10)
    number_yearly_reset = forms.BooleanField(label=_("Нумерация с 1 каждый год"), required=False)
    goods_group_refs = forms.MultipleChoiceField(
        label=_("Разрешённые группы товаров (пусто — все)"), required=False
    )
    services_only = forms.BooleanField(label=_("Только услуги"), required=False)
    price_editable = forms.BooleanField(label=_("Менеджер может менять цену"), required=False)

    def __init__(self, *args, portal, template: ContractTemplate | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regions"].queryset = Region.objects.for_portal(portal)
        self.fields["legal_entities"].queryset = LegalEntity.objects.for_portal(portal).filter(
            deleted_in_1c=False
        )
        groups = (
            Nomenclature.objects.for_portal(portal)
            .exclude(group_ref_key=None)
            .values_list("group_ref_key", "group_name")
            .distinct()
        )
        self.fields["goods_group_refs"].choices = sorted(
            {(str(ref), name or str(ref)) for ref, name in groups}, key=lambda kv: kv[1]
        )
        if not self.is_bound:
            if template is None:
                self.initial = {
                    "is_active": True,
                    "number_padding": 3,
                    "number_yearly_reset": True,
                    "client_kinds": ClientKinds.values,
                    "payment_schemes": [PaymentScheme.FULL],
                }
            else:
                self.initial = {
                    name: getattr(template, name) for name in self.fields if hasattr(template, name)
                }
                self.initial["regions"] = list(template.regions.all())
                self.initial["legal_entities"] = list(template.legal_entities.all())

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("regions", None)
        data.pop("legal_entities", None)
        return data


class TemplateUploadForm(forms.Form):
    file = forms.FileField(label=_("Файл шаблона (DOCX)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        message = _("Файл шаблона больше %(mb)s МБ.") % {"mb": MAX_TEMPLATE_BYTES // (1024 * 1024)}
        return upload.name, _read_limited(upload, MAX_TEMPLATE_BYTES, message)


class PreviewForm(forms.Form):
    deal_id = forms.RegexField(
        label=_("ID сделки"), regex=r"^\d{1,12}$", required=False, max_length=12
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Файл настроек (JSON)"))

    def clean_file(self):
        return _read_limited(
            self.cleaned_data["file"], MAX_IMPORT_BYTES, _("Файл настроек больше 2 МБ.")
        )


class DealForm(forms.Form):
    deal_id = forms.RegexField(label=_("ID сделки"), regex=r"^\d{1,12}$", max_length=12)


class LibrarySearchForm(forms.Form):
    q = forms.CharField(label=_("Клиент или ИНН"), max_length=100, required=False)
    legal_entity = forms.ModelChoiceField(
        label=_("Юрлицо"), queryset=LegalEntity.objects.none(), required=False
    )
    year = forms.TypedChoiceField(label=_("Год"), coerce=int, required=False, empty_value=None)
    status = forms.ChoiceField(label=_("Статус"), required=False)

    def __init__(self, *args, portal, years=(), **kwargs):
        from .library import ContractStatus

        super().__init__(*args, **kwargs)
        self.fields["legal_entity"].queryset = LegalEntity.objects.for_portal(portal)
        self.fields["year"].choices = [("", _("Все годы"))] + [(y, str(y)) for y in years]
        self.fields["status"].choices = [("", _("Все")), *ContractStatus.CHOICES]
