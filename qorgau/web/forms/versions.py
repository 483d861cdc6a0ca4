"""Edit forms that cannot silently overwrite: the version and the values as opened travel along.

The page that opens an edit form signs the record's version and the values it showed into one
hidden field. The save passes that version to the service, which refuses it when someone else
saved in between; the form then comes back with the record as it is now, the user's own
changes kept, and a table of what the other person changed: field, value when the form was
opened, value now. Nothing is written until the user saves again.
"""

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.core import signing
from django.db.models import Model
from django.http import HttpRequest
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from qorgau.core.models import VersionedBase
from qorgau.core.versioning import version_field

FIELD = "_opened"
SALT = "qorgau.web.versions"
MESSAGE_EMPTY = _("(empty)")
MESSAGE_YES = _("Yes")
MESSAGE_NO = _("No")


@dataclass(frozen=True)
class Change:
    """A field someone else changed while the form was open."""

    label: str
    opened: str
    now: str
    yours: str | None  # the user's own new value when they changed the same field


def token(value: Any) -> str:
    """A value as a string that compares equal for the same value from a record or a form."""
    if isinstance(value, Model):
        return str(value.pk)
    if value is None:
        return ""
    if isinstance(value, list | tuple | set | frozenset):
        return ",".join(sorted(token(item) for item in value))
    return str(value)


def display(field: forms.Field, value: Any) -> str:
    """A value as a person reads it: the choice's label, the territory's name, Yes or No."""
    if value is None or value == "" or value == []:
        return str(MESSAGE_EMPTY)
    if isinstance(field, forms.ModelChoiceField):
        if not isinstance(value, Model) and field.queryset is not None:
            value = field.queryset.filter(pk=value).first()
        return field.label_from_instance(value) if value is not None else str(MESSAGE_EMPTY)
    if isinstance(field, forms.BooleanField):
        return str(MESSAGE_YES if value else MESSAGE_NO)
    if isinstance(field, forms.ChoiceField):
        choices = cast(Iterable[tuple[Any, Any]], field.choices)
        labels = {str(key): str(label) for key, label in choices}
        if isinstance(value, list | tuple):
            return ", ".join(labels.get(str(item), str(item)) for item in value)
        return labels.get(str(value), str(value))
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


class VersionedEdit[M: VersionedBase]:
    """One opening of an edit form for a versioned record, and what came back from it."""

    def __init__(
        self,
        request: HttpRequest,
        instance: M,
        form_class: type[forms.BaseForm],
        initial: Callable[[M], Mapping[str, Any]],
    ) -> None:
        self.instance = instance
        self.form_class = form_class
        self.initial_for = initial
        self.submitted = request.method == "POST"
        self.data = request.POST if self.submitted else None
        self.initial: dict[str, Any] = dict(initial(instance))
        self.changes: list[Change] = []
        self.stale = False
        self.opened = self._load(request.POST.get(FIELD, "")) if self.submitted else None
        self.token = self._dump(instance, self.initial)

    # What the hidden field carries.

    def _fields(self) -> dict[str, forms.Field]:
        return dict(self.form_class.base_fields)  # type: ignore[attr-defined]

    def _key(self, instance: VersionedBase) -> str:
        return f"{instance._meta.label_lower}:{instance.pk}"

    def _dump(self, instance: VersionedBase, initial: Mapping[str, Any]) -> str:
        values = {
            name: [token(initial.get(name)), display(field, initial.get(name))]
            for name, field in self._fields().items()
        }
        version = getattr(instance, version_field(type(instance)))
        payload = {"r": self._key(instance), "v": version, "f": values}
        return signing.dumps(payload, salt=SALT, compress=True)

    def _load(self, raw: str) -> dict[str, Any] | None:
        try:
            payload = signing.loads(raw, salt=SALT)
        except signing.BadSignature:
            return None
        if not isinstance(payload, dict) or payload.get("r") != self._key(self.instance):
            return None
        return payload

    @property
    def version(self) -> int | None:
        """The version the form was opened at; None when the form did not say."""
        return int(self.opened["v"]) if self.opened is not None else None

    # After a refusal.

    def reopen(self, form: forms.BaseForm | None = None) -> dict[str, Any]:
        """The initial values of the form to show again: the record now, the user's changes on top.

        Also lists in `changes` what others changed since the form was opened.
        """
        fresh = type(self.instance)._base_manager.get(pk=self.instance.pk)
        self.instance = fresh
        now = dict(self.initial_for(fresh))
        opened: dict[str, list[str]] = self.opened["f"] if self.opened is not None else {}
        cleaned = getattr(form, "cleaned_data", None) if form is not None else None
        merged = dict(now)
        self.changes = []
        for name, field in self._fields().items():
            was = opened.get(name)
            if was is None:
                continue
            mine = cleaned is not None and name in cleaned and token(cleaned[name]) != was[0]
            if mine:
                merged[name] = cleaned[name]  # type: ignore[index]
            if token(now.get(name)) != was[0]:
                self.changes.append(
                    Change(
                        label=str(field.label or name),
                        opened=was[1],
                        now=display(field, now.get(name)),
                        yours=display(field, merged[name]) if mine else None,
                    )
                )
        self.stale = True
        self.initial = merged
        self.token = self._dump(fresh, now)
        return merged

    @property
    def hidden(self) -> str:
        return FIELD
