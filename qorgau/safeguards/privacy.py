"""The safeguards' section of a child's own record: the violations of their rights recorded."""

from typing import Any

from qorgau.people.models import EXPORT_SECTIONS, Juvenile
from qorgau.safeguards.models import Violation


def violations_section(juvenile: Juvenile) -> tuple[str, Any]:
    violations = Violation.objects.filter(accused__juvenile=juvenile).select_related("proceeding")
    return "safeguard_violations", [
        {
            "case": violation.proceeding.number,
            "rule": violation.rule_id,
            "what": violation.title,
            "detected_at": violation.detected_at.isoformat(),
            "status": violation.status,
        }
        for violation in violations.order_by("detected_at", "id")
    ]


def register_privacy() -> None:
    EXPORT_SECTIONS.append(violations_section)
