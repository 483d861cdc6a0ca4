"""The social-psychological portrait in the JSON API: thin over qorgau.support.services.portrait.

Interviews, documents, notes and the record of disclosures are the keeping consultation's
working material: for anyone else (investigator, prosecutor, judge, a defender or psychologist
of another consultation, an outsider) those endpoints answer 404, as if nothing existed. A
report becomes readable by every agency taking part in the case once it is signed; each
reading and download by someone outside the consultation is recorded as a disclosure.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Router, Status

from qorgau.api.common import acting_user, responses
from qorgau.api.portraits_schemas import (
    DisclosureIn,
    DisclosureOut,
    DocumentIn,
    DocumentOut,
    InterviewIn,
    InterviewOut,
    NoteIn,
    NoteOut,
    PortraitOut,
    ReportIn,
    ReportOut,
    ReportPatch,
    ReportRow,
    SignIn,
)
from qorgau.api.versions import IF_MATCH_DESCRIPTION, IfMatch, expected_version, with_etag
from qorgau.proceedings.models import Accused, Proceeding
from qorgau.support.models import Portrait, PortraitReport
from qorgau.support.selectors import portrait as selectors
from qorgau.support.services import portrait as services

router = Router(tags=["portraits"])

MESSAGE_NO_OFFSET = _(
    "Give the time with its offset from UTC, for example 2026-03-01T21:30:00+05:00."
)
CONSULTATION = (
    "Only social psychologists and psychology-student interns of the consultation keeping the "
    "portrait; for anyone else it answers 404."
)
READERS = (
    "The consultation sees every version; every other agency taking part in the case sees the "
    "signed versions only, and each of its readings is recorded as a disclosure."
)


def _minor(request: HttpRequest, case_id: int, accused_id: int) -> Accused:
    user = acting_user(request)
    case = Proceeding.objects.visible_to(user).get(pk=case_id)
    return Accused.objects.select_related("juvenile", "proceeding").get(
        proceeding=case, pk=accused_id
    )


def _kept(request: HttpRequest, portrait_id: int) -> Portrait:
    return selectors.kept_portrait(acting_user(request), portrait_id)


def _aware(field: str, moment: Any) -> None:
    from django.utils import timezone

    if moment is not None and timezone.is_naive(moment):
        raise ValidationError({field: MESSAGE_NO_OFFSET})


def _portrait_out(request: HttpRequest, portrait: Portrait) -> dict[str, Any]:
    user = acting_user(request)
    member = services.is_member(user, portrait)
    missing = services.missing_interviews(portrait) if member else []
    return {
        "id": portrait.pk,
        "case": portrait.accused.proceeding_id,
        "accused": portrait.accused_id,
        "agency": portrait.agency,
        "lead": portrait.lead,
        "created_at": portrait.created_at,
        "member": member,
        "missing_interviews": [
            {"code": rule.code, "text": rule.label, "citation": rule.citation} for rule in missing
        ],
        "reports": selectors.reports_for(user, portrait),
    }


@router.get(
    "/cases/{case_id}/minors/{accused_id}/portrait",
    response=responses({200: PortraitOut}, 401, 404),
    summary="Read a minor's social-psychological portrait",
    description=(
        "The portrait's keeper, lead psychologist, the interviews still missing for a report "
        "(consultation only) and the report versions. " + READERS + " Without a visible "
        "portrait (none started, or none issued to the caller's agency) it answers 404."
    ),
)
def read_portrait(request: HttpRequest, case_id: int, accused_id: int) -> dict[str, Any]:
    user = acting_user(request)
    accused = _minor(request, case_id, accused_id)
    portrait = selectors.portrait_of(user, accused)
    if portrait is None:
        raise Portrait.DoesNotExist
    return _portrait_out(request, portrait)


@router.post(
    "/cases/{case_id}/minors/{accused_id}/portrait",
    response=responses({201: PortraitOut}, 401, 403, 404, 422),
    summary="Start a minor's social-psychological portrait",
    description=(
        "The caller's consultation keeps the portrait and the caller leads it. Social "
        "psychologists of an agency taking part in the case only; others get 403. A second "
        "portrait of the same minor is refused with 422."
    ),
)
def start_portrait(request: HttpRequest, case_id: int, accused_id: int) -> Status[dict[str, Any]]:
    user = acting_user(request)
    accused = _minor(request, case_id, accused_id)
    portrait = services.start_portrait(actor=user, accused=accused)
    return Status(201, _portrait_out(request, portrait))


@router.get(
    "/portraits/{portrait_id}/interviews",
    response=responses({200: list[InterviewOut]}, 401, 403, 404),
    summary="List a portrait's interviews",
    description="Oldest first; the reading is audited. " + CONSULTATION,
)
def list_portrait_interviews(request: HttpRequest, portrait_id: int) -> list[Any]:
    portrait = _kept(request, portrait_id)
    services.view_portrait(actor=acting_user(request), portrait=portrait, what="interviews")
    return list(portrait.interviews.select_related("recorded_by"))


@router.post(
    "/portraits/{portrait_id}/interviews",
    response=responses({201: InterviewOut}, 401, 403, 404, 422),
    summary="Record an interview",
    description=(
        "With the minor, a parent, another legal representative, a teacher or another person "
        "close to the child; `held_at` with its UTC offset, not in the future nor before the "
        "offence. " + CONSULTATION
    ),
)
def record_portrait_interview(
    request: HttpRequest, portrait_id: int, payload: InterviewIn
) -> Status[Any]:
    portrait = _kept(request, portrait_id)
    _aware("held_at", payload.held_at)
    item = services.record_interview(
        actor=acting_user(request), portrait=portrait, **payload.model_dump()
    )
    return Status(201, item)


@router.get(
    "/portraits/{portrait_id}/documents",
    response=responses({200: list[DocumentOut]}, 401, 403, 404),
    summary="List a portrait's collected documents",
    description="The reading is audited. " + CONSULTATION,
)
def list_portrait_documents(request: HttpRequest, portrait_id: int) -> list[Any]:
    portrait = _kept(request, portrait_id)
    services.view_portrait(actor=acting_user(request), portrait=portrait, what="documents")
    return list(portrait.documents.select_related("recorded_by"))


@router.post(
    "/portraits/{portrait_id}/documents",
    response=responses({201: DocumentOut}, 401, 403, 404, 422),
    summary="Record a collected document",
    description="A school reference, medical certificate, housing inspection act… " + CONSULTATION,
)
def record_portrait_document(
    request: HttpRequest, portrait_id: int, payload: DocumentIn
) -> Status[Any]:
    portrait = _kept(request, portrait_id)
    item = services.record_document(
        actor=acting_user(request), portrait=portrait, **payload.model_dump()
    )
    return Status(201, item)


@router.get(
    "/portraits/{portrait_id}/notes",
    response=responses({200: list[NoteOut]}, 401, 403, 404),
    summary="List the confidential working notes",
    description="Newest first; the reading is audited. " + CONSULTATION,
)
def list_portrait_notes(request: HttpRequest, portrait_id: int) -> list[Any]:
    portrait = _kept(request, portrait_id)
    services.view_portrait(actor=acting_user(request), portrait=portrait, what="notes")
    return list(portrait.notes.select_related("author"))


@router.post(
    "/portraits/{portrait_id}/notes",
    response=responses({201: NoteOut}, 401, 403, 404, 422),
    summary="Write a confidential working note",
    description=CONSULTATION,
)
def add_portrait_note(request: HttpRequest, portrait_id: int, payload: NoteIn) -> Status[Any]:
    portrait = _kept(request, portrait_id)
    return Status(
        201, services.add_note(actor=acting_user(request), portrait=portrait, text=payload.text)
    )


@router.get(
    "/portraits/{portrait_id}/disclosures",
    response=responses({200: list[DisclosureOut]}, 401, 404),
    summary="What was shared, with whom, when",
    description=(
        "Every issue of a report to an agency, every reading and download by someone outside "
        "the consultation, and other information shared as recorded. " + CONSULTATION
    ),
)
def list_portrait_disclosures(request: HttpRequest, portrait_id: int) -> list[Any]:
    portrait = _kept(request, portrait_id)
    return selectors.disclosures_of(acting_user(request), portrait)


@router.post(
    "/portraits/{portrait_id}/disclosures",
    response=responses({201: DisclosureOut}, 401, 403, 404, 422),
    summary="Record information shared outside the system",
    description=CONSULTATION,
)
def record_portrait_disclosure(
    request: HttpRequest, portrait_id: int, payload: DisclosureIn
) -> Status[Any]:
    portrait = _kept(request, portrait_id)
    _aware("at", payload.at)
    item = services.record_disclosure(
        actor=acting_user(request), portrait=portrait, **payload.model_dump()
    )
    return Status(201, item)


@router.get(
    "/portraits/{portrait_id}/reports",
    response=responses({200: list[ReportRow]}, 401, 404),
    summary="List the report versions",
    description="Newest first. " + READERS,
)
def list_portrait_reports(request: HttpRequest, portrait_id: int) -> list[PortraitReport]:
    user = acting_user(request)
    return selectors.reports_for(user, selectors.visible_portrait(user, portrait_id))


@router.post(
    "/portraits/{portrait_id}/reports",
    response=responses({201: ReportOut}, 401, 403, 404, 422),
    summary="Start a new version of the report",
    description=(
        "Version 1, or the next one carrying over the last version's text and choices; refused "
        "with 422 while a draft is open. Social psychologists of the consultation only; an intern "
        "gets 403. " + CONSULTATION
    ),
)
def start_portrait_report(request: HttpRequest, portrait_id: int, payload: ReportIn) -> Status[Any]:
    portrait = _kept(request, portrait_id)
    report = services.start_report_version(
        actor=acting_user(request),
        portrait=portrait,
        language=payload.language,
        issued_to=payload.issued_to,
    )
    return Status(201, report)


@router.get(
    "/portrait-reports/{report_id}",
    response=responses({200: ReportOut}, 401, 404),
    summary="Read a report version",
    description="The reading is audited. " + READERS,
)
@with_etag
def read_portrait_report(request: HttpRequest, report_id: int) -> PortraitReport:
    user = acting_user(request)
    report = selectors.visible_report(user, report_id)
    return services.read_report(actor=user, report=report)


@router.patch(
    "/portrait-reports/{report_id}",
    response=responses({200: ReportOut}, 401, 403, 404, 412, 422, 428),
    summary="Change a draft report",
    description=(
        "Section texts, which sections are completed, the language (kk or ru) of the PDF, "
        "the addressee and the alternatives to deprivation of liberty. A signed version is "
        "frozen: 422. Social psychologists of the consultation only. `If-Match` carries the "
        "draft's `revision` (its ETag), not the report's `version` number. "
        + IF_MATCH_DESCRIPTION
        + " "
        + CONSULTATION
    ),
)
@with_etag
def change_portrait_report(
    request: HttpRequest, report_id: int, payload: ReportPatch, if_match: IfMatch = None
) -> PortraitReport:
    user = acting_user(request)
    report = PortraitReport.objects.kept_by(user).get(pk=report_id)
    revision = expected_version(if_match)
    return services.update_report(
        actor=user, report=report, revision=revision, **payload.model_dump()
    )


@router.post(
    "/portrait-reports/{report_id}/sign",
    response=responses({200: ReportOut}, 401, 403, 404, 422),
    summary="Sign and issue a report",
    description=(
        "Makes the PDF in the report's language and freezes the version with its SHA-256; every "
        "agency taking part in the case may then read it, and a disclosure is recorded for each. "
        "Refused with 422 naming each missing interview the rules require (`interviews`), each "
        "section not completed, and a declaration not given. Social psychologists of the "
        "consultation only; an intern gets 403. " + CONSULTATION
    ),
)
def sign_portrait_report(request: HttpRequest, report_id: int, payload: SignIn) -> PortraitReport:
    user = acting_user(request)
    report = PortraitReport.objects.kept_by(user).get(pk=report_id)
    return services.sign_report(actor=user, report=report, declaration=payload.declaration)


@router.get(
    "/portrait-reports/{report_id}/pdf",
    response=responses({200: None}, 401, 404),
    summary="Download the report as PDF",
    description=(
        "application/pdf: the frozen file of a signed version, or a draft marked as such "
        "(consultation only). The download is audited. " + READERS
    ),
)
def download_portrait_report(request: HttpRequest, report_id: int) -> HttpResponse:
    from qorgau.support import pdf

    user = acting_user(request)
    report = selectors.visible_report(user, report_id)
    report = services.read_report(actor=user, report=report, download=True)
    if report.is_signed:
        content = bytes(report.pdf or b"")
    else:
        content = pdf.render_pdf(pdf.build_document(report))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="portrait-v{report.version}-{report.language}.pdf"'
    )
    return response
