"""The checks the safeguard rules name. Each reads a minor's track and returns what it finds.

A finding's `key` names the fact (the event or the day it is about): the same fact never
yields a second violation, however often the rules run.
"""

import calendar
import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from qorgau.accounts.models import Role, User
from qorgau.core.models import Gravity
from qorgau.proceedings.models import EventKind as K
from qorgau.proceedings.models import ParticipantRole as P
from qorgau.proceedings.models import ProceduralEvent
from qorgau.safeguards.rulebook import SafeguardRule
from qorgau.safeguards.track import Track, day_of, stamp

H = datetime.timedelta(hours=1)


@dataclass
class Finding:
    key: str
    facts: dict[str, Any]
    events: list[ProceduralEvent] = field(default_factory=list)
    responsible: User | None = None
    day: datetime.date | None = None  # the day whose rule in force judges it


@dataclass(frozen=True)
class Check:
    run: Callable[[SafeguardRule, Track], list[Finding]]
    facts: frozenset[str]


CHECKS: dict[str, Check] = {}


def check(*facts: str) -> Callable[[Callable[[SafeguardRule, Track], list[Finding]]], Check]:
    def register(run: Callable[[SafeguardRule, Track], list[Finding]]) -> Check:
        CHECKS[run.__name__] = Check(run=run, facts=frozenset(facts))
        return CHECKS[run.__name__]

    return register


def _interrogation_segments(
    event: ProceduralEvent,
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """The stretches of questioning between the recorded breaks."""
    assert event.ended_at is not None
    segments, start = [], event.started_at
    for item in sorted(event.breaks, key=lambda b: b["start"]):
        pause_start = datetime.datetime.fromisoformat(item["start"])
        segments.append((start, pause_start))
        start = datetime.datetime.fromisoformat(item["end"])
    segments.append((start, event.ended_at))
    return segments


def add_months(moment: datetime.datetime, months: int) -> datetime.datetime:
    """The same day and time `months` later (the month's last day when it is shorter).

    Counted on the local calendar: a moment read from the database is in UTC, where 02:00 on
    the first of a month in Almaty is still the previous month's last day.
    """
    moment = timezone.localtime(moment)
    month = moment.month - 1 + months
    year, month = moment.year + month // 12, month % 12 + 1
    days_in_month = calendar.monthrange(year, month)[1]
    return moment.replace(year=year, month=month, day=min(moment.day, days_in_month))


def _minutes(delta: datetime.timedelta) -> int:
    return int(delta.total_seconds() // 60)


@check("start")
def defender_present_at_interrogation(rule: SafeguardRule, track: Track) -> list[Finding]:
    findings = []
    for event in track.of(K.INTERROGATION):
        arrived = track.first(K.DEFENDER_ARRIVED)
        present = P.DEFENDER in track.roles_present(event) or (
            arrived is not None and arrived.started_at <= event.started_at
        )
        if not present:
            findings.append(
                Finding(
                    f"interrogation:{event.pk}",
                    {"start": stamp(event.started_at)},
                    [event],
                    event.author,
                    day_of(event.started_at),
                )
            )
    return findings


def _within_hours_of_detention(rule: SafeguardRule, track: Track, kind: str) -> list[Finding]:
    detention = track.first(K.DETENTION)
    if detention is None:
        return []
    deadline = detention.started_at + rule["hours"] * H
    done = track.first(kind, after=detention.started_at)
    late = done.started_at > deadline if done else track.until > deadline
    if not late:
        return []
    events = [detention, done] if done else [detention]
    return [
        Finding(
            f"detention:{detention.pk}",
            {"detained": stamp(detention.started_at)},
            events,
            track.accused.proceeding.investigator,
            day_of(detention.started_at),
        )
    ]


@check("detained")
def defender_arrives_after_detention(rule: SafeguardRule, track: Track) -> list[Finding]:
    return _within_hours_of_detention(rule, track, K.DEFENDER_ARRIVED)


@check("detained")
def representative_notified_after_detention(rule: SafeguardRule, track: Track) -> list[Finding]:
    return _within_hours_of_detention(rule, track, K.REPRESENTATIVE_NOTIFIED)


@check("detained")
def psychologist_arrives_after_detention(rule: SafeguardRule, track: Track) -> list[Finding]:
    return _within_hours_of_detention(rule, track, K.PSYCHOLOGIST_PRESENT)


@check("age", "start")
def pedagogue_present_at_interrogation(rule: SafeguardRule, track: Track) -> list[Finding]:
    findings = []
    for event in track.of(K.INTERROGATION):
        age = track.accused.juvenile.age_on(day_of(event.started_at))
        if age >= rule["age_under"]:
            continue
        if track.roles_present(event) & {P.PEDAGOGUE, P.SOCIAL_PSYCHOLOGIST}:
            continue
        findings.append(
            Finding(
                f"interrogation:{event.pk}",
                {"age": age, "start": stamp(event.started_at)},
                [event],
                event.author,
                day_of(event.started_at),
            )
        )
    return findings


@check("longest")
def interrogation_continuous_length(rule: SafeguardRule, track: Track) -> list[Finding]:
    findings = []
    for event in track.of(K.INTERROGATION):
        longest = max(_minutes(end - start) for start, end in _interrogation_segments(event))
        if longest > rule["minutes"]:
            findings.append(
                Finding(
                    f"interrogation:{event.pk}",
                    {"longest": longest},
                    [event],
                    event.author,
                    day_of(event.started_at),
                )
            )
    return findings


@check("day", "total")
def interrogation_daily_length(rule: SafeguardRule, track: Track) -> list[Finding]:
    by_day: dict[datetime.date, list[ProceduralEvent]] = defaultdict(list)
    for event in track.of(K.INTERROGATION):
        by_day[day_of(event.started_at)].append(event)
    findings = []
    for day, events in sorted(by_day.items()):
        total = sum(
            _minutes(end - start)
            for event in events
            for start, end in _interrogation_segments(event)
        )
        if total > rule["minutes"]:
            findings.append(
                Finding(
                    f"day:{day.isoformat()}",
                    {"day": day.isoformat(), "total": total},
                    events,
                    events[-1].author,
                    day,
                )
            )
    return findings


def _detention_ends(event: ProceduralEvent) -> bool:
    if event.kind == K.RELEASE:
        return True
    return (
        event.kind == K.PREVENTIVE_MEASURE
        and event.measure == "custody"
        and bool(event.court_sanctioned)
    )


@check("detained", "held", "limit")
def detention_within_limit(rule: SafeguardRule, track: Track) -> list[Finding]:
    findings = []
    limit = (
        rule["hours_especially_grave"]
        if track.gravest == Gravity.ESPECIALLY_GRAVE
        else rule["hours"]
    )
    for detention in track.of(K.DETENTION):
        end = next(
            (
                e
                for e in track.events
                if e.started_at >= detention.started_at and _detention_ends(e)
            ),
            None,
        )
        held = ((end.started_at if end else track.until) - detention.started_at) / H
        if held > limit:
            findings.append(
                Finding(
                    f"detention:{detention.pk}",
                    {"detained": stamp(detention.started_at), "held": int(held), "limit": limit},
                    [detention] + ([end] if end else []),
                    track.accused.proceeding.investigator,
                    day_of(detention.started_at),
                )
            )
    return findings


@check("start", "gravity")
def custody_only_for_grave(rule: SafeguardRule, track: Track) -> list[Finding]:
    if not track.gravest or track.gravest in rule["allowed"]:
        return []
    gravity = track.gravest
    return [
        Finding(
            f"measure:{event.pk}",
            {"start": stamp(event.started_at), "gravity": gravity},
            [event],
            event.author,
            day_of(event.started_at),
        )
        for event in track.of(K.PREVENTIVE_MEASURE)
        if event.measure == "custody"
    ]


@check("start")
def held_separately_from_adults(rule: SafeguardRule, track: Track) -> list[Finding]:
    return [
        Finding(
            f"detention:{event.pk}",
            {"start": stamp(event.started_at)},
            [event],
            event.author,
            day_of(event.started_at),
        )
        for event in track.of(K.DETENTION)
        if event.held_separately is False
    ]


ROLE_LABELS = {
    "investigator": Role.INVESTIGATOR,
    "prosecutor": Role.PROSECUTOR,
    "judge": Role.JUDGE,
}


@check("official", "role")
def officials_specialized(rule: SafeguardRule, track: Track) -> list[Finding]:
    trained = set(
        User.objects.filter(
            pk__in=[u.pk for u, _ in track.officials], trainings__isnull=False
        ).values_list("pk", flat=True)
    )
    return [
        Finding(
            f"official:{user.pk}",
            {
                "official": user.get_full_name() or user.username,
                "role": str(ROLE_LABELS[role]),
            },
            [],
            user,
            day_of(track.accused.proceeding.offence_at),
        )
        for user, role in track.officials
        if user.pk not in trained
    ]


CUSTODY_ENDS = {K.RELEASE, K.PREVENTIVE_MEASURE, K.JUDGMENT, K.TERMINATION_APPROVED}


def _custody_periods(track: Track) -> list[tuple[ProceduralEvent, ProceduralEvent | None]]:
    """Each custody measure and the step that ended or replaced it (None: still running)."""
    periods = []
    for event in track.of(K.PREVENTIVE_MEASURE):
        if event.measure != "custody":
            continue
        end = next(
            (
                e
                for e in track.events
                if e.kind in CUSTODY_ENDS and e.pk != event.pk and e.started_at >= event.started_at
            ),
            None,
        )
        periods.append((event, end))
    return periods


@check("start", "days", "ends")
def custody_within_term(rule: SafeguardRule, track: Track) -> list[Finding]:
    findings = []
    for measure, end in _custody_periods(track):
        if not measure.term_days:
            continue
        expires = measure.started_at + datetime.timedelta(days=measure.term_days)
        if (end.started_at if end else track.until) > expires:
            findings.append(
                Finding(
                    f"measure:{measure.pk}",
                    {
                        "start": stamp(measure.started_at),
                        "days": measure.term_days,
                        "ends": stamp(expires),
                    },
                    [measure],
                    track.accused.proceeding.investigator,
                    day_of(measure.started_at),
                )
            )
    return findings


PRETRIAL_ENDS = {K.INDICTMENT_APPROVED, K.JUDGMENT, K.TERMINATION_APPROVED, K.RELEASE}


@check("start")
def custody_pretrial_maximum(rule: SafeguardRule, track: Track) -> list[Finding]:
    periods = _custody_periods(track)
    if not periods:
        return []
    first = periods[0][0]
    end = next(
        (e for e in track.events if e.kind in PRETRIAL_ENDS and e.started_at >= first.started_at),
        None,
    )
    limit = add_months(first.started_at, rule["months"])
    if (end.started_at if end else track.until) <= limit:
        return []
    return [
        Finding(
            f"custody:{first.pk}",
            {"start": stamp(first.started_at)},
            [first],
            track.accused.proceeding.investigator,
            day_of(first.started_at),
        )
    ]


@check("last")
def custody_reviewed(rule: SafeguardRule, track: Track) -> list[Finding]:
    findings = []
    for measure, end in _custody_periods(track):
        if end is not None:
            continue  # replaced or ended: the next measure is the review
        if track.until - measure.started_at > datetime.timedelta(days=rule["days"]):
            findings.append(
                Finding(
                    f"measure:{measure.pk}",
                    {"last": stamp(measure.started_at)},
                    [measure],
                    track.accused.proceeding.investigator,
                    day_of(measure.started_at),
                )
            )
    return findings


@check("registered")
def decided_within_months(rule: SafeguardRule, track: Track) -> list[Finding]:
    case = track.accused.proceeding
    # The local midnight of the registration day (offence_at read back from the database is UTC).
    start = timezone.make_aware(datetime.datetime.combine(case.registered_on, datetime.time()))
    limit = add_months(start, rule["months"])
    decision = track.final_decision
    if (decision.started_at if decision else track.until) <= limit:
        return []
    return [
        Finding(
            "decision",
            {"registered": case.registered_on.isoformat()},
            [decision] if decision else [],
            case.investigator,
            case.registered_on,
        )
    ]


@check("offence")
def offence_to_decision(rule: SafeguardRule, track: Track) -> list[Finding]:
    case = track.accused.proceeding
    limit = case.offence_at + datetime.timedelta(days=rule["days"])
    decision = track.final_decision
    if (decision.started_at if decision else track.until) <= limit:
        return []
    return [
        Finding(
            "decision",
            {"offence": stamp(case.offence_at)},
            [decision] if decision else [],
            case.investigator,
            day_of(case.offence_at),
        )
    ]


# The checks of checks_record.py join the same table (imported last: they use `check`).
from qorgau.safeguards import checks_record  # noqa: E402, F401
