"""What the mediation services share: who acts, the messages, checks of times and status."""

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.access import require
from qorgau.accounts.models import Role, User
from qorgau.mediation.models import (
    Mediation,
    Source,
    Status,
)
from qorgau.proceedings.models import (
    Accused,
    ParticipantRole,
    Stage,
)
from qorgau.proceedings.services.common import check_times, local

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
