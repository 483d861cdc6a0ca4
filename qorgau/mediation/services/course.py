"""Referral, consent and its withdrawal, and the meetings."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.access import require
from qorgau.accounts.models import Role, User
from qorgau.audit.services import record
from qorgau.mediation.models import (
    ACTIVE,
    BEFORE_AGREEMENT,
    Mediation,
    MediationSession,
    SessionKind,
    Side,
    Source,
    Status,
)
from qorgau.mediation.rulebook import condition_text, mediation_book
from qorgau.mediation.services.common import (
    MEDIATORS,
    MESSAGE_ACTIVE,
    MESSAGE_ALREADY_CONSENTED,
    MESSAGE_CHOICE,
    MESSAGE_CONDITION,
    MESSAGE_DURATION,
    MESSAGE_GRAVITY,
    MESSAGE_JOINT_NEEDS_CONSENT,
    MESSAGE_MEDIATOR,
    MESSAGE_NO_CHARGE,
    MESSAGE_NOT_CONSENTED,
    MESSAGE_NOT_MEDIATOR,
    MESSAGE_NOT_REFERRER,
    MESSAGE_PRESENT,
    MESSAGE_REGISTRY,
    MESSAGE_REPRESENTATIVE,
    MESSAGE_SOURCE,
    MESSAGE_STAGE,
    MESSAGE_VICTIM,
    MESSAGE_VICTIM_REPRESENTATIVE,
    REFERRAL_STAGES,
    _check_moment,
    _end,
    _mediation_for_recording,
    _require_mediator,
    _require_status,
    allowed_sources,
    may_record,
    referring_roles,
)
from qorgau.proceedings.models import (
    Accused,
    Participant,
    ParticipantRole,
    Stage,
)
from qorgau.proceedings.services.common import check_times, local, visible_case

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
