"""A minor's case as the checks read it: the events in time order and the people around."""

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.utils import timezone

from qorgau.accounts.models import User
from qorgau.core.models import Gravity
from qorgau.proceedings.models import (
    Accused,
    EventKind,
    Participant,
    ParticipantRole,
    ProceduralEvent,
    Stage,
)

GRAVITY_ORDER = [g.value for g in Gravity]
FINAL = {EventKind.TERMINATION_APPROVED, EventKind.JUDGMENT}


def stamp(moment: datetime.datetime) -> str:
    """A time as a fact keeps it: ISO, so each reader sees it in their own language."""
    return moment.isoformat()


def day_of(moment: datetime.datetime) -> datetime.date:
    return timezone.localdate(moment)


@dataclass
class Track:
    accused: Accused
    events: list[ProceduralEvent]  # oldest first
    participants: list[Participant]
    now: datetime.datetime
    # On an event, the record is judged as it stands at its latest step: steps are often
    # entered after the fact, and a missing one may simply not be typed in yet. The periodic
    # sweep judges by the clock.
    by_clock: bool = False

    @classmethod
    def load(cls, accused: Accused, now: datetime.datetime, by_clock: bool = False) -> "Track":
        accused = (
            Accused.objects.select_related(
                "juvenile",
                "proceeding__investigator__agency",
                "proceeding__prosecutor__agency",
                "proceeding__judge__agency",
            )
            .prefetch_related("charges__article")
            .get(pk=accused.pk)
        )
        steps = accused.events.select_related("author__agency").prefetch_related("attendees")
        if by_clock:
            # The sweep run as at a past moment (backfill) sees the record as it stood then.
            steps = steps.filter(started_at__lte=now)
        events = list(steps.order_by("started_at", "id"))
        participants = list(accused.proceeding.participants.all())
        return cls(
            accused=accused, events=events, participants=participants, now=now, by_clock=by_clock
        )

    @cached_property
    def until(self) -> datetime.datetime:
        """The moment deadlines run to: the clock in the sweep, else the latest recorded step.

        A finished case's deadlines stop at its last step either way.
        """
        finished = self.accused.stage in (Stage.TERMINATED, Stage.CLOSED)
        if self.events and (finished or not self.by_clock):
            return min(self.now, max(event.started_at for event in self.events))
        return self.now

    def of(self, *kinds: str) -> list[ProceduralEvent]:
        return [event for event in self.events if event.kind in kinds]

    def first(self, *kinds: str, after: datetime.datetime | None = None) -> ProceduralEvent | None:
        return next((e for e in self.of(*kinds) if after is None or e.started_at >= after), None)

    def roles_present(self, event: ProceduralEvent) -> set[str]:
        return {attendee.role for attendee in event.attendees.all()}

    def for_this_minor(self, participant: Participant) -> bool:
        return participant.accused_id in (None, self.accused.pk)

    def has_participant(self, role: ParticipantRole) -> bool:
        return any(p.role == role and self.for_this_minor(p) for p in self.participants)

    @cached_property
    def gravest(self) -> str:
        current = [c.article.gravity for c in self.accused.charges.all() if c.ended_at is None]
        return max(current, key=GRAVITY_ORDER.index) if current else ""

    @property
    def officials(self) -> list[tuple[User, str]]:
        case = self.accused.proceeding
        found = [(case.investigator, "investigator")]
        if case.prosecutor:
            found.append((case.prosecutor, "prosecutor"))
        if case.judge:
            found.append((case.judge, "judge"))
        return found

    @cached_property
    def final_decision(self) -> ProceduralEvent | None:
        return self.first(*FINAL)
