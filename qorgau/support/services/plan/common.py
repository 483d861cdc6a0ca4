"""What the plan services share: who may act on a plan or task, the messages, the day."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from qorgau.accounts.models import Agency, User
from qorgau.support.models.plan import (
    PlanStatus,
    PlanTask,
    SupportPlan,
    TaskStatus,
)

MESSAGE_NO_AGENCY = _("Your account belongs to no active agency.")
MESSAGE_JUVENILE_NOT_VISIBLE = _("Choose a juvenile whose record you may see.")
MESSAGE_WRONG_CASE = _("Choose a case in which this minor is accused and which you may see.")
MESSAGE_ALREADY_PLANNED = _(
    "This minor already has an active support plan: add needs and tasks to it instead."
)
MESSAGE_PLAN_CLOSED = _("The support plan is closed: nothing more can be changed.")
MESSAGE_NOT_WORKING = _(
    "Only the lead agency and the agencies that accepted a task in this plan may change it."
)
MESSAGE_NEED_EXISTS = _("The plan already has this need: add a task to it instead.")
MESSAGE_DESCRIPTION = _("Describe what the minor needs.")
MESSAGE_WRONG_ASSESSMENT = _(
    "Choose a completed risk and needs assessment of this minor that you may see."
)
MESSAGE_ACTION = _("Describe what is to be done.")
MESSAGE_DUE_PAST = _("The due date cannot be in the past (today is %(today)s).")
MESSAGE_DUE_FAR = _("The due date must be within %(years)s years of today: check the year.")
# Not a rule of law: a plan's task years away is almost always a mistyped year.
DUE_HORIZON_YEARS = 3
MESSAGE_AGENCY_CLOSED = _("This agency no longer works: choose another one.")
MESSAGE_NOBODY_TO_ANSWER = _(
    "Nobody in this agency can accept a referral in the system: choose another agency."
)
MESSAGE_ASSIGNEE_AGENCY = _("Choose a staff member of the agency responsible who takes tasks.")
MESSAGE_ASSIGNEE_LATER = _(
    "The receiving agency names its staff member when it accepts the referral."
)
MESSAGE_NOT_RECEIVER = _("Only the agency the task is assigned to may do this.")
MESSAGE_NOT_PROPOSED = _("This referral has already been answered.")
MESSAGE_NOT_OPEN = _("Only a task in progress can be marked done.")
MESSAGE_NOT_ACTIVE = _("This task is already finished, declined or cancelled.")
MESSAGE_REASON = _("Give the reason for declining the referral.")
MESSAGE_RESULT = _("Describe the result: what was done and with what outcome.")
MESSAGE_CANCEL_REASON = _("Give the reason for cancelling the task.")
MESSAGE_NOT_COORDINATOR = _(
    "Only the coordinator of the plan or a plan maker of the lead agency may do this."
)
MESSAGE_CLOSING_NOTE = _("Write a closing note: what the plan achieved and why it ends.")
MESSAGE_TASKS_LEFT = ngettext_lazy(
    "%(count)s task is still in progress or awaiting an answer: finish or cancel it first.",
    "%(count)s tasks are still in progress or awaiting an answer: finish or cancel them first.",
    "count",
)


def _today(today: datetime.date | None) -> datetime.date:
    # Days are days in Kazakhstan (TIME_ZONE, Asia/Almaty).
    return today or timezone.localdate()


def _agency(actor: User) -> Agency:
    if actor.agency is None or not actor.agency.is_active:
        raise PermissionDenied(MESSAGE_NO_AGENCY)
    return actor.agency


def _visible_plan(actor: User, plan: SupportPlan, *, lock: bool = True) -> SupportPlan:
    """The plan as the actor may see it, locked for the change; outside the team it is not found."""
    plans = SupportPlan.objects.visible_to(actor)
    if lock:
        # Two changes of one plan at once (a task added while it closes) run one after the other.
        plans = plans.select_for_update(of=("self",))
    found = plans.filter(pk=plan.pk).first()
    if found is None:
        raise SupportPlan.DoesNotExist
    return found


def _visible_task(actor: User, task: PlanTask) -> PlanTask:
    # The row lock makes two answers to one referral (accept and decline) run one after the other.
    found = (
        PlanTask.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .select_related("plan", "need")
        .filter(pk=task.pk)
        .first()
    )
    if found is None:
        raise PlanTask.DoesNotExist
    return found


def _require_active(plan: SupportPlan) -> None:
    if plan.status != PlanStatus.ACTIVE:
        raise ValidationError(MESSAGE_PLAN_CLOSED)


def working_agency_ids(plan: SupportPlan) -> set[int]:
    """The lead agency and the agencies that took a task: they change the plan."""
    taken = PlanTask.objects.filter(plan=plan, status__in=[TaskStatus.OPEN, TaskStatus.DONE])
    return {plan.lead_agency_id, *taken.values_list("agency_id", flat=True)}


def _require_working(actor: User, plan: SupportPlan) -> None:
    if actor.is_superuser:
        return
    if _agency(actor).pk not in working_agency_ids(plan):
        raise PermissionDenied(MESSAGE_NOT_WORKING)


def _require_coordinating(actor: User, plan: SupportPlan) -> None:
    if actor.is_superuser or actor.pk == plan.coordinator_id:
        return
    if _agency(actor).pk != plan.lead_agency_id or not actor.has_perm("support.add_supportplan"):
        raise PermissionDenied(MESSAGE_NOT_COORDINATOR)


def takes_tasks(user: User, agency: Agency) -> bool:
    return (
        user.is_active and user.agency_id == agency.pk and user.has_perm("support.change_plantask")
    )


def answerers(agency: Agency) -> "list[User]":
    """Active staff of the agency whose role takes support tasks (who may answer a referral)."""
    return list(
        User.objects.filter(
            agency=agency,
            is_active=True,
            groups__permissions__content_type__app_label="support",
            groups__permissions__codename="change_plantask",
        )
        .distinct()
        .order_by("last_name", "first_name", "id")
    )


def _check_text(value: str, field: str, message: object) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: message})
    return text
