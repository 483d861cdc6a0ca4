from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from qorgau.accounts.models import User
from qorgau.people import models as people_models
from qorgau.people.models import Juvenile
from qorgau.people.trail import register_related_subjects
from qorgau.proceedings.models import Accused, Charge, Proceeding
from qorgau.proceedings.visibility import case_seen_by


def case_team_sees_the_child(user: User) -> QuerySet[Accused, Any]:
    """Every agency taking part in a case sees the record of a minor accused in it."""
    cases = Proceeding.objects.visible_to(user).values("pk")
    return Accused.objects.filter(proceeding__in=cases).values("juvenile")


def case_team_sees_this_child(user: User) -> Q:
    """The same, asked of one juvenile row: accused in a case the user's agency takes part in."""
    seen = case_seen_by(user, "proceeding_id")
    return Q(Exists(Accused.objects.filter(seen, juvenile_id=OuterRef("pk"))))


def register_case_team_visibility() -> None:
    if case_team_sees_the_child not in people_models.VISIBILITY_EXTENSIONS:
        people_models.VISIBILITY_EXTENSIONS.append(case_team_sees_the_child)
    if case_team_sees_this_child not in people_models.ROW_VISIBILITY_EXTENSIONS:
        people_models.ROW_VISIBILITY_EXTENSIONS.append(case_team_sees_this_child)


def case_records_of_child(juvenile: Juvenile) -> Iterable[tuple[str, Iterable[Any]]]:
    """The records of the child's cases that the child's audit trail gathers."""
    accused = Accused.objects.filter(juvenile=juvenile)
    yield "proceedings.proceeding", accused.values_list("proceeding_id", flat=True)
    yield "proceedings.accused", accused.values_list("pk", flat=True)
    yield (
        "proceedings.charge",
        Charge.objects.filter(accused__in=accused).values_list("pk", flat=True),
    )


def register_case_records_in_the_trail() -> None:
    register_related_subjects(case_records_of_child)
