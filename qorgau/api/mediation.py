"""The mediation part of the accompaniment in the JSON API.

Thin over qorgau.mediation.services, which check the caller's role and agency, the status of
the mediation, the times and the schedule, write in one transaction and audit. Ids that name
nothing the caller may see answer 422 naming the field; a mediation or case outside the
caller's scope answers 404.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Router, Status

from qorgau.accounts.models import User
from qorgau.api.common import acting_user, responses
from qorgau.api.mediation_schemas import (
    AgreementIn,
    ConsentIn,
    MediationOut,
    PaymentIn,
    ReferIn,
    SessionIn,
    WithdrawIn,
)
from qorgau.api.versions import answer_etag
from qorgau.mediation import selectors, services
from qorgau.mediation.models import Agreement, Mediation
from qorgau.proceedings.models import Accused, Participant, Proceeding

router = Router(tags=["mediation"])

MESSAGE_UNKNOWN_ACCUSED = _("There is no accused minor with the number %(id)s that you may see.")
MESSAGE_UNKNOWN_PARTICIPANT = _("There is no participant with the number %(id)s in this case.")
MESSAGE_UNKNOWN_STAFF = _("There is no active staff member with the number %(id)s.")
MESSAGE_NO_OFFSET = _(
    "Give the time with its offset from UTC, for example 2026-03-01T21:30:00+05:00."
)

SCOPE = (
    "A mediation is seen by every agency taking part in its case and by the mediator's agency; "
    "outside that scope it answers 404. Session notes are returned only to the mediator's "
    "agency. Every reading is written to the audit trail."
)
RECORDERS = (
    "Only staff of the mediator's agency with the `mediation.change_mediation` permission "
    "(social psychologists) may call it; others get 403."
)


def _aware(field: str, moment: Any) -> None:
    if moment is not None and timezone.is_naive(moment):
        raise ValidationError({field: MESSAGE_NO_OFFSET})


def _person(user: User | None) -> dict[str, Any] | None:
    return {"id": user.pk, "name": user.get_full_name() or user.username} if user else None


def _out(user: User, mediation: Mediation, *, detailed: bool = False) -> dict[str, Any]:
    if not detailed:
        mediation = selectors.with_details(mediation)
    notes = services.may_read_notes(user, mediation)
    try:
        agreement: Agreement | None = mediation.agreement
    except Agreement.DoesNotExist:
        agreement = None
    representative = mediation.accused_representative
    return {
        "id": mediation.pk,
        "case": mediation.proceeding_id,
        "accused": mediation.accused_id,
        "victim": {"id": mediation.victim_id, "name": mediation.victim.full_name},
        "source": mediation.source,
        "status": mediation.status,
        "referred_at": mediation.referred_at,
        "referred_by": _person(mediation.referred_by),
        "mediator": _person(mediation.mediator),
        "professional_name": mediation.professional_name,
        "professional_registry_number": mediation.professional_registry_number,
        "gravity": mediation.gravity,
        "legal_basis": mediation.rule_citation,
        "accused_consent_at": mediation.accused_consent_at,
        "accused_representative": (
            {"id": representative.pk, "name": representative.full_name} if representative else None
        ),
        "victim_consent_at": mediation.victim_consent_at,
        "victim_representative": mediation.victim_representative,
        "ended_at": mediation.ended_at,
        "ended_side": mediation.ended_side or None,
        "ended_reason": mediation.ended_reason,
        "termination": mediation.termination_id,
        "sessions": [
            {
                "id": s.pk,
                "kind": s.kind,
                "held_at": s.held_at,
                "duration_minutes": s.duration_minutes,
                "present": s.present,
                "notes": s.notes if notes else None,
            }
            for s in mediation.sessions.all()
        ],
        "agreement": _agreement(agreement) if agreement else None,
        "version": mediation.version,
    }


def _answer(request: HttpRequest, user: User, mediation: Mediation) -> dict[str, Any]:
    """The mediation as stored now (a service changed its own locked copy), with its ETag."""
    mediation = selectors.with_details(mediation)
    answer_etag(request, mediation)
    return _out(user, mediation, detailed=True)


def _agreement(agreement: Agreement) -> dict[str, Any]:
    return {
        "signed_on": agreement.signed_on,
        "apology": agreement.apology,
        "compensation": agreement.compensation,
        "paid": agreement.paid_total,
        "outstanding": agreement.outstanding,
        "undertakings": agreement.undertakings,
        "undertakings_done_on": agreement.undertakings_done_on,
        "deadline": agreement.deadline,
        "schedule": [
            {
                "due_on": r.instalment.due_on,
                "amount": r.instalment.amount,
                "due_so_far": r.due_so_far,
                "state": r.state,
            }
            for r in agreement.schedule()
        ],
        "payments": [
            {"id": p.pk, "paid_on": p.paid_on, "amount": p.amount, "method": p.method}
            for p in agreement.payments.all()
        ],
        "version": agreement.version,
    }


def _mediation(user: User, mediation_id: int) -> Mediation:
    return Mediation.objects.visible_to(user).get(pk=mediation_id)


@router.get(
    "/cases/{case_id}/mediations",
    response=responses({200: list[MediationOut]}, 401, 403, 404),
    summary="The mediations of a case",
    description="Every mediation of the case's minors, newest first. Staff whose role reads "
    "cases (`mediation.view_mediation`); others get 403. " + SCOPE,
)
def list_case_mediations(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    user = acting_user(request, "mediation.view_mediation")
    case = Proceeding.objects.visible_to(user).get(pk=case_id)
    mediations = list(selectors.mediations_of_case(actor=user, case=case))
    for mediation in mediations:
        services.view_mediation(actor=user, pk=mediation.pk)
    return [_out(user, m) for m in mediations]


@router.get(
    "/mediations/{mediation_id}",
    response=responses({200: MediationOut}, 401, 403, 404),
    summary="Read a mediation",
    description="The referral, consent of each side, the meetings, the agreement with its "
    "schedule (each instalment's state computed from the payments: paid, partly_paid, overdue "
    "or due), the payments, and the termination it led to. Staff whose role reads cases; "
    "others get 403. " + SCOPE,
)
def read_mediation(request: HttpRequest, mediation_id: int) -> dict[str, Any]:
    user = acting_user(request, "mediation.view_mediation")
    return _answer(request, user, services.view_mediation(actor=user, pk=mediation_id))


@router.post(
    "/mediations",
    response=responses({201: MediationOut}, 400, 401, 403, 404, 422),
    summary="Refer to mediation",
    description="Refers an accused minor and a victim of the case to a mediator. Refused, "
    "citing the rule, when the minor's gravest current charge is outside what the law admits "
    "(GET /api/mediation-rules), or its condition is not confirmed. The investigator "
    "conducting the case (before court), the judge of its court (in court), or the minor's "
    "defender (the minor's side's request only) may call it; others get 403.",
)
def refer(request: HttpRequest, payload: ReferIn) -> Status[dict[str, Any]]:
    user = acting_user(request, "mediation.add_mediation")
    _aware("referred_at", payload.referred_at)
    visible = Proceeding.objects.visible_to(user)
    accused = Accused.objects.filter(pk=payload.accused, proceeding__in=visible).first()
    if accused is None:
        raise ValidationError({"accused": MESSAGE_UNKNOWN_ACCUSED % {"id": payload.accused}})
    victim = Participant.objects.filter(pk=payload.victim, proceeding=accused.proceeding).first()
    if victim is None:
        raise ValidationError({"victim": MESSAGE_UNKNOWN_PARTICIPANT % {"id": payload.victim}})
    mediator = User.objects.filter(pk=payload.mediator, is_active=True).first()
    if mediator is None:
        raise ValidationError({"mediator": MESSAGE_UNKNOWN_STAFF % {"id": payload.mediator}})
    mediation = services.refer(
        actor=user,
        accused=accused,
        victim=victim,
        source=payload.source,
        mediator=mediator,
        referred_at=payload.referred_at,
        professional_name=payload.professional_name,
        professional_registry_number=payload.professional_registry_number,
        condition_confirmed=payload.condition_confirmed,
    )
    return Status(201, _answer(request, user, mediation))


@router.post(
    "/mediations/{mediation_id}/consent",
    response=responses({200: MediationOut}, 400, 401, 403, 404, 422),
    summary="Record a side's answer on consent",
    description="Consent (the minor's with the legal representative who assisted; a minor "
    "victim's through a representative) or refusal, which ends the mediation without any "
    "reason required. " + RECORDERS,
)
def consent(request: HttpRequest, mediation_id: int, payload: ConsentIn) -> dict[str, Any]:
    user = acting_user(request)
    _aware("at", payload.at)
    mediation = _mediation(user, mediation_id)
    representative = None
    if payload.representative is not None:
        representative = Participant.objects.filter(
            pk=payload.representative, proceeding_id=mediation.proceeding_id
        ).first()
        if representative is None:
            message = MESSAGE_UNKNOWN_PARTICIPANT % {"id": payload.representative}
            raise ValidationError({"representative": message})
    services.record_consent(
        actor=user, mediation=mediation, side=payload.side, given=payload.given, at=payload.at,
        representative=representative, victim_representative=payload.victim_representative,
        reason=payload.reason,
    )  # fmt: skip
    return _answer(request, user, mediation)


@router.post(
    "/mediations/{mediation_id}/withdrawal",
    response=responses({200: MediationOut}, 400, 401, 403, 404, 422),
    summary="Record a withdrawal of consent",
    description="Either side may withdraw before the agreement; no reason is required. The "
    "mediator's agency records it, or whoever may refer for that side (the conducting "
    "investigator or judge; the minor's defender for the minor's side); others get 403.",
)
def withdraw(request: HttpRequest, mediation_id: int, payload: WithdrawIn) -> dict[str, Any]:
    user = acting_user(request)
    _aware("at", payload.at)
    mediation = _mediation(user, mediation_id)
    services.withdraw_consent(
        actor=user, mediation=mediation, side=payload.side, at=payload.at, reason=payload.reason
    )
    return _answer(request, user, mediation)


@router.post(
    "/mediations/{mediation_id}/sessions",
    response=responses({201: MediationOut}, 400, 401, 403, 404, 422),
    summary="Record a mediation meeting",
    description="A preparatory meeting with one side, or the joint meeting once both sides "
    "have consented. " + RECORDERS,
)
def add_session(
    request: HttpRequest, mediation_id: int, payload: SessionIn
) -> Status[dict[str, Any]]:
    user = acting_user(request)
    _aware("held_at", payload.held_at)
    mediation = _mediation(user, mediation_id)
    services.record_session(
        actor=user, mediation=mediation, kind=payload.kind, held_at=payload.held_at,
        duration_minutes=payload.duration_minutes, present=payload.present, notes=payload.notes,
    )  # fmt: skip
    return Status(201, _answer(request, user, mediation))


@router.post(
    "/mediations/{mediation_id}/agreement",
    response=responses({201: MediationOut}, 400, 401, 403, 404, 422),
    summary="Record the reconciliation agreement",
    description="After the joint meeting. The instalments must add up to the compensation: "
    "otherwise 422 on `instalments` names the difference, and nothing is written. " + RECORDERS,
)
def sign_agreement(
    request: HttpRequest, mediation_id: int, payload: AgreementIn
) -> Status[dict[str, Any]]:
    user = acting_user(request)
    mediation = _mediation(user, mediation_id)
    services.sign_agreement(
        actor=user, mediation=mediation, signed_on=payload.signed_on, apology=payload.apology,
        compensation=payload.compensation,
        instalments=[(i.due_on, i.amount) for i in payload.instalments],
        undertakings=payload.undertakings, deadline=payload.deadline,
    )  # fmt: skip
    return Status(201, _answer(request, user, mediation))


@router.post(
    "/mediations/{mediation_id}/payments",
    response=responses({201: MediationOut}, 400, 401, 403, 404, 422),
    summary="Record a payment of compensation",
    description="Never more than what is outstanding. The mediation is fulfilled once the "
    "compensation is paid in full and any undertakings are done. " + RECORDERS,
)
def add_payment(
    request: HttpRequest, mediation_id: int, payload: PaymentIn
) -> Status[dict[str, Any]]:
    user = acting_user(request)
    mediation = _mediation(user, mediation_id)
    services.record_payment(
        actor=user, mediation=mediation, paid_on=payload.paid_on, amount=payload.amount,
        method=payload.method,
    )  # fmt: skip
    return Status(201, _answer(request, user, mediation))


@router.get(
    "/mediation-rules",
    response=responses({200: dict[str, Any]}, 401),
    summary="The law of mediation",
    tags=["reference"],
    description="Which gravity of charge admits mediation and on what condition, the "
    "principles the pages state, and the termination ground an agreement leads to; each rule "
    "with its citation, whether it is confirmed, its dates in force and its kk/ru/en text. Any "
    "signed-in staff member may call it.",
)
def read_mediation_rules(request: HttpRequest) -> dict[str, Any]:
    from qorgau.mediation.rulebook import mediation_book

    acting_user(request)
    book = mediation_book()
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
