"""The accompaniment's records about a child, for the child's audit trail (people/trail.py)."""

from collections.abc import Iterable
from typing import Any

from qorgau.people.models import Juvenile
from qorgau.support.models import Assessment, PlanTask, Portrait, PortraitReport, SupportPlan


def support_records_of_child(juvenile: Juvenile) -> Iterable[tuple[str, Iterable[Any]]]:
    yield (
        "support.assessment",
        Assessment.objects.filter(juvenile=juvenile).values_list("pk", flat=True),
    )
    yield (
        "support.portrait",
        Portrait.objects.filter(accused__juvenile=juvenile).values_list("pk", flat=True),
    )
    yield (
        "support.portraitreport",
        PortraitReport.objects.filter(portrait__accused__juvenile=juvenile).values_list(
            "pk", flat=True
        ),
    )
    yield (
        "support.supportplan",
        SupportPlan.objects.filter(juvenile=juvenile).values_list("pk", flat=True),
    )
    yield (
        "support.plantask",
        PlanTask.objects.filter(plan__juvenile=juvenile).values_list("pk", flat=True),
    )
