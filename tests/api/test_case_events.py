"""Recording procedural steps in the API: each minor's timeline and the stage it moves to."""

import datetime
from typing import Any

import pytest
from django.utils import timezone

from qorgau.accounts.models import AgencyType, Role
from qorgau.accounts.services import set_language
from qorgau.api import cases as api_cases
from qorgau.api.api import MESSAGE_CHOICE, MESSAGE_MIN_VALUE, MESSAGE_NOT_FOUND
from qorgau.api.common import MESSAGE_UNKNOWN_AGENCY
from qorgau.proceedings.models import ParticipantRole, ProceduralEvent, Proceeding, Stage
from qorgau.proceedings.services import common as common_services
from qorgau.proceedings.services import events as event_services
from tests import factories
from tests.api import test_cases as shared
from tests.api.conftest import assert_audited, errors, send, translated
from tests.api.test_cases import (
    at,
    counts,
    in_language,
    iso,
    minor,
    open_case,
    participant,
    refer_to_court,
    step,
)

# The case fixtures of test_cases.py.
case = shared.case
accused = shared.accused
defending = shared.defending

DETENTION = {"place": "Әуезов ПБ", "performed_by": "Лейтенант Б.", "held_separately": True}


def payload(case: Proceeding, kind: str, hours: float, **fields: Any) -> dict[str, Any]:
    return {
        "kind": kind,
        "started_at": iso(case.offence_at + datetime.timedelta(hours=hours)),
        **fields,
    }


def path(case: Proceeding, accused_id: int) -> str:
    return f"/api/cases/{case.pk}/minors/{accused_id}/events"


def refused(client, url: str, body: dict[str, Any], status: int, track=None):
    before = counts()
    if track is not None:
        track.refresh_from_db()
    stage = (track.stage, track.pending) if track else None
    response = send(client, "post", url, body)
    assert response.status_code == status, response.json()
    assert counts() == before
    if track is not None:
        track.refresh_from_db()
        assert (track.stage, track.pending) == stage
    return response


@pytest.fixture
def mother(investigator, case, accused):
    return participant(
        investigator, case, "legal_representative", accused=accused, full_name="Сейітова Гүлнар"
    )


# Recording


def test_an_investigator_records_a_detention(api, investigator, case, accused, mother):
    body = payload(case, "detention", 1, **DETENTION, attendees=[mother.pk], notes="Түнде.")
    response = send(api(investigator), "post", path(case, accused.pk), body)
    assert response.status_code == 201, response.json()
    out = response.json()
    event = ProceduralEvent.objects.get(pk=out["id"])
    assert (event.kind, event.author, event.accused) == ("detention", investigator, accused)
    assert event.started_at == case.offence_at + datetime.timedelta(hours=1)
    assert (event.place, event.performed_by, event.held_separately) == (
        "Әуезов ПБ",
        "Лейтенант Б.",
        True,
    )
    assert list(event.attendees.all()) == [mother]
    assert out["kind"] == "detention"
    assert at(out["started_at"]) == event.started_at
    assert out["attendees"] == [mother.pk]
    assert out["author"] == {
        "id": investigator.pk,
        "name": investigator.get_full_name(),
        "role": "investigator",
        "agency": "Әуезов ТБ",
    }
    assert (out["notes"], out["duration_minutes"], out["method"]) == ("Түнде.", None, None)
    accused.refresh_from_db()
    assert accused.stage == Stage.INVESTIGATION
    audit = assert_audited("case.event", investigator, case.pk)
    assert audit.details == {"event_id": event.pk, "accused_id": accused.pk}
    assert audit.changes["stage"] == ["registered", "investigation"]


def test_an_interrogation_keeps_its_times_and_breaks(api, investigator, case, accused, mother):
    start = case.offence_at + datetime.timedelta(hours=5)
    body = payload(
        case,
        "interrogation",
        5,
        ended_at=iso(start + datetime.timedelta(hours=2)),
        breaks=[
            {
                "start": iso(start + datetime.timedelta(minutes=60)),
                "end": iso(start + datetime.timedelta(minutes=75)),
            }
        ],
        attendees=[mother.pk],
    )
    response = send(api(investigator), "post", path(case, accused.pk), body)
    assert response.status_code == 201, response.json()
    out = response.json()
    assert out["duration_minutes"] == 120
    assert [at(out["breaks"][0]["start"]), at(out["breaks"][0]["end"])] == [
        start + datetime.timedelta(minutes=60),
        start + datetime.timedelta(minutes=75),
    ]


def test_a_defender_records_their_own_arrival(api, defender, case, accused, defending):
    body = payload(case, "defender_arrived", 2, participant=defending.pk)
    response = send(api(defender), "post", path(case, accused.pk), body)
    assert response.status_code == 201, response.json()
    assert response.json()["participant"] == defending.pk
    assert response.json()["author"]["role"] == "defence_lawyer"
    assert_audited("case.event", defender, case.pk)


def test_the_whole_path_to_a_judgment(api, investigator, prosecutor, judge, case, accused, mother):
    investigating = api(investigator)
    url = path(case, accused.pk)

    def ok(client, body):
        response = send(client, "post", url, body)
        assert response.status_code == 201, response.json()
        return response.json()

    ok(investigating, payload(case, "detention", 1, **DETENTION))
    ok(
        investigating,
        payload(case, "representative_notified", 2, method="phone", participant=mother.pk),
    )
    measure = ok(
        investigating,
        payload(
            case, "preventive_measure", 20, measure="custody", term_days=60, court_sanctioned=True
        ),
    )
    assert (measure["measure"], measure["term_days"]) == ("custody", 60)
    ok(investigating, payload(case, "indictment", 30))
    accused.refresh_from_db()
    assert (accused.stage, accused.pending) == (Stage.INVESTIGATION, "indictment")
    prosecuting = api(prosecutor)
    ok(prosecuting, payload(case, "indictment_approved", 31, court=judge.agency_id))
    case.refresh_from_db()
    assert case.court_id == judge.agency_id
    judging = api(judge)
    out = ok(
        judging,
        payload(
            case,
            "judgment",
            40,
            verdict="conviction",
            punishment="community_works",
            term_months=6,
            conditional=True,
            probation_months=12,
        ),
    )
    assert (out["verdict"], out["punishment"], out["conditional"]) == (
        "conviction",
        "community_works",
        True,
    )
    accused.refresh_from_db()
    case.refresh_from_db()
    assert accused.stage == Stage.JUDGMENT
    assert case.judge == judge
    timeline = judging.get(f"/api/cases/{case.pk}").json()["minors"][0]["timeline"]
    assert [e["kind"] for e in timeline] == [
        "judgment",
        "indictment_approved",
        "indictment",
        "preventive_measure",
        "representative_notified",
        "detention",
    ]
    assert timeline[1]["author"]["role"] == "prosecutor"


def test_termination_by_reconciliation(api, investigator, prosecutor, case, accused):
    url = path(case, accused.pk)
    send(api(investigator), "post", url, payload(case, "detention", 1, **DETENTION))
    body = payload(case, "termination", 5, ground="reconciliation", document_number="№ 17")
    assert send(api(investigator), "post", url, body).status_code == 201
    assert (
        send(api(prosecutor), "post", url, payload(case, "termination_approved", 6)).status_code
        == 201
    )
    accused.refresh_from_db()
    assert (accused.stage, accused.pending) == (Stage.TERMINATED, "")


# Refused: roles, agencies, scope


@pytest.mark.parametrize(
    ("persona", "kind", "fields"),
    [
        ("defender", "detention", DETENTION),
        ("prosecutor", "interrogation", {"ended_at": None}),
        ("investigator", "termination_approved", {}),
        ("prosecutor", "judgment", {"verdict": "acquittal"}),
    ],
)
def test_a_step_of_another_role_is_refused(
    api,
    request,
    case,
    accused,
    defending,
    persona,
    kind,
    fields,
):
    body = payload(case, kind, 3, **fields)
    if kind == "interrogation":
        body["ended_at"] = iso(case.offence_at + datetime.timedelta(hours=4))
    client = api(request.getfixturevalue(persona))
    response = refused(client, path(case, accused.pk), body, 403, accused)
    assert errors(response) == {"__all__": [translated("kk", common_services.MESSAGE_WRONG_ROLE)]}


def test_the_role_is_refused_before_the_fields_are_read(api, defender, case, accused, defending):
    body = payload(case, "detention", -5, verdict="conviction")
    response = refused(api(defender), path(case, accused.pk), body, 403, accused)
    assert errors(response) == {"__all__": [translated("kk", common_services.MESSAGE_WRONG_ROLE)]}


def test_an_investigator_of_another_agency_on_the_case_may_not_conduct_it(
    api,
    investigator,
    case,
    accused,
):
    other_unit = factories.agency(AgencyType.INVESTIGATION_UNIT, factories.AUEZOV)
    colleague = factories.staff(Role.INVESTIGATOR, other_unit)
    participant(investigator, case, ParticipantRole.PEDAGOGUE, user=colleague)
    client = api(colleague)
    response = refused(
        client, path(case, accused.pk), payload(case, "detention", 1, **DETENTION), 403, accused
    )
    assert errors(response) == {"__all__": [translated("kk", common_services.MESSAGE_WRONG_AGENCY)]}


def test_the_outsider_gets_404(api, outsider, case, accused):
    client = api(outsider)
    response = refused(
        client, path(case, accused.pk), payload(case, "detention", 1, **DETENTION), 404, accused
    )
    assert errors(response) == {"__all__": [translated("kk", MESSAGE_NOT_FOUND)]}


def test_a_minor_of_another_case_answers_404(api, investigator, case):
    other = open_case(investigator, factories.juvenile(investigator))
    client = api(investigator)
    body = payload(case, "detention", 1, **DETENTION)
    refused(client, path(case, minor(other).pk), body, 404)


# Refused: bad input, with the service's own messages


def local(moment: datetime.datetime):
    return lambda: common_services.local(moment)


def bad_events(case, accused, mother, defending):
    """name -> (payload, field, expected message in kk)."""
    offence = case.offence_at
    start = offence + datetime.timedelta(hours=5)
    required = translated("kk", event_services.MESSAGE_REQUIRED)
    other = open_case(case.investigator, factories.juvenile(case.investigator))
    stranger = participant(case.investigator, other, "victim", full_name="Бөтен")
    return {
        "a time in the future": (
            {
                "kind": "detention",
                "started_at": iso(timezone.now() + datetime.timedelta(hours=1)),
                **DETENTION,
            },
            "started_at",
            translated("kk", common_services.MESSAGE_FUTURE),
        ),
        "a time before the offence": (
            payload(case, "detention", -1, **DETENTION),
            "started_at",
            in_language("kk", common_services.MESSAGE_BEFORE_OFFENCE, offence=local(offence)),
        ),
        "an interrogation ending before it starts": (
            payload(case, "interrogation", 5, ended_at=iso(start - datetime.timedelta(minutes=1))),
            "ended_at",
            in_language("kk", common_services.MESSAGE_END_BEFORE_START, start=local(start)),
        ),
        "an interrogation without its end": (
            payload(case, "interrogation", 5),
            "ended_at",
            required,
        ),
        "a break outside the interrogation": (
            payload(
                case,
                "interrogation",
                5,
                ended_at=iso(start + datetime.timedelta(hours=1)),
                breaks=[
                    {
                        "start": iso(start + datetime.timedelta(minutes=50)),
                        "end": iso(start + datetime.timedelta(minutes=70)),
                    }
                ],
            ),
            "breaks",
            translated("kk", event_services.MESSAGE_BREAK_OUTSIDE),
        ),
        "a detention without its place": (
            payload(case, "detention", 1, performed_by="Б.", held_separately=True),
            "place",
            required,
        ),
        "a measure not in the rule book": (
            payload(case, "preventive_measure", 2, measure="exile"),
            "measure",
            translated("kk", event_services.MESSAGE_UNKNOWN_CODE),
        ),
        "custody without its term": (
            payload(case, "preventive_measure", 2, measure="custody"),
            "term_days",
            translated("kk", event_services.MESSAGE_TERM_REQUIRED),
        ),
        "a termination ground not in the rule book": (
            payload(case, "termination", 2, ground="bribe"),
            "ground",
            translated("kk", event_services.MESSAGE_UNKNOWN_CODE),
        ),
        "a notification of the defender as representative": (
            payload(case, "representative_notified", 2, method="phone", participant=defending.pk),
            "participant",
            translated(
                "kk",
                event_services.MESSAGE_PARTICIPANT_ROLE,
                role=translated("kk", ParticipantRole.LEGAL_REPRESENTATIVE.label),
            ),
        ),
        "an unknown participant": (
            payload(case, "representative_notified", 2, method="phone", participant=999999),
            "participant",
            translated("kk", api_cases.MESSAGE_UNKNOWN_PARTICIPANT, id=999999),
        ),
        "an attendee of another case": (
            payload(case, "detention", 1, **DETENTION, attendees=[mother.pk, stranger.pk]),
            "attendees",
            translated("kk", api_cases.MESSAGE_UNKNOWN_PARTICIPANT, id=stranger.pk),
        ),
        "a field the kind does not record": (
            payload(case, "detention", 1, **DETENTION, verdict="conviction"),
            "verdict",
            translated("kk", api_cases.MESSAGE_NOT_FOR_KIND),
        ),
        "a term of no days": (
            payload(case, "preventive_measure", 2, measure="custody", term_days=0),
            "term_days",
            translated("kk", MESSAGE_MIN_VALUE, limit_value=1),
        ),
        "a time without its offset": (
            {"kind": "detention", "started_at": "2026-03-01T21:30:00", **DETENTION},
            "started_at",
            translated("kk", api_cases.MESSAGE_NO_OFFSET),
        ),
        "an unknown kind": (
            payload(case, "arrest", 1),
            "kind",
            translated("kk", MESSAGE_CHOICE),
        ),
        "a step the stage does not allow": (
            payload(case, "indictment", 1),
            "__all__",
            in_language(
                "kk", event_services.MESSAGE_WRONG_STAGE, stage=lambda: Stage.REGISTERED.label
            ),
        ),
    }


@pytest.mark.parametrize(
    "bad",
    [
        "a time in the future",
        "a time before the offence",
        "an interrogation ending before it starts",
        "an interrogation without its end",
        "a break outside the interrogation",
        "a detention without its place",
        "a measure not in the rule book",
        "custody without its term",
        "a termination ground not in the rule book",
        "a notification of the defender as representative",
        "an unknown participant",
        "an attendee of another case",
        "a field the kind does not record",
        "a term of no days",
        "a time without its offset",
        "an unknown kind",
        "a step the stage does not allow",
    ],
)
def test_a_bad_step_is_refused_naming_the_field_and_writes_nothing(
    api,
    investigator,
    case,
    accused,
    mother,
    defending,
    bad,
):
    if bad in ("a termination ground not in the rule book",):
        step(investigator, accused, "release", 1)
    body, field, message = bad_events(case, accused, mother, defending)[bad]
    client = api(investigator)
    response = refused(client, path(case, accused.pk), body, 422, accused)
    assert errors(response) == {field: [message]}


def test_the_message_is_in_the_users_language(api, investigator, case, accused):
    set_language(actor=investigator, language="ru")
    body = payload(case, "detention", -2, **DETENTION)
    response = refused(api(investigator), path(case, accused.pk), body, 422, accused)
    expected = in_language(
        "ru", common_services.MESSAGE_BEFORE_OFFENCE, offence=local(case.offence_at)
    )
    assert errors(response) == {"started_at": [expected]}


@pytest.fixture
def two_minors(investigator, prosecutor, judge, case, accused):
    """The first minor referred to the judge's court, the second still under investigation."""
    from qorgau.proceedings import services

    second = services.add_accused(
        actor=investigator,
        proceeding=case,
        juvenile=factories.juvenile(investigator),
        articles=[accused.charges.get().article],
    )
    refer_to_court(investigator, prosecutor, judge, accused)
    step(investigator, second, "release", 2)
    return accused, second


def test_a_judgment_before_referral_to_court_is_refused(api, judge, case, two_minors):
    _, second = two_minors
    body = payload(case, "judgment", 40, verdict="acquittal")
    response = refused(api(judge), path(case, second.pk), body, 422, second)
    message = in_language(
        "kk", event_services.MESSAGE_WRONG_STAGE, stage=lambda: Stage.INVESTIGATION.label
    )
    assert errors(response) == {"__all__": [message]}


def test_an_acquittal_carries_no_punishment(api, judge, case, two_minors):
    referred, _ = two_minors
    body = payload(case, "judgment", 40, verdict="acquittal", punishment="fine", fine_amount=5000)
    response = refused(api(judge), path(case, referred.pk), body, 422, referred)
    assert errors(response) == {
        "punishment": [translated("kk", event_services.MESSAGE_NO_PUNISHMENT)]
    }


def test_a_fine_needs_its_amount(api, judge, case, two_minors):
    referred, _ = two_minors
    body = payload(case, "judgment", 40, verdict="conviction", punishment="fine")
    response = refused(api(judge), path(case, referred.pk), body, 422, referred)
    assert errors(response) == {
        "fine_amount": [translated("kk", event_services.MESSAGE_FINE_REQUIRED)]
    }


def test_nothing_awaiting_approval_is_refused(api, investigator, prosecutor, case, accused):
    step(investigator, accused, "release", 1)
    body = payload(case, "termination_approved", 2)
    response = refused(api(prosecutor), path(case, accused.pk), body, 422, accused)
    assert errors(response) == {
        "__all__": [translated("kk", event_services.MESSAGE_NOTHING_TO_APPROVE)]
    }


def test_a_second_decision_while_one_awaits_approval_is_refused(api, investigator, case, accused):
    step(investigator, accused, "release", 1)
    step(investigator, accused, "termination", 2, ground="reconciliation")
    body = payload(case, "indictment", 3)
    response = refused(api(investigator), path(case, accused.pk), body, 422, accused)
    assert errors(response) == {"__all__": [translated("kk", event_services.MESSAGE_PENDING)]}


@pytest.mark.parametrize(
    ("court", "message"),
    [
        ("prosecutor_office", lambda c: translated("kk", event_services.MESSAGE_NOT_COURT)),
        (999999, lambda c: translated("kk", MESSAGE_UNKNOWN_AGENCY, id=999999)),
    ],
)
def test_a_referral_to_what_is_not_a_juvenile_court_is_refused(
    api,
    investigator,
    prosecutor,
    case,
    accused,
    court,
    message,
):
    step(investigator, accused, "release", 1)
    step(investigator, accused, "indictment", 2)
    court_id = prosecutor.agency_id if court == "prosecutor_office" else court
    body = payload(case, "indictment_approved", 3, court=court_id)
    response = refused(api(prosecutor), path(case, accused.pk), body, 422, accused)
    assert errors(response) == {"court": [message(court)]}


def test_a_defender_records_only_their_own_arrival(
    api, investigator, defender, case, accused, defending
):
    other = participant(investigator, case, "defender", accused=accused, full_name="Басқа Қорғаушы")
    body = payload(case, "defender_arrived", 2, participant=other.pk)
    response = refused(api(defender), path(case, accused.pk), body, 422, accused)
    assert errors(response) == {
        "participant": [translated("kk", event_services.MESSAGE_NOT_OWN_PRESENCE)]
    }


def test_a_step_after_termination_is_refused(api, investigator, prosecutor, case, accused):
    step(investigator, accused, "release", 1)
    step(investigator, accused, "termination", 2, ground="reconciliation")
    step(prosecutor, accused, "termination_approved", 3)
    body = payload(case, "detention", 4, **DETENTION)
    response = refused(api(investigator), path(case, accused.pk), body, 422, accused)
    message = in_language(
        "kk", event_services.MESSAGE_WRONG_STAGE, stage=lambda: Stage.TERMINATED.label
    )
    assert errors(response) == {"__all__": [message]}
