"""Mediations between the accused minor and the victim, as qorgau/mediation/services writes them.

Most terminations on reconciliation in a case with a victim come from a mediation: the
investigator refers, both sides consent (the minor with the legal representative, a minor
victim with theirs), the mediator (a social psychologist of the region's consultation, now
and then with a professional mediator from the register) holds preparatory meetings and the
joint one, the agreement is signed with its compensation schedule, the termination links it
(`mediation.termination`), and the payments follow until it is fulfilled. Some minors sent to
court had a mediation first that a side refused or that failed. Only charges the rule file
admits (`mediation/rules/kz.yaml`) are referred.
"""

import datetime
import random
from decimal import Decimal
from typing import Any

from qorgau.demo.national import audit
from qorgau.demo.national.assessments import first
from qorgau.demo.national.copywriter import Rows
from qorgau.demo.national.minor import Ids, local
from qorgau.mediation.rulebook import mediation_book
from qorgau.proceedings.models import EventKind as K

D = datetime.timedelta(days=1)
M = datetime.timedelta(minutes=1)
FROM_MEDIATION = 0.85  # of terminations on reconciliation with a victim in the case
FAILED_BEFORE_COURT = 0.06  # of minors sent to court in a case with a victim
ZERO = Decimal("0.00")
NOTES = "Тараптар кездесуге дайын, баланың өкінуі шынайы."
UNDERTAKINGS = "Жәбірленушіден жазбаша кешірім сұрау, мектепте көмектесу."


def make_mediation(
    rng: random.Random,
    rows: Rows,
    ids: Ids,
    *,
    region: Any,
    made: Any,
    ctx: Any,
    victims: list[tuple[int, bool, str]],
    now: datetime.datetime,
) -> list[tuple[datetime.datetime, dict[str, Any]]]:
    """The minor's mediation, if any; returns the audit rows that go with the case's steps."""
    from qorgau.accounts.models import AgencyType, Role

    if not victims or not made.events:
        return []
    rule = mediation_book().gravity(made.gravest, audit.local_day(made.events[0].start))
    if rule is None or not rule["admitted"]:
        return []
    termination = first(made.events, K.TERMINATION)
    indicted = first(made.events, K.INDICTMENT)
    if termination is not None:
        if termination.fields.get("ground") != mediation_book().termination_ground:
            return []
        if rng.random() >= FROM_MEDIATION:
            return []
        end, success = termination, True
    elif indicted is not None and rng.random() < FAILED_BEFORE_COURT:
        end, success = indicted, False
    else:
        return []
    start = made.events[0].start + rng.uniform(0.3, 2) * D
    window = (end.start - start).total_seconds() / 86400
    if window < 2:
        return []
    consultation = region.agencies[AgencyType.LEGAL_CONSULTATION]
    mediator = rng.choice(consultation.staff[Role.SOCIAL_PSYCHOLOGIST])
    investigator = ctx.investigator
    victim_id, victim_minor, _name = rng.choice(victims)
    referred = (start + rng.uniform(0, 0.15) * window * D).replace(microsecond=0)
    mid = ids("mediation_mediation")
    subject = ("mediation.mediation", mid, f"{ctx.subject[2]} — {made.child.name.full}")
    case_rows: list[tuple[datetime.datetime, dict[str, Any]]] = []

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

    source = rng.choices(("investigator", "accused_side", "victim_side"), (60, 25, 15))[0]
    professional = ("", "")
    if rng.random() < 0.2:
        professional = (
            f"{rng.choice(('Ахметова', 'Ким', 'Сейітова'))} А.",
            f"М-{rng.randint(100, 999)}",
        )
    write(
        referred,
        investigator.actor,
        "mediation.refer",
        changes={
            "status": (None, "referred"),
            "source": (None, source),
            "mediator": (None, mediator.id),
            "referred_at": (None, local(referred)),
        },
        details={"case_id": ctx.id, "accused_id": made.id, "gravity": made.gravest},
    )
    status, last = "referred", referred
    step = window * D / 10
    accused_at = (referred + rng.uniform(0.2, 1) * step).replace(microsecond=0)
    victim_at = (referred + rng.uniform(0.3, 1.5) * step).replace(microsecond=0)
    ended: tuple[datetime.datetime, str, str] | None = None  # (at, side, reason)
    refused = not success and rng.random() < 0.5
    consents = sorted([(accused_at, "accused"), (victim_at, "victim")])
    victim_rep = "Жәбірленушінің анасы" if victim_minor else ""
    consented: dict[str, datetime.datetime] = {}
    for at, side in consents:
        if refused and side == "victim":
            changes = {
                "status": (status, "refused"),
                "ended_at": (None, local(at)),
                "ended_side": ("", "victim"),
            }
            write(
                at,
                mediator.actor,
                "mediation.consent",
                changes=changes,
                details={"side": side, "given": False},
            )
            status, ended, last = "refused", (at, "victim", ""), at
            break
        if side == "accused":
            changes = {
                "accused_consent_at": (None, local(at)),
                "accused_representative": (None, made.people.representative),
            }
        else:
            changes = {"victim_consent_at": (None, local(at))}
            if victim_rep:
                changes["victim_representative"] = ("", victim_rep)
        consented[side] = at
        if len(consented) == 2:
            changes["status"] = (status, "consented")
            status = "consented"
        write(
            at,
            mediator.actor,
            "mediation.consent",
            changes=changes,
            details={"side": side, "given": True},
        )
        last = at
    sessions: list[tuple[str, datetime.datetime]] = []
    if status == "consented":
        kinds = ["preparatory_accused"]
        if rng.random() < 0.7:
            kinds.append("preparatory_victim")
        kinds.append("joint")
        moment = last
        for kind in kinds:
            moment = (moment + rng.uniform(0.5, 1.5) * step).replace(minute=0, microsecond=0)
            sessions.append((kind, moment))
        for kind, held in sessions:
            session_id = ids("mediation_mediationsession")
            rows.add(
                "mediation_mediationsession",
                (
                    session_id,
                    mid,
                    kind,
                    held,
                    rng.choice((45, 60, 90)),
                    "Медиатор, кәмелетке толмаған, заңды өкілі"
                    if kind != "preparatory_victim"
                    else "Медиатор, жәбірленуші",
                    NOTES,
                    mediator.id,
                ),
            )
            changes = {"kind": (None, kind), "held_at": (None, local(held))}
            if status != "sessions":
                changes["status"] = (status, "sessions")
                status = "sessions"
            write(
                held + rng.randint(30, 180) * M,
                mediator.actor,
                "mediation.session",
                changes=changes,
                details={"session_id": session_id, "notes": True},
            )
            last = held + 180 * M
    agreement_row: tuple[Any, ...] | None = None
    if status == "sessions" and not success:
        at = (last + rng.uniform(0.5, 1) * step).replace(microsecond=0)
        reason = "Тараптар өтемақы мөлшері бойынша келісімге келмеді."
        write(
            at,
            mediator.actor,
            "mediation.fail",
            changes={
                "status": (status, "failed"),
                "ended_at": (None, local(at)),
                "ended_reason": ("", reason),
            },
        )
        status, ended, last = "failed", (at, "", reason), at
    elif status == "sessions":
        status, last, agreement_row = _agreement(
            rng, rows, ids, write, mid, mediator, sessions[-1][1], end, now
        )
        # The termination on reconciliation links the signed agreement, in its transaction.
        case_rows.append(
            (
                end.recorded,
                {
                    "actor": end.author.actor,
                    "action": "mediation.termination",
                    "subject": subject,
                    "changes": {"termination": (None, end.id)},
                    "details": {"case_id": ctx.id, "accused_id": made.id},
                },
            )
        )
        last = max(last, end.recorded)
    rows.add(
        "mediation_mediation",
        (
            mid,
            referred,
            last,
            ctx.id,
            made.id,
            victim_id,
            source,
            investigator.id,
            referred,
            mediator.id,
            professional[0],
            professional[1],
            made.gravest,
            rule.citation,
            True,
            status,
            consented.get("accused"),
            made.people.representative if "accused" in consented else None,
            consented.get("victim"),
            victim_rep if "victim" in consented else "",
            ended[0] if ended else None,
            ended[1] if ended else "",
            ended[2] if ended else "",
            end.id if agreement_row is not None else None,
        ),
    )
    return case_rows


def _agreement(
    rng: random.Random,
    rows: Rows,
    ids: Ids,
    write: Any,
    mid: int,
    mediator: Any,
    joint: datetime.datetime,
    termination: Any,
    now: datetime.datetime,
) -> tuple[str, datetime.datetime, tuple[Any, ...]]:
    signed_on = audit.local_day(joint)
    recorded = min(joint + rng.randint(60, 240) * M, termination.start - M)
    deadline = signed_on + datetime.timedelta(days=rng.randint(30, 120))
    compensation = ZERO if rng.random() < 0.3 else Decimal(rng.randint(4, 100) * 5000)
    undertakings = UNDERTAKINGS if rng.random() < 0.4 else ""
    parts = 0 if compensation == ZERO else rng.choice((1, 1, 2, 3))
    instalments: list[tuple[datetime.date, Decimal]] = []
    span = (deadline - signed_on).days
    for n in range(parts):
        share = (compensation / parts).quantize(Decimal("1")) if n < parts - 1 else None
        amount = share if share is not None else compensation - sum(a for _, a in instalments)
        instalments.append((signed_on + datetime.timedelta(days=span * (n + 1) // parts), amount))
    aid = ids("mediation_agreement")
    apology = rng.choice(("in_person", "in_person", "in_writing"))
    status = "agreement"
    changes: dict[str, tuple[Any, Any]] = {
        "status": ("sessions", "agreement"),
        "signed_on": (None, signed_on.isoformat()),
        "compensation": (None, str(compensation.quantize(Decimal("0.01")))),
        "instalments": (None, len(instalments)),
        "deadline": (None, deadline.isoformat()),
    }
    if compensation == ZERO and not undertakings:
        changes["status"], status = ("agreement", "fulfilled"), "fulfilled"
    write(
        recorded,
        mediator.actor,
        "mediation.agreement",
        changes=changes,
        details={"agreement_id": aid},
    )
    for due_on, amount in instalments:
        rows.add(
            "mediation_instalment",
            (ids("mediation_instalment"), aid, due_on, amount.quantize(Decimal("0.01"))),
        )
    last = recorded
    today = audit.local_day(now)
    outstanding = compensation
    undertakings_done = None
    events: list[tuple[datetime.date, str, Any]] = []
    for due_on, amount in instalments:
        paid_on = due_on + datetime.timedelta(days=rng.randint(-20, 10))
        paid_on = max(paid_on, signed_on)
        if paid_on < today and rng.random() < 0.92:
            events.append((paid_on, "payment", amount))
    if undertakings:
        done_on = signed_on + datetime.timedelta(days=rng.randint(3, max(4, span)))
        if done_on < today and rng.random() < 0.9:
            events.append((done_on, "undertakings", None))
    for day, kind, amount in sorted(events, key=lambda e: (e[0], e[1])):
        at = datetime.datetime.combine(day, datetime.time(5 + rng.randint(0, 8)), datetime.UTC)
        at = min(max(at, recorded + M), now)
        step: dict[str, tuple[Any, Any]]
        if kind == "payment":
            payment_id = ids("mediation_payment")
            before, outstanding = outstanding, outstanding - amount
            method = rng.choice(("bank", "bank", "cash", "postal"))
            rows.add("mediation_payment", (payment_id, aid, day, amount, method, mediator.id, at))
            step = {"paid": (_money(before), _money(outstanding))}
            details: dict[str, Any] | None = {
                "payment_id": payment_id,
                "amount": _money(amount),
                "paid_on": day.isoformat(),
            }
            action = "mediation.payment"
        else:
            undertakings_done = day
            step = {"undertakings_done_on": (None, day.isoformat())}
            details, action = None, "mediation.undertakings"
        if (
            status == "agreement"
            and outstanding == ZERO
            and (not undertakings or undertakings_done is not None)
        ):
            step["status"], status = ("agreement", "fulfilled"), "fulfilled"
        write(at, mediator.actor, action, changes=step, details=details)
        last = max(last, at)
    row = (
        aid,
        mid,
        signed_on,
        apology,
        compensation,
        undertakings,
        deadline,
        undertakings_done,
        mediator.id,
        recorded,
    )
    rows.add("mediation_agreement", row)
    return status, last, row


def _money(value: Decimal) -> str:
    """As str() of the model's Decimal with two places (what the service writes)."""
    return str(value.quantize(Decimal("0.01")))
