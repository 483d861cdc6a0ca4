"""Reading portraits: every query starts from what the user may see (models' visible_to)."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from qorgau.accounts.models import User
from qorgau.proceedings.models import Accused
from qorgau.support.models.portrait import (
    REPORT_SECTIONS,
    CollectedDocument,
    Disclosure,
    Interview,
    Portrait,
    PortraitReport,
    ReportStatus,
    WorkingNote,
)
from qorgau.support.portrait_rules import RequiredInterview, portrait_rules
from qorgau.support.services.portrait import is_member

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
    return progress_of([portrait])[portrait.pk]


def progress_of(portraits: list[Portrait]) -> dict[int, Progress]:
    """Each portrait's progress in three queries, however many portraits (the Today list)."""
    ids = [portrait.pk for portrait in portraits]
    held: dict[int, list[str]] = {pk: [] for pk in ids}
    interviews = Interview.objects.filter(portrait_id__in=ids).values_list(
        "portrait_id", "with_whom"
    )
    for pk, with_whom in interviews:
        held[pk].append(with_whom)

    def counted(model: Any, **where: Any) -> Any:
        rows = model.objects.filter(portrait_id=OuterRef("pk"), **where).values("portrait_id")
        return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), 0)

    counts = {
        row["pk"]: row
        for row in Portrait.objects.filter(pk__in=ids)
        .values("pk")
        .annotate(
            documents_count=counted(CollectedDocument),
            notes_count=counted(WorkingNote),
            signed_count=counted(PortraitReport, status=ReportStatus.SIGNED),
        )
    }
    drafts = {
        draft.portrait_id: draft
        for draft in PortraitReport.objects.filter(
            portrait_id__in=ids, status=ReportStatus.DRAFT
        ).defer("pdf")
    }
    today = timezone.localdate()
    found = {}
    for pk in ids:
        draft = drafts.get(pk)
        done = sum(1 for s in sections_of(draft) if s["status"] == COMPLETED) if draft else 0
        found[pk] = Progress(
            interviews=len(held[pk]),
            documents=counts[pk]["documents_count"],
            notes=counts[pk]["notes_count"],
            missing=portrait_rules().missing(set(held[pk]), today),
            draft=draft,
            completed_sections=done,
            signed_versions=counts[pk]["signed_count"],
        )
    return found


def in_progress_for(user: User) -> list[Portrait]:
    """The consultation's portraits with no issued report yet, or with a draft open.

    A draft is always the newest version (a new one is started only after the last is signed),
    so "in progress" is "the newest version is not a signed one". Read newest first along the
    portrait_agency_recent index, each row checked with one probe: the scan stops at the 20th,
    however many portraits the consultation has issued. (`<> signed` rather than `= draft`:
    PostgreSQL then expects most rows to match and walks the index instead of sorting them all.)
    """
    newest = PortraitReport.objects.filter(portrait=OuterRef("pk")).order_by("-version")
    status = Coalesce(Subquery(newest.values("status")[:1]), Value(ReportStatus.DRAFT.value))
    return list(
        Portrait.objects.kept_by(user)
        .alias(newest_status=status)
        .exclude(newest_status=ReportStatus.SIGNED)
        .select_related("accused__juvenile", "accused__proceeding", "lead")
        .order_by("-updated_at")[:20]
    )
