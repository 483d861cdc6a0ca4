"""The safeguard rules run over a generated track, as `qorgau check-deadlines` would.

Each function mirrors the check of the same name in qorgau/safeguards/checks.py (same
thresholds, read from the same rule file; same fact keys and facts), judged by the clock at
the as-of moment. The generator's test compares the result with the real checks, so the two
cannot drift apart silently; a rule whose check has no mirror here stops the generator.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from qorgau.core.models import Gravity
from qorgau.demo.national.timeline import Ev
from qorgau.proceedings.models import EventKind as K
from qorgau.proceedings.models import Stage
from qorgau.safeguards.checks import add_months
from qorgau.safeguards.rulebook import SafeguardRule, safeguard_book
from qorgau.safeguards.track import day_of, stamp

H = datetime.timedelta(hours=1)
GRAVITY_ORDER = [g.value for g in Gravity]
FINAL = {K.TERMINATION_APPROVED, K.JUDGMENT}


@dataclass
class Case:
    """What the rules read about one minor's case."""

    events: list[Ev]  # oldest first, as (started_at, id)
    stage: str
    birth_date: datetime.date
    gravest: str
    investigator: Any
    prosecutor: Any
    judge: Any
    registered_on: datetime.date
    offence_at: datetime.datetime
    trained: set[int]
    now: datetime.datetime
    names: dict[int, str] = field(default_factory=dict)  # participant id -> full name

    def __post_init__(self) -> None:
        finished = self.stage in (Stage.TERMINATED, Stage.CLOSED)
        self.until = (
            min(self.now, max(e.start for e in self.events))
            if self.events and finished
            else self.now
        )

    def of(self, *kinds: str) -> list[Ev]:
        return [e for e in self.events if e.kind in kinds]

    def first(self, *kinds: str, after: datetime.datetime | None = None) -> Ev | None:
        return next((e for e in self.of(*kinds) if after is None or e.start >= after), None)

    def age_on(self, day: datetime.date) -> int:
        years = day.year - self.birth_date.year
        return years - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))

    @property
    def final_decision(self) -> Ev | None:
        return self.first(*FINAL)


@dataclass
class Finding:
    key: str
    facts: dict[str, Any]
    events: list[Ev]
    responsible: Any
    day: datetime.date
    moment: datetime.datetime  # when the sweep would first have seen it
    rule: SafeguardRule | None = None
    extra: dict[str, Any] = field(default_factory=dict)


Mirror = Callable[[SafeguardRule, Case], list[Finding]]
MIRRORS: dict[str, Mirror] = {}


def mirror(run: Mirror) -> Mirror:
    MIRRORS[run.__name__] = run
    return run


def _roles(event: Ev) -> set[str]:
    return {role for _, role in event.attendees}


def _segments(event: Ev) -> list[tuple[datetime.datetime, datetime.datetime]]:
    assert event.end is not None
    segments, start = [], event.start
    for pause_start, pause_end in sorted(event.breaks):
        segments.append((start, pause_start))
        start = pause_end
    segments.append((start, event.end))
    return segments


def _minutes(delta: datetime.timedelta) -> int:
    return int(delta.total_seconds() // 60)


def _on_event(key: str, facts: dict[str, Any], event: Ev, who: Any) -> Finding:
    return Finding(key, facts, [event], who, day_of(event.start), event.recorded)


@mirror
def defender_present_at_interrogation(rule: SafeguardRule, case: Case) -> list[Finding]:
    found = []
    for event in case.of(K.INTERROGATION):
        arrived = case.first(K.DEFENDER_ARRIVED)
        if "defender" in _roles(event) or (arrived is not None and arrived.start <= event.start):
            continue
        found.append(
            _on_event(
                f"interrogation:{event.id}", {"start": stamp(event.start)}, event, event.author
            )
        )
    return found


def _within_hours(rule: SafeguardRule, case: Case, kind: str) -> list[Finding]:
    detention = case.first(K.DETENTION)
    if detention is None:
        return []
    deadline = detention.start + rule["hours"] * H
    done = case.first(kind, after=detention.start)
    if not (done.start > deadline if done else case.until > deadline):
        return []
    return [
        Finding(
            f"detention:{detention.id}",
            {"detained": stamp(detention.start)},
            [detention, done] if done else [detention],
            case.investigator,
            day_of(detention.start),
            deadline,
        )
    ]


@mirror
def defender_arrives_after_detention(rule: SafeguardRule, case: Case) -> list[Finding]:
    return _within_hours(rule, case, K.DEFENDER_ARRIVED)


@mirror
def representative_notified_after_detention(rule: SafeguardRule, case: Case) -> list[Finding]:
    return _within_hours(rule, case, K.REPRESENTATIVE_NOTIFIED)


@mirror
def psychologist_arrives_after_detention(rule: SafeguardRule, case: Case) -> list[Finding]:
    return _within_hours(rule, case, K.PSYCHOLOGIST_PRESENT)


@mirror
def pedagogue_present_at_interrogation(rule: SafeguardRule, case: Case) -> list[Finding]:
    found = []
    for event in case.of(K.INTERROGATION):
        age = case.age_on(day_of(event.start))
        if age >= rule["age_under"] or _roles(event) & {"pedagogue", "social_psychologist"}:
            continue
        found.append(
            _on_event(
                f"interrogation:{event.id}",
                {"age": age, "start": stamp(event.start)},
                event,
                event.author,
            )
        )
    return found


@mirror
def interrogation_continuous_length(rule: SafeguardRule, case: Case) -> list[Finding]:
    found = []
    for event in case.of(K.INTERROGATION):
        longest = max(_minutes(end - start) for start, end in _segments(event))
        if longest > rule["minutes"]:
            found.append(
                _on_event(f"interrogation:{event.id}", {"longest": longest}, event, event.author)
            )
    return found


@mirror
def interrogation_daily_length(rule: SafeguardRule, case: Case) -> list[Finding]:
    by_day: dict[datetime.date, list[Ev]] = defaultdict(list)
    for event in case.of(K.INTERROGATION):
        by_day[day_of(event.start)].append(event)
    found = []
    for day, events in sorted(by_day.items()):
        total = sum(_minutes(e - s) for event in events for s, e in _segments(event))
        if total > rule["minutes"]:
            found.append(
                Finding(
                    f"day:{day.isoformat()}",
                    {"day": day.isoformat(), "total": total},
                    events,
                    events[-1].author,
                    day,
                    events[-1].recorded,
                )
            )
    return found


def _detention_ends(event: Ev) -> bool:
    if event.kind == K.RELEASE:
        return True
    return (
        event.kind == K.PREVENTIVE_MEASURE
        and event.fields.get("measure") == "custody"
        and bool(event.fields.get("court_sanctioned"))
    )


@mirror
def detention_within_limit(rule: SafeguardRule, case: Case) -> list[Finding]:
    found = []
    limit = (
        rule["hours_especially_grave"]
        if case.gravest == Gravity.ESPECIALLY_GRAVE
        else rule["hours"]
    )
    for detention in case.of(K.DETENTION):
        end = next(
            (e for e in case.events if e.start >= detention.start and _detention_ends(e)), None
        )
        held = ((end.start if end else case.until) - detention.start) / H
        if held > limit:
            found.append(
                Finding(
                    f"detention:{detention.id}",
                    {"detained": stamp(detention.start), "held": int(held), "limit": limit},
                    [detention] + ([end] if end else []),
                    case.investigator,
                    day_of(detention.start),
                    detention.start + limit * H,
                )
            )
    return found


@mirror
def custody_only_for_grave(rule: SafeguardRule, case: Case) -> list[Finding]:
    if not case.gravest or case.gravest in rule["allowed"]:
        return []
    return [
        _on_event(
            f"measure:{e.id}", {"start": stamp(e.start), "gravity": case.gravest}, e, e.author
        )
        for e in case.of(K.PREVENTIVE_MEASURE)
        if e.fields.get("measure") == "custody"
    ]


@mirror
def held_separately_from_adults(rule: SafeguardRule, case: Case) -> list[Finding]:
    return [
        _on_event(f"detention:{e.id}", {"start": stamp(e.start)}, e, e.author)
        for e in case.of(K.DETENTION)
        if e.fields.get("held_separately") is False
    ]


ROLE_LABELS = {"investigator": "investigator", "prosecutor": "prosecutor", "judge": "judge"}


@mirror
def officials_specialized(rule: SafeguardRule, case: Case) -> list[Finding]:
    officials = [(case.investigator, "investigator")]
    if case.prosecutor is not None:
        officials.append((case.prosecutor, "prosecutor"))
    if case.judge is not None:
        officials.append((case.judge, "judge"))
    found = []
    for user, role in officials:
        if user.id in case.trained:
            continue
        finding = Finding(
            f"official:{user.id}",
            {"official": user.name.full, "role": role},
            [],
            user,
            day_of(case.offence_at),
            case.offence_at,
        )
        found.append(finding)
    return found


CUSTODY_ENDS = {K.RELEASE, K.PREVENTIVE_MEASURE, K.JUDGMENT, K.TERMINATION_APPROVED}


def _custody_periods(case: Case) -> list[tuple[Ev, Ev | None]]:
    periods = []
    for event in case.of(K.PREVENTIVE_MEASURE):
        if event.fields.get("measure") != "custody":
            continue
        end = next(
            (
                e
                for e in case.events
                if e.kind in CUSTODY_ENDS and e.id != event.id and e.start >= event.start
            ),
            None,
        )
        periods.append((event, end))
    return periods


@mirror
def custody_within_term(rule: SafeguardRule, case: Case) -> list[Finding]:
    found = []
    for measure, end in _custody_periods(case):
        days = measure.fields.get("term_days")
        if not days:
            continue
        expires = measure.start + datetime.timedelta(days=days)
        if (end.start if end else case.until) > expires:
            found.append(
                Finding(
                    f"measure:{measure.id}",
                    {"start": stamp(measure.start), "days": days, "ends": stamp(expires)},
                    [measure],
                    case.investigator,
                    day_of(measure.start),
                    expires,
                )
            )
    return found


PRETRIAL_ENDS = {K.INDICTMENT_APPROVED, K.JUDGMENT, K.TERMINATION_APPROVED, K.RELEASE}


@mirror
def custody_pretrial_maximum(rule: SafeguardRule, case: Case) -> list[Finding]:
    periods = _custody_periods(case)
    if not periods:
        return []
    first = periods[0][0]
    end = next((e for e in case.events if e.kind in PRETRIAL_ENDS and e.start >= first.start), None)
    limit = add_months(first.start, rule["months"])
    if (end.start if end else case.until) <= limit:
        return []
    return [
        Finding(
            f"custody:{first.id}",
            {"start": stamp(first.start)},
            [first],
            case.investigator,
            day_of(first.start),
            limit,
        )
    ]


@mirror
def custody_reviewed(rule: SafeguardRule, case: Case) -> list[Finding]:
    found = []
    for measure, end in _custody_periods(case):
        if end is not None:
            continue
        if case.until - measure.start > datetime.timedelta(days=rule["days"]):
            found.append(
                Finding(
                    f"measure:{measure.id}",
                    {"last": stamp(measure.start)},
                    [measure],
                    case.investigator,
                    day_of(measure.start),
                    measure.start + datetime.timedelta(days=rule["days"]),
                )
            )
    return found


@mirror
def decided_within_months(rule: SafeguardRule, case: Case) -> list[Finding]:
    start = timezone.make_aware(datetime.datetime.combine(case.registered_on, datetime.time()))
    limit = add_months(start, rule["months"])
    decision = case.final_decision
    if (decision.start if decision else case.until) <= limit:
        return []
    return [
        Finding(
            "decision",
            {"registered": case.registered_on.isoformat()},
            [decision] if decision else [],
            case.investigator,
            case.registered_on,
            limit,
        )
    ]


@mirror
def offence_to_decision(rule: SafeguardRule, case: Case) -> list[Finding]:
    limit = case.offence_at + datetime.timedelta(days=rule["days"])
    decision = case.final_decision
    if (decision.start if decision else case.until) <= limit:
        return []
    return [
        Finding(
            "decision",
            {"offence": stamp(case.offence_at)},
            [decision] if decision else [],
            case.investigator,
            day_of(case.offence_at),
            limit,
        )
    ]


def check_mirrors() -> None:
    """Refuse to generate when the rule file names a check this module does not mirror."""
    missing = sorted({r.check for r in safeguard_book().rules} - set(MIRRORS))
    if missing:
        raise RuntimeError(f"No generator mirror for the safeguard checks {missing}")


def evaluate(case: Case) -> list[Finding]:
    case.events.sort(key=lambda e: (e.start, e.id))
    found = []
    for rule in safeguard_book().rules:
        for finding in MIRRORS[rule.check](rule, case):
            if rule.in_force(finding.day or timezone.localdate(case.now)):
                finding.rule = rule
                finding.moment = min(max(finding.moment, case.offence_at), case.now)
                found.append(finding)
    return found


# The mirrors of checks_record.py, in the same table (imported last: they use `mirror`).
from qorgau.demo.national import safeguards_record  # noqa: E402, F401
