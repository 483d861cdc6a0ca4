"""Reading portraits: every query starts from what the user may see (models' visible_to)."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from qorgau.accounts.models import User
from qorgau.proceedings.models import Accused
from qorgau.support.models.portrait import (
    REPORT_SECTIONS,
    Disclosure,
    Portrait,
    PortraitReport,
    ReportStatus,
)
from qorgau.support.portrait_rules import RequiredInterview
from qorgau.support.services.portrait import is_member, missing_interviews

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
COMPLETED = "completed"


def portrait_of(user: User, accused: Accused) -> Portrait | None:
    """The minor's portrait if the user may see it (their consultation's, or one issued)."""
    return (
        Portrait.objects.visible_to(user)
        .select_related("agency", "lead", "accused__juvenile", "accused__proceeding")
        .filter(accused=accused)
        .first()
    )


def kept_portrait(user: User, pk: int) -> Portrait:
    """A portrait of the user's consultation; DoesNotExist for anyone else."""
    return (
        Portrait.objects.kept_by(user)
        .select_related("agency", "lead", "accused__juvenile", "accused__proceeding")
        .get(pk=pk)
    )


def visible_portrait(user: User, pk: int) -> Portrait:
    return (
        Portrait.objects.visible_to(user)
        .select_related("agency", "lead", "accused__juvenile", "accused__proceeding")
        .get(pk=pk)
    )


def reports_for(user: User, portrait: Portrait) -> list[PortraitReport]:
    """Versions newest first: all of them to the consultation, the signed ones to others."""
    return list(
        PortraitReport.objects.visible_to(user)
        .filter(portrait=portrait)
        .select_related("signed_by", "created_by")
        .defer("pdf")
        .order_by("-version")
    )


def visible_report(user: User, pk: int) -> PortraitReport:
    return (
        PortraitReport.objects.visible_to(user)
        .select_related("portrait__accused__juvenile", "portrait__accused__proceeding")
        .get(pk=pk)
    )


def disclosures_of(user: User, portrait: Portrait) -> list[Disclosure]:
    """The record of what was shared, with whom and when: the consultation's to keep."""
    if not is_member(user, portrait):
        return []
    return list(
        portrait.disclosures.select_related("report", "recipient_agency", "recipient", "by")
    )


def section_status(report: PortraitReport, name: str) -> str:
    if name in report.completed_sections and report.section_text(name).strip():
        return COMPLETED
    if report.section_text(name).strip():
        return IN_PROGRESS
    return NOT_STARTED


def sections_of(report: PortraitReport) -> list[dict[str, Any]]:
    return [
        {
            "name": name,
            "title": title,
            "status": section_status(report, name),
            "length": len(report.section_text(name)),
        }
        for name, title in REPORT_SECTIONS
    ]


@dataclass
class Progress:
    interviews: int
    documents: int
    notes: int
    missing: list[RequiredInterview]
    draft: PortraitReport | None
    completed_sections: int
    signed_versions: int


def progress(portrait: Portrait) -> Progress:
    counts = Portrait.objects.filter(pk=portrait.pk).aggregate(
        interviews=Count("interviews", distinct=True),
        documents=Count("documents", distinct=True),
        notes=Count("notes", distinct=True),
        signed=Count("reports", filter=Q(reports__status=ReportStatus.SIGNED), distinct=True),
    )
    draft = portrait.reports.filter(status=ReportStatus.DRAFT).defer("pdf").first()
    done = (
        sum(1 for s in sections_of(draft) if s["status"] == COMPLETED) if draft is not None else 0
    )
    return Progress(
        interviews=counts["interviews"],
        documents=counts["documents"],
        notes=counts["notes"],
        missing=missing_interviews(portrait),
        draft=draft,
        completed_sections=done,
        signed_versions=counts["signed"],
    )


def in_progress_for(user: User) -> list[Portrait]:
    """The consultation's portraits with no issued report yet, or with a draft open."""
    signed = PortraitReport.objects.filter(status=ReportStatus.SIGNED).values("portrait")
    drafts = PortraitReport.objects.filter(status=ReportStatus.DRAFT).values("portrait")
    return list(
        Portrait.objects.kept_by(user)
        .filter(~Q(pk__in=signed) | Q(pk__in=drafts))
        .select_related("accused__juvenile", "accused__proceeding", "lead")
        .order_by("-updated_at")[:20]
    )
