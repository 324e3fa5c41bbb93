"""Documents: the admin's configuration (regions, templates, numbering), the generation jobs with
what they produced, the yearly-contract library, invoices with their payment status, the audit.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from b24app.crypto import EncryptedTextField
from b24app.models import Portal, PortalUser, TenantModel
from onec.models import LegalEntity


class PortalSettings(models.Model):
    """Per-portal switches that are not part of the 1C connection."""

    portal = models.OneToOneField(Portal, on_delete=models.CASCADE, related_name="doc_settings")
    dadata_token = EncryptedTextField(blank=True)
    # {category_id: stage_id}; empty: don't move the deal.
    stage_after_documents = models.JSONField(default=dict, blank=True)
    stage_after_payment = models.JSONField(default=dict, blank=True)
    stage_after_shipment = models.JSONField(default=dict, blank=True)
    payment_poll_minutes = models.PositiveIntegerField(default=5)
    push_catalog_to_b24 = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"settings of {self.portal_id}"


class ClientKinds(models.TextChoices):
    COMPANY = "company", _("ООО / юрлицо")
    SOLE_TRADER = "ip", _("ИП")
    PERSON = "person", _("Физлицо")


class PaymentScheme(models.TextChoices):
    FULL = "100", _("100% предоплата")
    SPLIT_70_30 = "70_30", _("70% предоплата, 30% после поставки")


class Region(TenantModel):
    name = models.CharField(max_length=150)
    department_ids = models.JSONField(default=list, blank=True)  # Bitrix24 department IDs
    legal_entities = models.ManyToManyField(LegalEntity, blank=True, related_name="regions")
    # Bitrix24 user IDs told about payments that match no invoice.
    notify_user_ids = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["portal", "name"], name="uniq_region_name"),
        ]

    def __str__(self):
        return self.name


class ContractTemplate(TenantModel):
    class Kind(models.TextChoices):
        ONE_OFF = "one_off", _("Разовый")
        YEARLY = "yearly", _("Годовой")

    class NumberSource(models.TextChoices):
        APP = "app", _("Нумерует приложение")
        ONEC = "1c", _("Номер из 1С")

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ONE_OFF)
    is_active = models.BooleanField(default=True)
    regions = models.ManyToManyField(Region, blank=True, related_name="templates")
    legal_entities = models.ManyToManyField(LegalEntity, blank=True, related_name="templates")
    client_kinds = models.JSONField(default=list)  # ClientKinds values
    payment_schemes = models.JSONField(default=list)  # PaymentScheme values
    number_source = models.CharField(
        max_length=4, choices=NumberSource.choices, default=NumberSource.APP
    )
    number_prefix = models.CharField(max_length=20, blank=True)  # may hold {year}
    number_padding = models.PositiveSmallIntegerField(default=0)
    number_yearly_reset = models.BooleanField(default=True)
    # Allowed goods: empty = all; else 1C nomenclature group ref keys.
    goods_group_refs = models.JSONField(default=list, blank=True)
    services_only = models.BooleanField(default=False)
    price_editable = models.BooleanField(default=False)
    current_version = models.ForeignKey(
        "TemplateVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class TemplateVersion(TenantModel):
    """Every upload is a new version; generated documents keep the version that made them."""

    template = models.ForeignKey(
        ContractTemplate, on_delete=models.CASCADE, related_name="versions"
    )
    version = models.PositiveIntegerField()
    file = models.FileField(upload_to="templates/")
    original_name = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64)
    placeholders = models.JSONField(default=list, blank=True)
    uploaded_by = models.PositiveIntegerField(null=True, blank=True)  # Bitrix24 user ID
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["template", "version"], name="uniq_template_version"),
        ]

    def __str__(self):
        return f"{self.template.name} v{self.version}"


class NumberSequence(TenantModel):
    """Contract numbers by the app, per legal entity, prefix and (with yearly reset) year.

    Incremented under `select_for_update` so concurrent jobs get consecutive numbers.
    """

    legal_entity = models.ForeignKey(LegalEntity, on_delete=models.CASCADE, related_name="+")
    prefix = models.CharField(max_length=40, blank=True)
    year = models.PositiveIntegerField(default=0)  # 0: never resets
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["portal", "legal_entity", "prefix", "year"], name="uniq_number_sequence"
            ),
        ]


class Contract(TenantModel):
    """The yearly-contract library: contracts made through the app and known 1C contracts."""

    class Source(models.TextChoices):
        APP = "app", _("Создан в приложении")
        ONEC = "1c", _("Из 1С")

    source = models.CharField(max_length=4, choices=Source.choices, default=Source.APP)
    kind = models.CharField(
        max_length=10, choices=ContractTemplate.Kind.choices, default=ContractTemplate.Kind.ONE_OFF
    )
    number = models.CharField(max_length=60)
    date = models.DateField()
    valid_until = models.DateField(null=True, blank=True)
    legal_entity = models.ForeignKey(LegalEntity, on_delete=models.PROTECT, related_name="+")
    client_name = models.CharField(max_length=500)
    client_inn = models.CharField(max_length=12, db_index=True)
    client_kpp = models.CharField(max_length=9, blank=True)
    client_kind = models.CharField(max_length=10, choices=ClientKinds.choices, blank=True)
    onec_ref_key = models.UUIDField(null=True, blank=True)
    onec_counterparty_ref = models.UUIDField(null=True, blank=True)
    template_version = models.ForeignKey(
        TemplateVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    payment_scheme = models.CharField(max_length=8, choices=PaymentScheme.choices, blank=True)
    deal_id = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["portal", "client_inn"])]

    def __str__(self):
        return f"№ {self.number} от {self.date:%d.%m.%Y}"


class GenerationJob(TenantModel):
    """One press of «Сформировать документы»: persisted steps, each idempotent."""

    class Status(models.TextChoices):
        PENDING = "pending", _("В очереди")
        RUNNING = "running", _("Выполняется")
        WAITING_1C = "waiting_1c", _("Ожидает 1С")
        WAITING_B24 = "waiting_b24", _("Ожидает Битрикс24")
        FAILED = "failed", _("Ошибка")
        DONE = "done", _("Готово")

    class Step(models.TextChoices):
        COUNTERPARTY = "counterparty", _("Контрагент в 1С")
        CONTRACT = "contract", _("Договор в 1С")
        INVOICE = "invoice", _("Счёт в 1С и проведение")
        PRINT_FORMS = "print_forms", _("Печатные формы счёта")
        CONTRACT_RENDER = "contract_render", _("Документ договора")
        ATTACH = "attach", _("Документы в сделке")
        NOTIFY = "notify", _("Уведомление")
        DONE = "done", _("Готово")

    idempotency_key = models.CharField(max_length=64)
    deal_id = models.CharField(max_length=20, db_index=True)
    # The manager's interface language: the worker words failures in it.
    lang = models.CharField(max_length=8, default="ru")
    user = models.ForeignKey(PortalUser, on_delete=models.PROTECT, related_name="+")
    draft = models.ForeignKey(
        "wizard.WizardDraft", null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    step = models.CharField(max_length=16, choices=Step.choices, default=Step.COUNTERPARTY)
    inputs = models.JSONField(default=dict)  # snapshot of the draft the job was made from
    inputs_hash = models.CharField(max_length=64)
    template_version = models.ForeignKey(
        TemplateVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    results = models.JSONField(default=dict, blank=True)  # what each step created (refs, ids)
    error_step = models.CharField(max_length=16, blank=True)
    error_message = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # Crash recovery: the worker running the job holds a lease, extended before every step; a
    # running job whose lease expired was abandoned (worker killed) and is resumed by the sweeper.
    locked_until = models.DateTimeField(null=True, blank=True, db_index=True)
    lease_token = models.CharField(max_length=32, blank=True)
    # When the current run of retryable failures began: the retry window counts from here.
    waiting_since = models.DateTimeField(null=True, blank=True)
    contract = models.ForeignKey(
        Contract, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["portal", "idempotency_key"], name="uniq_job_idempotency_key"
            ),
        ]

    def __str__(self):
        return f"job {self.pk} deal {self.deal_id} ({self.status})"


class GeneratedFile(TenantModel):
    class Kind(models.TextChoices):
        CONTRACT = "contract", _("Договор")
        INVOICE = "invoice", _("Счёт")

    job = models.ForeignKey(GenerationJob, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    with_stamp = models.BooleanField(default=False)
    format = models.CharField(max_length=4)  # docx / pdf
    file = models.FileField(upload_to="generated/%Y/%m/")
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(default=0)
    b24_document_id = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["job", "kind", "with_stamp", "format"], name="uniq_generated_file"
            ),
        ]


class Invoice(TenantModel):
    """An invoice (BP) or customer order (UT/KA) the app created in 1C, with its payments."""

    class PaymentStatus(models.TextChoices):
        UNPAID = "unpaid", _("Не оплачен")
        PARTIAL = "partial", _("Оплачен частично")
        PAID = "paid", _("Оплачен")
        CANCELLED = "cancelled", _("Отменён")

    job = models.OneToOneField(
        GenerationJob, null=True, blank=True, on_delete=models.SET_NULL, related_name="invoice"
    )
    contract = models.ForeignKey(
        Contract, null=True, blank=True, on_delete=models.SET_NULL, related_name="invoices"
    )
    deal_id = models.CharField(max_length=20, db_index=True)
    legal_entity = models.ForeignKey(LegalEntity, on_delete=models.PROTECT, related_name="+")
    responsible_user_id = models.PositiveIntegerField(null=True, blank=True)
    onec_entity_set = models.CharField(max_length=100)
    onec_ref_key = models.UUIDField()
    onec_counterparty_ref = models.UUIDField(null=True, blank=True)
    number = models.CharField(max_length=40)  # as 1C prints it
    date = models.DateField()
    total = models.DecimalField(max_digits=15, decimal_places=2)
    payment_status = models.CharField(
        max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.UNPAID
    )
    paid_amount = models.DecimalField(max_digits=15, decimal_places=2, default=0)
    last_paid_at = models.DateField(null=True, blank=True)
    shipped_amount = models.DecimalField(max_digits=15, decimal_places=2, default=0)
    shipment_complete = models.BooleanField(default=False)
    deleted_in_1c = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["portal", "onec_ref_key"], name="uniq_invoice_ref"),
        ]

    def __str__(self):
        return f"Счёт № {self.number} от {self.date:%d.%m.%Y}"


class Payment(TenantModel):
    """A 1C payment line seen by the back-sync; `reported_at` makes each one reported once."""

    onec_ref_key = models.UUIDField()  # the payment document
    line = models.PositiveIntegerField(default=1)  # its РасшифровкаПлатежа row
    invoice = models.ForeignKey(
        Invoice, null=True, blank=True, on_delete=models.SET_NULL, related_name="payments"
    )
    onec_counterparty_ref = models.UUIDField(null=True, blank=True)
    payer_name = models.CharField(max_length=500, blank=True)
    amount = models.DecimalField(max_digits=15, decimal_places=2)
    date = models.DateField()
    reported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["portal", "onec_ref_key", "line"], name="uniq_payment_line"
            ),
        ]


class AuditEvent(TenantModel):
    """Every state change, written in the same transaction as the change."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor_user_id = models.PositiveIntegerField(null=True, blank=True)  # None: the system
    action = models.CharField(max_length=60)
    deal_id = models.CharField(max_length=20, blank=True, db_index=True)
    job = models.ForeignKey(
        GenerationJob, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit"
    )
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"
