"""Writing the audit trail. Called by other services inside their own transaction."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.access import require
from qorgau.accounts.models import User
from qorgau.audit.context import current_origin
from qorgau.audit.events import EVENTS
from qorgau.audit.models import AuditEvent, AuditEventQuerySet


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk  # as apply_changes reports foreign keys: the id
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def record(
    *,
    actor: User | None,
    action: str,
    subject: models.Model | None = None,
    changes: dict[str, tuple[Any, Any]] | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event; `changes` maps a field name to its (old, new) values."""
    if action not in EVENTS:
        raise ValueError(f"Unknown audit event code {action!r}: add it to audit/events.py")
    origin = current_origin.get()
    changes = changes or {}
    event = AuditEvent(
        actor=actor if actor is not None and actor.pk else None,
        actor_name=(actor.get_full_name() or actor.username) if actor else "system",
        actor_agency=str(actor.agency) if actor is not None and actor.agency_id else "",
        action=action,
        subject_type=subject._meta.label_lower if subject is not None else "",
        subject_id=str(subject.pk) if subject is not None else "",
        subject_label=str(subject)[:255] if subject is not None else "",
        fields=sorted(changes),
        changes={name: [_plain(old), _plain(new)] for name, (old, new) in changes.items()},
        details=details or {},
        channel=origin.channel,
        ip_address=origin.ip_address,
        user_agent=origin.user_agent,
    )
    event.save()
    return event


@transaction.atomic(durable=True)
def view_audit_trail(*, actor: User, **filters: Any) -> AuditEventQuerySet:
    """Read the audit trail, newest first; the reading itself is recorded with its filters.

    Filters: actor_id (who acted), action, subject_type, subject_id; empty ones are ignored.
    """
    require(actor, "audit.view_auditevent")
    unknown = set(filters) - {"actor_id", "action", "subject_type", "subject_id"}
    if unknown:
        raise ValueError(f"Unknown audit trail filters: {sorted(unknown)}")
    given = {
        name: str(value).strip()
        for name, value in filters.items()
        if value is not None and str(value).strip()
    }
    actor_id = given.get("actor_id", "0")
    if not (actor_id.isascii() and actor_id.isdigit()):
        raise ValidationError({"actor_id": _("Enter a whole number.")})
    record(actor=actor, action="audit.view", details={"filters": given})
    return AuditEvent.objects.filter(**given).order_by("-at", "-id")
