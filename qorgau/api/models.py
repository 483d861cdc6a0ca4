from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IdempotentRequest(models.Model):
    """The first answer to a creating request sent with an Idempotency-Key, kept for its retries.

    One row per (user, key, operation); `status` stays empty while the first request runs, so a
    simultaneous duplicate finds the row (the unique constraint) and is told to wait.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    key = models.CharField(_("idempotency key"), max_length=255)
    operation = models.CharField(_("operation"), max_length=255)
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    status = models.PositiveSmallIntegerField(_("status of the answer"), null=True, blank=True)
    headers = models.JSONField(_("headers of the answer"), default=dict, blank=True)
    body = models.TextField(_("body of the answer"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("idempotent request")
        verbose_name_plural = _("idempotent requests")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key", "operation"], name="unique_idempotency_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.operation} {self.key}"
