"""What this area shows beside a minor's timeline and on the Today page."""

from django.urls import reverse
from django.utils import timezone

from qorgau.accounts.models import User
from qorgau.proceedings.models import Accused, Proceeding
from qorgau.support.selectors.plan import (
    active_plan_exists,
    current_plan,
    days_overdue,
    plan_progress,
    today_for,
)
from qorgau.web.views.common import Panel
from qorgau.web.views.plans.common import COVER_TAGS, PLAN_COLOURS, plan_url


def case_panel(user: User, case: Proceeding, accused: Accused) -> Panel | None:
    """The minor's support plan: its progress and a link, or the offer to draw one up."""
    if not user.has_perm("support.view_supportplan"):
        return None
    plan = current_plan(actor=user, juvenile=accused.juvenile)
    context: dict[str, object] = {"plan": plan}
    if plan is not None:
        progress = plan_progress(plan, timezone.localdate())
        context.update(
            progress=progress,
            url=plan_url(plan),
            status_colour=PLAN_COLOURS[plan.status],  # type: ignore[index]
            needs=[
                {
                    "need": item.need,
                    "text": COVER_TAGS[item.cover][0],
                    "colour": COVER_TAGS[item.cover][1],
                }
                for item in progress.needs
            ],
        )
    may_create = user.has_perm("support.add_supportplan") and (plan is None or not plan.is_active)
    if may_create and not active_plan_exists(accused.juvenile):
        context["create_url"] = reverse("plan_create", args=[case.pk, accused.pk])
    return Panel(template="web/plans/_case_panel.html", context=context)


def home_panel(user: User) -> Panel | None:
    """Late tasks, tasks due within a week, and referrals awaiting the agency's answer."""
    # Only roles that take tasks are ever given one (a referral needs someone able to answer).
    if not user.has_perm("support.change_plantask") or user.agency_id is None:
        return None
    today = timezone.localdate()
    found = today_for(user, today)

    def rows(tasks: list) -> list[dict[str, object]]:  # type: ignore[type-arg]
        return [
            {"task": task, "url": plan_url(task.plan_id), "overdue": days_overdue(task, today)}
            for task in tasks
        ]

    tasks_url = reverse("plan_tasks")
    return Panel(
        template="web/plans/_home_panel.html",
        context={
            "overdue": rows(found.overdue.rows),
            "overdue_count": found.overdue.count,
            "due_soon": rows(found.due_soon.rows),
            "due_soon_count": found.due_soon.count,
            "referrals": [
                {**row, "answer_url": reverse("plan_task_answer", args=[row["task"].pk])}  # type: ignore[attr-defined]
                for row in rows(found.referrals.rows)
            ],
            "referrals_count": found.referrals.count,
            "overdue_url": f"{tasks_url}?overdue=on",
            "tasks_url": tasks_url,
            "referrals_url": f"{tasks_url}?status=proposed",
            "empty": found.empty,
        },
    )
