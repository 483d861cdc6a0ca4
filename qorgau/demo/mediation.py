"""Demo data of the mediation part of the accompaniment, built through its services.

- The two reconciliation cases of demo/cases.py run through a whole mediation before their
  termination (`reconcile`, called from there), so each termination links to its agreement.
- A mediation in progress (the late-defender case, a minor crime): the agreement's first
  instalment is partly paid and overdue, the second still to come.
- A mediation in court (the in-court case, a grave crime, referred by the judge at the
  defender's request) where the victim withdrew consent.
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from qorgau.accounts.models import User
from qorgau.mediation import services
from qorgau.mediation.models import Mediation
from qorgau.proceedings.models import Accused, Participant, ParticipantRole, Proceeding

D = datetime.timedelta(days=1)
H = datetime.timedelta(hours=1)


def _victim(accused: Accused) -> Participant:
    return accused.proceeding.participants.filter(role=ParticipantRole.VICTIM).order_by("id")[0]


def _representative(accused: Accused) -> Participant | None:
    return (
        accused.proceeding.participants.filter(role=ParticipantRole.LEGAL_REPRESENTATIVE)
        .order_by("id")
        .first()
    )


def _consent(mediator: User, mediation: Mediation, accused: Accused, at: datetime.datetime) -> bool:
    representative = _representative(accused)
    if representative is None:
        return False
    services.record_consent(
        actor=mediator, mediation=mediation, side="accused", given=True, at=at,
        representative=representative,
    )  # fmt: skip
    services.record_consent(
        actor=mediator, mediation=mediation, side="victim", given=True, at=at + 2 * H
    )
    return True


def _meetings(mediator: User, mediation: Mediation, start: datetime.datetime) -> None:
    services.record_session(
        actor=mediator, mediation=mediation, kind="preparatory_accused", held_at=start,
        duration_minutes=60, present="Кәмелетке толмаған, анасы (заңды өкіл), медиатор",
        notes="Кәмелетке толмаған кінәсін мойындайды, кешірім сұрауға дайын.",
    )  # fmt: skip
    services.record_session(
        actor=mediator, mediation=mediation, kind="preparatory_victim", held_at=start + D,
        duration_minutes=45, present="Жәбірленуші, медиатор",
        notes="Жәбірленуші залалдың өтелуін және кешірімді күтеді.",
    )  # fmt: skip
    services.record_session(
        actor=mediator, mediation=mediation, kind="joint", held_at=start + 3 * D,
        duration_minutes=90, present="Кәмелетке толмаған, анасы, жәбірленуші, медиатор",
        notes="Тараптар кездесіп, келісім шарттарын талқылады.",
    )  # fmt: skip


def reconcile(
    *, investigator: User, mediator: User, accused: Accused, offence: datetime.datetime
) -> None:
    """A whole mediation, fulfilled, before the investigator terminates on reconciliation."""
    mediation = services.refer(
        actor=investigator, accused=accused, victim=_victim(accused), source="accused_side",
        mediator=mediator, referred_at=offence + 3 * D, condition_confirmed=True,
    )  # fmt: skip
    if not _consent(mediator, mediation, accused, offence + 5 * D):
        return
    _meetings(mediator, mediation, offence + 6 * D + 10 * H)
    signed = timezone.localdate(offence + 10 * D)
    services.sign_agreement(
        actor=mediator, mediation=mediation, signed_on=signed, apology="in_person",
        compensation=Decimal("85000"),
        instalments=[(signed + 2 * D, Decimal("45000")), (signed + 7 * D, Decimal("40000"))],
        undertakings="", deadline=signed + 14 * D,
    )  # fmt: skip
    services.record_payment(
        actor=mediator, mediation=mediation, paid_on=signed + 2 * D, amount=Decimal("45000"),
        method="cash",
    )  # fmt: skip
    services.record_payment(
        actor=mediator, mediation=mediation, paid_on=signed + 6 * D, amount=Decimal("40000"),
        method="bank",
    )  # fmt: skip


def _case(number: int) -> Accused | None:
    year = timezone.localdate().year % 100
    case = Proceeding.objects.filter(number=f"{year}7513{number:07d}").first()
    return case.accused.order_by("id").first() if case else None


def load(staff: dict[str, User], rng: random.Random) -> None:
    """Called once the demo cases exist; `staff` maps each demo login to its user."""
    mediator = staff["psychologist"]
    now = timezone.now()
    # In progress: the late-defender case (6 days ago), agreement signed two days ago.
    accused = _case(8)
    if accused is not None:
        offence = accused.proceeding.offence_at
        mediation = services.refer(
            actor=staff["investigator"], accused=accused, victim=_victim(accused),
            source="victim_side", mediator=mediator, referred_at=offence + D,
            condition_confirmed=True,
        )  # fmt: skip
        if _consent(mediator, mediation, accused, offence + 2 * D - 6 * H):
            services.record_session(
                actor=mediator, mediation=mediation, kind="joint", held_at=offence + 3 * D,
                duration_minutes=75, present="Кәмелетке толмаған, әкесі, жәбірленуші, медиатор",
                notes="Тараптар бөліп төлеуге келісті.",
            )  # fmt: skip
            signed = timezone.localdate(now - 2 * D)
            services.sign_agreement(
                actor=mediator, mediation=mediation, signed_on=signed, apology="in_writing",
                compensation=Decimal("120000"),
                instalments=[(signed + D, Decimal("40000")), (signed + 30 * D, Decimal("40000")),
                             (signed + 60 * D, Decimal("40000"))],
                undertakings="Жәбірленушінің терезесін жөндеуге көмектесу.",
                deadline=signed + 75 * D,
            )  # fmt: skip
            services.record_payment(
                actor=mediator, mediation=mediation, paid_on=signed + D,
                amount=Decimal("15000"), method="cash",
            )  # fmt: skip
    # In court: the judge refers at the defender's request; the victim then withdraws.
    accused = _case(6)
    if accused is not None:
        mediation = services.refer(
            actor=staff["judge"], accused=accused, victim=_victim(accused),
            source="accused_side", mediator=mediator, referred_at=now - 8 * D,
            condition_confirmed=True,
        )  # fmt: skip
        if _consent(mediator, mediation, accused, now - 7 * D):
            services.withdraw_consent(
                actor=mediator, mediation=mediation, side="victim", at=now - 4 * D
            )
