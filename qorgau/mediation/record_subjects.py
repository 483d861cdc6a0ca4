"""A child's mediations, for the child's audit trail (people/trail.py)."""

from collections.abc import Iterable
from typing import Any

from qorgau.mediation.models import Mediation
from qorgau.people.models import Juvenile


def mediations_of_child(juvenile: Juvenile) -> Iterable[tuple[str, Iterable[Any]]]:
    yield (
        "mediation.mediation",
        Mediation.objects.filter(accused__juvenile=juvenile).values_list("pk", flat=True),
    )
