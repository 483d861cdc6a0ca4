"""Every change to an individual support plan: each checks the actor, validates, writes, audits.

Who does what (docs/support-plan.md):
- plan makers (court social workers, social psychologists, probation inspectors, juvenile
  police inspectors, child-rights specialists: `support.add_supportplan`) draw up a plan for a
  minor whose record they may see; their agency leads it and they coordinate it;
- staff of an agency working in the plan (the lead agency, or one that accepted a task) add
  needs and tasks; a task for their own agency starts in progress, a task for another agency
  is a referral that agency must answer;
- staff of the receiving agency who take tasks (`support.change_plantask`, plan makers and
  institution staff) accept a referral, naming who does it, or decline it with a reason, and
  mark their agency's tasks done with a result;
- the coordinator, or a plan maker of the lead agency, cancels a task with a reason and closes
  the plan with a note.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from qorgau.accounts.access import require
from qorgau.accounts.models import Agency, User
from qorgau.audit.services import record
from qorgau.people.models import Juvenile
from qorgau.proceedings.models import Accused, Proceeding
from qorgau.support.models.assessment import Assessment, AssessmentStatus
from qorgau.support.models.plan import (
    ACTIVE_TASKS,
    PlanNeed,
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


@transaction.atomic(durable=True)
def open_plan(
    *,
    actor: User,
    juvenile: Juvenile,
    accused: Accused | None = None,
    goal: str = "",
    today: datetime.date | None = None,
) -> SupportPlan:
    """Draw up a minor's support plan; the actor's agency leads it and the actor coordinates.

    `today` (default: the current day in Asia/Almaty) is the opening day; only the demo sets it.
    """
    require(actor, "support.add_supportplan")
    agency = _agency(actor)
    # Lock the child's record: two plans drawn up at once would both find none active.
    child = Juvenile.objects.visible_to(actor).select_for_update(of=("self",))
    found = child.filter(pk=juvenile.pk).first()
    if found is None:
        raise ValidationError({"juvenile": MESSAGE_JUVENILE_NOT_VISIBLE})
    if accused is not None:
        cases = Proceeding.objects.visible_to(actor)
        if (
            accused.juvenile_id != juvenile.pk
            or not cases.filter(pk=accused.proceeding_id).exists()
        ):
            raise ValidationError({"accused": MESSAGE_WRONG_CASE})
    if SupportPlan.objects.active().filter(juvenile=juvenile).exists():
        raise ValidationError({"juvenile": MESSAGE_ALREADY_PLANNED})
    plan = SupportPlan(
        juvenile=found,
        accused=accused,
        lead_agency=agency,
        coordinator=actor,
        goal=(goal or "").strip(),
        opened_on=_today(today),
        created_by=actor,
    )
    plan.full_clean()
    plan.save()
    record(
        actor=actor,
        action="plan.open",
        subject=plan,
        changes={"juvenile": (None, juvenile.pk), "lead_agency": (None, agency.pk)},
        details={"accused": accused.pk if accused else None},
    )
    return plan


@transaction.atomic(durable=True)
def add_need(
    *,
    actor: User,
    plan: SupportPlan,
    kind: str,
    description: str,
    priority: str = "normal",
    assessment: Assessment | None = None,
) -> PlanNeed:
    """Add one of the nine needs of the Concept (seed 4.7) to a plan, described for this child.

    `assessment`: the completed assessment that suggested the need (support.assessment_needs);
    it must be of this minor and visible to the actor, and is named in the audit row.
    """
    require(actor, "support.add_planneed")
    plan = _visible_plan(actor, plan)
    _require_active(plan)
    _require_working(actor, plan)
    if assessment is not None:
        seen = Assessment.objects.visible_to(actor).filter(
            pk=assessment.pk, juvenile_id=plan.juvenile_id, status=AssessmentStatus.COMPLETED
        )
        if not seen.exists():
            raise ValidationError({"assessment": MESSAGE_WRONG_ASSESSMENT})
    text = _check_text(description, "description", MESSAGE_DESCRIPTION)
    if plan.needs.filter(kind=kind).exists():
        raise ValidationError({"kind": MESSAGE_NEED_EXISTS})
    need = PlanNeed(plan=plan, kind=kind, description=text, priority=priority, created_by=actor)
    need.full_clean()
    need.save()
    record(
        actor=actor,
        action="plan.need",
        subject=plan,
        changes={"kind": (None, kind), "priority": (None, priority)},
        details={"need": need.pk, "assessment_id": assessment.pk if assessment else None},
    )
    return need


@transaction.atomic(durable=True)
def add_task(
    *,
    actor: User,
    need: PlanNeed,
    action: str,
    agency: Agency,
    due_on: datetime.date,
    assignee: User | None = None,
    today: datetime.date | None = None,
) -> PlanTask:
    """Set a task for a need: for the actor's agency it starts in progress; for another, a referral.

    A referral goes only to an agency with someone able to answer it (the receiver is checked);
    the due date may not be before `today` (default: the current day in Asia/Almaty; only the
    demo sets it, to show late tasks).
    """
    require(actor, "support.add_plantask")
    own = _agency(actor)
    plan = _visible_plan(actor, need.plan)
    _require_active(plan)
    _require_working(actor, plan)
    need = PlanNeed.objects.get(pk=need.pk, plan=plan)
    text = _check_text(action, "action", MESSAGE_ACTION)
    day = _today(today)
    if due_on < day:
        raise ValidationError({"due_on": MESSAGE_DUE_PAST % {"today": day.strftime("%d.%m.%Y")}})
    if (due_on - day).days > 366 * DUE_HORIZON_YEARS:
        raise ValidationError({"due_on": MESSAGE_DUE_FAR % {"years": DUE_HORIZON_YEARS}})
    if not agency.is_active:
        raise ValidationError({"agency": MESSAGE_AGENCY_CLOSED})
    referral = agency.pk != own.pk
    if referral:
        if assignee is not None:
            raise ValidationError({"assignee": MESSAGE_ASSIGNEE_LATER})
        if not answerers(agency):
            raise ValidationError({"agency": MESSAGE_NOBODY_TO_ANSWER})
    elif assignee is not None and not takes_tasks(assignee, agency):
        raise ValidationError({"assignee": MESSAGE_ASSIGNEE_AGENCY})
    task = PlanTask(
        plan=plan,
        need=need,
        action=text,
        agency=agency,
        assignee=assignee,
        due_on=due_on,
        status=TaskStatus.PROPOSED if referral else TaskStatus.OPEN,
        referred_by=actor,
        referred_by_agency=own,
    )
    task.full_clean()
    task.save()
    record(
        actor=actor,
        action="plan.task",
        subject=task,
        changes={
            "agency": (None, agency.pk),
            "assignee": (None, assignee.pk if assignee else None),
            "due_on": (None, due_on.isoformat()),
            "status": (None, task.status),
        },
        details={"plan": plan.pk, "need": need.kind, "referral": referral},
    )
    return task


def _require_receiver(actor: User, task: PlanTask) -> None:
    require(actor, "support.change_plantask")
    if not actor.is_superuser and _agency(actor).pk != task.agency_id:
        raise PermissionDenied(MESSAGE_NOT_RECEIVER)


@transaction.atomic(durable=True)
def accept_referral(*, actor: User, task: PlanTask, assignee: User | None = None) -> PlanTask:
    """The receiving agency takes the referral on, naming who does it (or leaving it to later)."""
    task = _visible_task(actor, task)
    _require_receiver(actor, task)
    _require_active(task.plan)
    if task.status != TaskStatus.PROPOSED:
        raise ValidationError(MESSAGE_NOT_PROPOSED)
    if assignee is not None and not takes_tasks(assignee, task.agency):
        raise ValidationError({"assignee": MESSAGE_ASSIGNEE_AGENCY})
    task.status = TaskStatus.OPEN
    task.assignee = assignee
    task.answered_by = actor
    task.answered_at = timezone.now()
    task.full_clean()
    task.save(update_fields=["status", "assignee", "answered_by", "answered_at", "updated_at"])
    record(
        actor=actor,
        action="plan.accept",
        subject=task,
        changes={
            "status": (TaskStatus.PROPOSED, TaskStatus.OPEN),
            "assignee": (None, assignee.pk if assignee else None),
        },
        details={"plan": task.plan_id},
    )
    return task


@transaction.atomic(durable=True)
def decline_referral(*, actor: User, task: PlanTask, reason: str) -> PlanTask:
    """The receiving agency refuses the referral and says why; the need shows as uncovered."""
    task = _visible_task(actor, task)
    _require_receiver(actor, task)
    _require_active(task.plan)
    if task.status != TaskStatus.PROPOSED:
        raise ValidationError(MESSAGE_NOT_PROPOSED)
    task.decline_reason = _check_text(reason, "reason", MESSAGE_REASON)
    task.status = TaskStatus.DECLINED
    task.answered_by = actor
    task.answered_at = timezone.now()
    task.full_clean()
    task.save(
        update_fields=["status", "decline_reason", "answered_by", "answered_at", "updated_at"]
    )
    record(
        actor=actor,
        action="plan.decline",
        subject=task,
        changes={
            "status": (TaskStatus.PROPOSED, TaskStatus.DECLINED),
            "decline_reason": ("", task.decline_reason),
        },
        details={"plan": task.plan_id},
    )
    return task


@transaction.atomic(durable=True)
def complete_task(*, actor: User, task: PlanTask, result: str) -> PlanTask:
    """The agency responsible marks its task done, saying what came of it."""
    task = _visible_task(actor, task)
    _require_receiver(actor, task)
    _require_active(task.plan)
    if task.status != TaskStatus.OPEN:
        raise ValidationError(MESSAGE_NOT_OPEN)
    task.result = _check_text(result, "result", MESSAGE_RESULT)
    task.status = TaskStatus.DONE
    task.done_at = timezone.now()
    task.full_clean()
    task.save(update_fields=["status", "result", "done_at", "updated_at"])
    record(
        actor=actor,
        action="plan.done",
        subject=task,
        changes={"status": (TaskStatus.OPEN, TaskStatus.DONE), "result": ("", task.result)},
        details={"plan": task.plan_id, "overdue": task.due_on < timezone.localdate()},
    )
    return task


@transaction.atomic(durable=True)
def cancel_task(*, actor: User, task: PlanTask, reason: str) -> PlanTask:
    """The coordinator withdraws a task or referral no longer needed, saying why."""
    require(actor, "support.change_supportplan")
    task = _visible_task(actor, task)
    _require_coordinating(actor, task.plan)
    _require_active(task.plan)
    if task.status not in ACTIVE_TASKS:
        raise ValidationError(MESSAGE_NOT_ACTIVE)
    before = task.status
    task.cancel_reason = _check_text(reason, "reason", MESSAGE_CANCEL_REASON)
    task.status = TaskStatus.CANCELLED
    task.cancelled_by = actor
    task.cancelled_at = timezone.now()
    task.full_clean()
    task.save(
        update_fields=["status", "cancel_reason", "cancelled_by", "cancelled_at", "updated_at"]
    )
    record(
        actor=actor,
        action="plan.cancel",
        subject=task,
        changes={
            "status": (before, TaskStatus.CANCELLED),
            "cancel_reason": ("", task.cancel_reason),
        },
        details={"plan": task.plan_id},
    )
    return task


@transaction.atomic(durable=True)
def close_plan(
    *, actor: User, plan: SupportPlan, note: str, today: datetime.date | None = None
) -> SupportPlan:
    """The coordinator closes the plan once no task is left in progress or awaiting an answer."""
    require(actor, "support.change_supportplan")
    plan = _visible_plan(actor, plan)
    _require_coordinating(actor, plan)
    _require_active(plan)
    text = _check_text(note, "note", MESSAGE_CLOSING_NOTE)
    left = plan.tasks.filter(status__in=ACTIVE_TASKS).count()
    if left:
        raise ValidationError(MESSAGE_TASKS_LEFT % {"count": left})
    plan.status = PlanStatus.CLOSED
    plan.closed_on = _today(today)
    plan.closing_note = text
    plan.full_clean()
    plan.save(update_fields=["status", "closed_on", "closing_note", "updated_at"])
    record(
        actor=actor,
        action="plan.close",
        subject=plan,
        changes={"status": (PlanStatus.ACTIVE, PlanStatus.CLOSED), "closing_note": ("", text)},
    )
    return plan


@transaction.atomic(durable=True)
def view_plan(*, actor: User, pk: int) -> SupportPlan:
    """Read a plan with its needs and tasks (the read is audited); outside the team: not found."""
    from qorgau.support.selectors.plan import plan_for_page

    plan = plan_for_page(actor=actor, pk=pk)
    record(actor=actor, action="plan.view", subject=plan, details={"juvenile": plan.juvenile_id})
    return plan


__all__ = [
    "accept_referral",
    "add_need",
    "add_task",
    "answerers",
    "cancel_task",
    "close_plan",
    "complete_task",
    "decline_referral",
    "open_plan",
    "takes_tasks",
    "view_plan",
    "working_agency_ids",
]
