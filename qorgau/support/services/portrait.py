"""The social-psychological portrait: interviews, documents, notes, and the signed report.

Each function checks the actor, validates, writes in one transaction and audits. Interviews,
documents and notes are the consultation's working material: only its social psychologists
and psychology-student interns act on them. Only a social psychologist drafts and signs a
report; signing issues it to every agency taking part in the case, freezes it with its PDF,
and records to whom it was disclosed.
"""

import datetime
import hashlib
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.access import MESSAGE_INACTIVE, require
from qorgau.accounts.models import Agency, Role, User
from qorgau.audit.services import record
from qorgau.proceedings.models import Accused, Participant, Proceeding
from qorgau.proceedings.services.common import check_times, visible_case
from qorgau.support import pdf
from qorgau.support.models.portrait import (
    MESSAGE_FROZEN,
    REPORT_SECTIONS,
    CollectedDocument,
    Disclosure,
    DisclosureKind,
    DocumentKind,
    Interview,
    InterviewWith,
    IssuedTo,
    Portrait,
    PortraitReport,
    ReportStatus,
    WorkingNote,
    in_consultation,
)
from qorgau.support.portrait_rules import RequiredInterview, portrait_rules
from qorgau.support.report_assessment import disclosure_note, latest_for_report

MESSAGE_NOT_PSYCHOLOGIST = _(
    "Only a social psychologist of a juvenile legal consultation may do this."
)
MESSAGE_NOT_CONSULTATION = _(
    "Only the psychologists of the consultation keeping this portrait may do this."
)
MESSAGE_INTERN_SIGN = _(
    "A psychology-student intern may record interviews and documents but may not sign a report."
)
MESSAGE_ALREADY_STARTED = _("A portrait of this minor is already kept by %(agency)s.")
MESSAGE_NAME_REQUIRED = _("Enter the name of the person you talked with.")
MESSAGE_SUMMARY_REQUIRED = _("Enter a summary of the interview.")
MESSAGE_TITLE_REQUIRED = _("Enter the title of the document.")
MESSAGE_SOURCE_REQUIRED = _("Enter who issued the document.")
MESSAGE_RECEIVED_FUTURE = _("The date received cannot be in the future.")
MESSAGE_NOTE_REQUIRED = _("Enter the text of the note.")
MESSAGE_DRAFT_EXISTS = _(
    "Version %(version)s is still a draft: change it instead of starting another version."
)
MESSAGE_NOT_DRAFT = MESSAGE_FROZEN
MESSAGE_UNKNOWN_ALTERNATIVE = _("%(code)s is not an alternative to deprivation of liberty.")
MESSAGE_MISSING_INTERVIEW = _(
    "The report cannot be issued without %(what)s (%(citation)s): record it first."
)
MESSAGE_SECTION_EMPTY = _(
    "Write the section «%(section)s» and mark it as completed before signing."
)
MESSAGE_DECLARATION = _("Confirm the declaration to sign the report.")
MESSAGE_RECIPIENT_REQUIRED = _("Name the person or body the information was shared with.")
MESSAGE_DETAILS_REQUIRED = _("Say what was shared.")
MESSAGE_PURPOSE_REQUIRED = _("Say why it was shared.")

SECTION_NAMES = [name for name, _title in REPORT_SECTIONS]
# A new version starts from the last one: its text, its choices and its completed sections.
CARRIED = [*SECTION_NAMES, "language", "issued_to", "alternatives", "completed_sections"]


# Who may act


def _active(actor: User) -> None:
    if not actor.is_active:
        raise PermissionDenied(MESSAGE_INACTIVE)


def is_member(actor: User, portrait: Portrait) -> bool:
    """Whether the actor works on portraits in the consultation keeping this one."""
    return Portrait.objects.filter(in_consultation(actor), pk=portrait.pk).exists()


def _require_member(actor: User, portrait: Portrait, permission: str) -> None:
    _active(actor)
    require(actor, permission)
    if not is_member(actor, portrait):
        raise PermissionDenied(MESSAGE_NOT_CONSULTATION)
    visible_case(actor, portrait.accused.proceeding)


def _require_psychologist(actor: User) -> None:
    if not actor.has_role(Role.SOCIAL_PSYCHOLOGIST):
        if actor.has_role(Role.PSYCHOLOGY_INTERN):
            raise PermissionDenied(MESSAGE_INTERN_SIGN)
        raise PermissionDenied(MESSAGE_NOT_PSYCHOLOGIST)


def _follow_assessment(
    actor: User, report: PortraitReport, changes: dict[str, tuple[Any, Any]]
) -> None:
    """A draft shows the minor's latest completed assessment its author may see (no copy)."""
    latest = latest_for_report(actor, report.portrait.accused.juvenile)
    wanted = latest.pk if latest else None
    if report.assessment_id != wanted:
        changes["assessment"] = (report.assessment_id, wanted)
        report.assessment = latest


def _locked_draft(report: PortraitReport) -> PortraitReport:
    locked = PortraitReport.objects.select_for_update().select_related("portrait").get(pk=report.pk)
    if locked.status != ReportStatus.DRAFT:
        raise ValidationError(MESSAGE_NOT_DRAFT)
    return locked


# The portrait and its working material


@transaction.atomic(durable=True)
def start_portrait(*, actor: User, accused: Accused) -> Portrait:
    """Start the study of a minor; the actor's consultation keeps it and the actor leads it."""
    _active(actor)
    require(actor, "support.add_portrait")
    _require_psychologist(actor)
    if actor.agency is None:
        raise PermissionDenied(MESSAGE_NOT_PSYCHOLOGIST)
    visible_case(actor, accused.proceeding, lock=True)
    existing = Portrait.objects.filter(accused=accused).select_related("agency").first()
    if existing is not None:
        raise ValidationError(
            {"accused": MESSAGE_ALREADY_STARTED % {"agency": existing.agency.name}}
        )
    portrait = Portrait(accused=accused, agency=actor.agency, lead=actor)
    portrait.full_clean()
    portrait.save()
    record(
        actor=actor,
        action="portrait.start",
        subject=portrait,
        details={"accused_id": accused.pk, "case_id": accused.proceeding_id},
    )
    return portrait


@transaction.atomic(durable=True)
def record_interview(
    *,
    actor: User,
    portrait: Portrait,
    with_whom: str,
    name: str,
    held_at: datetime.datetime,
    summary: str,
    place: str = "",
) -> Interview:
    """An interview with the minor, a parent, a teacher or someone close to the child."""
    _require_member(actor, portrait, "support.add_interview")
    errors: dict[str, Any] = {}
    if not name.strip():
        errors["name"] = MESSAGE_NAME_REQUIRED
    if not summary.strip():
        errors["summary"] = MESSAGE_SUMMARY_REQUIRED
    try:
        check_times(portrait.accused.proceeding, held_at, start_field="held_at")
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    interview = Interview(
        portrait=portrait,
        with_whom=with_whom,
        name=name.strip(),
        held_at=held_at,
        place=place.strip(),
        summary=summary.strip(),
        recorded_by=actor,
    )
    interview.full_clean()
    interview.save()
    record(
        actor=actor,
        action="portrait.interview",
        subject=portrait,
        changes={"interview": (None, InterviewWith(with_whom).value)},
        details={"interview_id": interview.pk},
    )
    return interview


@transaction.atomic(durable=True)
def record_document(
    *,
    actor: User,
    portrait: Portrait,
    kind: str,
    title: str,
    source: str,
    received_on: datetime.date,
    summary: str = "",
) -> CollectedDocument:
    """A document collected about the child: a school reference, a housing inspection act…"""
    _require_member(actor, portrait, "support.add_collecteddocument")
    errors: dict[str, Any] = {}
    if not title.strip():
        errors["title"] = MESSAGE_TITLE_REQUIRED
    if not source.strip():
        errors["source"] = MESSAGE_SOURCE_REQUIRED
    if received_on > timezone.localdate():
        errors["received_on"] = MESSAGE_RECEIVED_FUTURE
    if errors:
        raise ValidationError(errors)
    document = CollectedDocument(
        portrait=portrait,
        kind=kind,
        title=title.strip(),
        source=source.strip(),
        received_on=received_on,
        summary=summary.strip(),
        recorded_by=actor,
    )
    document.full_clean()
    document.save()
    record(
        actor=actor,
        action="portrait.document",
        subject=portrait,
        changes={"document": (None, DocumentKind(kind).value)},
        details={"document_id": document.pk},
    )
    return document


@transaction.atomic(durable=True)
def add_note(*, actor: User, portrait: Portrait, text: str) -> WorkingNote:
    """A confidential working note: the consultation's own, never disclosed."""
    _require_member(actor, portrait, "support.add_workingnote")
    if not text.strip():
        raise ValidationError({"text": MESSAGE_NOTE_REQUIRED})
    note = WorkingNote(portrait=portrait, text=text.strip(), author=actor)
    note.full_clean()
    note.save()
    # The note's text stays out of the audit trail: only that one was written.
    record(actor=actor, action="portrait.note", subject=portrait, details={"note_id": note.pk})
    return note


@transaction.atomic(durable=True)
def view_portrait(*, actor: User, portrait: Portrait, what: str = "portrait") -> Portrait:
    """Open the working material (interviews, documents, notes) for reading: audited."""
    _require_member(actor, portrait, "support.view_portrait")
    record(actor=actor, action="portrait.view", subject=portrait, details={"what": what})
    return portrait


# Reports


def missing_interviews(
    portrait: Portrait, on: datetime.date | None = None
) -> list[RequiredInterview]:
    """The interviews the rules require and the record does not yet have."""
    held = set(portrait.interviews.values_list("with_whom", flat=True))
    return portrait_rules().missing(held, on or timezone.localdate())


@transaction.atomic(durable=True)
def start_report_version(
    *,
    actor: User,
    portrait: Portrait,
    language: str | None = None,
    issued_to: str | None = None,
) -> PortraitReport:
    """A new draft: version 1, or the next one carrying over the text of the last version."""
    _active(actor)
    _require_psychologist(actor)
    _require_member(actor, portrait, "support.add_portraitreport")
    portrait = Portrait.objects.select_for_update().get(pk=portrait.pk)
    versions = list(portrait.reports.order_by("-version"))
    draft = next((r for r in versions if r.status == ReportStatus.DRAFT), None)
    if draft is not None:
        raise ValidationError(MESSAGE_DRAFT_EXISTS % {"version": draft.version})
    previous = versions[0] if versions else None
    report = PortraitReport(
        portrait=portrait,
        version=(previous.version + 1) if previous else 1,
        created_by=actor,
    )
    if previous is not None:
        for name in CARRIED:
            setattr(report, name, getattr(previous, name))
    if language:
        report.language = language
    if issued_to:
        report.issued_to = issued_to
    changes: dict[str, tuple[Any, Any]] = {
        "version": (previous.version if previous else None, report.version)
    }
    _follow_assessment(actor, report, changes)
    report.full_clean()
    report.save()
    record(
        actor=actor,
        action="portrait.report_draft",
        subject=portrait,
        changes=changes,
        details={"report_id": report.pk},
    )
    return report


@transaction.atomic(durable=True)
def update_report(
    *,
    actor: User,
    report: PortraitReport,
    sections: dict[str, str] | None = None,
    completed: dict[str, bool] | None = None,
    language: str | None = None,
    issued_to: str | None = None,
    alternatives: list[str] | None = None,
) -> PortraitReport:
    """Change a draft: section texts, which are completed, language, addressee, alternatives."""
    _active(actor)
    _require_psychologist(actor)
    _require_member(actor, report.portrait, "support.change_portraitreport")
    report = _locked_draft(report)
    changes: dict[str, tuple[Any, Any]] = {}
    for name, text in (sections or {}).items():
        if name not in SECTION_NAMES:
            raise ValidationError({name: _("This is not a section of the report.")})
        if getattr(report, name) != text.strip():
            changes[name] = (len(getattr(report, name)), len(text.strip()))
            setattr(report, name, text.strip())
    done = list(report.completed_sections)
    for name, flag in (completed or {}).items():
        if name not in SECTION_NAMES:
            raise ValidationError({name: _("This is not a section of the report.")})
        if flag and name not in done:
            done.append(name)
        elif not flag and name in done:
            done.remove(name)
    done = [name for name in SECTION_NAMES if name in done]
    if done != report.completed_sections:
        changes["completed_sections"] = (report.completed_sections, done)
        report.completed_sections = done
    if language is not None and language != report.language:
        changes["language"] = (report.language, language)
        report.language = language
    if issued_to is not None and issued_to != report.issued_to:
        changes["issued_to"] = (report.issued_to, issued_to)
        report.issued_to = issued_to
    if alternatives is not None:
        known = {code for code, _label in pdf.alternative_choices()}
        for code in alternatives:
            if code not in known:
                raise ValidationError(
                    {"alternatives": MESSAGE_UNKNOWN_ALTERNATIVE % {"code": code}}
                )
        chosen = list(dict.fromkeys(alternatives))
        if chosen != report.alternatives:
            changes["alternatives"] = (", ".join(report.alternatives), ", ".join(chosen))
            report.alternatives = chosen
    _follow_assessment(actor, report, changes)
    report.full_clean()
    if changes:
        report.save()
        # Lengths, not texts, of the sections: the audit trail is not a copy of the report.
        record(
            actor=actor,
            action="portrait.report_edit",
            subject=report.portrait,
            changes=changes,
            details={"report_id": report.pk, "version": report.version},
        )
    return report


def signing_problems(report: PortraitReport) -> dict[str, list[Any]]:
    """What stops the report from being signed now, by field; empty when it may be signed."""
    problems: dict[str, list[Any]] = {}
    titles = dict(REPORT_SECTIONS)
    for rule in missing_interviews(report.portrait):
        problems.setdefault("interviews", []).append(
            MESSAGE_MISSING_INTERVIEW % {"what": rule.label, "citation": rule.citation}
        )
    for name in SECTION_NAMES:
        if not getattr(report, name).strip() or name not in report.completed_sections:
            problems[name] = [MESSAGE_SECTION_EMPTY % {"section": titles[name]}]
    return problems


def receiving_agencies(case: Proceeding, portrait: Portrait) -> list[Agency]:
    """Every agency taking part in the case besides the consultation keeping the portrait."""
    ids = {case.registering_agency_id, case.investigator.agency_id, case.court_id}
    if case.prosecutor_id is not None:
        ids.add(case.prosecutor.agency_id)  # type: ignore[union-attr]
    ids |= set(
        Participant.objects.filter(proceeding=case, user__isnull=False).values_list(
            "user__agency_id", flat=True
        )
    )
    wanted = {pk for pk in ids if pk is not None and pk != portrait.agency_id}
    return list(Agency.objects.filter(pk__in=wanted).order_by("pk"))


@transaction.atomic(durable=True)
def sign_report(*, actor: User, report: PortraitReport, declaration: bool) -> PortraitReport:
    """Sign and issue a draft: PDF made and frozen, the case's agencies see it, disclosures kept."""
    _active(actor)
    _require_psychologist(actor)
    _require_member(actor, report.portrait, "support.sign_portraitreport")
    report = _locked_draft(report)
    problems = signing_problems(report)
    if not declaration:
        problems["declaration"] = [MESSAGE_DECLARATION]
    if problems:
        raise ValidationError(problems)
    # The assessment is looked up a last time and frozen with the version.
    followed: dict[str, tuple[Any, Any]] = {}
    _follow_assessment(actor, report, followed)
    now = timezone.now()
    report.status = ReportStatus.SIGNED
    report.signed_by = actor
    report.signed_at = now
    content = pdf.render_pdf(pdf.build_document(report), when=now)
    report.pdf = content
    report.pdf_sha256 = hashlib.sha256(content).hexdigest()
    report.pdf_size = len(content)
    report.full_clean()
    # save() refuses a signed row; this one is signed by this very save.
    PortraitReport.objects.filter(pk=report.pk, status=ReportStatus.DRAFT).update(
        status=report.status,
        signed_by=actor,
        signed_at=now,
        pdf=content,
        pdf_sha256=report.pdf_sha256,
        pdf_size=report.pdf_size,
        assessment=report.assessment,
        updated_at=now,
    )
    portrait = report.portrait
    case = portrait.accused.proceeding
    # The assessment's levels and reasons go to the case's agencies with the report: a
    # disclosure by the psychologist, written in each row of the record of disclosures.
    assessment = report.assessment
    shared = disclosure_note(assessment, report.language) if assessment else ""
    for agency in receiving_agencies(case, portrait):
        Disclosure.objects.create(
            portrait=portrait,
            report=report,
            kind=DisclosureKind.ISSUED,
            recipient_agency=agency,
            by=actor,
            at=now,
            details=shared,
            purpose=IssuedTo(report.issued_to).value,
        )
    record(
        actor=actor,
        action="portrait.report_sign",
        subject=portrait,
        changes={"status": (ReportStatus.DRAFT.value, ReportStatus.SIGNED.value), **followed},
        details={
            "report_id": report.pk,
            "version": report.version,
            "language": report.language,
            "sha256": report.pdf_sha256,
            "size": report.pdf_size,
            "assessment_id": report.assessment_id,
        },
    )
    return report


@transaction.atomic(durable=True)
def read_report(*, actor: User, report: PortraitReport, download: bool = False) -> PortraitReport:
    """Open a report (or download its PDF): audited; a reader outside the consultation is
    written to the portrait's record of disclosures."""
    _active(actor)
    found = PortraitReport.objects.visible_to(actor).filter(pk=report.pk).first()
    if found is None:
        raise PermissionDenied(MESSAGE_NOT_CONSULTATION)
    found = PortraitReport.objects.select_related("portrait").get(pk=report.pk)
    portrait = found.portrait
    if found.is_signed and not is_member(actor, portrait):
        Disclosure.objects.create(
            portrait=portrait,
            report=found,
            kind=DisclosureKind.DOWNLOADED if download else DisclosureKind.READ,
            recipient_agency=actor.agency,
            recipient=actor,
            by=None,
            at=timezone.now(),
        )
    record(
        actor=actor,
        action="portrait.report_download" if download else "portrait.report_view",
        subject=portrait,
        details={"report_id": found.pk, "version": found.version},
    )
    return found


@transaction.atomic(durable=True)
def record_disclosure(
    *,
    actor: User,
    portrait: Portrait,
    recipient_name: str,
    details: str,
    purpose: str,
    at: datetime.datetime | None = None,
) -> Disclosure:
    """Information about the child shared outside the system (by phone, on paper): recorded."""
    _require_member(actor, portrait, "support.add_disclosure")
    errors: dict[str, Any] = {}
    if not recipient_name.strip():
        errors["recipient_name"] = MESSAGE_RECIPIENT_REQUIRED
    if not details.strip():
        errors["details"] = MESSAGE_DETAILS_REQUIRED
    if not purpose.strip():
        errors["purpose"] = MESSAGE_PURPOSE_REQUIRED
    when = at or timezone.now()
    try:
        check_times(portrait.accused.proceeding, when, start_field="at")
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    disclosure = Disclosure(
        portrait=portrait,
        kind=DisclosureKind.OTHER,
        recipient_name=recipient_name.strip(),
        details=details.strip(),
        purpose=purpose.strip(),
        by=actor,
        at=when,
    )
    disclosure.full_clean()
    disclosure.save()
    record(
        actor=actor,
        action="portrait.disclosure",
        subject=portrait,
        changes={"disclosed_to": (None, disclosure.recipient_name)},
        details={"disclosure_id": disclosure.pk},
    )
    return disclosure


__all__ = [
    "add_note",
    "missing_interviews",
    "read_report",
    "receiving_agencies",
    "record_disclosure",
    "record_document",
    "record_interview",
    "sign_report",
    "signing_problems",
    "start_portrait",
    "start_report_version",
    "update_report",
    "view_portrait",
]
