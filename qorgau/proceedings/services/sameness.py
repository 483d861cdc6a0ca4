"""The same submission twice is one step: a double click or a retry finds the step it recorded.

A step is the same when it is for the same minor, of the same kind, at the same times and
with the same content (fields, people present, court). Its fingerprint is a hash of that; the
database keeps one step per minor and fingerprint (a unique constraint), so even two requests
at once record it once, and its violations are raised once.
"""

import datetime
import hashlib
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Model

from qorgau.accounts.models import Agency
from qorgau.proceedings.models import Accused, Participant, ProceduralEvent


def _moment(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).isoformat()


def _breaks(raw: Iterable[Any]) -> list[tuple[str, str]]:
    """Breaks as given (pairs or mappings, datetimes or ISO text), in UTC, in order."""
    result = []
    for item in raw:
        start, end = (item["start"], item["end"]) if isinstance(item, dict) else item
        if isinstance(start, str):
            start = datetime.datetime.fromisoformat(start)
            end = datetime.datetime.fromisoformat(end)
        result.append((_moment(start), _moment(end)))
    return sorted(result)


def _plain(value: Any) -> Any:
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, datetime.datetime):
        return _moment(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, str):
        return value.strip()
    return value


def fingerprint(
    *,
    accused: Accused,
    kind: str,
    started_at: datetime.datetime,
    attendees: Iterable[Participant],
    court: Agency | None,
    fields: dict[str, Any],
) -> str:
    """The hash of what makes the step this step (empty values count as absent)."""
    content: dict[str, Any] = {
        name: _plain(value)
        for name, value in fields.items()
        if value not in (None, "", False, []) and name != "breaks"
    }
    if fields.get("breaks"):
        content["breaks"] = _breaks(fields["breaks"])
    content["attendees"] = sorted(person.pk for person in attendees)
    content["court"] = court.pk if court is not None else None
    text = json.dumps(
        [accused.pk, str(kind), _moment(started_at), content], sort_keys=True, default=str
    )
    return hashlib.sha256(text.encode()).hexdigest()


def already_recorded(accused: Accused, print_: str) -> ProceduralEvent | None:
    """The step this submission already recorded, marked as such; None for a new one."""
    event = ProceduralEvent.objects.filter(accused=accused, fingerprint=print_).first()
    if event is not None:
        event.already_recorded = True
    return event
