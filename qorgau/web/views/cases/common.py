"""What the case pages share: loading a case the user may see, and who may do which step."""

from django.core.exceptions import PermissionDenied
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.urls import reverse

from qorgau.accounts.models import User
from qorgau.proceedings import policy
from qorgau.proceedings.models import Accused, Proceeding, Stage

# The roles the services accept for the steps that are not procedural events.
ADD_PARTICIPANT = tuple(policy.ADD_PARTICIPANT)
ADD_ACCUSED = tuple(policy.ADD_ACCUSED)
REQUALIFY = tuple(policy.REQUALIFY)
SET_PROSECUTOR = tuple(policy.SET_PROSECUTOR)
FINISHED = {Stage.TERMINATED, Stage.CLOSED}

# A tag colour for each stage; the word is the status, the colour only supports it.
STAGE_COLOURS = {
    Stage.REGISTERED: "yellow",
    Stage.INVESTIGATION: "",
    Stage.TERMINATED: "teal",
    Stage.IN_COURT: "purple",
    Stage.JUDGMENT: "turquoise",
    Stage.APPEAL: "pink",
    Stage.SENTENCE_EXECUTION: "orange",
    Stage.CLOSED: "grey",
}


def with_roles(user: User) -> User:
    """The user with their roles read once: every role check of the page reuses them."""
    prefetch_related_objects([user], "groups")
    return user


def may(user: User, roles: tuple[str, ...]) -> bool:
    return user.is_superuser or user.has_role(*roles)


def require(user: User, roles: tuple[str, ...]) -> None:
    if not may(user, roles):
        raise PermissionDenied


def visible_case(user: User, pk: int) -> Proceeding:
    """The case, if the user's agency takes part in it; any other case does not exist for them."""
    case = Proceeding.objects.visible_to(user).filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def case_minor(case: Proceeding, accused_pk: int) -> Accused:
    accused = case.accused.select_related("juvenile").filter(pk=accused_pk).first()
    if accused is None:
        raise Http404
    return accused


def case_url(case: Proceeding, accused: Accused | None = None, anchor: str = "") -> str:
    url = reverse("case_detail", args=[case.pk])
    if accused is not None:
        url += f"?minor={accused.pk}"
    return url + (f"#{anchor}" if anchor else "")
