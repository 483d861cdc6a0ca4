from django.db.models import Q

from qorgau.accounts.models import User
from qorgau.people import models as people_models
from qorgau.proceedings.models import Accused, Proceeding


def case_team_sees_the_child(user: User) -> Q:
    """Every agency taking part in a case sees the record of a minor accused in it."""
    cases = Proceeding.objects.visible_to(user).values("pk")
    # A subquery, not a join: a child accused in two visible cases is still one row.
    return Q(pk__in=Accused.objects.filter(proceeding__in=cases).values("juvenile"))


def register_case_team_visibility() -> None:
    if case_team_sees_the_child not in people_models.VISIBILITY_EXTENSIONS:
        people_models.VISIBILITY_EXTENSIONS.append(case_team_sees_the_child)
