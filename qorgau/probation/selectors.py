"""Reads of supervisions and releases that the pages, Today and the API share."""

import datetime
from dataclasses import dataclass

from django.db.models import F, Prefetch, QuerySet
from django.utils import timezone

from qorgau.accounts.models import User
from qorgau.probation.models import (
    OPEN,
    CheckIn,
    FollowUp,
    Release,
    ReleaseQuerySet,
    Reminder,
    Status,
    Supervision,
    SupervisionQuerySet,
)
from qorgau.probation.rulebook import probation_book
from qorgau.probation.services.common import add_months
from qorgau.proceedings.models import Accused
from qorgau.support.models import PlanNeed, PlanTask, SupportPlan
from qorgau.support.selectors.plan import plan_for_page

TODAY_ROWS = 10


def _listed(supervisions: SupervisionQuerySet) -> SupervisionQuerySet:
    return supervisions.select_related("juvenile", "proceeding", "inspector", "agency")


def caseload(*, actor: User) -> SupervisionQuerySet:
    """The open supervisions of the actor's probation service, the next check-in first."""
    if actor.agency_id is None or not actor.has_perm("probation.change_supervision"):
        return Supervision.objects.none()
    return _listed(
        Supervision.objects.filter(agency_id=actor.agency_id, status__in=OPEN).order_by(
            F("next_check_in_on").asc(nulls_last=True), "id"
        )
    )


@dataclass(frozen=True)
class Today:
    overdue: list[Supervision]
    due_today: list[Supervision]
    awaiting: list[Supervision]
    reminders: list[Reminder]
    follow_ups: list[FollowUp]


def today_for(*, actor: User, today: datetime.date | None = None) -> Today | None:
    """For an inspector's Today: check-ins overdue and due today, convicts who have not reported,
    open reminders, and follow-ups after release due."""
    if actor.agency_id is None or not actor.has_perm("probation.change_supervision"):
        return None
    today = today or timezone.localdate()
    mine = Supervision.objects.filter(agency_id=actor.agency_id)
    active = _listed(mine.filter(status=Status.ACTIVE))
    overdue = list(
        active.filter(next_check_in_on__lt=today).order_by("next_check_in_on", "id")[:TODAY_ROWS]
    )
    due = list(active.filter(next_check_in_on=today).order_by("id")[:TODAY_ROWS])
    awaiting = list(
        _listed(mine.filter(status=Status.AWAITING)).order_by("report_by", "id")[:TODAY_ROWS]
    )
    reminders = list(
        Reminder.objects.filter(agency_id=actor.agency_id, resolved_at=None)
        .select_related("supervision__juvenile", "supervision__proceeding")
        .order_by("due_on", "id")[:TODAY_ROWS]
    )
    return Today(
        overdue,
        due,
        awaiting,
        reminders,
        list(follow_ups_due(actor=actor, today=today)[:TODAY_ROWS]),
    )


def with_details(supervision: Supervision) -> Supervision:
    """The supervision with its check-ins, breaches, hours and open reminders loaded."""
    return (
        Supervision.objects.filter(pk=supervision.pk)
        .select_related(
            "juvenile",
            "proceeding",
            "accused",
            "judgment",
            "agency",
            "inspector",
            "new_proceeding",
        )
        .prefetch_related(
            Prefetch("checkins", queryset=CheckIn.objects.select_related("recorded_by")),
            "breaches",
            "work",
            Prefetch("reminders", queryset=Reminder.objects.filter(resolved_at=None)),
        )
        .get()
    )


def supervisions_of_minor(*, actor: User, accused: Accused) -> SupervisionQuerySet:
    return _listed(Supervision.objects.visible_to(actor).filter(accused=accused))


# Follow-ups show as due this many days before their day.
FOLLOW_UP_NOTICE = datetime.timedelta(days=30)


def follow_ups_due(*, actor: User, today: datetime.date | None = None) -> QuerySet[FollowUp]:
    """The follow-ups after release the actor's service has not recorded and whose day is
    past or within a month, the earliest first."""
    if actor.agency_id is None or not actor.has_perm("probation.change_release"):
        return FollowUp.objects.none()
    today = today or timezone.localdate()
    return (
        FollowUp.objects.filter(
            agency_id=actor.agency_id, done_on=None, due_on__lte=today + FOLLOW_UP_NOTICE
        )
        .select_related("release__juvenile")
        .order_by("due_on", "id")
    )


def releases(*, actor: User) -> ReleaseQuerySet:
    return (
        Release.objects.visible_to(actor)
        .select_related("juvenile", "agency")
        .order_by("-released_on", "-id")
    )


def release_details(release: Release) -> Release:
    return (
        Release.objects.filter(pk=release.pk)
        .select_related(
            "juvenile", "agency", "plan__lead_agency", "recorded_by", "accused__proceeding"
        )
        .prefetch_related("follow_ups__recorded_by")
        .get()
    )


def reoffences(release: Release) -> list[Accused]:
    """The minor's cases for an offence within the re-offending window after the release (rule
    data, 12 months): each a new proceeding linked to the release, counted as re-offending."""
    window = probation_book().reoffending_months(release.released_on)
    start = datetime.datetime.combine(release.released_on, datetime.time.max)
    end = datetime.datetime.combine(add_months(release.released_on, window), datetime.time.max)
    zone = timezone.get_default_timezone()
    found = Accused.objects.filter(
        juvenile_id=release.juvenile_id,
        proceeding__offence_at__gt=timezone.make_aware(start, zone),
        proceeding__offence_at__lte=timezone.make_aware(end, zone),
    ).select_related("proceeding")
    if release.accused_id:
        found = found.exclude(pk=release.accused_id)
    return list(found.order_by("proceeding__offence_at", "id"))


def plan_parts(*, actor: User, release: Release) -> tuple[list[PlanNeed], list[PlanTask]]:
    """The re-socialization plan's needs and tasks as the support plan shows them to the actor:
    the whole plan for its team; an agency linked only by a task, its own tasks and needs."""
    try:
        plan = plan_for_page(actor=actor, pk=release.plan_id)
    except SupportPlan.DoesNotExist:
        return [], []
    return list(plan.needs.all()), list(plan.tasks.all())
