"""Helpers every app's services share."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from qorgau.core.versioning import check_version


def apply_changes(
    instance: models.Model,
    data: dict[str, Any],
    allowed: set[str],
    *,
    version: int | None = None,
) -> dict[str, tuple[Any, Any]]:
    """Set the allowed fields that differ, validate the row, save only those fields.

    `version` is the version the change was based on (a versioned row read inside the
    service's transaction): another one refuses the change with StaleVersion. Returns
    {field: (old, new)} for the audit trail; nothing is saved when nothing changed.
    """
    unknown = set(data) - allowed
    if unknown:
        raise ValueError(f"Fields not allowed here: {', '.join(sorted(unknown))}")
    check_version(instance, version, data)
    changes: dict[str, tuple[Any, Any]] = {}
    for name, new in data.items():
        field = instance._meta.get_field(name)
        new = _not_null(field, name, new)
        attname = field.attname  # type: ignore[union-attr]
        old = getattr(instance, attname)
        new_value = new.pk if isinstance(new, models.Model) else new
        if old != new_value:
            changes[name] = (old, new_value)
            setattr(instance, attname, new_value)
    if changes:
        instance.full_clean()
        update_fields = [instance._meta.get_field(n).attname for n in changes]  # type: ignore[union-attr]
        if any(f.name == "updated_at" for f in instance._meta.fields):
            update_fields.append("updated_at")
        instance.save(update_fields=update_fields)
    return changes


def _not_null(field: Any, name: str, value: Any) -> Any:
    """A null sent for a column that cannot hold one: empty text for a text column (the empty
    string is how text is left blank here), otherwise a clear error naming the field.

    full_clean alone lets it through when the field may be blank, and the database then
    refuses the row with a server error.
    """
    if value is not None or getattr(field, "null", True):
        return value
    if isinstance(field, models.CharField | models.TextField):
        return ""
    raise ValidationError({name: field.error_messages["null"]})
