"""Cases built through the proceedings services, step by step, as the users would build them."""

import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from qorgau.accounts.models import Agency, Role, User
from qorgau.audit.models import AuditEvent
from qorgau.core.models import CriminalArticle
from qorgau.people.models import Juvenile
from qorgau.proceedings import policy, services
from qorgau.proceedings.models import (
    Accused,
    Charge,
    EventKind,
    Participant,
    ParticipantRole,
    ProceduralEvent,
    Proceeding,
    Stage,
)
from tests import factories

H = datetime.timedelta(hours=1)
D = datetime.timedelta(days=1)
OFFENCE_DAYS_AGO = 10
_numbers = iter(range(1, 10**6))


def article(code: str) -> CriminalArticle:
    """An article part by its citation, "188/2" for article 188 part 2."""
    number, part = code.split("/")
    return CriminalArticle.objects.get(article=number, part=part)


def offence_moment() -> datetime.datetime:
    """A morning some days ago, never on 28 or 29 February (birthdays are counted from it).

    09:00, so that the steps the tests record an hour apart fall in the daytime, when a minor
    may be interrogated (CPC art. 535): a night interrogation is a violation of its own.
    """
    moment = timezone.localtime(timezone.now() - OFFENCE_DAYS_AGO * D)
    if (moment.month, moment.day) in ((2, 28), (2, 29)):
        moment -= 3 * D
    return moment.replace(hour=9, minute=0, second=0, microsecond=0)


def born_years_before(day: datetime.date, years: int) -> datetime.date:
    """The birth date of a person who turns `years` exactly on `day`."""
    return day.replace(year=day.year - years)


def minor(actor: User, age_on: datetime.date, years: int = 16, **fields: Any) -> Juvenile:
    """A juvenile aged `years` (a few months past the birthday) on the given day."""
    birth = born_years_before(age_on - 100 * D, years)
    return factories.juvenile(actor, birth_date=fields.pop("birth_date", birth), **fields)


def case_number() -> str:
    return f"26751301{next(_numbers):07d}"


@dataclass
class Team:
    """The people who work a case: the conftest personas."""

    investigator: User
    prosecutor: User
    judge: User
    defender: User
    psychologist: User

    @property
    def court(self) -> Agency:
        assert self.judge.agency is not None
        return self.judge.agency

    def member(self, role: str) -> User:
        return {
            Role.INVESTIGATOR: self.investigator,
            Role.PROSECUTOR: self.prosecutor,
            Role.JUDGE: self.judge,
            Role.DEFENCE_LAWYER: self.defender,
            Role.SOCIAL_PSYCHOLOGIST: self.psychologist,
        }[Role(role)]

    def actor_for(self, kind: str, stage: str) -> User:
        """Who records this step at this stage: the investigator before court, the judge in it."""
        roles = [r for r in policy.ROLES[EventKind(kind)] if r != Role.PROBATION_INSPECTOR]
        for role in sorted(roles):
            if policy.conducts(role, stage):
                return self.member(role)
        raise AssertionError(f"nobody records {kind} at {stage}")


def open_case(
    team: Team,
    juvenile: Juvenile,
    *,
    offence_at: datetime.datetime | None = None,
    articles: tuple[str, ...] = ("188/2",),
    investigator: User | None = None,
    number: str | None = None,
    **overrides: Any,
) -> Proceeding:
    investigator = investigator or team.investigator
    offence_at = offence_at or offence_moment()
    # Where the actor's agency works (an actor without one is refused anyway).
    territory = (investigator.agency or team.investigator.agency).territory  # type: ignore[union-attr]
    data: dict[str, Any] = {
        "actor": investigator,
        "number": number or case_number(),
        "registered_on": timezone.localdate(offence_at + 3 * H),
        "offence_at": offence_at,
        "offence_place": "Абай даңғылы мен Саин көшесінің қиылысы",
        "territory": territory,
        "juvenile": juvenile,
        "articles": [article(code) for code in articles],
        "prosecutor": team.prosecutor,
        "summary": "Ұялы телефон ұрланды.",
    }
    data.update(overrides)
    return services.open_case(**data)


@dataclass
class CaseFile:
    """One opened case with its first minor, the people around the child, and a clock."""

    team: Team
    case: Proceeding
    accused: Accused
    representative: Participant | None = None
    defender: Participant | None = None
    psychologist: Participant | None = None
    clock: datetime.datetime = field(init=False)

    def __post_init__(self) -> None:
        self.clock = self.case.offence_at

    @property
    def offence(self) -> datetime.datetime:
        return self.case.offence_at

    def tick(self) -> datetime.datetime:
        self.clock += H
        return self.clock

    def fields_for(self, kind: str, started_at: datetime.datetime) -> dict[str, Any]:
        """The smallest valid set of fields for each kind of step."""
        return {
            EventKind.DETENTION: {
                "place": "Әуезов ПБ кезекші бөлімі",
                "performed_by": "полиция сержанты Д. Әбілов",
                "held_separately": True,
            },
            EventKind.REPRESENTATIVE_NOTIFIED: {
                "method": "phone",
                "participant": self.representative,
            },
            EventKind.DEFENDER_ASSIGNED: {"participant": self.defender},
            EventKind.DEFENDER_ARRIVED: {"participant": self.defender},
            EventKind.PSYCHOLOGIST_PRESENT: {"participant": self.psychologist},
            EventKind.INTERROGATION: {"ended_at": started_at + 50 * datetime.timedelta(minutes=1)},
            EventKind.PREVENTIVE_MEASURE: {"measure": "supervision"},
            EventKind.TERMINATION: {"ground": "reconciliation"},
            EventKind.INDICTMENT_APPROVED: {"court": self.team.court},
            EventKind.JUDGMENT: {
                "verdict": "conviction",
                "punishment": "community_works",
                "term_months": 4,
            },
            EventKind.APPEAL: {"performed_by": "қорғаушы Е. В. Ким"},
            EventKind.APPEAL_DECISION: {"appeal_outcome": "upheld"},
        }.get(EventKind(kind), {})

    def record(
        self,
        kind: str,
        *,
        actor: User | None = None,
        at: datetime.datetime | None = None,
        accused: Accused | None = None,
        **overrides: Any,
    ) -> ProceduralEvent:
        """Record a valid step (overrides replace its fields), by who records it at this stage."""
        accused = accused or self.accused
        accused.refresh_from_db()
        started_at = at or self.tick()
        data = self.fields_for(kind, started_at)
        data.update(overrides)
        return services.record_event(
            actor=actor or self.team.actor_for(kind, accused.stage),
            accused=accused,
            kind=kind,
            started_at=started_at,
            **data,
        )

    def stage(self) -> tuple[str, str]:
        self.accused.refresh_from_db()
        return self.accused.stage, self.accused.pending

    def drive(self, stage: str, *, verdict: str = "conviction") -> None:
        """Take the minor's case from registration to the stage by the usual path."""
        for kind, fields in PATHS[Stage(stage)]:
            if kind == EventKind.JUDGMENT and verdict == "acquittal":
                fields = {"verdict": "acquittal", "punishment": "", "term_months": None}
            self.record(kind, **fields)
        assert self.stage()[0] == stage


_TO_COURT = [
    (EventKind.DETENTION, {}),
    (EventKind.INDICTMENT, {}),
    (EventKind.INDICTMENT_APPROVED, {}),
]
_TO_JUDGMENT = [*_TO_COURT, (EventKind.JUDGMENT, {})]
_TO_SENTENCE = [*_TO_JUDGMENT, (EventKind.JUDGMENT_IN_FORCE, {})]
PATHS: dict[Stage, list[tuple[str, dict[str, Any]]]] = {
    Stage.REGISTERED: [],
    Stage.INVESTIGATION: [(EventKind.DETENTION, {})],
    Stage.TERMINATED: [
        (EventKind.DETENTION, {}),
        (EventKind.TERMINATION, {}),
        (EventKind.TERMINATION_APPROVED, {}),
    ],
    Stage.IN_COURT: _TO_COURT,
    Stage.JUDGMENT: _TO_JUDGMENT,
    Stage.APPEAL: [*_TO_JUDGMENT, (EventKind.APPEAL, {})],
    Stage.SENTENCE_EXECUTION: _TO_SENTENCE,
    Stage.CLOSED: [*_TO_SENTENCE, (EventKind.CLOSED, {})],
}


def add_people(file: CaseFile) -> CaseFile:
    """The legal representative, the defender and the social psychologist of the minor."""
    team, case, accused = file.team, file.case, file.accused
    file.representative = services.add_participant(
        actor=team.investigator,
        proceeding=case,
        role=ParticipantRole.LEGAL_REPRESENTATIVE,
        accused=accused,
        full_name="Сейітова Айгүл Маратқызы",
        phone="+7 701 000 00 00",
    )
    file.defender = services.add_participant(
        actor=team.investigator,
        proceeding=case,
        role=ParticipantRole.DEFENDER,
        accused=accused,
        user=team.defender,
        state_paid=True,
    )
    file.psychologist = services.add_participant(
        actor=team.investigator,
        proceeding=case,
        role=ParticipantRole.SOCIAL_PSYCHOLOGIST,
        accused=accused,
        user=team.psychologist,
    )
    return file


# Asserting refusals


def snapshot() -> tuple[Any, ...]:
    """Everything a refused operation must leave as it was."""
    return (
        Proceeding.objects.count(),
        Accused.objects.count(),
        Participant.objects.count(),
        Charge.objects.count(),
        ProceduralEvent.objects.count(),
        AuditEvent.objects.count(),
        sorted(Accused.objects.values_list("pk", "stage", "pending")),
        sorted(Charge.objects.values_list("pk", "ended_at")),
        sorted(Proceeding.objects.values_list("pk", "prosecutor_id", "court_id", "judge_id")),
    )


@contextmanager
def nothing_written() -> Iterator[None]:
    before = snapshot()
    yield
    assert snapshot() == before


def refusal(call: Callable[..., Any], **kwargs: Any) -> dict[str, list[str]]:
    """Call a service that must refuse with a ValidationError and write nothing.

    Returns its messages by field; a message for the whole step is under "__all__".
    """
    with nothing_written(), pytest.raises(ValidationError) as excinfo:
        call(**kwargs)
    error = excinfo.value
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}


def denial(call: Callable[..., Any], **kwargs: Any) -> str:
    """Call a service that must refuse with PermissionDenied and write nothing; its message."""
    with nothing_written(), pytest.raises(PermissionDenied) as excinfo:
        call(**kwargs)
    return str(excinfo.value)


def last_audit(action: str = "case.event") -> AuditEvent:
    event = AuditEvent.objects.filter(action=action).order_by("-id").first()
    assert event is not None
    return event
