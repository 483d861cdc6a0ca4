"""Risk and needs assessments in the JSON API: the instrument, a minor's assessments, drafts,
completion, reassessment. Thin over qorgau.support.services.assessment, which checks the role,
the agency and the child, validates and audits; an unknown id in the body answers 422 naming
the field, an assessment or child outside the caller's scope 404."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Router, Status

from qorgau.api.assessment_schemas import AnswersIn, AssessmentIn, AssessmentOut, InstrumentOut
from qorgau.api.common import acting_user, responses
from qorgau.api.versions import IF_MATCH_DESCRIPTION, IfMatch, expected_version, with_etag
from qorgau.people.models import Juvenile
from qorgau.proceedings.models import Accused, Proceeding
from qorgau.support.instrument import Instrument, library
from qorgau.support.models import Assessment
from qorgau.support.selectors import assessment as selectors
from qorgau.support.services import assessment as services

router = Router(tags=["assessments"])

MESSAGE_UNKNOWN_ACCUSED = _("There is no accused minor with the number %(id)s in your cases.")

READERS = (
    "Staff whose role reads assessments (`support.view_assessment`: the assessors, "
    "investigators, prosecutors, defence lawyers, judges and child-rights specialists); others "
    "get 403."
)
ASSESSORS = (
    "Court social workers, social psychologists, probation inspectors and juvenile police "
    "inspectors only (`support.add_assessment`); others get 403."
)
SCOPE = (
    "An assessment is seen by the author's agency and by the agencies of the cases of that "
    "child; a draft only by its author. Anything else answers 404. Every reading is written "
    "to the audit trail."
)


def _instrument(code: str, version: int | None = None) -> Instrument:
    found = library().current(code) if version is None else library().get(code, version)
    if found is None:
        raise Http404
    return found


def _juvenile(request: HttpRequest, juvenile_id: int) -> Juvenile:
    user = acting_user(request)
    return Juvenile.objects.visible_to(user).get(pk=juvenile_id)


def _full(user: Any, pk: int) -> Assessment:
    found = selectors.visible(user, pk)
    if found is None:
        raise Http404
    return found


@router.get(
    "/instruments/{code}",
    response=responses({200: InstrumentOut}, 401, 404),
    summary="The assessment instrument in force",
    description=(
        "The version of the instrument in force today (`risk-needs`): its domains with their "
        "weights, items with their answers and scores, cut-offs of each level and how reasons "
        "are chosen, with every text in Kazakh, Russian and English. Any signed-in staff member."
    ),
)
def read_instrument(request: HttpRequest, code: str) -> Instrument:
    acting_user(request)
    return _instrument(code)


@router.get(
    "/instruments/{code}/versions/{version}",
    response=responses({200: InstrumentOut}, 401, 404),
    summary="A given version of the assessment instrument",
    description=(
        "An earlier or later version, as an assessment that used it reads it. Released versions "
        "never change. Any signed-in staff member."
    ),
)
def read_instrument_version(request: HttpRequest, code: str, version: int) -> Instrument:
    acting_user(request)
    return _instrument(code, version)


@router.get(
    "/juveniles/{juvenile_id}/assessments",
    response=responses({200: list[AssessmentOut]}, 401, 403, 404),
    summary="A minor's risk and needs assessments",
    description="Newest first. " + READERS + " " + SCOPE,
)
def list_assessments(request: HttpRequest, juvenile_id: int) -> list[Assessment]:
    user = acting_user(request, "support.view_assessment")
    juvenile = _juvenile(request, juvenile_id)
    return services.view_assessments_of(actor=user, juvenile=juvenile)


@router.post(
    "/juveniles/{juvenile_id}/assessments",
    response=responses({201: AssessmentOut}, 400, 401, 403, 404, 422),
    summary="Start a risk and needs assessment",
    description=(
        "A draft with the instrument version in force today; `answers` may be partial, "
        "`accused` names the minor's track in a case the caller's agency takes part in. One "
        "draft per author and child. " + ASSESSORS
    ),
)
def start_assessment(
    request: HttpRequest, juvenile_id: int, payload: AssessmentIn
) -> Status[Assessment]:
    user = acting_user(request, "support.add_assessment")
    juvenile = _juvenile(request, juvenile_id)
    accused = None
    if payload.accused is not None:
        cases = Proceeding.objects.visible_to(user)
        accused = Accused.objects.filter(pk=payload.accused, proceeding__in=cases).first()
        if accused is None:
            raise ValidationError({"accused": MESSAGE_UNKNOWN_ACCUSED % {"id": payload.accused}})
    made = services.start_assessment(
        actor=user, juvenile=juvenile, accused=accused, answers=payload.answers,
        notes=payload.notes,
    )  # fmt: skip
    return Status(201, services.view_assessment(actor=user, pk=made.pk))


@router.get(
    "/assessments/{assessment_id}",
    response=responses({200: AssessmentOut}, 401, 403, 404),
    summary="Read a risk and needs assessment",
    description=(
        "The answers, the points per domain, both levels with the reasons in words and as "
        "stored, and the instrument version it used. " + READERS + " " + SCOPE
    ),
)
@with_etag
def read_assessment(request: HttpRequest, assessment_id: int) -> Assessment:
    user = acting_user(request, "support.view_assessment")
    return services.view_assessment(actor=user, pk=assessment_id)


@router.patch(
    "/assessments/{assessment_id}",
    response=responses({200: AssessmentOut}, 400, 401, 403, 404, 412, 422, 428),
    summary="Save answers of a draft",
    description=(
        "Changes the answers given (null clears one) and, when given, the notes; the other "
        "answers stay. Only the draft's author; a completed assessment answers 422. "
        + IF_MATCH_DESCRIPTION
        + " "
        + SCOPE
    ),
)
@with_etag
def save_answers(
    request: HttpRequest, assessment_id: int, payload: AnswersIn, if_match: IfMatch = None
) -> Assessment:
    user = acting_user(request, "support.change_assessment")
    draft = _full(user, assessment_id)
    version = expected_version(if_match)
    services.save_answers(
        actor=user,
        assessment=draft,
        answers=payload.answers,
        notes=payload.notes,
        version=version,
    )
    return services.view_assessment(actor=user, pk=draft.pk)


@router.post(
    "/assessments/{assessment_id}/complete",
    response=responses({200: AssessmentOut}, 401, 403, 404, 422),
    summary="Complete an assessment",
    description=(
        "Scores the draft against its instrument version. Refused with 422 while a required "
        "item is unanswered: one error per item, its field `answers.<item id>`, the message "
        "naming the item and its section; nothing is written then. Only the draft's author."
    ),
)
def complete_assessment(request: HttpRequest, assessment_id: int) -> Assessment:
    user = acting_user(request, "support.change_assessment")
    draft = _full(user, assessment_id)
    services.complete_assessment(actor=user, assessment=draft)
    return services.view_assessment(actor=user, pk=draft.pk)


@router.post(
    "/assessments/{assessment_id}/reassess",
    response=responses({201: AssessmentOut}, 401, 403, 404, 422),
    summary="Reassess",
    description=(
        "A new draft for the same child and case with the version in force today, starting "
        "from the earlier answers the version still asks; the completed one never changes. "
        + ASSESSORS
    ),
)
def reassess(request: HttpRequest, assessment_id: int) -> Status[Assessment]:
    user = acting_user(request, "support.add_assessment")
    earlier = _full(user, assessment_id)
    made = services.reassess(actor=user, assessment=earlier)
    return Status(201, services.view_assessment(actor=user, pk=made.pk))
