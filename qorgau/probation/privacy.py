"""Probation's section of a child's own record: each supervision and release, and how it went."""

from typing import Any

from qorgau.people.models import EXPORT_SECTIONS, Juvenile
from qorgau.probation.models import Release, Supervision


def probation_section(juvenile: Juvenile) -> tuple[str, Any]:
    supervisions = Supervision.objects.filter(juvenile=juvenile).select_related("proceeding")
    releases = Release.objects.filter(juvenile=juvenile).prefetch_related("follow_ups")
    return "probation", {
        "supervisions": [
            {
                "case": s.proceeding.number,
                "basis": s.basis,
                "punishment": s.punishment,
                "starts_on": s.starts_on.isoformat(),
                "ends_on": s.ends_on.isoformat(),
                "status": s.status,
                "ended_on": s.ended_on.isoformat() if s.ended_on else None,
                "end_reason": s.end_reason or None,
            }
            for s in supervisions.order_by("starts_on", "id")
        ],
        "releases": [
            {
                "institution": r.institution,
                "released_on": r.released_on.isoformat(),
                "basis": r.basis,
                "follow_ups": [
                    {
                        "months": f.months,
                        "done_on": f.done_on.isoformat() if f.done_on else None,
                        "outcome": f.outcome or None,
                    }
                    for f in r.follow_ups.all()
                ],
            }
            for r in releases.order_by("released_on", "id")
        ],
    }


def register_privacy() -> None:
    EXPORT_SECTIONS.append(probation_section)
