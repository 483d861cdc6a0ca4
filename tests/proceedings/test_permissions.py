"""Who may record each step and change a case: allowed for its roles, refused for every other.

Refusals are PermissionDenied with the message constants of services/common.py, and write
nothing. The matrix runs on a case in court, where every persona of the team takes part.
"""

import datetime

import pytest
from django.utils import timezone

from qorgau.accounts.access import MESSAGE_INACTIVE, MESSAGE_NOT_ALLOWED
from qorgau.accounts.models import AgencyType, Role, User
from qorgau.accounts.services import update_agency, update_staff
from qorgau.proceedings import policy
from qorgau.proceedings.models import EventKind as K
from qorgau.proceedings.models import ParticipantRole
from qorgau.proceedings.models import Stage as S
from qorgau.proceedings.services import (
    add_accused,
    add_participant,
    record_event,
    requalify_charge,
    set_prosecutor,
)
from qorgau.proceedings.services.common import (
    MESSAGE_NOT_IN_CASE,
    MESSAGE_WRONG_AGENCY,
    MESSAGE_WRONG_ROLE,
)
from qorgau.proceedings.services.events import MESSAGE_NOT_OWN_PRESENCE
from tests import factories as base
from tests.proceedings import factories
from tests.proceedings.factories import article, denial, minor, refusal

PERSONAS = [
    "investigator",
    "prosecutor",
    "defender",
    "psychologist",
    "judge",
    "analyst",
    "administrator",
    "outsider",
]
ROLE_OF = {
    "investigator": Role.INVESTIGATOR,
    "prosecutor": Role.PROSECUTOR,
    "defender": Role.DEFENCE_LAWYER,
    "psychologist": Role.SOCIAL_PSYCHOLOGIST,
    "judge": Role.JUDGE,
    "analyst": Role.ANALYST,
    "administrator": Role.ADMINISTRATOR,
    "outsider": Role.INVESTIGATOR,
}
# Taking part in a case in court: the team. The others never see it.
IN_THE_CASE = {"investigator", "prosecutor", "defender", "psychologist", "judge"}

# (step, who records it, at what stage, the decision pending first): written out by hand.
ALLOWED = [
    (K.DETENTION, "investigator", S.INVESTIGATION, None),
    (K.REPRESENTATIVE_NOTIFIED, "investigator", S.INVESTIGATION, None),
    (K.REPRESENTATIVE_NOTIFIED, "judge", S.IN_COURT, None),
    (K.DEFENDER_ASSIGNED, "investigator", S.INVESTIGATION, None),
    (K.DEFENDER_ASSIGNED, "judge", S.IN_COURT, None),
    (K.DEFENDER_ARRIVED, "defender", S.INVESTIGATION, None),
    (K.DEFENDER_ARRIVED, "defender", S.IN_COURT, None),
    (K.PSYCHOLOGIST_PRESENT, "psychologist", S.INVESTIGATION, None),
    (K.PSYCHOLOGIST_PRESENT, "psychologist", S.IN_COURT, None),
    (K.INTERROGATION, "investigator", S.INVESTIGATION, None),
    (K.PREVENTIVE_MEASURE, "investigator", S.INVESTIGATION, None),
    (K.PREVENTIVE_MEASURE, "judge", S.IN_COURT, None),
    (K.RELEASE, "investigator", S.INVESTIGATION, None),
    (K.RELEASE, "judge", S.IN_COURT, None),
    (K.RELEASE, "judge", S.JUDGMENT, None),
    (K.RELEASE, "judge", S.APPEAL, None),
    (K.TERMINATION, "investigator", S.INVESTIGATION, None),
    (K.TERMINATION_APPROVED, "prosecutor", S.INVESTIGATION, K.TERMINATION),
    (K.INDICTMENT, "investigator", S.INVESTIGATION, None),
    (K.INDICTMENT_APPROVED, "prosecutor", S.INVESTIGATION, K.INDICTMENT),
    (K.JUDGMENT, "judge", S.IN_COURT, None),
    (K.APPEAL, "defender", S.JUDGMENT, None),
    (K.APPEAL, "prosecutor", S.JUDGMENT, None),
    (K.APPEAL_DECISION, "judge", S.APPEAL, None),
    (K.JUDGMENT_IN_FORCE, "judge", S.JUDGMENT, None),
    (K.CLOSED, "judge", S.SENTENCE_EXECUTION, None),
]


def arguments(file, kind, actor, **overrides):
    started_at = file.tick()
    data = file.fields_for(kind, started_at)
    data.update(overrides)
    return {"actor": actor, "accused": file.accused, "kind": kind, "started_at": started_at, **data}


def test_the_allowed_table_covers_every_role_of_the_policy_but_probation():
    tested = {(kind, ROLE_OF[persona]) for kind, persona, _, _ in ALLOWED}
    policy_roles = {(kind, role) for kind, roles in policy.ROLES.items() for role in roles}
    # No probation service can take part in a case yet (no participant role brings one in),
    # so a probation inspector never sees a case to close: not tested here.
    assert policy_roles - tested == {(K.CLOSED, Role.PROBATION_INSPECTOR)}
    assert tested <= policy_roles


@pytest.mark.parametrize(
    ("kind", "persona", "stage", "pending"),
    ALLOWED,
    ids=[f"{kind}-{persona}-{stage}" for kind, persona, stage, _ in ALLOWED],
)
def test_each_step_is_recorded_by_its_roles(request, file, kind, persona, stage, pending):
    actor = request.getfixturevalue(persona)
    file.drive(stage)
    if pending:
        file.record(pending)
    event = record_event(**arguments(file, kind, actor))
    assert event.author == actor


REFUSED = {
    persona: [
        kind for kind in K if ROLE_OF[persona] not in policy.ROLES[kind] or persona == "outsider"
    ]
    for persona in PERSONAS
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_step_is_refused_to_every_other_persona(request, file, persona):
    # A refusal writes nothing, so one case in court serves every step of the persona.
    actor = request.getfixturevalue(persona)
    file.drive(S.IN_COURT)
    expected = MESSAGE_WRONG_ROLE if persona in IN_THE_CASE else MESSAGE_NOT_IN_CASE
    answers = {}
    for kind in REFUSED[persona]:
        try:
            answers[kind] = denial(record_event, **arguments(file, kind, actor))
        except pytest.fail.Exception:  # recorded, or refused in another way
            answers[kind] = "not refused"
    assert answers == dict.fromkeys(REFUSED[persona], expected)
    assert sum(len(kinds) for kinds in REFUSED.values()) > 100  # the table is not empty


def test_the_judge_takes_no_part_before_the_case_reaches_the_court(file, judge):
    file.drive(S.INVESTIGATION)
    assert denial(record_event, **arguments(file, K.PREVENTIVE_MEASURE, judge)) == (
        MESSAGE_NOT_IN_CASE
    )


# Agencies


def test_an_investigator_of_another_agency_cannot_see_the_case(file):
    almaly = base.agency(AgencyType.INVESTIGATION_UNIT, "751110000")
    colleague = base.staff(Role.INVESTIGATOR, almaly)
    assert denial(record_event, **arguments(file, K.DETENTION, colleague)) == MESSAGE_NOT_IN_CASE


def test_an_investigator_who_sees_the_case_through_another_agency_may_not_record(file, prosecutor):
    # The supervising prosecutor's office sees the case, but does not investigate it.
    office_investigator = base.staff(Role.INVESTIGATOR, prosecutor.agency)
    assert denial(record_event, **arguments(file, K.DETENTION, office_investigator)) == (
        MESSAGE_WRONG_AGENCY
    )


def test_any_investigator_of_the_unit_in_charge_may_record(file, investigator):
    colleague = base.staff(Role.INVESTIGATOR, investigator.agency)
    event = record_event(**arguments(file, K.DETENTION, colleague))
    assert event.author == colleague


def test_the_investigator_does_not_record_measures_once_the_case_is_in_court(file, investigator):
    file.drive(S.IN_COURT)
    for kind in (K.PREVENTIVE_MEASURE, K.RELEASE, K.DEFENDER_ASSIGNED):
        assert denial(record_event, **arguments(file, kind, investigator)) == MESSAGE_WRONG_AGENCY


def test_the_judge_does_not_record_measures_for_a_minor_still_under_investigation(
    file, judge, investigator, offence_day
):
    other = add_accused(
        actor=investigator,
        proceeding=file.case,
        juvenile=minor(investigator, offence_day, 15),
        articles=[article("188/2")],
    )
    file.drive(S.IN_COURT)  # the first minor's referral makes the judge's court the case's
    file.accused = other
    file.record(K.DETENTION)
    assert denial(record_event, **arguments(file, K.PREVENTIVE_MEASURE, judge)) == (
        MESSAGE_WRONG_AGENCY
    )


@pytest.fixture
def termination_pending(file):
    file.drive(S.INVESTIGATION)
    file.record(K.TERMINATION)
    return file


def test_a_prosecutor_of_another_office_cannot_see_the_case(termination_pending):
    elsewhere = base.staff(Role.PROSECUTOR, base.agency(AgencyType.PROSECUTOR_OFFICE, base.AUEZOV))
    message = denial(
        record_event, **arguments(termination_pending, K.TERMINATION_APPROVED, elsewhere)
    )
    assert message == MESSAGE_NOT_IN_CASE


def test_a_colleague_of_the_supervising_prosecutor_may_approve(termination_pending, prosecutor):
    colleague = base.staff(Role.PROSECUTOR, prosecutor.agency)
    event = record_event(**arguments(termination_pending, K.TERMINATION_APPROVED, colleague))
    assert event.author == colleague


def test_handing_supervision_over_moves_the_approval_to_the_new_office(
    termination_pending, investigator, prosecutor
):
    district = base.staff(Role.PROSECUTOR, base.agency(AgencyType.PROSECUTOR_OFFICE, base.AUEZOV))
    set_prosecutor(actor=investigator, proceeding=termination_pending.case, prosecutor=district)
    assert denial(
        record_event, **arguments(termination_pending, K.TERMINATION_APPROVED, prosecutor)
    ) == (MESSAGE_NOT_IN_CASE)
    event = record_event(**arguments(termination_pending, K.TERMINATION_APPROVED, district))
    assert event.author == district


def test_a_prosecutor_whose_office_registered_the_case_but_does_not_supervise_it_may_not_approve(
    team, prosecutor, offence_at, offence_day
):
    office = base.agency(AgencyType.PROSECUTOR_OFFICE, base.AUEZOV)
    office_investigator = base.staff(Role.INVESTIGATOR, office)
    office_prosecutor = base.staff(Role.PROSECUTOR, office)
    case = factories.open_case(
        team,
        minor(office_investigator, offence_day),
        offence_at=offence_at,
        investigator=office_investigator,
        prosecutor=prosecutor,
    )
    file = factories.CaseFile(team, case, case.accused.get())
    file.record(K.DETENTION, actor=office_investigator)
    file.record(K.TERMINATION, actor=office_investigator)
    assert denial(record_event, **arguments(file, K.TERMINATION_APPROVED, office_prosecutor)) == (
        MESSAGE_WRONG_AGENCY
    )
    assert record_event(**arguments(file, K.TERMINATION_APPROVED, prosecutor)).pk


def test_a_judge_of_another_court_cannot_see_the_case(file):
    file.drive(S.IN_COURT)
    other_court = base.staff(Role.JUDGE, base.agency(AgencyType.JUVENILE_COURT, base.ASTANA))
    assert denial(record_event, **arguments(file, K.JUDGMENT, other_court)) == (MESSAGE_NOT_IN_CASE)


def test_a_judge_of_the_case_court_may_deliver_the_judgment(file, judge):
    file.drive(S.IN_COURT)
    colleague = base.staff(Role.JUDGE, judge.agency)
    assert record_event(**arguments(file, K.JUDGMENT, colleague)).author == colleague


# Own presence


def test_a_defender_records_only_their_own_arrival(file, defender, investigator):
    colleague = base.staff(Role.DEFENCE_LAWYER, defender.agency)
    theirs = add_participant(
        actor=investigator,
        proceeding=file.case,
        role=ParticipantRole.DEFENDER,
        accused=file.accused,
        user=colleague,
    )
    errors = refusal(
        record_event, **arguments(file, K.DEFENDER_ARRIVED, defender, participant=theirs)
    )
    assert errors == {"participant": [MESSAGE_NOT_OWN_PRESENCE]}
    # The colleague's bar sees the case, but the colleague is not the minor's defender here.
    errors = refusal(record_event, **arguments(file, K.DEFENDER_ARRIVED, colleague))
    assert errors == {"participant": [MESSAGE_NOT_OWN_PRESENCE]}
    assert record_event(**arguments(file, K.DEFENDER_ARRIVED, colleague, participant=theirs)).pk


def test_a_psychologist_records_only_their_own_presence(file, psychologist, investigator):
    colleague = base.staff(Role.SOCIAL_PSYCHOLOGIST, psychologist.agency)
    theirs = add_participant(
        actor=investigator,
        proceeding=file.case,
        role=ParticipantRole.SOCIAL_PSYCHOLOGIST,
        accused=file.accused,
        user=colleague,
    )
    errors = refusal(
        record_event, **arguments(file, K.PSYCHOLOGIST_PRESENT, psychologist, participant=theirs)
    )
    assert errors == {"participant": [MESSAGE_NOT_OWN_PRESENCE]}


def test_a_defender_not_in_the_case_cannot_see_it(bare, defender):
    bare.defender = None
    message = denial(record_event, **arguments(bare, K.DEFENDER_ARRIVED, defender))
    assert message == MESSAGE_NOT_IN_CASE


# Accounts


def test_an_inactive_investigator_is_refused(file, investigator):
    update_staff(actor=base.superuser(), user=investigator, is_active=False)
    investigator.refresh_from_db()
    assert denial(record_event, **arguments(file, K.DETENTION, investigator)) == MESSAGE_INACTIVE


def test_staff_of_a_closed_agency_are_refused(file, investigator):
    update_agency(actor=base.superuser(), agency=investigator.agency, is_active=False)
    fresh = User.objects.select_related("agency").get(pk=investigator.pk)
    assert denial(record_event, **arguments(file, K.DETENTION, fresh)) == MESSAGE_NOT_IN_CASE


# Changing the case itself


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_an_investigator_opens_a_case(request, team, persona, offence_day):
    actor = request.getfixturevalue(persona)
    child = minor(team.investigator, offence_day)
    if ROLE_OF[persona] == Role.INVESTIGATOR:
        case = factories.open_case(team, minor(actor, offence_day), investigator=actor)
        assert (case.investigator, case.registering_agency) == (actor, actor.agency)
        return
    message = denial(factories.open_case, team=team, juvenile=child, investigator=actor)
    assert message == MESSAGE_NOT_ALLOWED


def in_court_expectation(persona, allowed_roles):
    if persona not in IN_THE_CASE:
        return MESSAGE_NOT_IN_CASE
    return None if ROLE_OF[persona] in allowed_roles else MESSAGE_WRONG_ROLE


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_an_investigator_joins_another_minor(request, file, persona, offence_day):
    actor = request.getfixturevalue(persona)
    file.drive(S.IN_COURT)
    child = minor(file.team.investigator, offence_day, 15)
    call = {"proceeding": file.case, "juvenile": child, "articles": [article("188/2")]}
    expected = in_court_expectation(persona, {Role.INVESTIGATOR})
    if expected is None:
        assert add_accused(actor=actor, **call).juvenile == child
    else:
        assert denial(add_accused, actor=actor, **call) == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_investigator_or_the_judge_adds_people(request, file, persona):
    actor = request.getfixturevalue(persona)
    file.drive(S.IN_COURT)
    call = {"proceeding": file.case, "role": ParticipantRole.VICTIM, "full_name": "Иванов Пётр"}
    expected = in_court_expectation(persona, {Role.INVESTIGATOR, Role.JUDGE})
    if expected is None:
        assert add_participant(actor=actor, **call).full_name == "Иванов Пётр"
    else:
        assert denial(add_participant, actor=actor, **call) == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_investigator_prosecutor_or_judge_requalifies(request, file, persona):
    actor = request.getfixturevalue(persona)
    file.drive(S.IN_COURT)
    call = {
        "charge": file.accused.charges.get(),
        "article": article("188/3"),
        "reason": "Ұрлық бірнеше рет жасалған.",
    }
    expected = in_court_expectation(persona, {Role.INVESTIGATOR, Role.PROSECUTOR, Role.JUDGE})
    if expected is None:
        assert requalify_charge(actor=actor, **call).charged_by == actor
    else:
        assert denial(requalify_charge, actor=actor, **call) == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_investigator_or_a_prosecutor_names_the_supervising_prosecutor(request, file, persona):
    actor = request.getfixturevalue(persona)
    file.drive(S.IN_COURT)
    successor = base.staff(Role.PROSECUTOR, file.team.prosecutor.agency)
    call = {"proceeding": file.case, "prosecutor": successor}
    expected = in_court_expectation(persona, {Role.INVESTIGATOR, Role.PROSECUTOR})
    if expected is None:
        assert set_prosecutor(actor=actor, **call).prosecutor == successor
    else:
        assert denial(set_prosecutor, actor=actor, **call) == expected


def test_times_are_checked_after_the_permissions(file, outsider):
    # A stranger learns nothing about the case from validation messages.
    late = timezone.now() + datetime.timedelta(days=1)
    assert denial(
        record_event, **arguments(file, K.DETENTION, outsider) | {"started_at": late}
    ) == (MESSAGE_NOT_IN_CASE)
