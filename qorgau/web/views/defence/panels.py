"""What this area shows beside a minor's timeline and on the Today page."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from qorgau.accounts.models import User
from qorgau.defence import selectors, services
from qorgau.defence.models import reads_roster
from qorgau.proceedings.models import Accused, EventKind, ParticipantRole, Proceeding
from qorgau.web.views.cases.common import case_url
from qorgau.web.views.common import Panel
from qorgau.web.views.defence.roster import is_consultation_member
from qorgau.web.views.defence.times import duration


def _may_assign(user: User, accused: Accused) -> bool:
    if not user.has_perm("defence.add_ondutyassignment"):
        return False
    try:
        services.require_assigner(user, accused)
    except PermissionDenied:
        return False
    return True


def case_panel(user: User, case: Proceeding, accused: Accused) -> Panel | None:
    """The on-duty defender and psychologist while the detained minor has no defender; the
    measured times once they were assigned from the roster."""
    measured = selectors.assignment_of(accused)
    if measured is not None:
        a = measured.assignment
        return Panel(
            template="web/defence/_case_panel.html",
            context={
                "measured": measured,
                "to_assignment": duration(measured.to_assignment),
                "to_defender": duration(measured.to_defender),
                "to_psychologist": duration(measured.to_psychologist) if a.psychologist else "",
            },
        )
    now = timezone.now()
    detention = next((e for e in accused.events.all() if e.kind == EventKind.DETENTION), None)
    if detention is None or selectors.has_participant(accused, ParticipantRole.DEFENDER):
        return None
    found = selectors.on_duty(case.territory, now)
    context: dict[str, Any] = {
        "detention": detention,
        "since": duration(now - detention.started_at),
        "found": found,
        "assign_url": reverse("assign_on_duty", args=[case.pk, accused.pk])
        if found.defenders and _may_assign(user, accused)
        else "",
        "roster_url": reverse("duty_roster") + f"?region={found.region.kato_code}",
    }
    return Panel(template="web/defence/_case_panel.html", context=context)


def home_panel(user: User) -> Panel | None:
    """A consultation member's current and next shifts and assignments awaiting arrival."""
    if not is_consultation_member(user) or not reads_roster(user):
        return None
    now = timezone.now()
    shifts = selectors.shifts_of(user, now)
    waiting = [
        {
            "row": row,
            "case_url": case_url(row.assignment.accused.proceeding, row.assignment.accused),
            "since": duration(now - row.assigned_at),
            "record_url": reverse(
                "event_form",
                args=[
                    row.assignment.accused.proceeding_id,
                    row.assignment.accused_id,
                    EventKind.DEFENDER_ARRIVED
                    if row.assignment.defender.user_id == user.pk
                    else EventKind.PSYCHOLOGIST_PRESENT,
                ],
            ),
        }
        for row in selectors.awaiting_arrival(user)
    ]
    return Panel(
        template="web/defence/_home_panel.html",
        context={"shifts": shifts, "now": now, "waiting": waiting},
    )
