"""What the probation pages share: tags of status and check-ins, what the user may do."""

import datetime
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from qorgau.accounts.models import User
from qorgau.probation import services
from qorgau.probation.models import Attendance, Status, Supervision

STATUS_COLOURS = {Status.AWAITING: "orange", Status.ACTIVE: "blue", Status.ENDED: "grey"}
ATTENDANCE_COLOURS = {
    Attendance.ATTENDED: "green",
    Attendance.MISSED: "red",
    Attendance.EXCUSED: "grey",
}


def status_tag(supervision: Supervision) -> dict[str, str]:
    return {
        "text": str(Status(supervision.status).label),
        "colour": STATUS_COLOURS[Status(supervision.status)],
    }


def next_tag(supervision: Supervision, today: datetime.date) -> dict[str, Any] | None:
    """The next check-in as a word: overdue (with days), today, or nothing."""
    day = supervision.next_check_in_on
    if supervision.status != Status.ACTIVE or day is None:
        return None
    if day < today:
        return {"text": _("Overdue"), "colour": "red", "days": (today - day).days}
    if day == today:
        return {"text": _("Today"), "colour": "yellow", "days": 0}
    return None


def report_tag(supervision: Supervision, today: datetime.date) -> dict[str, Any] | None:
    if supervision.status != Status.AWAITING:
        return None
    if supervision.report_by < today:
        return {
            "text": _("Has not reported"),
            "colour": "red",
            "days": (today - supervision.report_by).days,
        }
    return {"text": _("Awaiting report"), "colour": "orange", "days": 0}


def supervision_url(supervision: Supervision) -> str:
    return reverse("supervision_detail", args=[supervision.pk])


def actions(user: User, supervision: Supervision) -> list[dict[str, str]]:
    """The records the user may make now, as links to their question pages."""
    if not services.may_record(user, supervision):
        return []
    pk = supervision.pk
    if supervision.status == Status.AWAITING:
        return [
            {"url": reverse("supervision_register", args=[pk]), "text": _("Register the minor")},
            {"url": reverse("supervision_end", args=[pk]), "text": _("End the supervision")},
        ]
    if supervision.status != Status.ACTIVE:
        return []
    found = [
        {"url": reverse("supervision_check_in", args=[pk]), "text": _("Record a check-in")},
        {"url": reverse("supervision_plan", args=[pk]), "text": _("Set the supervision plan")},
        {"url": reverse("supervision_breach", args=[pk]), "text": _("Record a breach")},
    ]
    if supervision.work_hours:
        found.append(
            {"url": reverse("supervision_hours", args=[pk]), "text": _("Record hours worked")}
        )
    found.append({"url": reverse("supervision_end", args=[pk]), "text": _("End the supervision")})
    return found
