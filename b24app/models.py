from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .crypto import EncryptedTextField


class Portal(models.Model):
    """A Bitrix24 portal that installed the app: the tenant.

    Keyed by `member_id`, never by domain: a portal can change its domain.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("Активен")
        NEEDS_REAUTH = "needs_reauth", _("Нужна повторная авторизация")
        UNINSTALLED = "uninstalled", _("Приложение удалено")

    member_id = models.CharField(max_length=64, unique=True)
    domain = models.CharField(max_length=255)
    # The REST base of the portal, e.g. https://example.bitrix24.ru/rest/
    client_endpoint = models.URLField(max_length=255)
    server_endpoint = models.URLField(max_length=255, blank=True)
    application_token = EncryptedTextField(blank=True)
    # Licence family decides the REST rate limit (enterprise: 5 req/s, burst 250).
    license_family = models.CharField(max_length=32, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    lang = models.CharField(max_length=8, default="ru")
    installed_at = models.DateTimeField(default=timezone.now)
    uninstalled_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("портал")
        verbose_name_plural = _("порталы")

    def __str__(self):
        return f"{self.domain} ({self.member_id})"

    @property
    def origin(self) -> str:
        """scheme://host[:port] of the portal, for CSP frame-ancestors and host checks."""
        from urllib.parse import urlsplit

        parts = urlsplit(self.client_endpoint)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def is_enterprise(self) -> bool:
        return self.license_family.lower().startswith(("ent", "company_ent"))


class TenantQuerySet(models.QuerySet):
    def for_portal(self, portal):
        return self.filter(portal=portal)


class TenantModel(models.Model):
    """Every tenant-owned row carries its portal; reach rows through `for_portal()`."""

    portal = models.ForeignKey(Portal, on_delete=models.CASCADE, related_name="+")

    objects = TenantQuerySet.as_manager()

    class Meta:
        abstract = True


class PortalUser(TenantModel):
    """A Bitrix24 user of a portal, with that user's OAuth tokens (encrypted)."""

    user_id = models.PositiveIntegerField()
    name = models.CharField(max_length=255, blank=True)
    email = models.EmailField(blank=True)
    is_admin = models.BooleanField(default=False)
    department_ids = models.JSONField(default=list, blank=True)
    access_token = EncryptedTextField(blank=True)
    refresh_token = EncryptedTextField(blank=True)
    access_expires_at = models.DateTimeField(null=True, blank=True)
    scope = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["portal", "user_id"], name="uniq_portal_user"),
        ]

    def __str__(self):
        return f"{self.name or self.user_id} @ {self.portal.domain}"

    @property
    def has_tokens(self) -> bool:
        return bool(self.refresh_token)


class ProductArticle(TenantModel):
    """Bitrix24 catalog product id → article (the CML2_ARTICLE property).

    Deal product rows carry only the product id; 1C nomenclature is matched by article. Kept
    here so opening a deal tab needs no extra request for products seen before
    (b24app.product_articles)."""

    product_id = models.CharField(max_length=20)
    article = models.CharField(max_length=100, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["portal", "product_id"], name="uniq_product_article"),
        ]

    def __str__(self):
        return f"{self.product_id} → {self.article}"
