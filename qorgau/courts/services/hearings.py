"""The hearings calendar: scheduling (no judge or courtroom twice at once), adjournments,
summonses and who was present."""

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from qorgau.accounts.models import User
from qorgau.audit.services import record
from qorgau.courts import presence
from qorgau.courts.models import (
    OCCUPYING,
    CaseKind,
    CourtCase,
    Courtroom,
    Hearing,
    HearingStatus,
    SummonedAs,
    Summons,
    SummonsMethod,
)
from qorgau.courts.services.common import (
    MESSAGE_BEFORE_HEARING,
    MESSAGE_BEFORE_RECEIPT,
    MESSAGE_COURTROOM,
    MESSAGE_DURATION,
    MESSAGE_JUDGE_BUSY,
    MESSAGE_NAME,
    MESSAGE_NOT_SCHEDULED,
    MESSAGE_PARTICIPANT,
    MESSAGE_REASON,
    MESSAGE_ROOM_BUSY,
    MESSAGE_SUMMONED,
    MESSAGE_UNKNOWN_SUMMONS,
    case_for_judge,
    hearing_for_judge,
    judge_of_court,
    require_undecided,
)
from qorgau.proceedings.models import Participant
from qorgau.proceedings.services.common import CLOCK_TOLERANCE, local

MIN_MINUTES, MAX_MINUTES = 10, 600
# Who of the criminal case each kind of person summoned must be (their role in it).
PARTICIPANT_ROLE = {
    SummonedAs.LEGAL_REPRESENTATIVE: "legal_representative",
    SummonedAs.DEFENDER: "defender",
    SummonedAs.PEDAGOGUE: "pedagogue",
    SummonedAs.PSYCHOLOGIST: "social_psychologist",
}


def _time(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


def _clash(
    *, judge: User, courtroom: Courtroom, start: datetime.datetime, end: datetime.datetime,
    exclude: int | None = None,
) -> None:  # fmt: skip
    """Refuse a hearing that overlaps another of the same judge or in the same courtroom."""
    overlapping = Hearing.objects.filter(
        status__in=OCCUPYING, starts_at__lt=end, ends_at__gt=start
    ).select_related("case")
    if exclude is not None:
        overlapping = overlapping.exclude(pk=exclude)
    for other in overlapping.filter(Q(judge=judge) | Q(courtroom=courtroom)).order_by("starts_at"):
        values = {
            "case": other.case.number,
            "start": local(other.starts_at),
            "end": _time(other.ends_at),
        }
        if other.judge_id == judge.pk:
            raise ValidationError({"starts_at": MESSAGE_JUDGE_BUSY % values})
        raise ValidationError({"courtroom": MESSAGE_ROOM_BUSY % values})


def _new_hearing(
    actor: User,
    case: CourtCase,
    *,
    courtroom: Courtroom | None,
    judge: User | None,
    starts_at: datetime.datetime,
    minutes: int,
) -> Hearing:
    judge = judge_of_court(judge or case.judge or actor, case.court_id)
    if courtroom is None or courtroom.court_id != case.court_id or not courtroom.is_active:
        raise ValidationError({"courtroom": MESSAGE_COURTROOM})
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise ValidationError({"minutes": MESSAGE_DURATION})
    if starts_at < case.received_at:
        raise ValidationError(
            {"starts_at": MESSAGE_BEFORE_RECEIPT % {"received": local(case.received_at)}}
        )
    ends_at = starts_at + datetime.timedelta(minutes=minutes)
    _clash(judge=judge, courtroom=courtroom, start=starts_at, end=ends_at)
    hearing = Hearing(
        case=case, court_id=case.court_id, courtroom=courtroom, judge=judge,
        starts_at=starts_at, ends_at=ends_at, scheduled_by=actor,
    )  # fmt: skip
    hearing.full_clean()
    try:
        # PostgreSQL's exclusion constraints (migration 0003) catch a clash that two requests
        # at once both passed the check above with.
        with transaction.atomic():
            hearing.save()
    except IntegrityError:
        _clash(judge=judge, courtroom=courtroom, start=starts_at, end=ends_at)
        raise
    if case.judge_id is None:
        case.judge = judge
        case.save(update_fields=["judge", "updated_at"])
    return hearing


@transaction.atomic(durable=True)
def schedule_hearing(
    *,
    actor: User,
    case: CourtCase,
    courtroom: Courtroom | None,
    starts_at: datetime.datetime,
    minutes: int,
    judge: User | None = None,
) -> Hearing:
    """Put a hearing of the case in the calendar (the case's judge unless another is named)."""
    case = case_for_judge(actor, case)
    require_undecided(case)
    hearing = _new_hearing(
        actor, case, courtroom=courtroom, judge=judge, starts_at=starts_at, minutes=minutes
    )
    record(
        actor=actor,
        action="court.hearing",
        subject=hearing,
        changes={
            "starts_at": (None, local(hearing.starts_at)),
            "ends_at": (None, local(hearing.ends_at)),
            "courtroom": (None, hearing.courtroom_id),
            "judge": (None, hearing.judge_id),
        },
        details={"court_case_id": case.pk},
    )
    return hearing


@transaction.atomic(durable=True)
def adjourn_hearing(
    *,
    actor: User,
    hearing: Hearing,
    reason: str,
    next_starts_at: datetime.datetime | None = None,
    next_minutes: int | None = None,
    next_courtroom: Courtroom | None = None,
) -> Hearing:
    """Adjourn a scheduled hearing with the reason; optionally book the next one."""
    case, hearing = hearing_for_judge(actor, hearing)
    require_undecided(case)
    if hearing.status != HearingStatus.SCHEDULED:
        raise ValidationError(
            MESSAGE_NOT_SCHEDULED % {"status": HearingStatus(hearing.status).label}
        )
    if not reason.strip():
        raise ValidationError({"reason": MESSAGE_REASON})
    hearing.status = HearingStatus.ADJOURNED
    hearing.adjournment_reason = reason.strip()
    hearing.save(update_fields=["status", "adjournment_reason", "updated_at"])
    changes: dict[str, tuple[Any, Any]] = {
        "status": (HearingStatus.SCHEDULED, HearingStatus.ADJOURNED),
        "adjournment_reason": ("", hearing.adjournment_reason),
    }
    if next_starts_at is not None:
        following = _new_hearing(
            actor, case, courtroom=next_courtroom or hearing.courtroom, judge=hearing.judge,
            starts_at=next_starts_at, minutes=next_minutes or hearing.duration_minutes,
        )  # fmt: skip
        hearing.next_hearing = following
        hearing.save(update_fields=["next_hearing", "updated_at"])
        changes["next_hearing"] = (None, local(following.starts_at))
    record(actor=actor, action="court.adjourn", subject=hearing, changes=changes,
           details={"court_case_id": case.pk})  # fmt: skip
    return hearing


@transaction.atomic(durable=True)
def summon(
    *,
    actor: User,
    hearing: Hearing,
    summoned_as: str,
    full_name: str = "",
    participant: Participant | None = None,
    method: str,
    sent_on: datetime.date,
) -> Summons:
    """Summon the minor, the legal representative, the defender, the pedagogue or psychologist."""
    case, hearing = hearing_for_judge(actor, hearing)
    require_undecided(case)
    if hearing.status != HearingStatus.SCHEDULED:
        raise ValidationError(
            MESSAGE_NOT_SCHEDULED % {"status": HearingStatus(hearing.status).label}
        )
    if summoned_as not in SummonedAs.values:
        raise ValidationError({"summoned_as": MESSAGE_SUMMONED})
    if method not in SummonsMethod.values:
        raise ValidationError({"method": MESSAGE_SUMMONED})
    if participant is not None:
        wanted = PARTICIPANT_ROLE.get(SummonedAs(summoned_as))
        if (
            case.kind != CaseKind.CRIMINAL
            or participant.proceeding_id != case.proceeding_id
            or participant.role != wanted
            or participant.accused_id not in (None, case.accused_id)
        ):
            raise ValidationError({"participant": MESSAGE_PARTICIPANT})
        full_name = full_name or participant.full_name
    if summoned_as == SummonedAs.MINOR and not full_name:
        full_name = case.juvenile.full_name
    if not full_name.strip():
        raise ValidationError({"full_name": MESSAGE_NAME})
    summons = Summons(
        hearing=hearing, summoned_as=summoned_as, full_name=full_name.strip(),
        participant=participant, method=method, sent_on=sent_on,
    )  # fmt: skip
    summons.full_clean()
    summons.save()
    record(
        actor=actor,
        action="court.summons",
        subject=hearing,
        changes={"summoned_as": (None, summoned_as), "full_name": (None, summons.full_name)},
        details={"court_case_id": case.pk, "summons_id": summons.pk},
    )
    return summons


@transaction.atomic(durable=True)
def record_presence(*, actor: User, hearing: Hearing, present: Mapping[int, bool]) -> Hearing:
    """Record who of those summoned came; the hearing is then held, and the safeguards'
    presence rules (as for an interrogation) are applied to it (CPC RK art. 538)."""
    case, hearing = hearing_for_judge(actor, hearing)
    require_undecided(case)
    if hearing.status == HearingStatus.ADJOURNED:
        raise ValidationError(
            MESSAGE_NOT_SCHEDULED % {"status": HearingStatus(hearing.status).label}
        )
    if hearing.starts_at > timezone.now() + CLOCK_TOLERANCE:
        raise ValidationError(MESSAGE_BEFORE_HEARING)
    summonses = {s.pk: s for s in hearing.summonses.all()}
    if set(present) - set(summonses):
        raise ValidationError({"present": MESSAGE_UNKNOWN_SUMMONS})
    changes: dict[str, tuple[Any, Any]] = {}
    for pk, came in present.items():
        summons = summonses[pk]
        if summons.present is not came:
            changes[f"present:{pk}"] = (summons.present, came)
            summons.present = came
            summons.save(update_fields=["present"])
    roles = presence.roles_present(hearing)
    findings = presence.evaluate(hearing, roles) if case.kind != CaseKind.CIVIL else []
    if hearing.status != HearingStatus.HELD:
        changes["status"] = (hearing.status, HearingStatus.HELD)
    hearing.status = HearingStatus.HELD
    hearing.presence_recorded_at = timezone.now()
    hearing.presence_findings = findings
    hearing.save(
        update_fields=["status", "presence_recorded_at", "presence_findings", "updated_at"]
    )
    record(
        actor=actor,
        action="court.presence",
        subject=hearing,
        changes=changes,
        details={"court_case_id": case.pk, "rules_breached": [f["rule"] for f in findings]},
    )
    return hearing
