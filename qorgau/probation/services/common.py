"""What the probation services share: who acts, the messages, dates, the locked row."""

import calendar
import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.access import MESSAGE_INACTIVE, require
from qorgau.accounts.models import Agency, AgencyType, User
from qorgau.core.models import Territory
from qorgau.probation.models import Supervision

MESSAGE_NOT_INSPECTOR = _("Only the probation service supervising this minor records this.")
MESSAGE_NOT_PROBATION = _("Only staff of a probation service record this.")
MESSAGE_NOT_SUPERVISED = _(
    "This minor is not under supervision now (%(status)s): nothing can be recorded against it."
)
MESSAGE_ALREADY_REGISTERED = _("The minor is already registered with the probation service.")
MESSAGE_NOT_REGISTERED = _("Register the minor first: the minor has not reported yet.")
MESSAGE_FUTURE_DAY = _("The date cannot be in the future.")
MESSAGE_BEFORE_START = _("The date cannot be before the supervision began (%(start)s).")
MESSAGE_END_BEFORE_START = _(
    "The supervision cannot end before it began (%(start)s). Enter a later date."
)
MESSAGE_BEFORE_REGISTERED = _("The date cannot be before the minor was registered (%(day)s).")
MESSAGE_DEFERRAL_GROUND = _("Choose why the court deferred serving the sentence.")
MESSAGE_CHOICE = _("Choose one of the options.")
MESSAGE_EVERY = _("Enter how often the minor reports, in days: from 1 to 90.")
MESSAGE_FIRST_CHECK_IN = _(
    "The first check-in cannot be before the minor was registered (%(day)s)."
)
MESSAGE_HOURS_REQUIRED = _("Enter the hours of community works the court set.")
MESSAGE_HOURS_BELOW_WORKED = _("The hours cannot be fewer than those already worked (%(worked)s).")
MESSAGE_NO_HOURS = _("The plan sets no hours of work: set them in the supervision plan first.")
MESSAGE_HOURS_POSITIVE = _("Enter the hours worked, more than 0.")
MESSAGE_HOURS_BEYOND = _(
    "That is more than the sentence: %(left)s of %(total)s hours are left to work."
)
MESSAGE_REASON = _("Give the reason the check-in was excused.")
MESSAGE_CHECKED_IN = _("A check-in on this day is already recorded.")
MESSAGE_DESCRIPTION = _("Describe what happened.")
MESSAGE_NEW_CASE = _("Choose the case of the new offence: a case against the same minor.")
MESSAGE_INSPECTOR = _("Choose an inspector of your probation service.")

EVERY_DAYS_MAX = 90
# Punishments whose plan must say how many hours of work the court set.
HOURS_PUNISHMENTS = {"community_works"}


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the month's last day when it has no such day)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def short(day: datetime.date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def today() -> datetime.date:
    return timezone.localdate()


def probation_agency_for(territory: Territory | None) -> Agency | None:
    """The probation service of the district, else one of its region (the lowest id: stable)."""
    if territory is None:
        return None
    services = Agency.objects.active().filter(agency_type=AgencyType.PROBATION).order_by("id")
    found = services.filter(territory=territory).first()
    if found is None:
        region = territory.parent_id or territory.pk
        found = services.filter(territory_id=region).first()
        if found is None:
            found = services.filter(territory__parent_id=region).first()
    return found


def may_record(actor: User, supervision: Supervision) -> bool:
    """The probation service holding the supervision records it (and a superuser)."""
    if actor.is_superuser:
        return True
    return (
        actor.is_active
        and actor.has_perm("probation.change_supervision")
        and actor.agency_id is not None
        and actor.agency_id == supervision.agency_id
    )


def locked(actor: User, supervision: Supervision) -> Supervision:
    """The supervision, locked for the actor's change, or PermissionDenied."""
    if not actor.is_active:
        raise PermissionDenied(MESSAGE_INACTIVE)
    require(actor, "probation.change_supervision")
    # Lock the row: two records at once must not both read the old status, hours or schedule.
    found = (
        Supervision.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .filter(pk=supervision.pk)
        .first()
    )
    if found is None or not may_record(actor, found):
        raise PermissionDenied(MESSAGE_NOT_INSPECTOR)
    return found


def check_day(supervision: Supervision, day: datetime.date, field: str) -> None:
    if day > today():
        raise ValidationError({field: MESSAGE_FUTURE_DAY})
    if day < supervision.starts_on:
        raise ValidationError(
            {field: MESSAGE_BEFORE_START % {"start": short(supervision.starts_on)}}
        )
