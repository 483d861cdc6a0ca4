"""Every change to a mediation: each checks the actor, validates, writes in one transaction, audits.

The investigator (before the court) or the judge (in court) refers; the minor's defender may
record the minor's side's request as a referral. The mediator's agency records consent,
meetings, the agreement, payments and the outcome. Either side may refuse or withdraw consent
at any time, and no reason is ever required (Law «On mediation» art. 20).
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.access import require
from qorgau.accounts.models import Role, User
from qorgau.audit.services import record
from qorgau.mediation.models import (
    ACTIVE,
    BEFORE_AGREEMENT,
    SIGNED,
    ZERO,
    Agreement,
    ApologyForm,
    Instalment,
    Mediation,
    MediationSession,
    Payment,
    PaymentMethod,
    SessionKind,
    Side,
    Source,
    Status,
)
from qorgau.mediation.rulebook import condition_text, mediation_book
from qorgau.proceedings.models import (
    Accused,
    EventKind,
    Participant,
    ParticipantRole,
    ProceduralEvent,
    Stage,
)
from qorgau.proceedings.services.common import check_times, local, visible_case

MESSAGE_NOT_REFERRER = _(
    "Only the investigator conducting the case, the judge of the court hearing it, or the "
    "minor's defender may refer to mediation."
)
MESSAGE_STAGE = _(
    "Mediation cannot be started now: the case of this minor is at the stage «%(stage)s»."
)
MESSAGE_SOURCE = _("Your role cannot record a request from this side.")
MESSAGE_ACTIVE = _("This minor already has a mediation in progress.")
MESSAGE_VICTIM = _("Choose a person recorded in this case as a victim.")
MESSAGE_MEDIATOR = _("Choose an active social psychologist as the mediator.")
MESSAGE_REGISTRY = _("Enter the registry number of the professional mediator.")
MESSAGE_NO_CHARGE = _("The minor has no current charge: record the charge first.")
MESSAGE_GRAVITY = _(
    "Mediation is not possible: the current charge %(article)s is %(gravity)s. %(rule)s "
    "(%(citation)s)"
)
MESSAGE_CONDITION = _("Confirm this, or mediation is not possible: %(condition)s (%(citation)s)")
MESSAGE_NOT_MEDIATOR = _("Only the mediator's agency records the course of the mediation.")
MESSAGE_NOT_NOW = _("This is not possible now: the mediation is «%(status)s».")
MESSAGE_ALREADY_CONSENTED = _("This side's consent is already recorded.")
MESSAGE_REPRESENTATIVE = _(
    "Choose the legal representative who assisted the minor: a minor consents with a parent "
    "or another legal representative."
)
MESSAGE_VICTIM_REPRESENTATIVE = _("The victim is a minor: enter the representative who consented.")
MESSAGE_BEFORE_REFERRAL = _("The time cannot be before the referral (%(referral)s).")
MESSAGE_NOT_CONSENTED = _("This side has not consented yet: record its answer on consent instead.")
MESSAGE_JOINT_NEEDS_CONSENT = _("A joint meeting needs the consent of both sides first.")
MESSAGE_DURATION = _("Enter the duration in minutes, more than 0.")
MESSAGE_PRESENT = _("Enter who was present.")
MESSAGE_NO_JOINT = _("Record the joint meeting first: the agreement is reached at it.")
MESSAGE_FUTURE_DAY = _("The date cannot be in the future.")
MESSAGE_DAY_BEFORE_REFERRAL = _("The date cannot be before the referral (%(referral)s).")
MESSAGE_DEADLINE = _("The deadline cannot be before the agreement is signed.")
MESSAGE_AMOUNT = _("Enter an amount of 0 tenge or more.")
MESSAGE_INSTALMENT_AMOUNT = _("Each instalment must be more than 0 tenge.")
MESSAGE_INSTALMENT_DAY = _(
    "Each instalment must fall due between the signing (%(signed)s) and the deadline "
    "(%(deadline)s)."
)
MESSAGE_SCHEDULE_SHORT = _(
    "The instalments add up to %(total)s tenge: %(difference)s tenge less than the "
    "compensation of %(amount)s tenge. Change the instalments or the amount."
)
MESSAGE_SCHEDULE_OVER = _(
    "The instalments add up to %(total)s tenge: %(difference)s tenge more than the "
    "compensation of %(amount)s tenge. Change the instalments or the amount."
)
MESSAGE_NO_AGREEMENT = _("There is no signed agreement to record this against.")
MESSAGE_PAYMENT_AMOUNT = _("Enter an amount of more than 0 tenge.")
MESSAGE_OVERPAID = _("The payment is more than what is outstanding (%(outstanding)s tenge).")
MESSAGE_DAY_BEFORE_SIGNING = _("The date cannot be before the agreement was signed (%(signed)s).")
MESSAGE_NO_UNDERTAKINGS = _("The agreement has no undertakings besides compensation.")
MESSAGE_UNDERTAKINGS_DONE = _("The undertakings are already recorded as done.")
MESSAGE_REASON = _("Say why the mediation ended without reconciliation.")
MESSAGE_CHOICE = _("Choose one of the options.")

REFERRERS = (Role.INVESTIGATOR, Role.JUDGE, Role.DEFENCE_LAWYER)
MEDIATORS = (Role.SOCIAL_PSYCHOLOGIST,)
# Where mediation can start: before the court, and in court before the judgment.
REFERRAL_STAGES = {Stage.REGISTERED, Stage.INVESTIGATION, Stage.IN_COURT}
# The sources each referring role may record.
SOURCES = {
    Role.INVESTIGATOR: {Source.INVESTIGATOR, Source.ACCUSED_SIDE, Source.VICTIM_SIDE},
    Role.JUDGE: {Source.COURT, Source.ACCUSED_SIDE, Source.VICTIM_SIDE},
    Role.DEFENCE_LAWYER: {Source.ACCUSED_SIDE},
}


def tenge(amount: Decimal) -> str:
    """150 000 or 150 000,50, as the locale writes money."""
    places = 0 if amount == amount.to_integral_value() else 2
    return formats.number_format(amount, places, use_l10n=True, force_grouping=True)


def _day(value: datetime.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def _now_day() -> datetime.date:
    return timezone.localdate()


# Who acts


def referring_roles(actor: User, accused: Accused) -> set[str]:
    """The roles in which the actor may refer this minor now (empty: may not)."""
    case = accused.proceeding
    if actor.is_superuser:
        return set(SOURCES)
    roles: set[str] = set()
    if not actor.is_active or not actor.has_perm("mediation.add_mediation"):
        return roles
    before_court = accused.stage in (Stage.REGISTERED, Stage.INVESTIGATION)
    if (
        actor.has_role(Role.INVESTIGATOR)
        and before_court
        and case.investigator.agency_id == actor.agency_id
    ):
        roles.add(Role.INVESTIGATOR)
    in_court = accused.stage == Stage.IN_COURT
    if actor.has_role(Role.JUDGE) and in_court and case.court_id == actor.agency_id:
        roles.add(Role.JUDGE)
    if actor.has_role(Role.DEFENCE_LAWYER) and (
        case.participants.filter(role=ParticipantRole.DEFENDER, user=actor)
        .filter(Q(accused=None) | Q(accused=accused))
        .exists()
    ):
        roles.add(Role.DEFENCE_LAWYER)
    return roles


def allowed_sources(actor: User, accused: Accused) -> list[str]:
    sources = set().union(*(SOURCES[Role(role)] for role in referring_roles(actor, accused)))
    return [s for s in Source.values if s in sources]


def may_record(actor: User, mediation: Mediation) -> bool:
    """The mediator's agency records the course of the mediation (and a superuser)."""
    if actor.is_superuser:
        return True
    return (
        actor.is_active
        and actor.has_perm("mediation.change_mediation")
        and actor.agency_id is not None
        and actor.agency_id == mediation.mediator.agency_id
    )


def may_read_notes(actor: User, mediation: Mediation) -> bool:
    """Meeting notes are confidential to the mediators of the mediator's agency: not the
    defenders of the same legal consultation, nor the administrator."""
    return (
        actor.is_active
        and actor.agency_id is not None
        and actor.agency_id == mediation.mediator.agency_id
        and actor.has_perm("mediation.change_mediation")
    )


def _mediation_for_recording(actor: User, mediation: Mediation) -> Mediation:
    if not actor.is_active:
        raise PermissionDenied(_("Your account is not active."))
    # Lock the mediation: two records at once must not both read the old status or totals.
    locked = (
        Mediation.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .select_related("mediator", "accused", "victim", "proceeding")
        .filter(pk=mediation.pk)
        .first()
    )
    if locked is None:
        raise PermissionDenied(MESSAGE_NOT_MEDIATOR)
    return locked


def _require_mediator(actor: User, mediation: Mediation) -> Mediation:
    require(actor, "mediation.change_mediation")
    locked = _mediation_for_recording(actor, mediation)
    if not may_record(actor, locked):
        raise PermissionDenied(MESSAGE_NOT_MEDIATOR)
    return locked


def _require_status(mediation: Mediation, allowed: Iterable[str]) -> None:
    if mediation.status not in allowed:
        raise ValidationError(MESSAGE_NOT_NOW % {"status": Status(mediation.status).label})


def _check_moment(mediation: Mediation, at: datetime.datetime, field: str) -> None:
    check_times(mediation.proceeding, at, start_field=field)
    if at < mediation.referred_at:
        raise ValidationError(
            {field: MESSAGE_BEFORE_REFERRAL % {"referral": local(mediation.referred_at)}}
        )


def _check_day(mediation: Mediation, day: datetime.date, field: str) -> None:
    if day > _now_day():
        raise ValidationError({field: MESSAGE_FUTURE_DAY})
    referred = timezone.localdate(mediation.referred_at)
    if day < referred:
        raise ValidationError({field: MESSAGE_DAY_BEFORE_REFERRAL % {"referral": _day(referred)}})


# Referral


def _check_charge(
    accused: Accused, day: datetime.date, condition_confirmed: bool
) -> tuple[str, str]:
    """The gravest current charge must admit mediation; returns its gravity and the rule cited."""
    charges = list(accused.charges.filter(ended_at=None).select_related("article"))
    if not charges:
        raise ValidationError(MESSAGE_NO_CHARGE)
    book = mediation_book()
    order = ["misdemeanour", "minor", "medium", "grave", "especially_grave"]
    gravest = max(charges, key=lambda c: order.index(c.article.gravity))
    gravity = gravest.article.gravity
    rule = book.gravity(gravity, day)
    if rule is None or not rule["admitted"]:
        citation = rule.citation if rule else ""
        raise ValidationError(
            MESSAGE_GRAVITY
            % {
                "article": gravest.article.citation,
                "gravity": gravest.article.get_gravity_display(),
                "rule": rule.label if rule else "",
                "citation": citation,
            }
        )
    condition = rule.attributes.get("condition")
    if condition and not condition_confirmed:
        raise ValidationError(
            {
                "condition_confirmed": MESSAGE_CONDITION
                % {"condition": condition_text(rule), "citation": rule.citation}
            }
        )
    return gravity, rule.citation


@transaction.atomic(durable=True)
def refer(
    *,
    actor: User,
    accused: Accused,
    victim: Participant,
    source: str,
    mediator: User,
    referred_at: datetime.datetime,
    professional_name: str = "",
    professional_registry_number: str = "",
    condition_confirmed: bool = False,
) -> Mediation:
    """Refer the minor and the victim to a mediator; refused when the charge is outside the law."""
    require(actor, "mediation.add_mediation")
    # Lock the minor's track: two referrals at once must not both find no mediation in progress.
    accused = Accused.objects.select_for_update().select_related("proceeding").get(pk=accused.pk)
    case = visible_case(actor, accused.proceeding)
    roles = referring_roles(actor, accused)
    if not roles:
        raise PermissionDenied(MESSAGE_NOT_REFERRER)
    if accused.stage not in REFERRAL_STAGES:
        raise ValidationError(MESSAGE_STAGE % {"stage": Stage(accused.stage).label})
    if source not in Source.values:
        raise ValidationError({"source": MESSAGE_CHOICE})
    if source not in allowed_sources(actor, accused):
        raise ValidationError({"source": MESSAGE_SOURCE})
    if victim.proceeding_id != case.pk or victim.role != ParticipantRole.VICTIM:
        raise ValidationError({"victim": MESSAGE_VICTIM})
    if (
        not mediator.is_active
        or mediator.agency_id is None
        or not (mediator.is_superuser or mediator.has_role(*MEDIATORS))
    ):
        raise ValidationError({"mediator": MESSAGE_MEDIATOR})
    professional_name = professional_name.strip()
    professional_registry_number = professional_registry_number.strip()
    if professional_name and not professional_registry_number:
        raise ValidationError({"professional_registry_number": MESSAGE_REGISTRY})
    check_times(case, referred_at, start_field="referred_at")
    gravity, citation = _check_charge(accused, timezone.localdate(referred_at), condition_confirmed)
    if Mediation.objects.filter(accused=accused, status__in=ACTIVE).exists():
        raise ValidationError(MESSAGE_ACTIVE)
    mediation = Mediation(
        proceeding=case,
        accused=accused,
        victim=victim,
        source=source,
        referred_by=actor,
        referred_at=referred_at,
        mediator=mediator,
        professional_name=professional_name,
        professional_registry_number=professional_registry_number if professional_name else "",
        gravity=gravity,
        rule_citation=citation,
        condition_confirmed=bool(condition_confirmed),
    )
    mediation.full_clean()
    mediation.save()
    record(
        actor=actor,
        action="mediation.refer",
        subject=mediation,
        changes={
            "status": (None, mediation.status),
            "source": (None, source),
            "mediator": (None, mediator.pk),
            "referred_at": (None, local(referred_at)),
        },
        details={"case_id": case.pk, "accused_id": accused.pk, "gravity": gravity},
    )
    return mediation


# Consent


@transaction.atomic(durable=True)
def record_consent(
    *,
    actor: User,
    mediation: Mediation,
    side: str,
    given: bool,
    at: datetime.datetime,
    representative: Participant | None = None,
    victim_representative: str = "",
    reason: str = "",
) -> Mediation:
    """A side's answer: consent (the minor's with a legal representative) or refusal.

    A refusal ends the mediation; no reason is required (nobody may be compelled).
    """
    mediation = _require_mediator(actor, mediation)
    _require_status(mediation, (Status.REFERRED,))
    if side not in Side.values:
        raise ValidationError({"side": MESSAGE_CHOICE})
    consented_at = (
        mediation.accused_consent_at if side == Side.ACCUSED else mediation.victim_consent_at
    )
    if consented_at is not None:
        raise ValidationError({"side": MESSAGE_ALREADY_CONSENTED})
    _check_moment(mediation, at, "at")
    changes: dict[str, tuple[Any, Any]] = {}
    if not given:
        changes = _end(mediation, Status.REFUSED, side, at, reason)
    elif side == Side.ACCUSED:
        if (
            representative is None
            or representative.proceeding_id != mediation.proceeding_id
            or representative.role != ParticipantRole.LEGAL_REPRESENTATIVE
            or representative.accused_id not in (None, mediation.accused_id)
        ):
            raise ValidationError({"representative": MESSAGE_REPRESENTATIVE})
        mediation.accused_consent_at = at
        mediation.accused_representative = representative
        changes = {
            "accused_consent_at": (None, local(at)),
            "accused_representative": (None, representative.pk),
        }
    else:
        victim_representative = victim_representative.strip()
        if mediation.victim.is_minor and not victim_representative:
            raise ValidationError({"victim_representative": MESSAGE_VICTIM_REPRESENTATIVE})
        mediation.victim_consent_at = at
        mediation.victim_representative = victim_representative
        changes = {"victim_consent_at": (None, local(at))}
        if victim_representative:
            changes["victim_representative"] = ("", victim_representative)
    if given and mediation.both_consented:
        changes["status"] = (mediation.status, Status.CONSENTED)
        mediation.status = Status.CONSENTED
    mediation.full_clean()
    mediation.save()
    record(actor=actor, action="mediation.consent", subject=mediation, changes=changes,
           details={"side": side, "given": given})  # fmt: skip
    return mediation


def _end(
    mediation: Mediation, status: str, side: str, at: datetime.datetime, reason: str
) -> dict[str, tuple[Any, Any]]:
    changes: dict[str, tuple[Any, Any]] = {
        "status": (mediation.status, status),
        "ended_at": (None, local(at)),
    }
    mediation.status = status
    mediation.ended_at = at
    mediation.ended_side = side
    mediation.ended_reason = reason.strip()
    if side:
        changes["ended_side"] = ("", side)
    if mediation.ended_reason:
        changes["ended_reason"] = ("", mediation.ended_reason)
    return changes


def may_record_withdrawal(actor: User, mediation: Mediation, side: str) -> bool:
    """The mediator's agency, or whoever may refer on that side (a side may tell either)."""
    if may_record(actor, mediation):
        return True
    roles = referring_roles(actor, mediation.accused)
    if side == Side.VICTIM:
        roles.discard(Role.DEFENCE_LAWYER)
    return bool(roles)


@transaction.atomic(durable=True)
def withdraw_consent(
    *, actor: User, mediation: Mediation, side: str, at: datetime.datetime, reason: str = ""
) -> Mediation:
    """A side withdraws its consent before the agreement: the mediation ends. Reason optional."""
    if not actor.is_active:
        raise PermissionDenied(_("Your account is not active."))
    mediation = _mediation_for_recording(actor, mediation)
    if side not in Side.values:
        raise ValidationError({"side": MESSAGE_CHOICE})
    if not may_record_withdrawal(actor, mediation, side):
        raise PermissionDenied(MESSAGE_NOT_MEDIATOR)
    _require_status(mediation, BEFORE_AGREEMENT)
    consented_at = (
        mediation.accused_consent_at if side == Side.ACCUSED else mediation.victim_consent_at
    )
    if consented_at is None:
        raise ValidationError({"side": MESSAGE_NOT_CONSENTED})
    _check_moment(mediation, at, "at")
    changes = _end(mediation, Status.WITHDRAWN, side, at, reason)
    mediation.full_clean()
    mediation.save()
    record(actor=actor, action="mediation.withdraw", subject=mediation, changes=changes,
           details={"side": side})  # fmt: skip
    return mediation


# Meetings


@transaction.atomic(durable=True)
def record_session(
    *,
    actor: User,
    mediation: Mediation,
    kind: str,
    held_at: datetime.datetime,
    duration_minutes: int,
    present: str,
    notes: str = "",
) -> MediationSession:
    """A preparatory meeting with one side, or the joint meeting once both have consented."""
    mediation = _require_mediator(actor, mediation)
    _require_status(mediation, BEFORE_AGREEMENT)
    if kind not in SessionKind.values:
        raise ValidationError({"kind": MESSAGE_CHOICE})
    if kind == SessionKind.JOINT and not mediation.both_consented:
        raise ValidationError({"kind": MESSAGE_JOINT_NEEDS_CONSENT})
    _check_moment(mediation, held_at, "held_at")
    if not duration_minutes or duration_minutes <= 0:
        raise ValidationError({"duration_minutes": MESSAGE_DURATION})
    if not present.strip():
        raise ValidationError({"present": MESSAGE_PRESENT})
    session = MediationSession(
        mediation=mediation,
        kind=kind,
        held_at=held_at,
        duration_minutes=duration_minutes,
        present=present.strip(),
        notes=notes.strip(),
        recorded_by=actor,
    )
    session.full_clean()
    session.save()
    changes: dict[str, tuple[Any, Any]] = {"kind": (None, kind), "held_at": (None, local(held_at))}
    if mediation.both_consented and mediation.status != Status.SESSIONS:
        changes["status"] = (mediation.status, Status.SESSIONS)
        mediation.status = Status.SESSIONS
        mediation.save(update_fields=["status", "updated_at"])
    # The notes are confidential: the audit row says that they were written, not what.
    record(actor=actor, action="mediation.session", subject=mediation, changes=changes,
           details={"session_id": session.pk, "notes": bool(session.notes)})  # fmt: skip
    return session


# Agreement


def check_schedule(
    *,
    compensation: Decimal,
    instalments: list[tuple[datetime.date, Decimal]],
    signed_on: datetime.date,
    deadline: datetime.date,
) -> None:
    """The schedule must add up to the compensation, each instalment due within the term."""
    for due_on, amount in instalments:
        if amount is None or amount <= 0:
            raise ValidationError({"instalments": MESSAGE_INSTALMENT_AMOUNT})
        if due_on < signed_on or due_on > deadline:
            days = {"signed": _day(signed_on), "deadline": _day(deadline)}
            raise ValidationError({"instalments": MESSAGE_INSTALMENT_DAY % days})
    total = sum((amount for _day_, amount in instalments), ZERO)
    if total != compensation:
        message = MESSAGE_SCHEDULE_SHORT if total < compensation else MESSAGE_SCHEDULE_OVER
        values: dict[str, str] = {
            "total": tenge(total),
            "difference": tenge(abs(compensation - total)),
            "amount": tenge(compensation),
        }
        raise ValidationError({"instalments": message % values})


def _settle(
    mediation: Mediation, agreement: Agreement, changes: dict[str, tuple[Any, Any]]
) -> None:
    """Fulfilled once the compensation is paid in full and the undertakings are done."""
    if mediation.status == Status.AGREEMENT and agreement.is_fulfilled:
        changes["status"] = (mediation.status, Status.FULFILLED)
        mediation.status = Status.FULFILLED
        mediation.save(update_fields=["status", "updated_at"])


@transaction.atomic(durable=True)
def sign_agreement(
    *,
    actor: User,
    mediation: Mediation,
    signed_on: datetime.date,
    apology: str,
    compensation: Decimal,
    instalments: list[tuple[datetime.date, Decimal]],
    undertakings: str,
    deadline: datetime.date,
) -> Agreement:
    """The agreement reached at the joint meeting; nothing is written if the schedule is wrong."""
    mediation = _require_mediator(actor, mediation)
    _require_status(mediation, (Status.CONSENTED, Status.SESSIONS))
    if not mediation.sessions.filter(kind=SessionKind.JOINT).exists():
        raise ValidationError(MESSAGE_NO_JOINT)
    if apology not in ApologyForm.values:
        raise ValidationError({"apology": MESSAGE_CHOICE})
    _check_day(mediation, signed_on, "signed_on")
    if deadline < signed_on:
        raise ValidationError({"deadline": MESSAGE_DEADLINE})
    if compensation is None or compensation < 0:
        raise ValidationError({"compensation": MESSAGE_AMOUNT})
    instalments = sorted(instalments)
    check_schedule(
        compensation=compensation, instalments=instalments, signed_on=signed_on, deadline=deadline
    )
    agreement = Agreement(
        mediation=mediation,
        signed_on=signed_on,
        apology=apology,
        compensation=compensation,
        undertakings=undertakings.strip(),
        deadline=deadline,
        recorded_by=actor,
    )
    agreement.full_clean()
    agreement.save()
    for due_on, amount in instalments:
        row = Instalment(agreement=agreement, due_on=due_on, amount=amount)
        row.full_clean()
        row.save()
    changes: dict[str, tuple[Any, Any]] = {
        "status": (mediation.status, Status.AGREEMENT),
        "signed_on": (None, signed_on.isoformat()),
        "compensation": (None, str(compensation)),
        "instalments": (None, len(instalments)),
        "deadline": (None, deadline.isoformat()),
    }
    mediation.status = Status.AGREEMENT
    mediation.save(update_fields=["status", "updated_at"])
    _settle(mediation, agreement, changes)
    record(actor=actor, action="mediation.agreement", subject=mediation, changes=changes,
           details={"agreement_id": agreement.pk})  # fmt: skip
    return agreement


def _signed_agreement(mediation: Mediation) -> Agreement:
    _require_status(mediation, (Status.AGREEMENT,))
    agreement = Agreement.objects.filter(mediation=mediation).first()
    if agreement is None:
        raise ValidationError(MESSAGE_NO_AGREEMENT)
    return agreement


@transaction.atomic(durable=True)
def record_payment(
    *, actor: User, mediation: Mediation, paid_on: datetime.date, amount: Decimal, method: str
) -> Payment:
    """A payment of compensation; never more than what is outstanding."""
    mediation = _require_mediator(actor, mediation)
    agreement = _signed_agreement(mediation)
    if method not in PaymentMethod.values:
        raise ValidationError({"method": MESSAGE_CHOICE})
    if paid_on > _now_day():
        raise ValidationError({"paid_on": MESSAGE_FUTURE_DAY})
    if paid_on < agreement.signed_on:
        raise ValidationError(
            {"paid_on": MESSAGE_DAY_BEFORE_SIGNING % {"signed": _day(agreement.signed_on)}}
        )
    if amount is None or amount <= 0:
        raise ValidationError({"amount": MESSAGE_PAYMENT_AMOUNT})
    outstanding = agreement.outstanding
    if amount > outstanding:
        raise ValidationError({"amount": MESSAGE_OVERPAID % {"outstanding": tenge(outstanding)}})
    payment = Payment(
        agreement=agreement, paid_on=paid_on, amount=amount, method=method, recorded_by=actor
    )
    payment.full_clean()
    payment.save()
    changes: dict[str, tuple[Any, Any]] = {
        "paid": (str(outstanding), str(agreement.outstanding)),
    }
    _settle(mediation, agreement, changes)
    details = {"payment_id": payment.pk, "amount": str(amount), "paid_on": paid_on.isoformat()}
    record(actor=actor, action="mediation.payment", subject=mediation, changes=changes,
           details=details)  # fmt: skip
    return payment


@transaction.atomic(durable=True)
def confirm_undertakings(*, actor: User, mediation: Mediation, done_on: datetime.date) -> Agreement:
    """The undertakings besides compensation are done."""
    mediation = _require_mediator(actor, mediation)
    agreement = _signed_agreement(mediation)
    if not agreement.undertakings:
        raise ValidationError(MESSAGE_NO_UNDERTAKINGS)
    if agreement.undertakings_done_on is not None:
        raise ValidationError(MESSAGE_UNDERTAKINGS_DONE)
    if done_on > _now_day():
        raise ValidationError({"done_on": MESSAGE_FUTURE_DAY})
    if done_on < agreement.signed_on:
        raise ValidationError(
            {"done_on": MESSAGE_DAY_BEFORE_SIGNING % {"signed": _day(agreement.signed_on)}}
        )
    agreement.undertakings_done_on = done_on
    agreement.save(update_fields=["undertakings_done_on"])
    changes: dict[str, tuple[Any, Any]] = {"undertakings_done_on": (None, done_on.isoformat())}
    _settle(mediation, agreement, changes)
    record(actor=actor, action="mediation.undertakings", subject=mediation, changes=changes)
    return agreement


@transaction.atomic(durable=True)
def record_failure(
    *, actor: User, mediation: Mediation, at: datetime.datetime, reason: str
) -> Mediation:
    """The mediation ended without reconciliation, or the agreement was not fulfilled.

    This must not worsen the minor's position: the record says so where it is shown.
    """
    mediation = _require_mediator(actor, mediation)
    _require_status(mediation, ACTIVE)
    if not reason.strip():
        raise ValidationError({"reason": MESSAGE_REASON})
    _check_moment(mediation, at, "at")
    changes = _end(mediation, Status.FAILED, "", at, reason)
    mediation.full_clean()
    mediation.save()
    record(actor=actor, action="mediation.fail", subject=mediation, changes=changes)
    return mediation


# The outcome feeds the proceeding


def link_termination(*, event: ProceduralEvent, actor: User) -> Mediation | None:
    """Inside the event's transaction: a termination on reconciliation links the minor's
    mediation with a signed agreement (if any) to that termination, and audits it."""
    if event.kind != EventKind.TERMINATION or event.ground != mediation_book().termination_ground:
        return None
    mediation = (
        Mediation.objects.select_for_update()
        .filter(accused_id=event.accused_id, status__in=SIGNED, termination=None)
        .order_by("-referred_at", "-id")
        .first()
    )
    if mediation is None:
        return None
    mediation.termination = event
    mediation.save(update_fields=["termination", "updated_at"])
    record(
        actor=actor,
        action="mediation.termination",
        subject=mediation,
        changes={"termination": (None, event.pk)},
        details={"case_id": event.proceeding_id, "accused_id": event.accused_id},
    )
    return mediation


# Reading


@transaction.atomic(durable=True)
def view_mediation(*, actor: User, pk: int) -> Mediation:
    """One mediation the actor may see; the reading is written to the audit trail."""
    require(actor, "mediation.view_mediation")
    mediation = (
        Mediation.objects.visible_to(actor)
        .select_related(
            "proceeding",
            "accused__juvenile",
            "victim",
            "mediator__agency",
            "referred_by__agency",
            "accused_representative",
            "termination",
        )
        .get(pk=pk)
    )
    record(actor=actor, action="mediation.view", subject=mediation,
           details={"case_id": mediation.proceeding_id})  # fmt: skip
    return mediation
