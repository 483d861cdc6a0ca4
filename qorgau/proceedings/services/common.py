"""Checks the proceedings services share: who may act on a case, and times that make sense."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.access import MESSAGE_INACTIVE
from qorgau.accounts.models import Role, User
from qorgau.proceedings.models import Proceeding

MESSAGE_WRONG_ROLE = _("Your role does not record this step.")
MESSAGE_WRONG_AGENCY = _("Only the agency conducting this stage of the case may record it.")
MESSAGE_NOT_IN_CASE = _("Your agency does not take part in this case.")
MESSAGE_FUTURE = _("The time cannot be in the future.")
MESSAGE_BEFORE_OFFENCE = _("The time cannot be before the offence (%(offence)s).")
MESSAGE_END_BEFORE_START = _("The end must be after the start (%(start)s).")
MESSAGE_NOT_FOR_THIS_STEP = _("This is not recorded for this step.")

# Recorded times may run this far ahead of the server clock (clocks of office PCs drift).
CLOCK_TOLERANCE = datetime.timedelta(minutes=2)


def local(moment: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def visible_case(actor: User, proceeding: Proceeding, *, lock: bool = False) -> Proceeding:
    """The case as the actor may see it, or PermissionDenied naming why not."""
    if not actor.is_active:
        raise PermissionDenied(MESSAGE_INACTIVE)
    cases = Proceeding.objects.visible_to(actor)
    if lock:
        cases = cases.select_for_update(of=("self",))
    case = cases.filter(pk=proceeding.pk).first()
    if case is None:
        raise PermissionDenied(MESSAGE_NOT_IN_CASE)
    return case


def require_role(actor: User, roles: set[str]) -> None:
    if not actor.is_superuser and not actor.has_role(*roles):
        raise PermissionDenied(MESSAGE_WRONG_ROLE)


def require_conducting_agency(actor: User, case: Proceeding, role: str) -> None:
    """Investigator's agency before court, prosecutor's for approvals, the court in court."""
    if actor.is_superuser:
        return
    conducting = {
        Role.INVESTIGATOR: case.investigator.agency_id,
        Role.PROSECUTOR: case.prosecutor.agency_id if case.prosecutor else None,
        Role.JUDGE: case.court_id,
    }.get(Role(role), actor.agency_id)
    if conducting is None or conducting != actor.agency_id:
        raise PermissionDenied(MESSAGE_WRONG_AGENCY)


def check_times(
    case: Proceeding,
    start: datetime.datetime,
    end: datetime.datetime | None = None,
    *,
    start_field: str = "started_at",
    end_field: str = "ended_at",
) -> None:
    errors: dict[str, Any] = {}
    now = timezone.now() + CLOCK_TOLERANCE
    if start > now:
        errors[start_field] = MESSAGE_FUTURE
    elif start < case.offence_at:
        errors[start_field] = MESSAGE_BEFORE_OFFENCE % {"offence": local(case.offence_at)}
    if end is not None:
        if end > now:
            errors[end_field] = MESSAGE_FUTURE
        elif end <= start:
            errors[end_field] = MESSAGE_END_BEFORE_START % {"start": local(start)}
    if errors:
        raise ValidationError(errors)


def refuse_stray(given: set[str], accepted: set[str]) -> None:
    """Refuse values that belong to another kind of step or person (a verdict on a detention)."""
    stray = sorted(given - accepted)
    if stray:
        raise ValidationError(dict.fromkeys(stray, MESSAGE_NOT_FOR_THIS_STEP))
