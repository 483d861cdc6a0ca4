"""Input and output schemas of the support-plan endpoints (inputs *In, outputs *Out/*Row)."""

import datetime

from django.utils import timezone
from ninja import Schema
from pydantic import Field

from qorgau.api.case_schemas import JuvenileBrief, StaffRef
from qorgau.api.schemas import STEP_VERSION_DESCRIPTION, AgencyRef, InputSchema, PageFilter
from qorgau.support.models import (
    NeedKind,
    PlanStatus,
    PlanTask,
    Priority,
    SupportPlan,
    TaskStatus,
)
from qorgau.support.selectors.plan import days_overdue, plan_progress


class TaskOut(Schema):
    id: int
    plan: int = Field(description="Id of the plan.")
    need: int = Field(description="Id of the need the task answers.")
    need_kind: NeedKind
    action: str = Field(description="What is to be done.")
    agency: AgencyRef = Field(description="The agency responsible.")
    assignee: StaffRef | None = Field(description="The staff member responsible, once named.")
    due_on: datetime.date
    status: TaskStatus
    status_label: str = Field(description="The status in words, in the request's language.")
    is_referral: bool = Field(description="Set by one agency for another, which had to answer.")
    days_overdue: int = Field(description="Days past the due date (Almaty days), 0 if not late.")
    referred_by: StaffRef
    referred_by_agency: AgencyRef
    answered_by: StaffRef | None
    answered_at: datetime.datetime | None
    decline_reason: str
    done_at: datetime.datetime | None
    version: int = Field(description=STEP_VERSION_DESCRIPTION)
    result: str
    cancelled_by: StaffRef | None
    cancelled_at: datetime.datetime | None
    cancel_reason: str

    @staticmethod
    def resolve_plan(obj: PlanTask) -> int:
        return obj.plan_id

    @staticmethod
    def resolve_need(obj: PlanTask) -> int:
        return obj.need_id

    @staticmethod
    def resolve_need_kind(obj: PlanTask) -> str:
        return obj.need.kind

    @staticmethod
    def resolve_status_label(obj: PlanTask) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_days_overdue(obj: PlanTask) -> int:
        return days_overdue(obj, timezone.localdate())


class NeedOut(Schema):
    id: int
    kind: NeedKind
    kind_label: str
    description: str
    priority: Priority
    cover: str = Field(
        description="`covered` (a task in progress or done), `awaiting` (only referrals not yet "
        "answered) or `uncovered` (no task, or only declined or cancelled ones)."
    )
    tasks: list[TaskOut]


class ProgressOut(Schema):
    counts: dict[str, int] = Field(description="Tasks per status.")
    done: int
    total: int = Field(description="Tasks that count: declined and cancelled ones do not.")
    percent: int
    overdue: int = Field(description="Tasks in progress or awaiting an answer past their due date.")
    uncovered: int = Field(description="Needs nobody works on.")


class PlanRow(Schema):
    id: int
    juvenile: JuvenileBrief
    accused: int | None = Field(
        description="Id of the minor's track in a case, if attached (null for an agency that "
        "only has tasks in the plan)."
    )
    case: int | None = Field(
        description="Id of the case, if attached (null for an agency that only has tasks in the "
        "plan)."
    )
    task_only: bool = Field(
        description="The caller's agency only has tasks in the plan: `needs` holds its own tasks "
        "and the needs they answer, `progress` counts those tasks, and the case is not shown."
    )
    lead_agency: AgencyRef
    coordinator: StaffRef
    status: PlanStatus
    goal: str
    opened_on: datetime.date
    closed_on: datetime.date | None
    closing_note: str
    progress: ProgressOut
    version: int = Field(description=STEP_VERSION_DESCRIPTION)

    @staticmethod
    def resolve_accused(obj: SupportPlan) -> int | None:
        return obj.accused_id if not obj.task_only else None

    @staticmethod
    def resolve_case(obj: SupportPlan) -> int | None:
        return obj.accused.proceeding_id if obj.accused and not obj.task_only else None

    @staticmethod
    def resolve_progress(obj: SupportPlan) -> dict[str, object]:
        progress = plan_progress(obj)
        return {
            "counts": progress.counts,
            "done": progress.done,
            "total": progress.total,
            "percent": progress.percent,
            "overdue": progress.overdue,
            "uncovered": progress.uncovered,
        }


class PlanOut(PlanRow):
    needs: list[NeedOut]

    @staticmethod
    def resolve_needs(obj: SupportPlan) -> list[dict[str, object]]:
        return [
            {
                "id": item.need.pk,
                "kind": item.need.kind,
                "kind_label": str(item.need.get_kind_display()),
                "description": item.need.description,
                "priority": item.need.priority,
                "cover": item.cover,
                "tasks": item.tasks,
            }
            for item in plan_progress(obj).needs
        ]


class PlanIn(InputSchema):
    juvenile: int = Field(description="Id of a juvenile whose record the caller may see.")
    accused: int | None = Field(
        None, description="Id of the minor's track in a case the caller's agency takes part in."
    )
    goal: str = Field("", max_length=4000, description="The aim of the plan.")


class NeedIn(InputSchema):
    kind: NeedKind
    description: str = Field(max_length=4000)
    priority: Priority = Priority.NORMAL


class TaskIn(InputSchema):
    need: int = Field(description="Id of a need of this plan.")
    action: str = Field(max_length=4000, description="What is to be done.")
    agency: int = Field(description="Id of the agency responsible.")
    assignee: int | None = Field(
        None, description="User id of a staff member of the caller's own agency (own tasks only)."
    )
    due_on: datetime.date = Field(description="Not before today (Almaty).")


class AcceptIn(InputSchema):
    assignee: int | None = Field(None, description="User id of who in the agency does it.")


class ReasonIn(InputSchema):
    reason: str = Field(max_length=4000)


class ResultIn(InputSchema):
    result: str = Field(max_length=4000)


class CloseIn(InputSchema):
    note: str = Field(max_length=4000)


class TaskListFilters(PageFilter):
    status: TaskStatus | None = Field(
        None,
        description="Tasks in this status; without it, those awaiting an answer or in progress.",
    )
    overdue: bool = Field(False, description="Only tasks past their due date.")
    agency_wide: bool = Field(
        False, description="Every task of the caller's agency, not only theirs."
    )


class TaskPage(Schema):
    count: int
    more: bool = Field(description="More rows than `count`: counting stops at QORGAU_COUNT_CAP.")
    page: int
    pages: int
    results: list[TaskOut]
