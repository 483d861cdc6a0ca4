"""Keeps each on-duty assignment's first arrivals current as the arrivals are recorded."""

from typing import Any

from django.db.models import Case, F, When
from django.db.models.functions import Least

from qorgau.proceedings.models import EventKind, ParticipantRole, ProceduralEvent

# The step that records each person's arrival, and the role that person stands in.
ARRIVALS = {
    EventKind.DEFENDER_ARRIVED: ("defender", ParticipantRole.DEFENDER),
    EventKind.PSYCHOLOGIST_PRESENT: ("psychologist", ParticipantRole.SOCIAL_PSYCHOLOGIST),
}


def on_event_recorded(sender: Any, event: ProceduralEvent, **kwargs: Any) -> None:
    """The first arrival is the earliest recorded, whatever order they were recorded in."""
    from qorgau.defence.models import OnDutyAssignment

    if event.kind not in ARRIVALS or event.participant_id is None:
        return
    person, role = ARRIVALS[EventKind(event.kind)]
    column = f"{person}_arrived_at"
    OnDutyAssignment.objects.filter(
        **{f"{person}_id": event.participant_id, f"{person}__role": role}
    ).update(
        **{
            column: Case(
                When(**{f"{column}__isnull": True}, then=event.started_at),
                default=Least(F(column), event.started_at),
            )
        }
    )
