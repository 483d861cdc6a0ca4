"""Optimistic concurrency: every editable record carries a version that each save advances.

The version itself is core.models.Versioned (VersionedBase when the field has another name).
A save from a copy read at version N succeeds only while the row is still at version N (an
`UPDATE ... SET version = N + 1 WHERE id = %s AND version = N`, run before the fields are
written); otherwise it raises `StaleVersion` and, inside the service's transaction, nothing is
written. Services that take the version a client last saw compare it with `check_version`.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from qorgau.core.exceptions import ServiceError

MESSAGE_STALE = _(
    "Someone else changed this record after you opened it (you had version %(sent)s, it is now "
    "version %(current)s). Nothing was saved: look at the record as it is now, then make your "
    "change again."
)


class StaleVersion(ServiceError):
    """A change was based on an earlier version of the record than the one stored."""

    def __init__(
        self,
        *,
        sent: int,
        current: int | None,
        conflicts: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(MESSAGE_STALE % {"sent": sent, "current": current}, code="stale")
        self.sent = sent
        self.current = current
        # The fields the refused change would have set, with the values stored now.
        self.conflicts: dict[str, Any] = dict(conflicts or {})


def version_field(model: type[models.Model]) -> str:
    return str(getattr(model, "VERSION_FIELD", "version"))


def current_version(model: type[models.Model], pk: Any) -> int | None:
    name = version_field(model)
    value = model._base_manager.filter(pk=pk).values_list(name, flat=True).first()
    return int(value) if value is not None else None


def check_version(
    instance: models.Model,
    expected: int | None,
    sent: Mapping[str, Any] | None = None,
    *,
    compare: Iterable[str] | None = None,
) -> None:
    """Refuse a change based on another version than the stored one; None skips the check.

    Call it on the row as read (and locked) inside the service's transaction. `sent` is the
    change asked for: the refusal names each of its fields whose stored value differs.
    """
    if expected is None:
        return
    stored = int(getattr(instance, version_field(type(instance))))
    if stored == expected:
        return
    names = list(compare) if compare is not None else list(sent or {})
    conflicts: dict[str, Any] = {}
    for name in names:
        value = getattr(instance, name, None)
        if isinstance(value, models.Model):
            value = value.pk
        wanted = (sent or {}).get(name)
        if isinstance(wanted, models.Model):
            wanted = wanted.pk
        if value != wanted:
            conflicts[name] = value
    raise StaleVersion(sent=expected, current=stored, conflicts=conflicts)
