"""Recording a procedural event on a minor's timeline, and the stage it moves the case to."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.models import Agency, AgencyType, Role, User
from qorgau.audit.services import record
from qorgau.proceedings import policy
from qorgau.proceedings.legal_rules import rule_book
from qorgau.proceedings.models import (
    Accused,
    AppealOutcome,
    EventKind,
    Participant,
    ParticipantRole,
    Pending,
    ProceduralEvent,
    Proceeding,
    Stage,
    Verdict,
)
from qorgau.proceedings.services.common import (
    MESSAGE_WRONG_AGENCY,
    check_times,
    local,
    refuse_stray,
    require_conducting_agency,
    require_role,
    visible_case,
)
from qorgau.proceedings.services.consistency import check_consistency
from qorgau.proceedings.services.sameness import already_recorded, fingerprint
from qorgau.proceedings.signals import event_recorded

MESSAGE_WRONG_STAGE = _(
    "This step is not possible now: the case of this minor is at the stage «%(stage)s»."
)
MESSAGE_PENDING = _("A decision already awaits the prosecutor's approval.")
MESSAGE_NOTHING_TO_APPROVE = _("There is no decision of this kind awaiting approval.")
MESSAGE_REQUIRED = _("This is required for this step.")
MESSAGE_UNKNOWN_CODE = _("Choose one of the options in force on the date of the event.")
MESSAGE_NOT_OWN_PRESENCE = _("Record only your own presence: choose yourself.")
MESSAGE_PARTICIPANT_ROLE = _("Choose a person recorded in the case as %(role)s of this minor.")
MESSAGE_BREAK_OUTSIDE = _(
    "Each break must lie within the interrogation, after its start and before its end."
)
MESSAGE_BREAK_ORDER = _("Each break must end after it starts, and breaks must not overlap.")
MESSAGE_NO_CHARGE = _("The minor has no current charge to indict.")
MESSAGE_TERM_REQUIRED = _("Enter the term.")
MESSAGE_FINE_REQUIRED = _("Enter the amount of the fine.")
MESSAGE_NO_PUNISHMENT = _("An acquittal carries no punishment.")
MESSAGE_NOT_COURT = _("Choose a juvenile court.")
MESSAGE_ATTENDEE = _("Choose people recorded in this case.")

# The participant an event is about, and the role that person must have.
PARTICIPANT_ROLE = {
    EventKind.REPRESENTATIVE_NOTIFIED: ParticipantRole.LEGAL_REPRESENTATIVE,
    EventKind.DEFENDER_ASSIGNED: ParticipantRole.DEFENDER,
    EventKind.DEFENDER_ARRIVED: ParticipantRole.DEFENDER,
    EventKind.PSYCHOLOGIST_PRESENT: ParticipantRole.SOCIAL_PSYCHOLOGIST,
}
OWN_PRESENCE = {EventKind.DEFENDER_ARRIVED, EventKind.PSYCHOLOGIST_PRESENT}
TERMED_MEASURES = {"custody", "house_arrest"}
TERMED_PUNISHMENTS = {
    "deprivation_of_right",
    "correctional_works",
    "community_works",
    "restriction_of_freedom",
    "deprivation_of_liberty",
}
SENTENCE_FIELDS = (
    "punishment", "term_months", "fine_amount", "conditional", "probation_months", "deferred",
    "deferral_months",
)  # fmt: skip
FIELDS = {
    "ended_at", "place", "performed_by", "held_separately", "method", "participant", "breaks",
    "measure", "term_days", "court_sanctioned", "ground", "verdict", "punishment", "term_months",
    "fine_amount", "conditional", "probation_months", "deferred", "deferral_months",
    "appeal_outcome", "document_number", "notes",
}  # fmt: skip


def _required(data: dict[str, Any], *names: str) -> None:
    missing = {name: MESSAGE_REQUIRED for name in names if data.get(name) in (None, "")}
    if missing:
        raise ValidationError(missing)


def _rule_code(section: str, name: str, code: str, day: datetime.date) -> None:
    if rule_book().get(section, code, day) is None:
        raise ValidationError({name: MESSAGE_UNKNOWN_CODE})


def _parse_breaks(raw: Iterable[Any]) -> list[tuple[datetime.datetime, datetime.datetime]]:
    breaks = []
    for item in raw:
        start, end = (item["start"], item["end"]) if isinstance(item, dict) else item
        if isinstance(start, str):
            start, end = (
                datetime.datetime.fromisoformat(start),
                datetime.datetime.fromisoformat(end),
            )
        breaks.append((start, end))
    return sorted(breaks)


def _check_interrogation(data: dict[str, Any], start: datetime.datetime) -> None:
    _required(data, "ended_at")
    end = data["ended_at"]
    breaks = _parse_breaks(data.get("breaks") or [])
    previous_end = start
    for break_start, break_end in breaks:
        if break_start < start or break_end > end:
            raise ValidationError({"breaks": MESSAGE_BREAK_OUTSIDE})
        if break_end <= break_start or break_start < previous_end:
            raise ValidationError({"breaks": MESSAGE_BREAK_ORDER})
        previous_end = break_end
    data["breaks"] = [{"start": s.isoformat(), "end": e.isoformat()} for s, e in breaks]


def _check_judgment(data: dict[str, Any], day: datetime.date) -> None:
    _required(data, "verdict")
    if data["verdict"] == Verdict.ACQUITTAL:
        if any(data.get(name) for name in SENTENCE_FIELDS):
            raise ValidationError({"punishment": MESSAGE_NO_PUNISHMENT})
        return
    _required(data, "punishment")
    _rule_code("punishments", "punishment", data["punishment"], day)
    if data["punishment"] == "fine" and not data.get("fine_amount"):
        raise ValidationError({"fine_amount": MESSAGE_FINE_REQUIRED})
    if data["punishment"] in TERMED_PUNISHMENTS and not data.get("term_months"):
        raise ValidationError({"term_months": MESSAGE_TERM_REQUIRED})
    if data.get("conditional") and not data.get("probation_months"):
        raise ValidationError({"probation_months": MESSAGE_TERM_REQUIRED})
    if data.get("deferred") and not data.get("deferral_months"):
        raise ValidationError({"deferral_months": MESSAGE_TERM_REQUIRED})


def _check_fields(
    kind: str, data: dict[str, Any], accused: Accused, actor: User, day: datetime.date
) -> None:
    """What each step needs besides its time: the form of the procedure, not the safeguards."""
    if kind == EventKind.DETENTION:
        _required(data, "place", "performed_by", "held_separately")
    elif kind == EventKind.REPRESENTATIVE_NOTIFIED:
        _required(data, "method", "participant")
    elif kind == EventKind.INTERROGATION:
        pass  # checked with the times
    elif kind == EventKind.PREVENTIVE_MEASURE:
        _required(data, "measure")
        _rule_code("preventive_measures", "measure", data["measure"], day)
        if data["measure"] in TERMED_MEASURES and not data.get("term_days"):
            raise ValidationError({"term_days": MESSAGE_TERM_REQUIRED})
    elif kind == EventKind.TERMINATION:
        _required(data, "ground")
        _rule_code("termination_grounds", "ground", data["ground"], day)
    elif kind == EventKind.INDICTMENT:
        if not accused.charges.filter(ended_at=None).exists():
            raise ValidationError(MESSAGE_NO_CHARGE)
    elif kind == EventKind.JUDGMENT:
        _check_judgment(data, day)
    elif kind == EventKind.APPEAL:
        _required(data, "performed_by")
    elif kind == EventKind.APPEAL_DECISION:
        _required(data, "appeal_outcome")
    role = PARTICIPANT_ROLE.get(EventKind(kind))
    if role is not None:
        _required(data, "participant")
        participant: Participant = data["participant"]
        if (
            participant.accused_id not in (None, accused.pk)
            or participant.role != role
            or participant.proceeding_id != accused.proceeding_id
        ):
            raise ValidationError(
                {"participant": MESSAGE_PARTICIPANT_ROLE % {"role": ParticipantRole(role).label}}
            )
        if kind in OWN_PRESENCE and not actor.is_superuser and participant.user_id != actor.pk:
            raise ValidationError({"participant": MESSAGE_NOT_OWN_PRESENCE})


def _next_stage(kind: str, accused: Accused, data: dict[str, Any]) -> tuple[str, str]:
    """The (stage, pending decision) after this event; refuses an approval with nothing pending."""
    stage, pending = accused.stage, accused.pending
    if kind in policy.INVESTIGATIVE and stage == Stage.REGISTERED:
        return Stage.INVESTIGATION, pending
    if kind in (EventKind.TERMINATION, EventKind.INDICTMENT):
        if pending:
            raise ValidationError(MESSAGE_PENDING)
        return stage, Pending.TERMINATION if kind == EventKind.TERMINATION else Pending.INDICTMENT
    if kind in (EventKind.TERMINATION_APPROVED, EventKind.INDICTMENT_APPROVED):
        wanted = (
            Pending.TERMINATION if kind == EventKind.TERMINATION_APPROVED else Pending.INDICTMENT
        )
        if pending != wanted:
            raise ValidationError(MESSAGE_NOTHING_TO_APPROVE)
        return (Stage.TERMINATED if wanted == Pending.TERMINATION else Stage.IN_COURT), Pending.NONE
    if kind == EventKind.JUDGMENT:
        return Stage.JUDGMENT, pending
    if kind == EventKind.APPEAL:
        return Stage.APPEAL, pending
    if kind in (EventKind.JUDGMENT_IN_FORCE, EventKind.APPEAL_DECISION):
        # Only a decision on appeal has an outcome; a stray one must not route the judgment.
        outcome = data.get("appeal_outcome") if kind == EventKind.APPEAL_DECISION else None
        if outcome == AppealOutcome.QUASHED:
            return Stage.IN_COURT, pending
        convicted = (
            outcome != AppealOutcome.ACQUITTED and _last_verdict(accused) == Verdict.CONVICTION
        )
        return (Stage.SENTENCE_EXECUTION if convicted else Stage.CLOSED), pending
    if kind == EventKind.CLOSED:
        return Stage.CLOSED, pending
    return stage, pending


def _last_verdict(accused: Accused) -> str:
    judgment = accused.events.filter(kind=EventKind.JUDGMENT).order_by("-started_at", "-id").first()
    return judgment.verdict if judgment else ""


def _acting_role(actor: User, kind: str) -> str:
    roles = policy.roles_for(kind)
    require_role(actor, roles)
    for role in actor.roles:
        if role in roles:
            return role
    return sorted(roles)[0]  # a superuser acts in the first role that may


def record_event_within(
    *,
    actor: User,
    accused: Accused,
    kind: str,
    started_at: datetime.datetime,
    attendees: Iterable[Participant] = (),
    court: Agency | None = None,
    **fields: Any,
) -> ProceduralEvent:
    """Record one step for one minor: check it, move the stage, let the safeguards see it.

    Runs in the caller's transaction: another app's service that records a step as part of
    its own change (the on-duty defender assigned) calls this; everyone else `record_event`.
    The same submission again (a double click, a retry) returns the step it recorded, marked
    `already_recorded`, and writes nothing.
    """
    unknown = set(fields) - FIELDS
    if unknown:
        raise ValueError(f"Unknown event fields: {sorted(unknown)}")
    attendees = list(attendees)
    given = {name for name, value in fields.items() if value not in (None, "", False, [])}
    given |= {"attendees"} if attendees else set()
    given |= {"court"} if court is not None else set()
    refuse_stray(given, policy.event_fields(kind))
    # Lock the minor's track: two steps recorded at once must not both read the old stage.
    accused = Accused.objects.select_for_update().select_related("juvenile").get(pk=accused.pk)
    case = visible_case(actor, accused.proceeding)
    role = _acting_role(actor, kind)
    print_ = fingerprint(
        accused=accused, kind=kind, started_at=started_at, attendees=attendees, court=court,
        fields=fields,
    )  # fmt: skip
    existing = already_recorded(accused, print_)
    if existing is not None:
        return existing  # the first submission's step: no second step, audit or violation
    if role not in (Role.DEFENCE_LAWYER, Role.SOCIAL_PSYCHOLOGIST):
        require_conducting_agency(actor, case, role)
    if kind not in policy.kinds_allowed(accused.stage):
        raise ValidationError(MESSAGE_WRONG_STAGE % {"stage": Stage(accused.stage).label})
    if not actor.is_superuser and not policy.conducts(role, accused.stage):
        raise PermissionDenied(MESSAGE_WRONG_AGENCY)
    data = dict(fields)
    check_times(case, started_at, data.get("ended_at"))
    check_consistency(
        case=case, accused=accused, kind=kind, role=role, started_at=started_at,
        ended_at=data.get("ended_at"),
    )  # fmt: skip
    day = timezone.localdate(started_at)
    if kind == EventKind.INTERROGATION:
        _check_interrogation(data, started_at)
    _check_fields(kind, data, accused, actor, day)
    if any(a.proceeding_id != case.pk for a in attendees):
        raise ValidationError({"attendees": MESSAGE_ATTENDEE})
    referral = kind == EventKind.INDICTMENT_APPROVED
    if referral and (
        court is None or court.agency_type != AgencyType.JUVENILE_COURT or not court.is_active
    ):
        raise ValidationError({"court": MESSAGE_NOT_COURT})
    stage, pending = _next_stage(kind, accused, data)

    event = ProceduralEvent(
        proceeding=case, accused=accused, kind=kind, started_at=started_at, author=actor,
        acting_role=role, acting_agency=actor.agency, fingerprint=print_, **data,
    )  # fmt: skip
    event.full_clean(exclude=["fingerprint"])  # its constraint is the database's, below
    try:
        with transaction.atomic():  # a twin request that slipped past the lock (SQLite)
            event.save()
    except IntegrityError:
        twin = already_recorded(accused, print_)
        if twin is None:
            raise
        return twin
    event.attendees.set(attendees)
    changes: dict[str, tuple[Any, Any]] = {
        "kind": (None, kind),
        "started_at": (None, local(started_at)),
        "acting_role": (None, role),
    }
    if (stage, pending) != (accused.stage, accused.pending):
        if stage != accused.stage:
            changes["stage"] = (accused.stage, stage)
        if pending != accused.pending:
            changes["pending"] = (accused.pending, pending)
        accused.stage, accused.pending = stage, pending
        accused.save(update_fields=["stage", "pending"])
    _update_case(case, kind, actor, court, changes)
    record(actor=actor, action="case.event", subject=case, changes=changes,
           details={"event_id": event.pk, "accused_id": accused.pk})  # fmt: skip
    event_recorded.send(sender=ProceduralEvent, event=event, actor=actor)
    return event


record_event = transaction.atomic(durable=True)(record_event_within)


def _update_case(
    case: Proceeding,
    kind: str,
    actor: User,
    court: Agency | None,
    changes: dict[str, tuple[Any, Any]],
) -> None:
    """The court and judge a step names become the case's."""
    if kind == EventKind.INDICTMENT_APPROVED and court is not None and case.court_id != court.pk:
        changes["court"] = (case.court_id, court.pk)
        case.court = court
        case.save(update_fields=["court", "updated_at"])
    if kind == EventKind.JUDGMENT and case.judge_id is None:
        changes["judge"] = (None, actor.pk)
        case.judge = actor
        case.save(update_fields=["judge", "updated_at"])
