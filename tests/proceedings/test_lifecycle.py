"""The stage machine of a minor's case: every step each stage allows, and where it leads."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from qorgau.audit.models import AuditEvent
from qorgau.proceedings import policy
from qorgau.proceedings.models import EventKind as K
from qorgau.proceedings.models import Pending
from qorgau.proceedings.models import Stage as S
from qorgau.proceedings.services import add_accused, record_event
from qorgau.proceedings.services.common import MESSAGE_NOT_FOR_THIS_STEP
from qorgau.proceedings.services.events import MESSAGE_WRONG_STAGE
from tests import factories as base
from tests.proceedings.factories import last_audit, minor, refusal

PRE_TRIAL = [
    K.DETENTION,
    K.REPRESENTATIVE_NOTIFIED,
    K.DEFENDER_ASSIGNED,
    K.DEFENDER_ARRIVED,
    K.PSYCHOLOGIST_PRESENT,
    K.INTERROGATION,
    K.PREVENTIVE_MEASURE,
    K.RELEASE,
]
IN_COURT_STEPS = [
    K.REPRESENTATIVE_NOTIFIED,
    K.DEFENDER_ASSIGNED,
    K.DEFENDER_ARRIVED,
    K.PSYCHOLOGIST_PRESENT,
    K.PREVENTIVE_MEASURE,
    K.RELEASE,
]

# (stage before, step, stage after, decision awaiting approval after), written out by hand.
TRANSITIONS = [
    *[(S.REGISTERED, kind, S.INVESTIGATION, "") for kind in PRE_TRIAL],
    *[(S.INVESTIGATION, kind, S.INVESTIGATION, "") for kind in PRE_TRIAL],
    (S.INVESTIGATION, K.TERMINATION, S.INVESTIGATION, Pending.TERMINATION),
    (S.INVESTIGATION, K.INDICTMENT, S.INVESTIGATION, Pending.INDICTMENT),
    *[(S.IN_COURT, kind, S.IN_COURT, "") for kind in IN_COURT_STEPS],
    (S.IN_COURT, K.JUDGMENT, S.JUDGMENT, ""),
    (S.JUDGMENT, K.APPEAL, S.APPEAL, ""),
    (S.JUDGMENT, K.JUDGMENT_IN_FORCE, S.SENTENCE_EXECUTION, ""),
    (S.JUDGMENT, K.RELEASE, S.JUDGMENT, ""),
    (S.APPEAL, K.APPEAL_DECISION, S.SENTENCE_EXECUTION, ""),
    (S.APPEAL, K.RELEASE, S.APPEAL, ""),
    (S.SENTENCE_EXECUTION, K.CLOSED, S.CLOSED, ""),
]
# The approvals need their decision pending first: tested on their own below.
APPROVALS = {(S.INVESTIGATION, K.TERMINATION_APPROVED), (S.INVESTIGATION, K.INDICTMENT_APPROVED)}


def test_the_table_covers_every_step_the_policy_allows():
    allowed = {(stage, kind) for stage, kinds in policy.ALLOWED.items() for kind in kinds}
    tested = {(before, kind) for before, kind, _, _ in TRANSITIONS} | APPROVALS
    assert tested == allowed


@pytest.mark.parametrize(
    ("before", "kind", "after", "pending"),
    TRANSITIONS,
    ids=[f"{before}-{kind}" for before, kind, _, _ in TRANSITIONS],
)
def test_each_allowed_step_moves_the_case_to_its_next_stage(file, before, kind, after, pending):
    file.drive(before)
    audited = AuditEvent.objects.filter(action="case.event").count()

    event = file.record(kind)

    assert file.stage() == (after, pending)
    assert (event.kind, event.accused_id) == (kind, file.accused.pk)
    assert AuditEvent.objects.filter(action="case.event").count() == audited + 1
    audit = last_audit()
    assert (audit.subject_type, audit.subject_id) == ("proceedings.proceeding", str(file.case.pk))
    assert audit.details == {"event_id": event.pk, "accused_id": file.accused.pk}
    assert audit.changes["kind"] == [None, kind]
    if after != before:
        assert audit.changes["stage"] == [before, after]
    else:
        assert "stage" not in audit.changes
    if pending:
        assert audit.changes["pending"] == ["", pending]


def test_the_first_investigative_step_opens_the_investigation(file):
    assert file.stage() == (S.REGISTERED, "")
    file.record(K.DETENTION)
    assert file.stage() == (S.INVESTIGATION, "")
    assert last_audit().changes["stage"] == [S.REGISTERED, S.INVESTIGATION]


def test_termination_awaits_the_prosecutor_and_the_approval_terminates(file):
    file.drive(S.INVESTIGATION)

    file.record(K.TERMINATION, ground="educational_measures")
    assert file.stage() == (S.INVESTIGATION, Pending.TERMINATION)
    assert last_audit().changes["pending"] == ["", Pending.TERMINATION]

    approval = file.record(K.TERMINATION_APPROVED, actor=file.team.prosecutor)
    assert file.stage() == (S.TERMINATED, "")
    assert approval.author == file.team.prosecutor
    changes = last_audit().changes
    assert changes["stage"] == [S.INVESTIGATION, S.TERMINATED]
    assert changes["pending"] == [Pending.TERMINATION, ""]


def test_indictment_approved_refers_the_case_to_the_juvenile_court(file):
    file.drive(S.INVESTIGATION)

    file.record(K.INDICTMENT)
    assert file.stage() == (S.INVESTIGATION, Pending.INDICTMENT)
    file.record(K.INDICTMENT_APPROVED, actor=file.team.prosecutor, court=file.team.court)

    assert file.stage() == (S.IN_COURT, "")
    file.case.refresh_from_db()
    assert file.case.court == file.team.court
    changes = last_audit().changes
    assert changes["stage"] == [S.INVESTIGATION, S.IN_COURT]
    assert changes["court"] == [None, file.team.court.pk]


def test_the_judge_who_delivers_the_judgment_becomes_the_case_judge(file):
    file.drive(S.IN_COURT)
    file.record(K.JUDGMENT, actor=file.team.judge)
    file.case.refresh_from_db()
    assert file.case.judge == file.team.judge
    changes = last_audit().changes
    assert changes["judge"] == [None, file.team.judge.pk]
    assert changes["stage"] == [S.IN_COURT, S.JUDGMENT]


@pytest.mark.parametrize(
    ("verdict", "after"),
    [("conviction", S.SENTENCE_EXECUTION), ("acquittal", S.CLOSED)],
)
def test_a_judgment_in_force_leads_to_its_execution_or_closes_an_acquittal(file, verdict, after):
    file.drive(S.JUDGMENT, verdict=verdict)
    file.record(K.JUDGMENT_IN_FORCE)
    assert file.stage() == (after, "")
    assert last_audit().changes["stage"] == [S.JUDGMENT, after]


@pytest.mark.parametrize(
    ("verdict", "outcome", "after"),
    [
        ("conviction", "upheld", S.SENTENCE_EXECUTION),
        ("conviction", "changed", S.SENTENCE_EXECUTION),
        ("conviction", "acquitted", S.CLOSED),
        ("conviction", "quashed", S.IN_COURT),
        ("acquittal", "upheld", S.CLOSED),
        ("acquittal", "quashed", S.IN_COURT),
    ],
)
def test_the_appeal_decision_routes_the_case_by_its_outcome(file, verdict, outcome, after):
    file.drive(S.APPEAL, verdict=verdict)
    file.record(K.APPEAL_DECISION, appeal_outcome=outcome)
    assert file.stage() == (after, "")
    assert last_audit().changes["stage"] == [S.APPEAL, after]


def test_after_a_retrial_the_new_judgment_decides_where_the_case_goes(file):
    file.drive(S.APPEAL, verdict="conviction")
    file.record(K.APPEAL_DECISION, appeal_outcome="quashed")
    file.record(K.JUDGMENT, verdict="acquittal", punishment="", term_months=None)
    file.record(K.JUDGMENT_IN_FORCE)
    assert file.stage() == (S.CLOSED, "")


def test_a_stray_appeal_outcome_on_a_judgment_in_force_is_refused(file):
    file.drive(S.JUDGMENT, verdict="conviction")
    with pytest.raises(ValidationError) as caught:
        file.record(K.JUDGMENT_IN_FORCE, appeal_outcome="acquitted")
    assert caught.value.message_dict == {"appeal_outcome": [str(MESSAGE_NOT_FOR_THIS_STEP)]}
    assert file.stage() == (S.JUDGMENT, "")


def test_the_case_closes_from_sentence_execution(file):
    file.drive(S.SENTENCE_EXECUTION)
    file.record(K.CLOSED, actor=file.team.judge)
    assert file.stage() == (S.CLOSED, "")
    assert last_audit().changes["stage"] == [S.SENTENCE_EXECUTION, S.CLOSED]


@pytest.mark.parametrize("terminal", [S.TERMINATED, S.CLOSED])
def test_a_finished_case_refuses_every_step(file, terminal):
    file.drive(terminal)
    superuser = base.superuser()  # passes every permission check: only the stage can refuse
    expected = {"__all__": [MESSAGE_WRONG_STAGE % {"stage": S(terminal).label}]}
    for kind in K:  # a refusal writes nothing: the one finished case serves every step
        errors = refusal(
            record_event,
            actor=superuser,
            accused=file.accused,
            kind=kind,
            started_at=file.tick(),
            **file.fields_for(kind, file.clock),
        )
        assert (kind, errors) == (kind, expected)


def test_the_investigator_cannot_reopen_a_terminated_case(file):
    file.drive(S.TERMINATED)
    errors = refusal(
        record_event,
        actor=file.team.investigator,
        accused=file.accused,
        kind=K.INTERROGATION,
        started_at=file.tick(),
        ended_at=file.clock + datetime.timedelta(hours=1),
    )
    assert errors == {"__all__": [MESSAGE_WRONG_STAGE % {"stage": S.TERMINATED.label}]}


def test_each_minor_of_a_case_has_a_stage_of_their_own(file, investigator, offence_day):
    other = add_accused(
        actor=investigator,
        proceeding=file.case,
        juvenile=minor(investigator, offence_day, 15, first_name="Ерлан"),
        articles=[file.accused.charges.get().article],
    )
    file.drive(S.IN_COURT)
    other.refresh_from_db()
    assert (other.stage, other.pending) == (S.REGISTERED, "")
