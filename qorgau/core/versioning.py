"""Optimistic concurrency: every editable record carries a version that each save advances.

A save from a copy read at version N succeeds only while the row is still at version N (an
`UPDATE ... SET version = N + 1 WHERE id = %s AND version = N`, run before the fields are
written); otherwise it raises `StaleVersion` and, inside the service's transaction, nothing is
written. Services that take the version a client last saw compare it with `check_version`.
"""

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

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


class VersionedBase(models.Model):
    """The behaviour of a versioned row; the field itself is declared by the subclass."""

    VERSION_FIELD: ClassVar[str] = "version"

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding or self.pk is None or kwargs.get("force_insert"):
            super().save(*args, **kwargs)
            return
        name = self.VERSION_FIELD
        update_fields = kwargs.get("update_fields")
        if update_fields is None:
            update_fields = [
                field.attname
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != name
            ]
        else:
            update_fields = [field for field in update_fields if field != name]
            if not update_fields:
                return
        self.advance_version()
        kwargs["update_fields"] = update_fields
        super().save(*args, **kwargs)

    def advance_version(self) -> None:
        """Move the stored version one on from the one this copy holds, or refuse if it moved.

        save() calls it first; call it alone for a change kept in other rows (roles, answers).
        """
        name = self.VERSION_FIELD
        seen = int(getattr(self, name))
        claimed = (
            type(self)._base_manager.filter(pk=self.pk, **{name: seen}).update(**{name: seen + 1})
        )
        if not claimed:
            raise StaleVersion(sent=seen, current=current_version(type(self), self.pk))
        setattr(self, name, seen + 1)


class Versioned(VersionedBase):
    """A record two people may edit at once: the version makes the second save see the first."""

    # db_default as well, so rows loaded by COPY or raw INSERT without the column get 1.
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)

    class Meta:
        abstract = True


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
