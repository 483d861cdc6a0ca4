"""Sentence execution by probation and re-socialization after release, in the JSON API.

Thin over qorgau.probation.services, which check the caller's service, the status of the
supervision, the dates and the hours, write in one transaction and audit. A supervision or
release outside the caller's scope answers 404.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Router, Status

from qorgau.accounts.models import User
from qorgau.api.common import acting_user, responses
from qorgau.api.probation_schemas import (
    BreachIn,
    CheckInIn,
    EndIn,
    FollowUpIn,
    FollowUpOut,
    HoursIn,
    PlanIn,
    RegisterIn,
    ReleaseIn,
    ReleaseOut,
    SupervisionDetailOut,
    SupervisionOut,
)
from qorgau.people.models import Juvenile
from qorgau.probation import selectors, services
from qorgau.probation.models import FollowUp, Release, Supervision
from qorgau.probation.rulebook import probation_book
from qorgau.proceedings.models import Accused, Proceeding

router = Router(tags=["probation"])

MESSAGE_UNKNOWN_STAFF = _("There is no active staff member with the number %(id)s.")
MESSAGE_UNKNOWN_CASE = _("There is no case with the number %(id)s against this minor.")
MESSAGE_UNKNOWN_JUVENILE = _("There is no juvenile with the number %(id)s that you may see.")
MESSAGE_UNKNOWN_ACCUSED = _("There is no case track with the number %(id)s of this minor.")

SCOPE = (
    "A supervision is seen by the probation service holding it and by the agencies of the "
    "minor's case; another probation service gets 404. Every reading is audited."
)
RECORDERS = (
    "Only inspectors of the probation service holding the supervision "
    "(`probation.change_supervision`) may call it; others get 403 or 404."
)


def _ref(obj: Any) -> dict[str, Any] | None:
    if obj is None:
        return None
    name = obj.get_full_name() if isinstance(obj, User) else str(obj)
    return {"id": obj.pk, "name": name or str(obj)}


def _out(supervision: Supervision, *, detailed: bool = False) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "id": supervision.pk,
        "case": supervision.proceeding_id,
        "accused": supervision.accused_id,
        "juvenile": {"id": supervision.juvenile_id, "name": supervision.juvenile.full_name},
        "agency": _ref(supervision.agency),
        "inspector": _ref(supervision.inspector),
        **{
            name: getattr(supervision, name)
            for name in (
                "basis",
                "punishment",
                "term_months",
                "deferral_ground",
                "changed_on_appeal",
                "starts_on",
                "ends_on",
                "report_by",
                "status",
                "registered_on",
                "report_every_days",
                "next_check_in_on",
                "obligations",
                "work_hours",
                "hours_worked",
                "ended_on",
                "end_reason",
            )
        },
        "new_proceeding": supervision.new_proceeding_id,
    }
    if detailed:
        answer["check_ins"] = [
            {
                "id": c.pk,
                "due_on": c.due_on,
                "attendance": c.attendance,
                "reason": c.reason,
                "notes": c.notes,
            }
            for c in supervision.checkins.all()
        ]
        answer["breaches"] = [
            {
                "id": b.pk,
                "occurred_on": b.occurred_on,
                "description": b.description,
                "response": b.response,
            }
            for b in supervision.breaches.all()
        ]
        answer["work"] = [
            {"id": w.pk, "worked_on": w.worked_on, "hours": w.hours, "place": w.place}
            for w in supervision.work.all()
        ]
        answer["reminders"] = [
            {"kind": r.kind, "due_on": r.due_on} for r in supervision.reminders.all()
        ]
    return answer


def _answer(supervision: Supervision) -> dict[str, Any]:
    return _out(selectors.with_details(supervision), detailed=True)


def _supervision(user: User, supervision_id: int) -> Supervision:
    return Supervision.objects.visible_to(user).get(pk=supervision_id)


@router.get(
    "/probation/caseload",
    response=responses({200: list[SupervisionOut]}, 401, 403),
    summary="The probation service's caseload",
    description="The open supervisions of the caller's probation service, the next check-in "
    "first (at most the first 200). Probation inspectors only; others get 403.",
)
def list_probation_caseload(request: HttpRequest) -> list[dict[str, Any]]:
    user = acting_user(request, "probation.change_supervision")
    return [_out(s) for s in selectors.caseload(actor=user)[:200]]


@router.get(
    "/supervisions/{supervision_id}",
    response=responses({200: SupervisionDetailOut}, 401, 403, 404),
    summary="Read a supervision",
    description="The sentence, the report deadline, the plan, check-ins, breaches, hours "
    "worked and open reminders. Staff whose role reads cases; others get 403. " + SCOPE,
)
def read_supervision(request: HttpRequest, supervision_id: int) -> dict[str, Any]:
    user = acting_user(request, "probation.view_supervision")
    return _answer(services.view_supervision(actor=user, pk=supervision_id))


@router.post(
    "/supervisions/{supervision_id}/registration",
    response=responses({200: SupervisionDetailOut}, 400, 401, 403, 404, 422),
    summary="Register the minor who reported",
    description="The minor reported: registered with an inspector of the service; a deferred "
    "sentence names its ground. " + RECORDERS,
)
def register_supervision(
    request: HttpRequest, supervision_id: int, payload: RegisterIn
) -> dict[str, Any]:
    user = acting_user(request)
    supervision = _supervision(user, supervision_id)
    inspector = None
    if payload.inspector is not None:
        inspector = User.objects.filter(pk=payload.inspector, is_active=True).first()
        if inspector is None:
            raise ValidationError({"inspector": MESSAGE_UNKNOWN_STAFF % {"id": payload.inspector}})
    services.register(actor=user, supervision=supervision, registered_on=payload.registered_on,
                      inspector=inspector, deferral_ground=payload.deferral_ground)  # fmt: skip
    return _answer(supervision)


@router.post(
    "/supervisions/{supervision_id}/plan",
    response=responses({200: SupervisionDetailOut}, 400, 401, 403, 404, 422),
    summary="Set the supervision plan",
    description="How often the minor reports and from when, the obligations, the hours of "
    "work. " + RECORDERS,
)
def set_supervision_plan(
    request: HttpRequest, supervision_id: int, payload: PlanIn
) -> dict[str, Any]:
    user = acting_user(request)
    supervision = _supervision(user, supervision_id)
    services.set_plan(
        actor=user, supervision=supervision, report_every_days=payload.report_every_days,
        first_check_in_on=payload.first_check_in_on, obligations=payload.obligations,
        work_hours=payload.work_hours,
    )  # fmt: skip
    return _answer(supervision)


@router.post(
    "/supervisions/{supervision_id}/check-ins",
    response=responses({201: SupervisionDetailOut}, 400, 401, 403, 404, 422),
    summary="Record a check-in",
    description="Attended, missed (raises a reminder) or excused with a reason. Refused (422) "
    "for a minor not under supervision: not yet registered, or the supervision ended. " + RECORDERS,
)
def record_check_in(
    request: HttpRequest, supervision_id: int, payload: CheckInIn
) -> Status[dict[str, Any]]:
    user = acting_user(request)
    supervision = _supervision(user, supervision_id)
    services.record_check_in(
        actor=user, supervision=supervision, due_on=payload.due_on,
        attendance=payload.attendance, reason=payload.reason, notes=payload.notes,
    )  # fmt: skip
    return Status(201, _answer(supervision))


@router.post(
    "/supervisions/{supervision_id}/breaches",
    response=responses({201: SupervisionDetailOut}, 400, 401, 403, 404, 422),
    summary="Record a breach and the response",
    description="A written warning or a submission to the court. " + RECORDERS,
)
def record_breach(
    request: HttpRequest, supervision_id: int, payload: BreachIn
) -> Status[dict[str, Any]]:
    user = acting_user(request)
    supervision = _supervision(user, supervision_id)
    services.record_breach(
        actor=user, supervision=supervision, occurred_on=payload.occurred_on,
        description=payload.description, response=payload.response,
    )  # fmt: skip
    return Status(201, _answer(supervision))


@router.post(
    "/supervisions/{supervision_id}/hours",
    response=responses({201: SupervisionDetailOut}, 400, 401, 403, 404, 422),
    summary="Record hours of work",
    description="Refused (422 on `hours`) beyond the hours the sentence left. " + RECORDERS,
)
def record_work_hours(
    request: HttpRequest, supervision_id: int, payload: HoursIn
) -> Status[dict[str, Any]]:
    user = acting_user(request)
    supervision = _supervision(user, supervision_id)
    services.record_hours(actor=user, supervision=supervision, worked_on=payload.worked_on,
                          hours=payload.hours, place=payload.place)  # fmt: skip
    return Status(201, _answer(supervision))


@router.post(
    "/supervisions/{supervision_id}/end",
    response=responses({200: SupervisionDetailOut}, 400, 401, 403, 404, 422),
    summary="End the supervision",
    description="Served, early release, revoked or a new offence (naming its case). Refused "
    "(422 on `ended_on`) before the supervision began. " + RECORDERS,
)
def end_supervision(request: HttpRequest, supervision_id: int, payload: EndIn) -> dict[str, Any]:
    user = acting_user(request)
    supervision = _supervision(user, supervision_id)
    new_case = None
    if payload.new_proceeding is not None:
        new_case = Proceeding.objects.filter(
            pk=payload.new_proceeding, accused__juvenile_id=supervision.juvenile_id
        ).first()
        if new_case is None:
            message = MESSAGE_UNKNOWN_CASE % {"id": payload.new_proceeding}
            raise ValidationError({"new_proceeding": message})
    services.end_supervision(
        actor=user, supervision=supervision, ended_on=payload.ended_on, reason=payload.reason,
        notes=payload.notes, new_proceeding=new_case,
    )  # fmt: skip
    return _answer(supervision)


def _follow_up(follow_up: FollowUp) -> dict[str, Any]:
    release = follow_up.release
    return {
        "id": follow_up.pk,
        "release": release.pk,
        "juvenile": {"id": release.juvenile_id, "name": release.juvenile.full_name},
        "months": follow_up.months,
        "due_on": follow_up.due_on,
        "done_on": follow_up.done_on,
        "outcome": follow_up.outcome,
        "notes": follow_up.notes,
    }


def _release(user: User, release: Release) -> dict[str, Any]:
    release = selectors.release_details(release)
    needs, _tasks = selectors.plan_parts(actor=user, release=release)
    return {
        "id": release.pk,
        "juvenile": {"id": release.juvenile_id, "name": release.juvenile.full_name},
        "accused": release.accused_id,
        "institution": release.institution,
        "institution_kind": release.institution_kind,
        "released_on": release.released_on,
        "basis": release.basis,
        "legal_basis": release.basis_citation,
        "agency": _ref(release.agency),
        "plan": release.plan_id,
        "needs": [{"kind": n.kind, "description": n.description} for n in needs],
        "follow_ups": [_follow_up(f) for f in release.follow_ups.all()],
        "reoffending_cases": [a.proceeding_id for a in selectors.reoffences(release)],
    }


@router.get(
    "/probation/follow-ups",
    response=responses({200: list[FollowUpOut]}, 401, 403),
    summary="Follow-ups after release due",
    description="The follow-ups the caller's probation service has not recorded, the earliest "
    "first (at most 200). Probation inspectors only; others get 403.",
)
def list_follow_ups_due(request: HttpRequest) -> list[dict[str, Any]]:
    user = acting_user(request, "probation.change_release")
    return [_follow_up(f) for f in selectors.follow_ups_due(actor=user)[:200]]


@router.post(
    "/releases",
    response=responses({201: ReleaseOut}, 400, 401, 403, 404, 422),
    summary="Record a release from an institution",
    description="Opens the re-socialization plan on the minor's support plan (one need per "
    "area described) and the follow-ups at the months of the rule file. Staff of a probation "
    "service (`probation.add_release`); others get 403.",
)
def record_release(request: HttpRequest, payload: ReleaseIn) -> Status[dict[str, Any]]:
    user = acting_user(request, "probation.add_release")
    juvenile = Juvenile.objects.seen_by(user).filter(pk=payload.juvenile).first()
    if juvenile is None:
        raise ValidationError({"juvenile": MESSAGE_UNKNOWN_JUVENILE % {"id": payload.juvenile}})
    accused = None
    if payload.accused is not None:
        accused = Accused.objects.filter(pk=payload.accused, juvenile=juvenile).first()
        if accused is None:
            raise ValidationError({"accused": MESSAGE_UNKNOWN_ACCUSED % {"id": payload.accused}})
    release = services.record_release(
        actor=user, juvenile=juvenile, accused=accused, institution=payload.institution,
        institution_kind=payload.institution_kind, released_on=payload.released_on,
        basis=payload.basis, areas=payload.areas,
    )  # fmt: skip
    return Status(201, _release(user, release))


@router.get(
    "/releases/{release_id}",
    response=responses({200: ReleaseOut}, 401, 403, 404),
    summary="Read a release and its re-socialization plan",
    description="The release, the plan's needs, the follow-ups and the minor's cases within "
    "the re-offending window. The probation service following the minor up and the agencies "
    "of the case; others get 404. Audited.",
)
def read_release(request: HttpRequest, release_id: int) -> dict[str, Any]:
    user = acting_user(request, "probation.view_release")
    return _release(user, services.view_release(actor=user, pk=release_id))


@router.post(
    "/follow-ups/{follow_up_id}",
    response=responses({200: FollowUpOut}, 400, 401, 403, 404, 422),
    summary="Record a follow-up after release",
    description="Its date and outcome, once. The probation service following the minor up "
    "(`probation.change_release`); others get 403.",
)
def record_follow_up(
    request: HttpRequest, follow_up_id: int, payload: FollowUpIn
) -> dict[str, Any]:
    user = acting_user(request, "probation.change_release")
    follow_up = FollowUp.objects.get(pk=follow_up_id)
    done = services.record_follow_up(actor=user, follow_up=follow_up, done_on=payload.done_on,
                                     outcome=payload.outcome, notes=payload.notes)  # fmt: skip
    return _follow_up(FollowUp.objects.select_related("release__juvenile").get(pk=done.pk))


@router.get(
    "/probation-rules",
    response=responses({200: dict[str, Any]}, 401),
    summary="The law of sentence execution by probation and aftercare",
    tags=["reference"],
    description="The report deadline, the sentences supervised, the deferral grounds, the "
    "bases of release and the aftercare months; each rule with its citation, whether it is "
    "confirmed, its dates in force and its kk/ru/en text. Any signed-in staff member.",
)
def read_probation_rules(request: HttpRequest) -> dict[str, Any]:
    acting_user(request)
    book = probation_book()
    return {
        "profile": book.profile,
        "sections": {
            name: [
                {
                    "code": r.code,
                    "citation": r.citation,
                    "confirmed": r.confirmed,
                    "valid_from": r.valid_from,
                    "valid_to": r.valid_to,
                    "text": r.text,
                    **r.attributes,
                }
                for r in rules
            ]
            for name, rules in book.rules.items()
        },
    }
