"""Steps that cannot have happened are refused with their message, and nothing is written.

Missing safeguards are not among them: they are recorded as they happened.
"""

import datetime

import pytest
from django.utils import timezone

from qorgau.accounts.models import AgencyType
from qorgau.accounts.services import update_agency
from qorgau.proceedings.legal_rules import rule_book
from qorgau.proceedings.models import EventKind as K
from qorgau.proceedings.models import ParticipantRole, Pending
from qorgau.proceedings.models import Stage as S
from qorgau.proceedings.services import add_accused, add_participant, record_event
from qorgau.proceedings.services.cases import MESSAGE_NOT_A_MINOR, MESSAGE_UNDER_AGE
from qorgau.proceedings.services.common import (
    CLOCK_TOLERANCE,
    MESSAGE_BEFORE_OFFENCE,
    MESSAGE_END_BEFORE_START,
    MESSAGE_FUTURE,
    local,
)
from qorgau.proceedings.services.events import (
    MESSAGE_ATTENDEE,
    MESSAGE_BREAK_ORDER,
    MESSAGE_BREAK_OUTSIDE,
    MESSAGE_FINE_REQUIRED,
    MESSAGE_NO_PUNISHMENT,
    MESSAGE_NOT_COURT,
    MESSAGE_NOTHING_TO_APPROVE,
    MESSAGE_PARTICIPANT_ROLE,
    MESSAGE_PENDING,
    MESSAGE_REQUIRED,
    MESSAGE_TERM_REQUIRED,
    MESSAGE_UNKNOWN_CODE,
    MESSAGE_WRONG_STAGE,
)
from tests import factories as base
from tests.proceedings import factories
from tests.proceedings.factories import article, born_years_before, minor, refusal

M = datetime.timedelta(minutes=1)
H = datetime.timedelta(hours=1)


def step(file, kind, *, actor=None, at=None, accused=None, **overrides):
    """The arguments of a step as `file.record` would send them, for `refusal`."""
    accused = accused or file.accused
    accused.refresh_from_db()
    started_at = at or file.tick()
    data = file.fields_for(kind, started_at)
    data.update(overrides)
    return {
        "actor": actor or file.team.actor_for(kind, accused.stage),
        "accused": accused,
        "kind": kind,
        "started_at": started_at,
        **data,
    }


def second_minor(file, years=15):
    return add_accused(
        actor=file.team.investigator,
        proceeding=file.case,
        juvenile=minor(file.team.investigator, timezone.localdate(file.offence), years),
        articles=[article("188/2")],
    )


# Wrong stage, nothing pending


def test_refuses_a_judgment_before_the_case_is_referred_to_court(file):
    # One minor in court gives the case its court; the other is still under investigation.
    other = second_minor(file)
    file.drive(S.IN_COURT)
    errors = refusal(record_event, **step(file, K.JUDGMENT, actor=file.team.judge, accused=other))
    assert errors == {"__all__": [MESSAGE_WRONG_STAGE % {"stage": S.REGISTERED.label}]}


def test_refuses_a_judgment_during_the_investigation_whoever_records_it(file):
    file.drive(S.INVESTIGATION)
    errors = refusal(record_event, **step(file, K.JUDGMENT, actor=base.superuser()))
    assert errors == {"__all__": [MESSAGE_WRONG_STAGE % {"stage": S.INVESTIGATION.label}]}


@pytest.mark.parametrize("kind", [K.TERMINATION_APPROVED, K.INDICTMENT_APPROVED])
def test_refuses_an_approval_with_nothing_pending(file, kind):
    file.drive(S.INVESTIGATION)
    errors = refusal(record_event, **step(file, kind, actor=file.team.prosecutor))
    assert errors == {"__all__": [MESSAGE_NOTHING_TO_APPROVE]}


@pytest.mark.parametrize(
    ("pending", "approval"),
    [(K.TERMINATION, K.INDICTMENT_APPROVED), (K.INDICTMENT, K.TERMINATION_APPROVED)],
)
def test_refuses_approving_another_decision_than_the_one_pending(file, pending, approval):
    file.drive(S.INVESTIGATION)
    file.record(pending)
    errors = refusal(record_event, **step(file, approval, actor=file.team.prosecutor))
    assert errors == {"__all__": [MESSAGE_NOTHING_TO_APPROVE]}


@pytest.mark.parametrize("first", [K.TERMINATION, K.INDICTMENT])
@pytest.mark.parametrize("second", [K.TERMINATION, K.INDICTMENT])
def test_refuses_a_second_decision_while_one_awaits_approval(file, first, second):
    file.drive(S.INVESTIGATION)
    file.record(first)
    errors = refusal(record_event, **step(file, second))
    assert errors == {"__all__": [MESSAGE_PENDING]}
    assert file.stage() == (S.INVESTIGATION, Pending(first))


# Times


def test_refuses_a_step_timed_before_the_offence(file):
    errors = refusal(record_event, **step(file, K.DETENTION, at=file.offence - M))
    assert errors == {"started_at": [MESSAGE_BEFORE_OFFENCE % {"offence": local(file.offence)}]}


def test_accepts_a_step_at_the_very_time_of_the_offence(file):
    event = file.record(K.DETENTION, at=file.offence)
    assert event.started_at == file.offence


def test_accepts_a_step_ahead_of_the_clock_within_the_tolerance(file):
    event = file.record(K.DETENTION, at=timezone.now() + CLOCK_TOLERANCE - M)
    assert event.pk is not None


def test_refuses_a_step_in_the_future_beyond_the_tolerance(file):
    errors = refusal(
        record_event, **step(file, K.DETENTION, at=timezone.now() + CLOCK_TOLERANCE + M)
    )
    assert errors == {"started_at": [MESSAGE_FUTURE]}


def test_refuses_an_interrogation_that_ends_in_the_future(file):
    start = timezone.now() - H
    errors = refusal(
        record_event,
        **step(file, K.INTERROGATION, at=start, ended_at=timezone.now() + CLOCK_TOLERANCE + M),
    )
    assert errors == {"ended_at": [MESSAGE_FUTURE]}


@pytest.mark.parametrize("minutes", [-10, 0])
def test_refuses_an_interrogation_that_ends_before_or_when_it_starts(file, minutes):
    start = file.offence + 3 * H
    errors = refusal(
        record_event, **step(file, K.INTERROGATION, at=start, ended_at=start + minutes * M)
    )
    assert errors == {"ended_at": [MESSAGE_END_BEFORE_START % {"start": local(start)}]}


def test_refuses_an_interrogation_without_its_end(file):
    errors = refusal(record_event, **step(file, K.INTERROGATION, ended_at=None))
    assert errors == {"ended_at": [MESSAGE_REQUIRED]}


def interrogation(file, *breaks):
    start = file.offence + 3 * H
    return step(file, K.INTERROGATION, at=start, ended_at=start + 3 * H, breaks=list(breaks))


@pytest.mark.parametrize(
    ("break_from", "break_to"),
    [(-10, 20), (170, 190), (-30, -10), (200, 210)],
    ids=["across-the-start", "across-the-end", "before", "after"],
)
def test_refuses_a_break_outside_the_interrogation(file, break_from, break_to):
    start = file.offence + 3 * H
    errors = refusal(
        record_event, **interrogation(file, (start + break_from * M, start + break_to * M))
    )
    assert errors == {"breaks": [MESSAGE_BREAK_OUTSIDE]}


def test_refuses_overlapping_breaks(file):
    start = file.offence + 3 * H
    errors = refusal(
        record_event,
        **interrogation(file, (start + 60 * M, start + 90 * M), (start + 80 * M, start + 100 * M)),
    )
    assert errors == {"breaks": [MESSAGE_BREAK_ORDER]}


def test_refuses_a_break_that_ends_before_it_starts(file):
    start = file.offence + 3 * H
    errors = refusal(
        record_event, **interrogation(file, {"start": start + 90 * M, "end": start + 60 * M})
    )
    assert errors == {"breaks": [MESSAGE_BREAK_ORDER]}


def test_keeps_breaks_in_order_as_iso_times(file):
    start = file.offence + 3 * H
    later = (start + 120 * M, start + 130 * M)
    earlier = {"start": (start + 60 * M).isoformat(), "end": (start + 75 * M).isoformat()}
    event = file.record(K.INTERROGATION, at=start, ended_at=start + 3 * H, breaks=[later, earlier])
    event.refresh_from_db()
    assert event.breaks == [
        {"start": (start + 60 * M).isoformat(), "end": (start + 75 * M).isoformat()},
        {"start": later[0].isoformat(), "end": later[1].isoformat()},
    ]
    assert event.duration_minutes == 180


# Ages


@pytest.mark.parametrize(("days_to_birthday", "accepted"), [(1, True), (0, False)])
def test_a_juvenile_case_is_for_persons_under_eighteen_on_the_offence_day(
    team, investigator, offence_at, offence_day, days_to_birthday, accepted
):
    birthday = offence_day + datetime.timedelta(days=days_to_birthday)
    person = base.juvenile(investigator, birth_date=born_years_before(birthday, 18))
    if accepted:
        case = factories.open_case(team, person, offence_at=offence_at)
        assert case.accused.get().juvenile == person
        return
    errors = refusal(factories.open_case, team=team, juvenile=person, offence_at=offence_at)
    limit = rule_book().get("minor_age", "minor_age", offence_day)
    assert errors == {
        "juvenile": [
            MESSAGE_NOT_A_MINOR
            % {"name": person, "age": 18, "limit": 18, "citation": limit.citation}
        ]
    }


def test_refuses_to_join_a_person_of_eighteen_to_a_case(file, investigator, offence_day):
    adult = base.juvenile(investigator, birth_date=born_years_before(offence_day, 19))
    errors = refusal(
        add_accused,
        actor=investigator,
        proceeding=file.case,
        juvenile=adult,
        articles=[article("188/2")],
    )
    assert list(errors) == ["juvenile"]
    assert "19" in errors["juvenile"][0]


@pytest.mark.parametrize(
    ("code", "age", "accepted"),
    [("188/2", 13, False), ("188/2", 14, True), ("188/1", 15, False), ("188/1", 16, True)],
)
def test_a_charge_needs_the_age_of_responsibility_for_its_article(
    team, investigator, offence_at, offence_day, code, age, accepted
):
    # Born on the offence day `age` years before: the birthday itself counts.
    child = base.juvenile(investigator, birth_date=born_years_before(offence_day, age))
    charged = article(code)
    if accepted:
        case = factories.open_case(team, child, offence_at=offence_at, articles=(code,))
        assert case.accused.get().charges.get().article == charged
        return
    errors = refusal(
        factories.open_case, team=team, juvenile=child, offence_at=offence_at, articles=(code,)
    )
    assert errors == {
        "articles": [
            MESSAGE_UNDER_AGE
            % {"name": child, "age": age, "article": charged.citation, "min_age": charged.min_age}
        ]
    }


def test_one_article_under_age_refuses_the_whole_accusation(file, investigator, offence_day):
    child = base.juvenile(investigator, birth_date=born_years_before(offence_day, 15))
    errors = refusal(
        add_accused,
        actor=investigator,
        proceeding=file.case,
        juvenile=child,
        articles=[article("188/2"), article("188/1")],
    )
    assert list(errors) == ["articles"]


# Codes from the rule file


@pytest.mark.parametrize(
    ("kind", "name", "stage"),
    [
        (K.PREVENTIVE_MEASURE, "measure", S.INVESTIGATION),
        (K.TERMINATION, "ground", S.INVESTIGATION),
        (K.JUDGMENT, "punishment", S.IN_COURT),
    ],
)
def test_refuses_a_code_the_rule_file_does_not_know(file, kind, name, stage):
    file.drive(stage)
    errors = refusal(record_event, **step(file, kind, **{name: "flogging"}))
    assert errors == {name: [MESSAGE_UNKNOWN_CODE]}


@pytest.mark.parametrize("measure", ["custody", "house_arrest"])
def test_refuses_a_custodial_measure_without_its_term(file, measure):
    errors = refusal(record_event, **step(file, K.PREVENTIVE_MEASURE, measure=measure))
    assert errors == {"term_days": [MESSAGE_TERM_REQUIRED]}


def test_records_custody_with_its_term(file):
    event = file.record(
        K.PREVENTIVE_MEASURE, measure="custody", term_days=60, court_sanctioned=True
    )
    assert (event.measure, event.term_days, event.court_sanctioned) == ("custody", 60, True)


# Judgments


@pytest.fixture
def in_court(file):
    file.drive(S.IN_COURT)
    return file


@pytest.mark.parametrize(
    "punishment",
    [
        "deprivation_of_right",
        "correctional_works",
        "community_works",
        "restriction_of_freedom",
        "deprivation_of_liberty",
    ],
)
def test_refuses_a_conviction_without_the_term_of_its_punishment(in_court, punishment):
    errors = refusal(
        record_event, **step(in_court, K.JUDGMENT, punishment=punishment, term_months=None)
    )
    assert errors == {"term_months": [MESSAGE_TERM_REQUIRED]}


def test_refuses_a_fine_without_its_amount(in_court):
    errors = refusal(
        record_event, **step(in_court, K.JUDGMENT, punishment="fine", term_months=None)
    )
    assert errors == {"fine_amount": [MESSAGE_FINE_REQUIRED]}


def test_records_a_fine_with_its_amount(in_court):
    event = in_court.record(K.JUDGMENT, punishment="fine", term_months=None, fine_amount=150000)
    event.refresh_from_db()
    assert event.fine_amount == 150000


def test_refuses_a_conviction_without_a_punishment(in_court):
    errors = refusal(record_event, **step(in_court, K.JUDGMENT, punishment=""))
    assert errors == {"punishment": [MESSAGE_REQUIRED]}


def test_refuses_a_judgment_without_a_verdict(in_court):
    errors = refusal(record_event, **step(in_court, K.JUDGMENT, verdict=""))
    assert errors == {"verdict": [MESSAGE_REQUIRED]}


def test_refuses_a_conditional_sentence_without_probation(in_court):
    errors = refusal(record_event, **step(in_court, K.JUDGMENT, conditional=True))
    assert errors == {"probation_months": [MESSAGE_TERM_REQUIRED]}


def test_refuses_a_deferred_execution_without_its_term(in_court):
    errors = refusal(record_event, **step(in_court, K.JUDGMENT, deferred=True))
    assert errors == {"deferral_months": [MESSAGE_TERM_REQUIRED]}


def test_records_a_conditional_sentence_with_its_probation(in_court):
    event = in_court.record(K.JUDGMENT, conditional=True, probation_months=12)
    assert (event.conditional, event.probation_months) == (True, 12)


@pytest.mark.parametrize(
    "sentence",
    [
        {"punishment": "fine"},
        {"term_months": 6},
        {"fine_amount": 50000},
        {"conditional": True},
        {"probation_months": 12},
        {"deferred": True},
    ],
)
def test_refuses_an_acquittal_with_a_punishment(in_court, sentence):
    data = {"verdict": "acquittal", "punishment": "", "term_months": None, **sentence}
    errors = refusal(record_event, **step(in_court, K.JUDGMENT, **data))
    assert errors == {"punishment": [MESSAGE_NO_PUNISHMENT]}


# Referral to court


@pytest.fixture
def indicted(file):
    file.drive(S.INVESTIGATION)
    file.record(K.INDICTMENT)
    return file


def test_refuses_a_referral_without_a_court(indicted):
    errors = refusal(
        record_event,
        **step(indicted, K.INDICTMENT_APPROVED, actor=indicted.team.prosecutor, court=None),
    )
    assert errors == {"court": [MESSAGE_NOT_COURT]}


def test_refuses_a_referral_to_an_agency_that_is_not_a_juvenile_court(indicted, prosecutor):
    errors = refusal(
        record_event,
        **step(indicted, K.INDICTMENT_APPROVED, actor=prosecutor, court=prosecutor.agency),
    )
    assert errors == {"court": [MESSAGE_NOT_COURT]}


def test_refuses_a_referral_to_a_closed_juvenile_court(indicted, prosecutor):
    closed = base.agency(AgencyType.JUVENILE_COURT, base.ALMATY_CITY)
    update_agency(actor=base.superuser(), agency=closed, is_active=False)
    closed.refresh_from_db()
    errors = refusal(
        record_event, **step(indicted, K.INDICTMENT_APPROVED, actor=prosecutor, court=closed)
    )
    assert errors == {"court": [MESSAGE_NOT_COURT]}


# The people a step concerns


@pytest.mark.parametrize(
    ("kind", "role", "wrong"),
    [
        (K.REPRESENTATIVE_NOTIFIED, ParticipantRole.LEGAL_REPRESENTATIVE, "defender"),
        (K.DEFENDER_ASSIGNED, ParticipantRole.DEFENDER, "representative"),
        (K.DEFENDER_ARRIVED, ParticipantRole.DEFENDER, "psychologist"),
        (K.PSYCHOLOGIST_PRESENT, ParticipantRole.SOCIAL_PSYCHOLOGIST, "defender"),
    ],
)
def test_refuses_a_person_of_the_wrong_role(file, kind, role, wrong):
    errors = refusal(record_event, **step(file, kind, participant=getattr(file, wrong)))
    assert errors == {"participant": [MESSAGE_PARTICIPANT_ROLE % {"role": role.label}]}


@pytest.mark.parametrize(
    ("kind", "role"),
    [
        (K.REPRESENTATIVE_NOTIFIED, ParticipantRole.LEGAL_REPRESENTATIVE),
        (K.DEFENDER_ASSIGNED, ParticipantRole.DEFENDER),
        (K.DEFENDER_ARRIVED, ParticipantRole.DEFENDER),
        (K.PSYCHOLOGIST_PRESENT, ParticipantRole.SOCIAL_PSYCHOLOGIST),
    ],
)
def test_refuses_a_person_of_another_minor(file, kind, role):
    other = second_minor(file)
    staff = {
        ParticipantRole.DEFENDER: file.team.defender,
        ParticipantRole.SOCIAL_PSYCHOLOGIST: file.team.psychologist,
    }
    theirs = add_participant(
        actor=file.team.investigator,
        proceeding=file.case,
        role=role,
        accused=other,
        user=staff.get(role),
        full_name="" if role in staff else "Нұрланова Гүлнар",
    )
    errors = refusal(record_event, **step(file, kind, participant=theirs))
    assert errors == {"participant": [MESSAGE_PARTICIPANT_ROLE % {"role": role.label}]}


def test_refuses_a_person_of_another_case(file, team, investigator, offence_day):
    elsewhere = factories.open_case(team, minor(investigator, offence_day, 15))
    stranger = add_participant(
        actor=investigator,
        proceeding=elsewhere,
        role=ParticipantRole.LEGAL_REPRESENTATIVE,
        full_name="Бөтен Адам",
    )
    errors = refusal(record_event, **step(file, K.REPRESENTATIVE_NOTIFIED, participant=stranger))
    assert list(errors) == ["participant"]


def test_accepts_a_person_of_the_case_not_tied_to_one_minor(file):
    shared = add_participant(
        actor=file.team.investigator,
        proceeding=file.case,
        role=ParticipantRole.LEGAL_REPRESENTATIVE,
        full_name="Қорғаншы органның маманы",
    )
    event = file.record(K.REPRESENTATIVE_NOTIFIED, participant=shared)
    assert event.participant == shared


def test_refuses_attendees_from_another_case(file, team, investigator, offence_day):
    elsewhere = factories.open_case(team, minor(investigator, offence_day, 15))
    stranger = add_participant(
        actor=investigator,
        proceeding=elsewhere,
        role=ParticipantRole.PEDAGOGUE,
        full_name="Бөтен Педагог",
    )
    errors = refusal(record_event, **step(file, K.INTERROGATION, attendees=[stranger]))
    assert errors == {"attendees": [MESSAGE_ATTENDEE]}


# Missing safeguards are facts to record, not errors


def test_records_an_interrogation_without_a_defender_as_it_happened(bare):
    pedagogue = add_participant(
        actor=bare.team.investigator,
        proceeding=bare.case,
        role=ParticipantRole.PEDAGOGUE,
        accused=bare.accused,
        full_name="Ахметова Сәуле",
    )
    event = bare.record(K.INTERROGATION, attendees=[pedagogue])
    assert list(event.attendees.all()) == [pedagogue]
    assert bare.case.participants.filter(role=ParticipantRole.DEFENDER).exists() is False


def test_records_a_detention_held_together_with_adults_as_it_happened(file):
    event = file.record(K.DETENTION, held_separately=False)
    event.refresh_from_db()
    assert event.held_separately is False
    assert file.stage() == (S.INVESTIGATION, "")


# Bad calls


def test_refuses_an_unknown_field_before_writing(file):
    with factories.nothing_written(), pytest.raises(ValueError, match="colour"):
        record_event(**step(file, K.RELEASE, colour="red"))


def test_refuses_an_unknown_kind_before_writing(file):
    with factories.nothing_written(), pytest.raises(ValueError, match="teleportation"):
        record_event(
            actor=file.team.investigator,
            accused=file.accused,
            kind="teleportation",
            started_at=file.tick(),
        )
