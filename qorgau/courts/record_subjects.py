"""A child's court cases, for the child's audit trail (people/trail.py)."""

from collections.abc import Iterable
from typing import Any

from qorgau.courts.models import CourtCase
from qorgau.people.models import Juvenile


def court_cases_of_child(juvenile: Juvenile) -> Iterable[tuple[str, Iterable[Any]]]:
    yield (
        "courts.courtcase",
        CourtCase.objects.filter(juvenile=juvenile).values_list("pk", flat=True),
    )
