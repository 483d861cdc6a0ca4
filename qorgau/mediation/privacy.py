"""Mediation's section of a child's own record: each mediation and how it ended (no notes)."""

from typing import Any

from qorgau.mediation.models import Mediation
from qorgau.people.models import EXPORT_SECTIONS, Juvenile


def mediations_section(juvenile: Juvenile) -> tuple[str, Any]:
    mediations = Mediation.objects.filter(accused__juvenile=juvenile).select_related("proceeding")
    return "mediations", [
        {
            "case": mediation.proceeding.number,
            "referred_at": mediation.referred_at.isoformat(),
            "status": mediation.status,
            "ended_at": mediation.ended_at.isoformat() if mediation.ended_at else None,
        }
        for mediation in mediations.order_by("referred_at", "id")
    ]


def register_privacy() -> None:
    EXPORT_SECTIONS.append(mediations_section)
