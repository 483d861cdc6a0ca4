"""A supervision from the judgment taking effect to its end: register, plan, check-ins, breaches,
hours worked, the end. Each checks the actor, validates, writes in one transaction, audits."""

import datetime
import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from qorgau.accounts.models import Role, User
from qorgau.audit.services import record
from qorgau.probation.models import (
    Attendance,
    Basis,
    Breach,
    CheckIn,
    EndReason,
    Reminder,
    ReminderKind,
    Response,
    Status,
    Supervision,
    WorkLog,
)
from qorgau.probation.rulebook import executed_by_probation, probation_book
from qorgau.probation.services.common import (
    EVERY_DAYS_MAX,
    HOURS_PUNISHMENTS,
    MESSAGE_ALREADY_REGISTERED,
    MESSAGE_BEFORE_REGISTERED,
    MESSAGE_CHECKED_IN,
    MESSAGE_CHOICE,
    MESSAGE_DEFERRAL_GROUND,
    MESSAGE_DESCRIPTION,
    MESSAGE_END_BEFORE_START,
    MESSAGE_EVERY,
    MESSAGE_FIRST_CHECK_IN,
    MESSAGE_FUTURE_DAY,
    MESSAGE_HOURS_BELOW_WORKED,
    MESSAGE_HOURS_BEYOND,
    MESSAGE_HOURS_POSITIVE,
    MESSAGE_HOURS_REQUIRED,
    MESSAGE_INSPECTOR,
    MESSAGE_NEW_CASE,
    MESSAGE_NO_HOURS,
    MESSAGE_NOT_SUPERVISED,
    MESSAGE_REASON,
    add_months,
    check_day,
    locked,
    probation_agency_for,
    short,
    today,
)
from qorgau.proceedings.models import (
    Accused,
    AppealOutcome,
    EventKind,
    ProceduralEvent,
    Proceeding,
    Verdict,
)

logger = logging.getLogger(__name__)

# An appeal decision that leaves a conviction standing makes the judgment take effect.
TAKES_EFFECT = {AppealOutcome.UPHELD, AppealOutcome.CHANGED}


def _sentence(judgment: ProceduralEvent, day: datetime.date) -> tuple[str, int | None] | None:
    """Why probation supervises this sentence and for how many months; None: it does not."""
    if judgment.deferred:
        return Basis.DEFERRED, judgment.deferral_months
    if judgment.conditional:
        return Basis.CONDITIONAL, judgment.probation_months
    if judgment.punishment and executed_by_probation(judgment.punishment, day):
        return Basis.PUNISHMENT, judgment.term_months
    return None


def receive_sentence(*, event: ProceduralEvent, actor: User) -> Supervision | None:
    """When a conviction takes effect, the probation service of the minor's district receives
    the minor (CEC RK art. 24; CPC RK art. 398). Runs in the event's transaction."""
    kind = event.kind
    if kind == EventKind.APPEAL_DECISION and event.appeal_outcome not in TAKES_EFFECT:
        return None
    if kind not in (EventKind.JUDGMENT_IN_FORCE, EventKind.APPEAL_DECISION):
        return None
    accused: Accused = event.accused
    judgment = (
        ProceduralEvent.objects.filter(accused=accused, kind=EventKind.JUDGMENT)
        .order_by("-started_at", "-id")
        .first()
    )
    if judgment is None or judgment.verdict != Verdict.CONVICTION:
        return None
    day = timezone.localdate(event.started_at)
    sentence = _sentence(judgment, day)
    if sentence is None:
        return None
    basis, months = sentence
    juvenile = accused.juvenile
    case = event.proceeding
    agency = probation_agency_for(juvenile.address_territory) or probation_agency_for(
        case.territory
    )
    if agency is None:
        # No probation service is registered for the district or its region: the judgment
        # stands; the administrators must add the service (logged for them).
        logger.warning("no probation service for accused %s", accused.pk)
        return None
    rule = probation_book().report_rule(day)
    supervision = Supervision(
        accused=accused,
        juvenile=juvenile,
        proceeding=case,
        judgment=judgment,
        took_effect=event,
        changed_on_appeal=event.appeal_outcome == AppealOutcome.CHANGED,
        agency=agency,
        basis=basis,
        punishment=judgment.punishment,
        term_months=months or 0,
        starts_on=day,
        ends_on=add_months(day, months or 0),
        report_by=day + datetime.timedelta(days=int(rule["days"])),
        report_citation=rule.citation,
    )
    supervision.full_clean()
    supervision.save()
    record(
        actor=actor,
        action="probation.receive",
        subject=supervision,
        changes={
            "agency": (None, agency.pk),
            "basis": (None, basis),
            "report_by": (None, supervision.report_by.isoformat()),
        },
        details={"accused_id": accused.pk, "event_id": event.pk},
    )
    return supervision


def _require_open(supervision: Supervision, *, active: bool = True) -> None:
    wanted = (Status.ACTIVE,) if active else (Status.ACTIVE, Status.AWAITING)
    if supervision.status == Status.AWAITING and active:
        raise ValidationError(MESSAGE_NOT_SUPERVISED % {"status": Status(supervision.status).label})
    if supervision.status not in wanted:
        raise ValidationError(MESSAGE_NOT_SUPERVISED % {"status": Status(supervision.status).label})


def _resolve(supervision: Supervision, *kinds: str, up_to: datetime.date | None = None) -> None:
    reminders = Reminder.objects.filter(
        supervision=supervision, kind__in=kinds, resolved_at__isnull=True
    )
    if up_to is not None:
        reminders = reminders.filter(due_on__lte=up_to)
    reminders.update(resolved_at=timezone.now())


@transaction.atomic(durable=True)
def register(
    *,
    actor: User,
    supervision: Supervision,
    registered_on: datetime.date,
    inspector: User | None = None,
    deferral_ground: str = "",
) -> Supervision:
    """The minor reported: the inspector registers the minor and takes the case."""
    supervision = locked(actor, supervision)
    if supervision.status != Status.AWAITING:
        raise ValidationError(MESSAGE_ALREADY_REGISTERED)
    check_day(supervision, registered_on, "registered_on")
    inspector = inspector or actor
    in_service = inspector.agency_id == supervision.agency_id
    if not inspector.is_superuser and not (
        in_service and inspector.has_role(Role.PROBATION_INSPECTOR)
    ):
        raise ValidationError({"inspector": MESSAGE_INSPECTOR})
    if supervision.basis == Basis.DEFERRED:
        grounds = {
            code
            for code, _label in probation_book().choices("deferral_grounds", supervision.starts_on)
        }
        if deferral_ground not in grounds:
            raise ValidationError({"deferral_ground": MESSAGE_DEFERRAL_GROUND})
    elif deferral_ground:
        raise ValidationError({"deferral_ground": MESSAGE_CHOICE})
    supervision.status = Status.ACTIVE
    supervision.registered_on = registered_on
    supervision.inspector = inspector
    supervision.deferral_ground = deferral_ground
    supervision.full_clean()
    supervision.save(
        update_fields=["status", "registered_on", "inspector", "deferral_ground", "updated_at"]
    )
    _resolve(supervision, ReminderKind.NOT_REPORTED)
    record(
        actor=actor,
        action="probation.register",
        subject=supervision,
        changes={
            "status": (Status.AWAITING, Status.ACTIVE),
            "registered_on": (None, registered_on.isoformat()),
            "inspector": (None, inspector.pk),
        },
        details={"late": registered_on > supervision.report_by},
    )
    return supervision


@transaction.atomic(durable=True)
def set_plan(
    *,
    actor: User,
    supervision: Supervision,
    report_every_days: int,
    first_check_in_on: datetime.date,
    obligations: str = "",
    work_hours: int | None = None,
) -> Supervision:
    """The supervision plan: how often the minor reports, the obligations, the hours of work."""
    supervision = locked(actor, supervision)
    _require_open(supervision)
    if not 1 <= int(report_every_days or 0) <= EVERY_DAYS_MAX:
        raise ValidationError({"report_every_days": MESSAGE_EVERY})
    assert supervision.registered_on is not None
    if first_check_in_on < supervision.registered_on:
        raise ValidationError(
            {
                "first_check_in_on": MESSAGE_FIRST_CHECK_IN
                % {"day": short(supervision.registered_on)}
            }
        )
    if work_hours is None and supervision.punishment in HOURS_PUNISHMENTS:
        raise ValidationError({"work_hours": MESSAGE_HOURS_REQUIRED})
    if work_hours is not None and work_hours < supervision.hours_worked:
        raise ValidationError(
            {"work_hours": MESSAGE_HOURS_BELOW_WORKED % {"worked": supervision.hours_worked}}
        )
    old: dict[str, Any] = {
        "report_every_days": supervision.report_every_days,
        "next_check_in_on": supervision.next_check_in_on,
        "obligations": supervision.obligations,
        "work_hours": supervision.work_hours,
    }
    supervision.report_every_days = report_every_days
    supervision.next_check_in_on = first_check_in_on
    supervision.obligations = (obligations or "").strip()
    supervision.work_hours = work_hours
    supervision.full_clean()
    supervision.save(update_fields=[*old, "updated_at"])
    new = {name: getattr(supervision, name) for name in old}
    record(
        actor=actor,
        action="probation.plan",
        subject=supervision,
        changes={
            name: (str(old[name]) if old[name] is not None else None, str(value))
            for name, value in new.items()
            if old[name] != value
        },
    )
    return supervision


@transaction.atomic(durable=True)
def record_check_in(
    *,
    actor: User,
    supervision: Supervision,
    due_on: datetime.date,
    attendance: str,
    reason: str = "",
    notes: str = "",
) -> CheckIn:
    """A scheduled report: attended, missed, or excused with a reason. Refused for a minor who is
    not under supervision (not yet registered, or the supervision has ended)."""
    supervision = locked(actor, supervision)
    _require_open(supervision)
    if attendance not in Attendance.values:
        raise ValidationError({"attendance": MESSAGE_CHOICE})
    if due_on > today():
        raise ValidationError({"due_on": MESSAGE_FUTURE_DAY})
    assert supervision.registered_on is not None
    if due_on < supervision.registered_on:
        raise ValidationError(
            {"due_on": MESSAGE_BEFORE_REGISTERED % {"day": short(supervision.registered_on)}}
        )
    reason = (reason or "").strip()
    if attendance == Attendance.EXCUSED and not reason:
        raise ValidationError({"reason": MESSAGE_REASON})
    if CheckIn.objects.filter(supervision=supervision, due_on=due_on).exists():
        raise ValidationError({"due_on": MESSAGE_CHECKED_IN})
    check_in = CheckIn(
        supervision=supervision,
        due_on=due_on,
        attendance=attendance,
        reason=reason,
        notes=(notes or "").strip(),
        recorded_by=actor,
    )
    check_in.full_clean()
    try:
        with transaction.atomic():
            check_in.save()
    except IntegrityError:
        raise ValidationError({"due_on": MESSAGE_CHECKED_IN}) from None
    changes: dict[str, tuple[Any, Any]] = {
        "due_on": (None, due_on.isoformat()),
        "attendance": (None, attendance),
    }
    scheduled = supervision.next_check_in_on
    if supervision.report_every_days and (scheduled is None or due_on >= scheduled):
        following = due_on + datetime.timedelta(days=supervision.report_every_days)
        changes["next_check_in_on"] = (
            scheduled.isoformat() if scheduled else None,
            following.isoformat(),
        )
        supervision.next_check_in_on = following
        supervision.save(update_fields=["next_check_in_on", "updated_at"])
    _resolve(supervision, ReminderKind.CHECK_IN_OVERDUE, up_to=due_on)
    if attendance == Attendance.MISSED:
        Reminder.objects.get_or_create(
            supervision=supervision,
            kind=ReminderKind.CHECK_IN_MISSED,
            due_on=due_on,
            defaults={"agency": supervision.agency, "raised_at": timezone.now()},
        )
    record(actor=actor, action="probation.check_in", subject=supervision, changes=changes,
           details={"check_in_id": check_in.pk})  # fmt: skip
    return check_in


@transaction.atomic(durable=True)
def record_breach(
    *,
    actor: User,
    supervision: Supervision,
    occurred_on: datetime.date,
    description: str,
    response: str,
) -> Breach:
    """A breach of the conditions and the response: a written warning or a submission to court."""
    supervision = locked(actor, supervision)
    _require_open(supervision)
    check_day(supervision, occurred_on, "occurred_on")
    text = (description or "").strip()
    if not text:
        raise ValidationError({"description": MESSAGE_DESCRIPTION})
    if response not in Response.values:
        raise ValidationError({"response": MESSAGE_CHOICE})
    breach = Breach(
        supervision=supervision,
        occurred_on=occurred_on,
        description=text,
        response=response,
        recorded_by=actor,
    )
    breach.full_clean()
    breach.save()
    _resolve(supervision, ReminderKind.CHECK_IN_MISSED, up_to=occurred_on)
    record(
        actor=actor,
        action="probation.breach",
        subject=supervision,
        changes={"occurred_on": (None, occurred_on.isoformat()), "response": (None, response)},
        details={"breach_id": breach.pk},
    )
    return breach


@transaction.atomic(durable=True)
def record_hours(
    *,
    actor: User,
    supervision: Supervision,
    worked_on: datetime.date,
    hours: int,
    place: str = "",
) -> WorkLog:
    """Hours of community or correctional work done; never beyond the hours the sentence set."""
    supervision = locked(actor, supervision)
    _require_open(supervision)
    check_day(supervision, worked_on, "worked_on")
    if supervision.work_hours is None:
        raise ValidationError({"hours": MESSAGE_NO_HOURS})
    if not hours or hours <= 0:
        raise ValidationError({"hours": MESSAGE_HOURS_POSITIVE})
    left = supervision.work_hours - supervision.hours_worked
    if hours > left:
        raise ValidationError(
            {"hours": MESSAGE_HOURS_BEYOND % {"left": left, "total": supervision.work_hours}}
        )
    log = WorkLog(
        supervision=supervision,
        worked_on=worked_on,
        hours=hours,
        place=(place or "").strip(),
        recorded_by=actor,
    )
    log.full_clean()
    log.save()
    before = supervision.hours_worked
    supervision.hours_worked = before + hours
    supervision.full_clean()
    supervision.save(update_fields=["hours_worked", "updated_at"])
    record(
        actor=actor,
        action="probation.hours",
        subject=supervision,
        changes={"hours_worked": (before, supervision.hours_worked)},
        details={"work_log_id": log.pk, "worked_on": worked_on.isoformat()},
    )
    return log


@transaction.atomic(durable=True)
def end_supervision(
    *,
    actor: User,
    supervision: Supervision,
    ended_on: datetime.date,
    reason: str,
    notes: str = "",
    new_proceeding: Proceeding | None = None,
) -> Supervision:
    """The end: served, early release, revoked by the court, or a new offence (its case named).
    Refused before the supervision began."""
    supervision = locked(actor, supervision)
    _require_open(supervision, active=False)
    if reason not in EndReason.values:
        raise ValidationError({"reason": MESSAGE_CHOICE})
    if ended_on < supervision.starts_on:
        raise ValidationError(
            {"ended_on": MESSAGE_END_BEFORE_START % {"start": short(supervision.starts_on)}}
        )
    if ended_on > today():
        raise ValidationError({"ended_on": MESSAGE_FUTURE_DAY})
    if reason == EndReason.NEW_OFFENCE:
        same_minor = Accused.objects.filter(
            proceeding=new_proceeding, juvenile_id=supervision.juvenile_id
        )
        if (
            new_proceeding is None
            or new_proceeding.pk == supervision.proceeding_id
            or not same_minor.exists()
        ):
            raise ValidationError({"new_proceeding": MESSAGE_NEW_CASE})
    elif new_proceeding is not None:
        raise ValidationError({"new_proceeding": MESSAGE_CHOICE})
    old = supervision.status
    supervision.status = Status.ENDED
    supervision.ended_on = ended_on
    supervision.end_reason = reason
    supervision.end_notes = (notes or "").strip()
    supervision.new_proceeding = new_proceeding
    supervision.next_check_in_on = None
    supervision.full_clean()
    supervision.save(
        update_fields=[
            "status", "ended_on", "end_reason", "end_notes", "new_proceeding",
            "next_check_in_on", "updated_at",
        ]
    )  # fmt: skip
    _resolve(supervision, *ReminderKind.values)
    record(
        actor=actor,
        action="probation.end",
        subject=supervision,
        changes={
            "status": (old, Status.ENDED),
            "ended_on": (None, ended_on.isoformat()),
            "end_reason": (None, reason),
        },
        details={"new_proceeding": new_proceeding.pk if new_proceeding else None},
    )
    return supervision


@transaction.atomic(durable=True)
def view_supervision(*, actor: User, pk: int) -> Supervision:
    """Open a supervision for reading (it names a minor and the sentence): audited."""
    supervision = Supervision.objects.visible_to(actor).get(pk=pk)
    record(actor=actor, action="probation.view", subject=supervision)
    return supervision
