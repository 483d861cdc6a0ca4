"""The accompaniment's sections of a child's own record, exported on request.

Completed assessments, support plans with their tasks, and signed portrait reports; a
portrait's working material (interviews, documents, notes) is confidential and not in it.
"""

from typing import Any

from django.db.models import Prefetch

from qorgau.people.models import EXPORT_SECTIONS, Juvenile
from qorgau.support.models import Assessment, PlanTask, PortraitReport, SupportPlan


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def assessments_section(juvenile: Juvenile) -> tuple[str, Any]:
    completed = Assessment.objects.filter(juvenile=juvenile, completed_at__isnull=False)
    return "assessments", [
        {
            "instrument": assessment.instrument_code,
            "completed_at": _iso(assessment.completed_at),
            "risk_to_society": assessment.society_level,
            "risk_to_the_child": assessment.child_level,
        }
        for assessment in completed.order_by("completed_at", "id")
    ]


def plans_section(juvenile: Juvenile) -> tuple[str, Any]:
    plans = (
        SupportPlan.objects.filter(juvenile=juvenile)
        .select_related("lead_agency")
        .prefetch_related(
            Prefetch("tasks", queryset=PlanTask.objects.select_related("agency").order_by("id"))
        )
        .order_by("opened_on", "id")
    )
    return "support_plans", [
        {
            "lead_agency": str(plan.lead_agency),
            "goal": plan.goal,
            "status": plan.status,
            "opened_on": _iso(plan.opened_on),
            "closed_on": _iso(plan.closed_on),
            "tasks": [
                {
                    "action": task.action,
                    "agency": str(task.agency),
                    "due_on": _iso(task.due_on),
                    "status": task.status,
                    "result": task.result,
                }
                for task in plan.tasks.all()
            ],
        }
        for plan in plans
    ]


def portraits_section(juvenile: Juvenile) -> tuple[str, Any]:
    reports = PortraitReport.objects.filter(
        portrait__accused__juvenile=juvenile, signed_at__isnull=False
    ).select_related("portrait__accused__proceeding", "signed_by")
    return "portrait_reports", [
        {
            "case": report.portrait.accused.proceeding.number,
            "version": report.version,
            "language": report.language,
            "signed_at": _iso(report.signed_at),
            "signed_by": str(report.signed_by.get_full_name()) if report.signed_by else "",
            "conclusions": report.conclusions,
            "recommendations": report.recommendations,
            "pdf_sha256": report.pdf_sha256,
        }
        for report in reports.order_by("signed_at", "id")
    ]


def register_privacy() -> None:
    EXPORT_SECTIONS.extend([assessments_section, plans_section, portraits_section])
