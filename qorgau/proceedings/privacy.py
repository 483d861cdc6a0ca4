"""The proceedings' part in privacy: an open case holds a child's record from anonymisation,
and a child's own record, exported on request, lists their cases with their steps."""

from typing import Any

from django.db.models import Prefetch, Q

from qorgau.people.models import EXPORT_SECTIONS, RETENTION_HOLDS, Juvenile
from qorgau.proceedings.models import Accused, Charge, ProceduralEvent, Stage

FINISHED = (Stage.TERMINATED, Stage.CLOSED)


def open_case_hold() -> Q:
    """Children accused in a case that is not finished."""
    return Q(accusations__in=Accused.objects.exclude(stage__in=FINISHED))


def cases_section(juvenile: Juvenile) -> tuple[str, Any]:
    tracks = (
        Accused.objects.filter(juvenile=juvenile)
        .select_related("proceeding__territory")
        .prefetch_related(
            Prefetch("charges", queryset=Charge.objects.select_related("article").order_by("id")),
            Prefetch("events", queryset=ProceduralEvent.objects.order_by("started_at", "id")),
        )
        .order_by("id")
    )
    return "cases", [
        {
            "number": track.proceeding.number,
            "registered_on": track.proceeding.registered_on.isoformat(),
            "territory": str(track.proceeding.territory),
            "stage": track.stage,
            "charges": [
                {
                    "article": str(charge.article),
                    "charged_at": charge.charged_at.isoformat(),
                    "ended_at": charge.ended_at.isoformat() if charge.ended_at else None,
                }
                for charge in track.charges.all()
            ],
            "steps": [
                {
                    "kind": event.kind,
                    "started_at": event.started_at.isoformat(),
                    "ended_at": event.ended_at.isoformat() if event.ended_at else None,
                    "place": event.place,
                }
                for event in track.events.all()
            ],
        }
        for track in tracks
    ]


def register_privacy() -> None:
    RETENTION_HOLDS.append(open_case_hold)
    EXPORT_SECTIONS.append(cases_section)
