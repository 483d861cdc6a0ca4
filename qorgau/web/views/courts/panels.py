"""What the court adds beside a minor's timeline and on the Today page."""

from typing import Any

from django.urls import reverse

from qorgau.accounts.models import User
from qorgau.courts import selectors
from qorgau.proceedings.models import Accused, Proceeding, Stage
from qorgau.web.views.common import Panel
from qorgau.web.views.courts import common

BEFORE_COURT = (Stage.REGISTERED, Stage.INVESTIGATION, Stage.TERMINATED)


def case_panel(user: User, case: Proceeding, accused: Accused) -> Panel | None:
    """The minor's court case: its number, judge, next hearing and the judgment."""
    if not user.has_perm("courts.view_courtcase") or accused.stage in BEFORE_COURT:
        return None  # a track reaches the court only once its indictment is approved
    court_case = selectors.case_for_track(actor=user, accused_id=accused.pk)
    if court_case is None:
        return None
    return Panel(
        template="web/courts/_case_panel.html",
        context={
            "court_case": court_case,
            "tag": common.case_tag(court_case),
            "url": reverse("court_case_detail", args=[court_case.pk]),
            "days": selectors.time_to_judgment(court_case),
        },
    )


def home_panel(user: User) -> Panel | None:
    """Today for a judge (hearings, cases awaiting judgment, reports missing) and for a court
    social worker (the reports due)."""
    context: dict[str, Any] = {}
    today = selectors.judge_today(user)
    if today is not None:  # a judge's Today always leads to their calendar and caseload
        context["today"] = today
        context["hearings"] = [
            {"hearing": h, "tag": common.hearing_tag(h),
             "url": reverse("court_case_detail", args=[h.case_id])}
            for h in today.hearings
        ]  # fmt: skip
    if user.has_perm("courts.add_socialworkerreport") and user.agency_id is not None:
        due = list(selectors.reports_due(user)[: selectors.HOME_ROWS])
        if due:
            context["reports"] = [
                {"case": c, "url": reverse("court_report", args=[c.pk])} for c in due
            ]
    if not context:
        return None
    return Panel(template="web/courts/_home_panel.html", context=context)
