"""A step the record already contradicts is refused, naming the field, and nothing is written.

(What may be true but shows a bad practice is flagged by the safeguards instead:
tests/safeguards/test_rules_truth.py.)
"""

import datetime

import pytest
from django.utils import formats, timezone

from qorgau.proceedings.models import EventKind as K
from qorgau.proceedings.models import Stage as S
from qorgau.proceedings.services import add_accused, consistency, record_event
from qorgau.proceedings.services import cases as case_services
from qorgau.proceedings.services.common import local
from tests.proceedings import factories
from tests.proceedings.factories import refusal

H = datetime.timedelta(hours=1)
M = datetime.timedelta(minutes=1)
D = datetime.timedelta(days=1)


def attempt(file, kind, at, **fields):
    """The arguments of a valid step of this kind at this time, by who records it now."""
    file.accused.refresh_from_db()
    data = {**file.fields_for(kind, at), **fields}
    return {
        "call": record_event,
        "actor": file.team.actor_for(kind, file.accused.stage),
        "accused": file.accused,
        "kind": kind,
        "started_at": at,
        **data,
    }


@pytest.mark.parametrize(
    ("decision", "approval"),
    [(K.TERMINATION, K.TERMINATION_APPROVED), (K.INDICTMENT, K.INDICTMENT_APPROVED)],
)
def test_an_approval_dated_before_the_decision_it_approves_is_refused(file, decision, approval):
    file.drive(S.INVESTIGATION)
    made = file.record(decision)
    errors = refusal(**attempt(file, approval, made.started_at - M))
    assert errors == {
        "started_at": [
            consistency.MESSAGE_BEFORE_DECISION
            % {"step": made.get_kind_display(), "time": local(made.started_at)}
        ]
    }
    assert file.stage()[1]  # still awaiting the approval
    # At the decision's own time or after, it is approved.
    assert file.record(approval, at=made.started_at).kind == approval


@pytest.mark.parametrize(
    ("stage", "kind", "previous"),
    [
        (S.IN_COURT, K.JUDGMENT, K.INDICTMENT_APPROVED),
        (S.JUDGMENT, K.APPEAL, K.JUDGMENT),
        (S.JUDGMENT, K.JUDGMENT_IN_FORCE, K.JUDGMENT),
        (S.APPEAL, K.APPEAL_DECISION, K.APPEAL),
        (S.SENTENCE_EXECUTION, K.CLOSED, K.JUDGMENT_IN_FORCE),
    ],
)
def test_a_step_dated_before_the_step_it_follows_is_refused(file, stage, kind, previous):
    file.drive(stage)
    before = file.accused.events.filter(kind=previous).latest("id")
    errors = refusal(**attempt(file, kind, before.started_at - M))
    assert list(errors) == ["started_at"]
    if kind == K.JUDGMENT:  # the court's own refusal comes second: the order is named first
        assert errors["started_at"][0].startswith(str(consistency.MESSAGE_BEFORE_PREVIOUS)[:20])
    else:
        assert errors["started_at"] == [
            consistency.MESSAGE_BEFORE_PREVIOUS
            % {"step": before.get_kind_display(), "time": local(before.started_at)}
        ]


def test_the_court_cannot_act_before_the_case_was_referred_to_it(file):
    file.drive(S.IN_COURT)
    referral = file.accused.events.get(kind=K.INDICTMENT_APPROVED)
    errors = refusal(**attempt(file, K.PREVENTIVE_MEASURE, referral.started_at - H))
    assert errors == {
        "started_at": [
            consistency.MESSAGE_COURT_BEFORE_REFERRAL % {"time": local(referral.started_at)}
        ]
    }
    # The defender's arrival before the referral is typed in late, and is true: accepted.
    assert file.record(K.DEFENDER_ARRIVED, at=referral.started_at - H).kind == K.DEFENDER_ARRIVED


def test_a_release_dated_before_its_detention_is_refused(file):
    detention = file.record(K.DETENTION, at=file.offence + 2 * H)
    errors = refusal(**attempt(file, K.RELEASE, detention.started_at - M))
    assert errors == {
        "started_at": [
            consistency.MESSAGE_RELEASE_BEFORE_DETENTION % {"time": local(detention.started_at)}
        ]
    }
    assert file.record(K.RELEASE, at=detention.started_at + H).kind == K.RELEASE


def test_a_release_after_custody_is_accepted_though_no_detention_was_recorded(file):
    custody = file.record(K.PREVENTIVE_MEASURE, measure="custody", term_days=30)
    assert file.record(K.RELEASE, at=custody.started_at + D).kind == K.RELEASE


def test_a_detention_dated_after_a_release_that_released_nothing_is_refused(file):
    release = file.record(K.RELEASE, at=file.offence + H)
    errors = refusal(**attempt(file, K.DETENTION, release.started_at + H))
    assert errors == {
        "started_at": [
            consistency.MESSAGE_DETENTION_AFTER_RELEASE % {"time": local(release.started_at)}
        ]
    }
    # Dated before that release, the detention is the one the release ended.
    assert file.record(K.DETENTION, at=release.started_at - 30 * M).kind == K.DETENTION


def test_a_second_detention_after_a_real_release_is_accepted(file):
    detention = file.record(K.DETENTION, at=file.offence + H)
    file.record(K.RELEASE, at=detention.started_at + 5 * H)
    assert file.record(K.DETENTION, at=detention.started_at + D).kind == K.DETENTION


@pytest.mark.parametrize(
    ("start", "end"),
    [(30, 90), (-30, 30), (10, 20), (-10, 70)],  # minutes from the first one's start
)
def test_two_interrogations_of_one_minor_at_the_same_time_are_refused(file, start, end):
    at = file.offence + 3 * H
    first = file.record(K.INTERROGATION, at=at, ended_at=at + 60 * M)
    errors = refusal(**attempt(file, K.INTERROGATION, at + start * M, ended_at=at + end * M))
    assert errors == {
        "started_at": [
            consistency.MESSAGE_OVERLAP
            % {"start": local(first.started_at), "end": local(first.ended_at)}
        ]
    }


def test_an_interrogation_right_after_another_is_accepted(file):
    at = file.offence + 3 * H
    file.record(K.INTERROGATION, at=at, ended_at=at + 60 * M)
    assert file.record(K.INTERROGATION, at=at + 60 * M, ended_at=at + 90 * M).kind == (
        K.INTERROGATION
    )


def test_a_decision_dated_before_the_case_was_registered_is_refused(team, juvenile):
    offence = factories.offence_moment()
    case = factories.open_case(
        team, juvenile, offence_at=offence, registered_on=timezone.localdate(offence) + 2 * D
    )
    file = factories.CaseFile(team, case, case.accused.get())
    # An urgent step (the detention) may come before the registration...
    file.record(K.DETENTION, at=offence + H)
    # ...a decision on the case may not.
    errors = refusal(**attempt(file, K.TERMINATION, offence + 2 * H))
    registered = formats.date_format(case.registered_on, "SHORT_DATE_FORMAT")
    assert errors == {
        "started_at": [consistency.MESSAGE_BEFORE_REGISTRATION % {"date": registered}]
    }


def test_a_step_before_the_minors_birth_is_refused_as_before_the_offence(file):
    birth = file.accused.juvenile.birth_date
    at = timezone.make_aware(datetime.datetime.combine(birth - D, datetime.time(12)))
    errors = refusal(**attempt(file, K.DETENTION, at))
    assert list(errors) == ["started_at"]


def test_a_minor_born_after_the_offence_is_never_added_to_the_case(file, investigator):
    offence_day = timezone.localdate(file.offence)
    unborn = factories.minor(investigator, offence_day, 0, birth_date=offence_day + D)
    errors = refusal(
        add_accused,
        actor=investigator,
        proceeding=file.case,
        juvenile=unborn,
        articles=[factories.article("188/2")],
    )
    birth = formats.date_format(unborn.birth_date, "SHORT_DATE_FORMAT")
    assert errors == {
        "juvenile": [case_services.MESSAGE_BORN_AFTER % {"name": unborn, "birth": birth}]
    }


def test_an_interrogation_ending_before_it_starts_is_refused(file):
    at = file.offence + 3 * H
    errors = refusal(**attempt(file, K.INTERROGATION, at, ended_at=at - M))
    assert list(errors) == ["ended_at"]
