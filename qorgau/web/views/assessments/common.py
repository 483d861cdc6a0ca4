"""What the assessment pages share: tags for levels and task statuses, who may assess."""

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.models import User
from qorgau.proceedings.models import Proceeding
from qorgau.support.assessment_scoring import DONE, IN_PROGRESS, NOT_STARTED
from qorgau.support.models import Assessment, RiskLevel
from qorgau.support.services.assessment import ASSESSORS

# The word is the level; the colour only supports it.
LEVEL_COLOURS = {
    RiskLevel.LOW: "green",
    RiskLevel.MODERATE: "yellow",
    RiskLevel.HIGH: "orange",
    RiskLevel.VERY_HIGH: "red",
}
TASK_TAGS = {
    NOT_STARTED: (_("Not started"), "grey"),
    IN_PROGRESS: (_("In progress"), "blue"),
    DONE: (_("All answered"), "green"),
}


@dataclass(frozen=True)
class Tag:
    text: Any
    colour: str


def level_tag(level: str) -> Tag | None:
    if not level:
        return None
    return Tag(RiskLevel(level).label, LEVEL_COLOURS[RiskLevel(level)])


def may_assess(user: User) -> bool:
    return user.has_perm("support.add_assessment") and (
        user.is_superuser or user.has_role(*ASSESSORS)
    )


def case_link(user: User, assessment: Assessment) -> dict[str, str] | None:
    """The case the assessment was made for, when the reader may open it."""
    accused = assessment.accused
    if accused is None:
        return None
    if not Proceeding.objects.visible_to(user).filter(pk=accused.proceeding_id).exists():
        return None
    url = reverse("case_detail", args=[accused.proceeding_id]) + f"?minor={accused.pk}"
    return {"url": url, "number": accused.proceeding.number}
