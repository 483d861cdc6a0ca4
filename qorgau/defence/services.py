"""Changes to the duty roster and the one-step assignment of the on-duty defender.

Each service checks the actor, validates, writes in one durable transaction and audits.
"""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.access import require
from qorgau.accounts.models import Agency, AgencyType, Role, User
from qorgau.audit.services import record
from qorgau.core.models import Territory
from qorgau.defence import selectors
from qorgau.defence.legal_rules import defence_rules
from qorgau.defence.models import ROLE_FOR_DUTY, Duty, DutyShift, OnDutyAssignment
from qorgau.proceedings import policy
from qorgau.proceedings.models import Accused, EventKind, ParticipantRole, Stage
from qorgau.proceedings.services import add_participant_within, record_event_within
from qorgau.proceedings.services.common import (
    CLOCK_TOLERANCE,
    MESSAGE_END_BEFORE_START,
    MESSAGE_FUTURE,
    MESSAGE_WRONG_AGENCY,
    local,
    require_conducting_agency,
    require_role,
    visible_case,
)

MESSAGE_NOT_CONSULTATION = _("Choose an active juvenile legal consultation.")
MESSAGE_NOT_OWN_CONSULTATION = _(
    "Only the consultation's own lawyers and psychologists, or an administrator, may change "
    "its roster."
)
MESSAGE_NOT_TOP_LEVEL = _("Choose a region or a city of republican significance, not a district.")
MESSAGE_NOT_MEMBER = _("%(name)s is not an active member of this consultation.")
MESSAGE_WRONG_DUTY_ROLE = _("%(name)s does not hold the role of a %(role)s: choose another person.")
MESSAGE_INTERN_ONLY_WITH_PSYCHOLOGIST = _(
    "An intern is never on duty alone: add the intern to a psychologist's shift."
)
MESSAGE_NOT_INTERN = _("%(name)s is not a psychology-student intern of this consultation.")
MESSAGE_TOO_LONG = _("A shift lasts at most %(hours)s hours. Split it into shorter shifts.")
MESSAGE_OVERLAP = _("%(name)s is already on duty from %(start)s to %(end)s.")
MESSAGE_ALREADY_CANCELLED = _("This shift was already cancelled.")
MESSAGE_SHIFT_OVER = _(
    "This shift is over: it stays in the roster as the record of who was on duty."
)
MESSAGE_SHIFT_USED = _(
    "A minor was assigned from this shift: it stays in the roster as the record of who was on duty."
)
MESSAGE_REASON_REQUIRED = _("Give the reason for cancelling the shift.")
MESSAGE_NO_DETENTION = _("No detention of this minor is recorded: record the detention first.")
MESSAGE_HAS_DEFENDER = _(
    "The minor already has a defender. Replacing a defender is not done from the duty roster."
)
MESSAGE_HAS_PSYCHOLOGIST = _("The minor already has a social psychologist.")
MESSAGE_NOBODY_ON_DUTY = _("No defender is on duty in %(region)s at %(time)s.")
MESSAGE_NOT_ON_DUTY = _("%(name)s is not on duty in %(region)s at %(time)s.")
MESSAGE_BEFORE_DETENTION = _("The assignment cannot be before the detention (%(detention)s).")
MESSAGE_WRONG_STAGE = _(
    "A defender cannot be assigned now: the case of this minor is at the stage «%(stage)s»."
)
MESSAGE_STATE_PAID = _("Answer whether the defence is paid by the state.")
MESSAGE_FAR_FROM_TODAY = _("A shift must start within %(days)s days of today: check the year.")
# How far from now a shift may be entered: the roster is planned, or recorded after the fact,
# within a year. Further away is a typing error (and beyond the calendar, a crash).
ROSTER_HORIZON = datetime.timedelta(days=366)


def may_manage(actor: User, consultation: Agency) -> bool:
    """The consultation's own lawyers and psychologists, administrators and superusers."""
    if not actor.is_active:
        return False
    if actor.is_superuser or actor.has_role(Role.ADMINISTRATOR):
        return True
    return actor.agency_id == consultation.pk and actor.has_role(
        Role.DEFENCE_LAWYER, Role.SOCIAL_PSYCHOLOGIST
    )


def _require_manager(actor: User, consultation: Agency) -> None:
    if not may_manage(actor, consultation):
        raise PermissionDenied(MESSAGE_NOT_OWN_CONSULTATION)


def _overlap(person: User, start: datetime.datetime, end: datetime.datetime) -> None:
    clash = (
        DutyShift.objects.active()
        .filter(Q(member=person) | Q(intern=person))
        .overlapping(start, end)
        .first()
    )
    if clash is not None:
        message = MESSAGE_OVERLAP % {
            "name": person,
            "start": local(clash.starts_at),
            "end": local(clash.ends_at),
        }
        raise ValidationError({"member" if clash.member_id == person.pk else "intern": message})


@transaction.atomic(durable=True)
def add_shift(
    *,
    actor: User,
    consultation: Agency,
    member: User,
    duty: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    territory: Territory | None = None,
    intern: User | None = None,
) -> DutyShift:
    """Put a member of a consultation on duty for a region from one moment to another.

    A shift may also be entered after the fact: the roster is the record of who was on duty.
    Interns are never on duty alone: they accompany a psychologist's shift.
    """
    require(actor, "defence.add_dutyshift")
    if consultation.agency_type != AgencyType.LEGAL_CONSULTATION or not consultation.is_active:
        raise ValidationError({"consultation": MESSAGE_NOT_CONSULTATION})
    _require_manager(actor, consultation)
    now = timezone.now()
    if not now - ROSTER_HORIZON <= starts_at <= now + ROSTER_HORIZON:
        raise ValidationError({"starts_at": MESSAGE_FAR_FROM_TODAY % {"days": ROSTER_HORIZON.days}})
    territory = territory or selectors.region_of(consultation.territory)
    errors: dict[str, Any] = {}
    if territory.parent_id is not None:
        errors["territory"] = MESSAGE_NOT_TOP_LEVEL
    # Lock the people: two shifts added at once for one person must not both pass the overlap check.
    people = [member] + ([intern] if intern is not None else [])
    rows = User.objects.select_for_update().filter(pk__in=[p.pk for p in people])
    locked = {u.pk: u for u in rows}
    member = locked[member.pk]
    if not selectors.is_member(member, consultation):
        errors["member"] = MESSAGE_NOT_MEMBER % {"name": member}
    elif duty in Duty.values and not member.has_role(ROLE_FOR_DUTY[Duty(duty)]):
        role = Role(ROLE_FOR_DUTY[Duty(duty)]).label
        errors["member"] = MESSAGE_WRONG_DUTY_ROLE % {"name": member, "role": role}
    if intern is not None:
        intern = locked[intern.pk]
        if duty != Duty.PSYCHOLOGIST:
            errors["intern"] = MESSAGE_INTERN_ONLY_WITH_PSYCHOLOGIST
        elif not (
            selectors.is_member(intern, consultation) and intern.has_role(Role.PSYCHOLOGY_INTERN)
        ):
            errors["intern"] = MESSAGE_NOT_INTERN % {"name": intern}
    if ends_at <= starts_at:
        errors["ends_at"] = MESSAGE_END_BEFORE_START % {"start": local(starts_at)}
    else:
        hours = defence_rules().max_shift_hours(timezone.localdate(starts_at))
        if ends_at - starts_at > datetime.timedelta(hours=hours):
            errors["ends_at"] = MESSAGE_TOO_LONG % {"hours": hours}
    if errors:
        raise ValidationError(errors)
    for person in people:
        _overlap(locked[person.pk], starts_at, ends_at)
    shift = DutyShift(
        consultation=consultation,
        member=member,
        duty=duty,
        intern=intern,
        territory=territory,
        starts_at=starts_at,
        ends_at=ends_at,
        created_by=actor,
    )
    shift.full_clean()
    shift.save()
    record(
        actor=actor,
        action="duty.shift_add",
        subject=shift,
        changes={
            "member": (None, member.pk),
            "duty": (None, duty),
            "starts_at": (None, local(starts_at)),
            "ends_at": (None, local(ends_at)),
            "territory": (None, territory.kato_code),
            **({"intern": (None, intern.pk)} if intern is not None else {}),
        },
    )
    return shift


@transaction.atomic(durable=True)
def cancel_shift(*, actor: User, shift: DutyShift, reason: str) -> DutyShift:
    """Take a shift off the roster before it ends, unless a minor was assigned from it."""
    require(actor, "defence.change_dutyshift")
    shift = DutyShift.objects.select_for_update().select_related("consultation").get(pk=shift.pk)
    _require_manager(actor, shift.consultation)
    if shift.cancelled_at is not None:
        raise ValidationError(MESSAGE_ALREADY_CANCELLED)
    now = timezone.now()
    if shift.ends_at <= now:
        raise ValidationError(MESSAGE_SHIFT_OVER)
    if shift.defender_assignments.exists() or shift.psychologist_assignments.exists():
        raise ValidationError(MESSAGE_SHIFT_USED)
    if not reason.strip():
        raise ValidationError({"reason": MESSAGE_REASON_REQUIRED})
    shift.cancelled_at, shift.cancelled_by, shift.cancel_reason = now, actor, reason.strip()
    shift.full_clean()
    shift.save(update_fields=["cancelled_at", "cancelled_by", "cancel_reason", "updated_at"])
    record(
        actor=actor,
        action="duty.shift_cancel",
        subject=shift,
        changes={"cancelled_at": (None, local(now))},
        details={"reason": shift.cancel_reason},
    )
    return shift


def require_assigner(actor: User, accused: Accused) -> None:
    """Whoever records a defender's assignment now: the investigator of the conducting agency
    before court, the judge of the court in it (proceedings policy)."""
    case = visible_case(actor, accused.proceeding)
    require(actor, "defence.add_ondutyassignment")
    roles = policy.roles_for(EventKind.DEFENDER_ASSIGNED)
    require_role(actor, roles)
    if actor.is_superuser:
        return
    stage = accused.stage
    acting = [role for role in actor.roles if role in roles and policy.conducts(role, stage)]
    if not acting:
        raise PermissionDenied(MESSAGE_WRONG_AGENCY)
    require_conducting_agency(actor, case, acting[0])


def _shift_for(found: selectors.OnDuty, person: User, duty: str, field: str) -> DutyShift:
    shifts = found.defenders if duty == Duty.DEFENDER else found.psychologists
    values = {"region": found.region.name, "time": local(found.at)}
    if not shifts and duty == Duty.DEFENDER:
        raise ValidationError({field: MESSAGE_NOBODY_ON_DUTY % values})
    shift = found.shift_of(person, duty)
    if shift is None:
        raise ValidationError({field: MESSAGE_NOT_ON_DUTY % {"name": person, **values}})
    return shift


@transaction.atomic(durable=True)
def assign_on_duty(
    *,
    actor: User,
    accused: Accused,
    defender: User,
    psychologist: User | None,
    state_paid: bool | None,
    at: datetime.datetime | None = None,
) -> OnDutyAssignment:
    """Assign the on-duty defender (and psychologist) to a detained minor in one step.

    A defender is mandatory from the actual detention (CPC RK art. 67 part 1 item 2,
    art. 536); the body conducting the process may have the state pay (art. 68 parts 5-6).
    """
    # Lock the minor's track: two assignments at once must not both find no defender.
    accused = (
        Accused.objects.select_for_update()
        .select_related("proceeding__territory")
        .get(pk=accused.pk)
    )
    require_assigner(actor, accused)
    case = accused.proceeding
    if EventKind.DEFENDER_ASSIGNED not in policy.kinds_allowed(accused.stage):
        raise ValidationError(MESSAGE_WRONG_STAGE % {"stage": Stage(accused.stage).label})
    if state_paid is None:
        raise ValidationError({"state_paid": MESSAGE_STATE_PAID})
    at = at or timezone.now()
    if at > timezone.now() + CLOCK_TOLERANCE:
        raise ValidationError({"at": MESSAGE_FUTURE})
    detention = selectors.detention_of(accused, before=at)
    if detention is None:
        latest = selectors.detention_of(accused)
        if latest is None:
            raise ValidationError(MESSAGE_NO_DETENTION)
        raise ValidationError(
            {"at": MESSAGE_BEFORE_DETENTION % {"detention": local(latest.started_at)}}
        )
    if selectors.has_participant(accused, ParticipantRole.DEFENDER):
        raise ValidationError({"defender": MESSAGE_HAS_DEFENDER})
    if psychologist is not None and selectors.has_participant(
        accused, ParticipantRole.SOCIAL_PSYCHOLOGIST
    ):
        raise ValidationError({"psychologist": MESSAGE_HAS_PSYCHOLOGIST})
    found = selectors.on_duty(case.territory, at)
    defender_shift = _shift_for(found, defender, Duty.DEFENDER, "defender")
    psychologist_shift = (
        _shift_for(found, psychologist, Duty.PSYCHOLOGIST, "psychologist")
        if psychologist is not None
        else None
    )
    defender_participant = add_participant_within(
        actor=actor,
        proceeding=case,
        role=ParticipantRole.DEFENDER,
        accused=accused,
        user=defender,
        state_paid=state_paid,
    )
    psychologist_participant = (
        add_participant_within(
            actor=actor,
            proceeding=case,
            role=ParticipantRole.SOCIAL_PSYCHOLOGIST,
            accused=accused,
            user=psychologist,
        )
        if psychologist is not None
        else None
    )
    event = record_event_within(
        actor=actor,
        accused=accused,
        kind=EventKind.DEFENDER_ASSIGNED,
        started_at=at,
        participant=defender_participant,
    )
    assignment = OnDutyAssignment(
        accused=accused,
        detention=detention,
        assignment_event=event,
        region=found.region,
        defender=defender_participant,
        defender_shift=defender_shift,
        psychologist=psychologist_participant,
        psychologist_shift=psychologist_shift,
        state_paid=state_paid,
        assigned_at=at,
        assigned_by=actor,
        detained_at=detention.started_at,
    )
    assignment.full_clean()
    assignment.save()
    record(
        actor=actor,
        action="duty.assign",
        subject=case,
        changes={
            "defender": (None, defender.pk),
            "psychologist": (None, psychologist.pk if psychologist else None),
            "state_paid": (None, state_paid),
            "assigned_at": (None, local(at)),
        },
        details={
            "assignment_id": assignment.pk,
            "accused_id": accused.pk,
            "detention_id": detention.pk,
            "defender_shift_id": defender_shift.pk,
            "psychologist_shift_id": psychologist_shift.pk if psychologist_shift else None,
        },
    )
    return assignment
