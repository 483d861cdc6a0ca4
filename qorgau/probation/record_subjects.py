"""A child's supervisions and releases, for the child's audit trail (people/trail.py)."""

from collections.abc import Iterable
from typing import Any

from qorgau.people.models import Juvenile
from qorgau.probation.models import Release, Supervision


def probation_of_child(juvenile: Juvenile) -> Iterable[tuple[str, Iterable[Any]]]:
    yield (
        "probation.supervision",
        Supervision.objects.filter(juvenile=juvenile).values_list("pk", flat=True),
    )
    yield (
        "probation.release",
        Release.objects.filter(juvenile=juvenile).values_list("pk", flat=True),
    )
