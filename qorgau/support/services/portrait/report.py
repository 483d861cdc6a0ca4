"""The report: versions, sections, signing with its PDF, and reading it."""

import datetime
import hashlib
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.models import Agency, User
from qorgau.audit.services import record
from qorgau.core.versioning import check_version
from qorgau.proceedings.models import Participant, Proceeding
from qorgau.support import pdf
from qorgau.support.models.portrait import (
    REPORT_SECTIONS,
    Disclosure,
    DisclosureKind,
    IssuedTo,
    Portrait,
    PortraitReport,
    ReportStatus,
)
from qorgau.support.portrait_rules import RequiredInterview, portrait_rules
from qorgau.support.report_assessment import disclosure_note
from qorgau.support.services.portrait.common import (
    CARRIED,
    MESSAGE_DECLARATION,
    MESSAGE_DRAFT_EXISTS,
    MESSAGE_MISSING_INTERVIEW,
    MESSAGE_NOT_CONSULTATION,
    MESSAGE_SECTION_EMPTY,
    MESSAGE_UNKNOWN_ALTERNATIVE,
    SECTION_NAMES,
    _active,
    _follow_assessment,
    _locked_draft,
    _require_member,
    _require_psychologist,
    is_member,
)


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
    revision: int | None = None,
) -> PortraitReport:
    """Change a draft: section texts, which are completed, language, addressee, alternatives.

    `revision` is the draft's revision the change was based on (None: not checked).
    """
    _active(actor)
    _require_psychologist(actor)
    _require_member(actor, report.portrait, "support.change_portraitreport")
    report = _locked_draft(report)
    sent = {**(sections or {}), "language": language, "issued_to": issued_to}
    check_version(
        report, revision, {name: value for name, value in sent.items() if value is not None}
    )
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
