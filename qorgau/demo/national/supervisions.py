"""Supervisions by the probation service, as qorgau/probation/services writes them.

A conviction that took effect with a punishment the probation service executes, a conditional
sentence or deferred execution hands the minor to the region's probation service (the judge's
step writes `probation.receive`). Most convicts report within the 10 days of the rule file,
some late, a few not yet; the inspector sets a plan (every 14 days; hours for community works),
the check-ins follow (mostly attended, some missed with a warning, some excused), hours are
worked, and a case the judge or inspector closed ends the supervision as served. The reminders
`qorgau check-supervision` would have raised by the as-of moment are there too.
"""

import datetime
import random
from typing import Any

from qorgau.demo.national import audit
from qorgau.demo.national.assessments import first
from qorgau.demo.national.copywriter import Rows
from qorgau.demo.national.minor import Ids
from qorgau.probation.rulebook import executed_by_probation, probation_book
from qorgau.probation.services.common import add_months
from qorgau.proceedings.models import EventKind as K

D = datetime.timedelta(days=1)
H = datetime.timedelta(hours=1)
EVERY = 14
NOT_YET = 0.05  # of convicts who never reported by the as-of day (if still in time to be late)
LATE = 0.1
MISSED, EXCUSED = 0.08, 0.06
UNRECORDED = 0.2  # of active supervisions whose latest check-in day passed with nothing recorded


def _took_effect(events: list[Any]) -> Any:
    for ev in events:
        if ev.kind == K.JUDGMENT_IN_FORCE:
            return ev
        if ev.kind == K.APPEAL_DECISION and ev.fields.get("appeal_outcome") in (
            "upheld",
            "changed",
        ):
            return ev
    return None


def make_supervision(
    rng: random.Random,
    rows: Rows,
    ids: Ids,
    *,
    region: Any,
    made: Any,
    ctx: Any,
    now: datetime.datetime,
) -> None:
    """The minor's supervision, if the sentence is for probation, with its audit rows."""
    from qorgau.accounts.models import AgencyType, Role

    took = _took_effect(made.events)
    if took is None:
        return
    judgments = [e for e in made.events if e.kind == K.JUDGMENT and e.start <= took.start]
    if not judgments or judgments[-1].fields.get("verdict") != "conviction":
        return
    sentence = judgments[-1].fields
    day = audit.local_day(took.start)
    if sentence.get("deferred"):
        basis, months = "deferred", sentence.get("deferral_months")
    elif sentence.get("conditional"):
        basis, months = "conditional", sentence.get("probation_months")
    elif sentence.get("punishment") and executed_by_probation(sentence["punishment"], day):
        basis, months = "punishment", sentence.get("term_months")
    else:
        return
    months = int(months or 0)
    today = audit.local_day(now)
    agency = region.agencies[AgencyType.PROBATION]
    inspector = rng.choice(agency.staff[Role.PROBATION_INSPECTOR])
    rule = probation_book().report_rule(day)
    report_by = day + int(rule["days"]) * D
    sid = ids("probation_supervision")
    label = f"{made.child.name.full} — {ctx.subject[2]}"
    subject = ("probation.supervision", sid, label)

    def moment(on: datetime.date, hour: float = 10) -> datetime.datetime:
        return datetime.datetime.combine(on, datetime.time(9), audit.ALMATY) + (hour - 9) * H

    def write(at: datetime.datetime, actor: Any, action: str, **kw: Any) -> None:
        rows.add(
            "audit_auditevent",
            audit.row(
                id=ids("audit_auditevent"),
                at=at,
                actor=actor,
                action=action,
                subject=subject,
                rng=rng,
                **kw,
            ),
        )

    write(
        took.recorded,
        took.author.actor,
        "probation.receive",
        changes={
            "agency": (None, agency.id),
            "basis": (None, basis),
            "report_by": (None, report_by.isoformat()),
        },
        details={"accused_id": made.id, "event_id": took.id},
    )
    closed = first(made.events, K.CLOSED)
    ended_on = audit.local_day(closed.start) if closed is not None else None
    chance = rng.random()
    registered: datetime.date | None = day + rng.randint(1, 10) * D
    if chance < NOT_YET and report_by < today and ended_on is None:
        registered = None
    elif chance < NOT_YET + LATE:
        registered = report_by + rng.randint(1, 10) * D
    last_day = min(ended_on or today, today)
    if registered is not None and registered > last_day:
        registered = None if ended_on is None else last_day
    status = "awaiting" if registered is None else "active"
    every, next_on, hours_total, worked = None, None, None, 0
    checkins: list[tuple[datetime.date, str]] = []
    last_change = took.recorded
    if registered is not None:
        write(
            moment(registered),
            inspector.actor,
            "probation.register",
            changes={
                "status": ("awaiting", "active"),
                "registered_on": (None, registered.isoformat()),
                "inspector": (None, inspector.id),
            },
            details={"late": registered > report_by},
        )
        every = EVERY
        next_on = registered + 7 * D
        if sentence.get("punishment") == "community_works" and basis == "punishment":
            hours_total = max(months, 1) * 30
        write(
            moment(registered, 10.5),
            inspector.actor,
            "probation.plan",
            changes={
                "report_every_days": (None, str(every)),
                "next_check_in_on": (None, next_on.isoformat()),
            },
        )
        last_change = moment(registered, 10.5)
        while next_on < last_day or (ended_on is not None and next_on <= last_day):
            if ended_on is None and next_on + every * D >= today and rng.random() < UNRECORDED:
                break  # the latest check-in day passed with nothing recorded
            roll = rng.random()
            outcome = (
                "missed" if roll < MISSED else "excused" if roll < MISSED + EXCUSED else "attended"
            )
            checkins.append((next_on, outcome))
            next_on += every * D
        for due, outcome in checkins:
            at = moment(due, rng.uniform(10, 17))
            reason = "Ауырып қалды, анықтама әкелді." if outcome == "excused" else ""
            rows.add(
                "probation_checkin",
                (ids("probation_checkin"), sid, due, outcome, reason, "", inspector.id, at),
            )
            write(
                at,
                inspector.actor,
                "probation.check_in",
                changes={"due_on": (None, due.isoformat()), "attendance": (None, outcome)},
            )
            if outcome == "missed":
                breach_at = at + 2 * H
                rows.add(
                    "probation_breach",
                    (
                        ids("probation_breach"),
                        sid,
                        due,
                        "Белгіленген күні себепсіз келмеді.",
                        "warning",
                        inspector.id,
                        breach_at,
                    ),
                )
                write(
                    breach_at,
                    inspector.actor,
                    "probation.breach",
                    changes={"occurred_on": (None, due.isoformat()), "response": (None, "warning")},
                )
            last_change = max(last_change, at)
        if hours_total:
            work_day = registered + 3 * D
            while work_day < last_day and worked < hours_total:
                hours = min(rng.randint(4, 8), hours_total - worked)
                at = moment(work_day, 18)
                rows.add(
                    "probation_worklog",
                    (
                        ids("probation_worklog"),
                        sid,
                        work_day,
                        hours,
                        "Аудан саябағы",
                        inspector.id,
                        at,
                    ),
                )
                write(
                    at,
                    inspector.actor,
                    "probation.hours",
                    changes={"hours_worked": (worked, worked + hours)},
                )
                worked += hours
                last_change = max(last_change, at)
                work_day += 7 * D
    end_reason = ""
    if ended_on is not None and registered is not None:
        status, end_reason, next_on = "ended", "served", None
        assert closed is not None
        write(
            closed.recorded,
            inspector.actor,
            "probation.end",
            changes={
                "status": ("active", "ended"),
                "ended_on": (None, ended_on.isoformat()),
                "end_reason": (None, "served"),
            },
        )
        last_change = max(last_change, closed.recorded)
    elif ended_on is not None:
        ended_on = None  # never reported, yet closed: left awaiting for the inspector
    # The reminders the sweep would have raised by now.
    if status == "awaiting" and report_by < today:
        _reminder(rows, ids, sid, agency.id, "not_reported", report_by, moment(report_by + D, 0.25))
    if status == "active" and next_on is not None and next_on < today:
        _reminder(rows, ids, sid, agency.id, "check_in_overdue", next_on, moment(next_on + D, 0.25))
    rows.add(
        "probation_supervision",
        (
            sid,
            took.recorded,
            last_change,
            made.id,
            made.child.id,
            ctx.id,
            judgments[-1].id,
            took.id,
            took.kind == K.APPEAL_DECISION and took.fields.get("appeal_outcome") == "changed",
            agency.id,
            inspector.id if registered else None,
            basis,
            sentence.get("punishment") or "",
            months,
            "",
            day,
            add_months(day, months),
            report_by,
            rule.citation,
            status,
            registered,
            every,
            next_on if status == "active" else None,
            "",
            hours_total,
            worked,
            ended_on if status == "ended" else None,
            end_reason,
            "",
            None,
        ),
    )


def _reminder(
    rows: Rows,
    ids: Ids,
    sid: int,
    agency: int,
    kind: str,
    due: datetime.date,
    at: datetime.datetime,
) -> None:
    rows.add("probation_reminder", (ids("probation_reminder"), sid, agency, kind, due, at, None))
