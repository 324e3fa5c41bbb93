"""The 1C connection of a portal and the app's cache of 1C reference data.

The wizard reads only this cache, never 1C synchronously; Celery beat and the admin's
"refresh now" keep it current (onec.sync).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from b24app.crypto import EncryptedTextField
from b24app.models import Portal, TenantModel


class Profile(models.TextChoices):
    BP30 = "bp30", _("Бухгалтерия предприятия 3.0")
    UT11 = "ut11", _("Управление торговлей 11 / Комплексная автоматизация 2.4")


class OneCConnection(models.Model):
    portal = models.OneToOneField(Portal, on_delete=models.CASCADE, related_name="onec")
    # Publication base, e.g. https://1c.example.ru/base/ ; OData is under odata/standard.odata/
    base_url = models.URLField(max_length=500)
    username = models.CharField(max_length=255)
    password = EncryptedTextField(blank=True)
    profile = models.CharField(max_length=8, choices=Profile.choices, default=Profile.BP30)
    # The HTTP service root of our print extension: {base_url}hs/{print_root}/v1/...
    print_root = models.CharField(max_length=64, default="docs1c", blank=True)
    # One price type per portal (Catalog_ВидыЦен / Catalog_ВидыЦенНоменклатуры description).
    price_type = models.CharField(max_length=150, blank=True)
    last_check_at = models.DateTimeField(null=True, blank=True)
    last_check_ok = models.BooleanField(default=False)
    last_check_report = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.base_url} ({self.get_profile_display()})"


class LegalEntity(TenantModel):
    """Our legal entity: a 1C organization, plus what the admin adds for documents."""

    class InvoiceSource(models.TextChoices):
        PRINT_SERVICE = "1c", _("Печатная форма 1С")
        APP = "app", _("Счёт приложения")

    ref_key = models.UUIDField()
    name = models.CharField(max_length=250)  # НаименованиеСокращенное / Description
    full_name = models.CharField(max_length=250, blank=True)
    inn = models.CharField(max_length=12, blank=True)
    kpp = models.CharField(max_length=9, blank=True)
    ogrn = models.CharField(max_length=15, blank=True)
    address = models.CharField(max_length=500, blank=True)
    is_sole_trader = models.BooleanField(default=False)
    vat_payer = models.BooleanField(default=True)
    deleted_in_1c = models.BooleanField(default=False)
    # Admin-maintained for documents («в лице Генерального директора Смирнова А. В.»).
    signatory_name = models.CharField(max_length=255, blank=True)
    signatory_name_genitive = models.CharField(max_length=255, blank=True)
    signatory_title = models.CharField(max_length=255, blank=True)
    signatory_title_genitive = models.CharField(max_length=255, blank=True)
    authority_basis = models.CharField(max_length=255, blank=True, default="Устава")
    accountant_name = models.CharField(max_length=255, blank=True)
    default_bank_account = models.ForeignKey(
        "OrgBankAccount", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    stamp_image = models.FileField(upload_to="stamps/", blank=True)
    signature_image = models.FileField(upload_to="signatures/", blank=True)
    accountant_signature_image = models.FileField(upload_to="signatures/", blank=True)
    invoice_source = models.CharField(
        max_length=8, choices=InvoiceSource.choices, default=InvoiceSource.PRINT_SERVICE
    )
    synced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["portal", "ref_key"], name="uniq_legal_entity_ref"),
        ]
        ordering = ["name"]

    def __str__(self):
        return self.name


class OrgBankAccount(TenantModel):
    legal_entity = models.ForeignKey(
        LegalEntity, on_delete=models.CASCADE, related_name="bank_accounts"
    )
    ref_key = models.UUIDField()
    account = models.CharField(max_length=20)
    bik = models.CharField(max_length=9)
    bank_name = models.CharField(max_length=250, blank=True)
    corr_account = models.CharField(max_length=20, blank=True)
    bank_city = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["portal", "ref_key"], name="uniq_org_bank_account_ref"),
        ]

    def __str__(self):
        return f"{self.account} ({self.bank_name})"


class Nomenclature(TenantModel):
    """A 1C goods/services item with its price (the portal's price type) and VAT rate."""

    ref_key = models.UUIDField()
    article = models.CharField(max_length=25, blank=True, db_index=True)
    name = models.CharField(max_length=1000)
    unit = models.CharField(max_length=50, blank=True)
    unit_ref_key = models.UUIDField(null=True, blank=True)
    price = models.DecimalField(max_digits=15, decimal_places=2, null=True, blank=True)
    # documents.money.VatRate value: НДС22, НДС10, НДС0, НДС5, НДС7, БезНДС
    vat_rate = models.CharField(max_length=10, default="НДС22")
    is_service = models.BooleanField(default=False)
    group_name = models.CharField(max_length=250, blank=True)
    group_ref_key = models.UUIDField(null=True, blank=True)
    deleted_in_1c = models.BooleanField(default=False)
    synced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["portal", "ref_key"], name="uniq_nomenclature_ref"),
        ]
        indexes = [models.Index(fields=["portal", "article"])]
        ordering = ["name"]

    def __str__(self):
        return f"{self.article} {self.name}".strip()


class Employee(TenantModel):
    """A 1C user (Catalog_Пользователи) with a work e-mail, matched to Bitrix24 users."""

    ref_key = models.UUIDField()
    name = models.CharField(max_length=255)
    email = models.EmailField(blank=True, db_index=True)
    b24_user_id = models.PositiveIntegerField(null=True, blank=True)
    synced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["portal", "ref_key"], name="uniq_employee_ref"),
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>"


class SyncStatus(TenantModel):
    """Per portal and kind of sync: what admins see on the settings page."""

    class Kind(models.TextChoices):
        REFERENCE = "reference", _("Справочники 1С")
        PAYMENTS = "payments", _("Оплаты и отгрузки")
        CATALOG_PUSH = "catalog_push", _("Выгрузка каталога в Битрикс24")
        EMPLOYEES = "employees", _("Сотрудники 1С ↔ Битрикс24")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    # Opaque resume point for incremental polls (e.g. last seen document date/ref).
    cursor = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["portal", "kind"], name="uniq_sync_status_kind"),
        ]
