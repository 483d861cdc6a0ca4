from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.audit.events import label_for

MESSAGE_APPEND_ONLY = "Audit events are append-only: they are never changed or deleted."


class AppendOnlyError(RuntimeError):
    pass


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError(MESSAGE_APPEND_ONLY)

    def delete(self) -> NoReturn:
        raise AppendOnlyError(MESSAGE_APPEND_ONLY)

    def about(self, subject: models.Model) -> "AuditEventQuerySet":
        return self.filter(subject_type=subject._meta.label_lower, subject_id=str(subject.pk))


class AuditEvent(models.Model):
    """One entry of the append-only audit trail. Database triggers refuse UPDATE and DELETE."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField(_("who (as recorded)"), max_length=255)
    actor_agency = models.CharField(_("agency (as recorded)"), max_length=255, blank=True)
    # Codes come from audit/events.py; no choices here, so a new code needs no migration.
    action = models.CharField(_("action"), max_length=64, db_index=True)
    subject_type = models.CharField(_("record type"), max_length=64, blank=True)
    subject_id = models.CharField(_("record"), max_length=64, blank=True)
    subject_label = models.CharField(_("record (as recorded)"), max_length=255, blank=True)
    fields = models.JSONField(_("fields"), default=list, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    channel = models.CharField(_("channel"), max_length=16)
    ip_address = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=255, blank=True)
    # The hash chain (audit/chain.py), set once by the sealer (audit/sealer.py) shortly after
    # the row is committed, NULL until then: the place in the chain, the previous row's hash
    # and this row's own. The database lets these three go from NULL to a value and no more.
    # NULL, not "", is "not sealed yet": the trigger and the check constraint rely on it.
    chain_seq = models.BigIntegerField(
        _("place in the chain"), null=True, blank=True, unique=True, editable=False
    )
    prev_hash = models.CharField(  # noqa: DJ001
        _("hash of the previous event"), max_length=64, null=True, blank=True, editable=False
    )
    row_hash = models.CharField(  # noqa: DJ001
        _("hash of this event"), max_length=64, null=True, blank=True, editable=False
    )

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-id"]
        permissions = [("view_record_trail", _("Can see who saw a child's record"))]
        indexes = [
            # "This record's events, newest first", keyset-paged on (at, id).
            models.Index(
                fields=["subject_type", "subject_id", "at", "id"], name="audit_subject_time_idx"
            ),
            # The sealer's "committed rows not yet sealed, in id order": small, as rows leave it
            # seconds after they come.
            models.Index(
                fields=["id"], condition=models.Q(chain_seq__isnull=True), name="audit_unsealed_idx"
            ),
        ]
        constraints = [
            # A row is sealed whole or not at all (a bulk loader may insert sealed rows).
            models.CheckConstraint(
                condition=models.Q(
                    chain_seq__isnull=True, prev_hash__isnull=True, row_hash__isnull=True
                )
                | models.Q(
                    chain_seq__isnull=False,
                    chain_seq__gte=1,
                    prev_hash__isnull=False,
                    row_hash__isnull=False,
                ),
                name="audit_sealed_whole",
            )
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError(MESSAGE_APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError(MESSAGE_APPEND_ONLY)

    @property
    def action_label(self) -> str:
        return label_for(self.action)
