"""The web interface's own bookkeeping: which one-time form tokens were already used."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FormSubmission(models.Model):
    """One sending of a creating form: its one-time token, and where its success led.

    The unique constraint on (user, token) lets only one of two identical submissions run; the
    other is sent to `location`, the page the first one redirected to (the record it created).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    token = models.CharField(_("form token"), max_length=64)
    path = models.CharField(_("form address"), max_length=500)
    # Empty while the first submission is still running.
    location = models.CharField(_("created record's address"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")
        constraints = [
            models.UniqueConstraint(fields=["user", "token"], name="web_form_token_once"),
        ]
        indexes = [models.Index(fields=["user", "created_at"], name="web_form_token_age")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.token}"
