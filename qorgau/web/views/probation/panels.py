"""What this area shows beside a minor's timeline and on the Today page."""

import datetime
from typing import Any

from django.utils import timezone

from qorgau.accounts.models import User
from qorgau.probation import selectors
from qorgau.probation.models import Supervision
from qorgau.proceedings.models import Accused, Proceeding, Stage
from qorgau.web.views.common import Panel
from qorgau.web.views.probation import common


def case_panel(user: User, case: Proceeding, accused: Accused) -> Panel | None:
    """The minor's supervision by the probation service, once the judgment took effect."""
    if not user.has_perm("probation.view_supervision"):
        return None
    # Only a judgment that took effect hands a minor to probation: no query before it.
    if accused.stage not in (Stage.SENTENCE_EXECUTION, Stage.CLOSED):
        return None
    supervision = selectors.supervisions_of_minor(actor=user, accused=accused).first()
    if supervision is None:
        return None
    return Panel(
        template="web/probation/_case_panel.html",
        context={
            "supervision": supervision,
            "tag": common.status_tag(supervision),
            "url": common.supervision_url(supervision),
        },
    )


def _row(supervision: Supervision, today: datetime.date) -> dict[str, Any]:
    return {
        "supervision": supervision,
        "url": common.supervision_url(supervision),
        "next": common.next_tag(supervision, today),
        "report": common.report_tag(supervision, today),
    }


def home_panel(user: User) -> Panel | None:
    """For a probation inspector: check-ins overdue and due today, convicts who have not
    reported, reminders, and follow-ups after release due."""
    found = selectors.today_for(actor=user)
    if found is None:
        return None
    today = timezone.localdate()
    return Panel(
        template="web/probation/_home_panel.html",
        context={
            "overdue": [_row(s, today) for s in found.overdue],
            "due_today": [_row(s, today) for s in found.due_today],
            "awaiting": [_row(s, today) for s in found.awaiting],
            "reminders": found.reminders,
            "follow_ups": [
                {"follow_up": f, "overdue": (today - f.due_on).days if f.due_on < today else 0}
                for f in found.follow_ups
            ],
        },
    )
