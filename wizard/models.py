from django.db import models

from b24app.models import PortalUser, TenantModel


class WizardDraft(TenantModel):
    """The manager's work in progress: one per (portal, deal, manager), kept in the database so
    it survives closing the slider; a second manager on the same deal is told who else works."""

    deal_id = models.CharField(max_length=20)
    user = models.ForeignKey(PortalUser, on_delete=models.CASCADE, related_name="+")
    step = models.CharField(max_length=16, default="client")
    data = models.JSONField(default=dict, blank=True)
    # Bumped on every save: the idempotency key of a submit includes it, so pressing the button
    # twice on the same state returns the same job, and a changed draft makes a new one.
    revision = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["portal", "deal_id", "user"], name="uniq_wizard_draft"),
        ]

    def __str__(self):
        return f"draft deal {self.deal_id} by {self.user_id}"
