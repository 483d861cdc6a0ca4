"""The courts' section of a child's own record: each court case and its outcome."""

from typing import Any

from qorgau.courts.models import CourtCase
from qorgau.people.models import EXPORT_SECTIONS, Juvenile


def court_cases_section(juvenile: Juvenile) -> tuple[str, Any]:
    cases = CourtCase.objects.filter(juvenile=juvenile).select_related("court")
    return "court_cases", [
        {
            "number": case.number,
            "kind": case.kind,
            "court": case.court.name,
            "received_at": case.received_at.isoformat(),
            "decided_at": case.decided_at.isoformat() if case.decided_at else None,
            "decision": case.decision or (case.judgment.verdict if case.judgment else ""),
        }
        for case in cases.select_related("judgment").order_by("received_at", "id")
    ]


def register_privacy() -> None:
    if court_cases_section not in EXPORT_SECTIONS:
        EXPORT_SECTIONS.append(court_cases_section)
