"""The violations found in a child's cases, for the child's audit trail (people/trail.py)."""

from collections.abc import Iterable
from typing import Any

from qorgau.people.models import Juvenile
from qorgau.safeguards.models import Violation


def violations_of_child(juvenile: Juvenile) -> Iterable[tuple[str, Iterable[Any]]]:
    yield (
        "safeguards.violation",
        Violation.objects.filter(accused__juvenile=juvenile).values_list("pk", flat=True),
    )
