"""Writing the audit trail. Called by other services inside their own transaction."""

import functools
import ipaddress
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.access import require
from qorgau.accounts.models import User
from qorgau.audit import sealer
from qorgau.audit.chain import json_roundtrip
from qorgau.audit.context import current_origin
from qorgau.audit.events import EVENTS
from qorgau.audit.models import AuditEvent, AuditEventQuerySet


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk  # as apply_changes reports foreign keys: the id
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _seal_after_commit(event: AuditEvent) -> None:
    """Have the sealer run once after the current transaction commits (audit/sealer.py).

    One hook per transaction, however many rows it writes, told the id of the first; a
    rolled-back savepoint takes its hook with it, and the next row asks again.
    """
    for entry in connection.run_on_commit:  # (savepoints, callable, robust)
        if getattr(entry[1], "func", None) is sealer.seal_after_commit:
            return
    # robust: an unexpected error of the sealing is logged; the committed work stands.
    transaction.on_commit(functools.partial(sealer.seal_after_commit, event.pk), robust=True)


def append(event: AuditEvent) -> AuditEvent:
    """Insert a new event, unsealed; the sealer links it to the chain after the commit.

    No lock and no read of the chain here: writers never wait for each other.
    """
    event.fields = json_roundtrip(event.fields)
    event.changes = json_roundtrip(event.changes)
    event.details = json_roundtrip(event.details)
    event.save()
    _seal_after_commit(event)
    return event


def _address(value: str | None) -> str | None:
    # An address that does not parse (a misconfigured proxy header) is not kept, not fatal.
    try:
        return str(ipaddress.ip_address(value)) if value else None
    except ValueError:
        return None


def record(
    *,
    actor: User | None,
    action: str,
    subject: models.Model | None = None,
    changes: dict[str, tuple[Any, Any]] | None = None,
    details: dict[str, Any] | None = None,
    subject_key: tuple[str, str] | None = None,
) -> AuditEvent:
    """Append one audit event; `changes` maps a field name to its (old, new) values.

    `subject_key` names a record by (model label, id) without loading it: a refused request
    names what it was after, which the actor may not see.
    """
    if action not in EVENTS:
        raise ValueError(f"Unknown audit event code {action!r}: add it to audit/events.py")
    origin = current_origin.get()
    changes = changes or {}
    key = subject_key or ("", "")
    event = AuditEvent(
        actor=actor if actor is not None and actor.pk else None,
        actor_name=(actor.get_full_name() or actor.username) if actor else "system",
        actor_agency=str(actor.agency) if actor is not None and actor.agency_id else "",
        action=action,
        subject_type=subject._meta.label_lower if subject is not None else key[0],
        subject_id=str(subject.pk) if subject is not None else key[1],
        subject_label=str(subject)[:255] if subject is not None else "",
        fields=sorted(changes),
        changes={name: [_plain(old), _plain(new)] for name, (old, new) in changes.items()},
        details=details or {},
        channel=origin.channel,
        ip_address=_address(origin.ip_address),
        user_agent=origin.user_agent,
    )
    # No savepoint inside a caller's transaction: the row goes or stays with the caller's work.
    with transaction.atomic(savepoint=False):
        return append(event)


@transaction.atomic
def record_refusal(
    *, actor: User, status: int, subject_key: tuple[str, str], details: dict[str, Any]
) -> AuditEvent:
    """A request the access checks refused (403, or 404 for a record outside the actor's scope).

    Written by the audit middleware after the response, in a transaction of its own: whatever
    the refused request began was rolled back, this row stays.
    """
    return record(
        actor=actor,
        action="access.refused",
        subject_key=subject_key,
        details={"status": status, **details},
    )


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
