"""What this area shows beside a minor's timeline and on the Today page."""

from django.urls import reverse

from qorgau.accounts.models import User
from qorgau.proceedings.models import Accused, Proceeding
from qorgau.support.selectors import assessment as selectors
from qorgau.web.views.assessments.common import level_tag, may_assess
from qorgau.web.views.common import Panel


def case_panel(user: User, case: Proceeding, accused: Accused) -> Panel | None:
    """The latest completed assessment of the minor with both levels, and what to do next."""
    if not user.has_perm("support.view_assessment"):
        return None
    juvenile = accused.juvenile
    latest = selectors.latest_completed(user, juvenile)
    draft = selectors.own_draft(user, juvenile)
    start_url = ""
    if draft is None and may_assess(user):
        start_url = reverse("assessment_start", args=[juvenile.pk]) + f"?accused={accused.pk}"
    return Panel(
        template="web/assessments/_panel.html",
        context={
            "latest": latest,
            "society": level_tag(latest.society_level) if latest else None,
            "child": level_tag(latest.child_level) if latest else None,
            "draft": draft,
            "start_url": start_url,
            "list_url": reverse("assessment_list", args=[juvenile.pk]) + f"?accused={accused.pk}",
        },
    )


def home_panel(user: User) -> Panel | None:
    return None
