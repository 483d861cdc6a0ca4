"""Reads of support plans that the pages, the panels and the API share.

Every read starts from `visible_to(actor)`; days (due, overdue) are days in Asia/Almaty.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, prefetch_related_objects
from django.utils import timezone

from qorgau.accounts.models import User
from qorgau.people.models import Juvenile
from qorgau.proceedings.models import Proceeding
from qorgau.support.models.plan import (
    ACTIVE_TASKS,
    COUNTED_TASKS,
    PlanNeed,
    PlanStatus,
    PlanTask,
    PlanTaskQuerySet,
    SupportPlan,
    SupportPlanQuerySet,
    TaskStatus,
)

HOME_ROWS = 10
DUE_SOON_DAYS = 7  # "due this week": today and the six days after it


class Cover:
    """Whether a need has someone working on it (a word on the page, not a colour)."""

    COVERED = "covered"  # a task in progress or done
    AWAITING = "awaiting"  # only referrals not yet answered
    UNCOVERED = "uncovered"  # no task, or only declined or cancelled ones


@dataclass
class NeedProgress:
    need: PlanNeed
    tasks: list[PlanTask]
    cover: str


@dataclass
class Progress:
    counts: dict[str, int]
    done: int
    total: int
    overdue: int
    needs: list[NeedProgress] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def uncovered(self) -> int:
        return sum(1 for need in self.needs if need.cover == Cover.UNCOVERED)

    @property
    def awaiting(self) -> int:
        return self.counts.get(TaskStatus.PROPOSED, 0)


def is_overdue(task: PlanTask, today: datetime.date) -> bool:
    return task.status in ACTIVE_TASKS and task.due_on < today


def days_overdue(task: PlanTask, today: datetime.date) -> int:
    return (today - task.due_on).days if is_overdue(task, today) else 0


def _cover(tasks: list[PlanTask]) -> str:
    statuses = {task.status for task in tasks}
    if statuses & {TaskStatus.OPEN, TaskStatus.DONE}:
        return Cover.COVERED
    if TaskStatus.PROPOSED in statuses:
        return Cover.AWAITING
    return Cover.UNCOVERED


def plan_progress(plan: SupportPlan, today: datetime.date | None = None) -> Progress:
    """Counts per status, done of all that count, late ones and each need's cover.

    Reads the plan's prefetched `needs` and `tasks`; declined and cancelled tasks are not counted
    in the total (they will never be done).
    """
    today = today or timezone.localdate()
    tasks = list(plan.tasks.all())
    by_need: dict[int, list[PlanTask]] = {}
    for task in tasks:
        by_need.setdefault(task.need_id, []).append(task)
    counts = Counter(task.status for task in tasks)
    needs = [
        NeedProgress(need, by_need.get(need.pk, []), _cover(by_need.get(need.pk, [])))
        for need in plan.needs.all()
    ]
    return Progress(
        counts={status: counts.get(status, 0) for status in TaskStatus.values},
        done=counts.get(TaskStatus.DONE, 0),
        total=sum(counts.get(status, 0) for status in COUNTED_TASKS),
        overdue=sum(1 for task in tasks if is_overdue(task, today)),
        needs=needs,
    )


def _tasks() -> PlanTaskQuerySet:
    return PlanTask.objects.select_related(
        "agency", "assignee", "referred_by", "referred_by_agency", "answered_by", "cancelled_by"
    ).order_by("due_on", "id")


def _with_plan_people(plans: SupportPlanQuerySet) -> SupportPlanQuerySet:
    return plans.select_related(
        "juvenile", "accused__proceeding", "lead_agency", "coordinator", "created_by"
    )


def in_plan_team(actor: User, plan: SupportPlan) -> bool:
    """The lead agency and the agencies of the child's cases see the whole plan."""
    if actor.is_superuser or actor.agency_id == plan.lead_agency_id:
        return True
    cases = Proceeding.objects.visible_to(actor)
    return cases.filter(accused__juvenile_id=plan.juvenile_id).exists()


def _fill(plans: list[SupportPlan], actor: User) -> list[SupportPlan]:
    """Prefetch needs and tasks: all of them for the plan's team, for an agency whose only link
    is a task its own tasks (set for it or by it) and their needs, and the plan then hides the
    case (need to know: the task, the child and whom to ask, not the criminal case)."""
    team = {plan.pk: in_plan_team(actor, plan) for plan in plans}
    whole = [plan for plan in plans if team[plan.pk]]
    partial = [plan for plan in plans if not team[plan.pk]]
    prefetch_related_objects(
        whole,
        Prefetch("needs", queryset=PlanNeed.objects.order_by("id")),
        Prefetch("tasks", queryset=_tasks()),
    )
    if partial:
        own = Q(agency_id=actor.agency_id) | Q(referred_by_agency_id=actor.agency_id)
        tasks = PlanTask.objects.filter(own)
        needs = PlanNeed.objects.filter(
            Q(pk__in=tasks.values("need")) | Q(created_by__agency_id=actor.agency_id)
        )
        prefetch_related_objects(
            partial,
            Prefetch("needs", queryset=needs.order_by("id")),
            Prefetch("tasks", queryset=_tasks().filter(own)),
        )
        for plan in partial:
            plan.task_only = True
    return plans


def plan_for_page(*, actor: User, pk: int) -> SupportPlan:
    """One plan with its needs and tasks in a fixed number of queries; DoesNotExist outside it."""
    plan = _with_plan_people(SupportPlan.objects.visible_to(actor)).get(pk=pk)
    return _fill([plan], actor)[0]


def plans_of_juvenile(*, actor: User, juvenile: Juvenile) -> list[SupportPlan]:
    """A minor's plans the actor's agency may see, the active one first, then newest."""
    plans = SupportPlan.objects.visible_to(actor).filter(juvenile=juvenile)
    found = list(_with_plan_people(plans).order_by("status", "-opened_on", "-id"))
    return _fill(found, actor)


def current_plan(*, actor: User, juvenile: Juvenile) -> SupportPlan | None:
    """The active plan, or else the latest closed one, as the actor may see it."""
    plans = SupportPlan.objects.visible_to(actor).filter(juvenile=juvenile)
    plan = _with_plan_people(plans).order_by("status", "-opened_on", "-id").first()
    return _fill([plan], actor)[0] if plan is not None else None


def active_plan_exists(juvenile: Juvenile) -> bool:
    """Whether any agency leads an active plan (the case panel offers none then)."""
    return SupportPlan.objects.filter(juvenile=juvenile, status=PlanStatus.ACTIVE).exists()


# The tasks of one staff member


def _rows(tasks: PlanTaskQuerySet) -> PlanTaskQuerySet:
    return tasks.select_related(
        "plan__juvenile", "need", "agency", "assignee", "referred_by_agency"
    )


def inbox(actor: User) -> PlanTaskQuerySet:
    """Tasks the actor is to carry out: named to them, or to their agency with nobody named."""
    if actor.agency_id is None:
        return PlanTask.objects.none()
    mine = Q(assignee=actor) | Q(assignee=None, agency_id=actor.agency_id)
    return PlanTask.objects.visible_to(actor).filter(mine)


def referrals_to_answer(actor: User) -> PlanTaskQuerySet:
    """Referrals to the actor's agency still awaiting its answer (for staff who may answer)."""
    if actor.agency_id is None or not actor.has_perm("support.change_plantask"):
        return PlanTask.objects.none()
    return PlanTask.objects.visible_to(actor).filter(
        agency_id=actor.agency_id, status=TaskStatus.PROPOSED
    )


@dataclass
class Table:
    rows: list[PlanTask]
    count: int


@dataclass
class Today:
    overdue: Table
    due_soon: Table
    referrals: Table
    today: datetime.date

    @property
    def empty(self) -> bool:
        return not (self.overdue.count or self.due_soon.count or self.referrals.count)


def _table(tasks: PlanTaskQuerySet, limit: int) -> Table:
    rows = list(_rows(tasks)[:limit])
    count = len(rows) if len(rows) < limit else tasks.count()
    return Table(rows, count)


def today_for(actor: User, today: datetime.date | None = None, limit: int = HOME_ROWS) -> Today:
    """The Today page's three tables: late tasks, tasks due within a week, referrals to answer."""
    today = today or timezone.localdate()
    tasks = inbox(actor).filter(status=TaskStatus.OPEN)
    overdue = tasks.filter(due_on__lt=today).order_by("due_on", "id")
    soon_end = today + datetime.timedelta(days=DUE_SOON_DAYS - 1)
    soon = tasks.filter(due_on__gte=today, due_on__lte=soon_end).order_by("due_on", "id")
    referrals = referrals_to_answer(actor).order_by("due_on", "id")
    return Today(
        overdue=_table(overdue, limit),
        due_soon=_table(soon, limit),
        referrals=_table(referrals, limit),
        today=today,
    )


@dataclass(frozen=True)
class TaskFilters:
    status: str = ""  # a TaskStatus, or "" for those still to do (awaiting an answer, in progress)
    overdue: bool = False
    agency_wide: bool = False  # every task of the agency, not only the actor's


def task_list(
    *, actor: User, filters: TaskFilters, today: datetime.date | None = None
) -> PlanTaskQuerySet:
    """The "My tasks" list: the actor's (or their agency's) tasks, the most urgent first."""
    today = today or timezone.localdate()
    if actor.agency_id is None:
        return PlanTask.objects.none()
    if filters.agency_wide:
        tasks = PlanTask.objects.visible_to(actor).filter(agency_id=actor.agency_id)
    else:
        tasks = inbox(actor)
    if filters.status:
        tasks = tasks.filter(status=filters.status)
    else:
        tasks = tasks.filter(status__in=ACTIVE_TASKS)
    if filters.overdue:
        tasks = tasks.filter(status__in=ACTIVE_TASKS, due_on__lt=today)
    return _rows(tasks).order_by("due_on", "id")
