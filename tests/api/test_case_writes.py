"""Changing a case in the API: another minor, participants, the prosecutor, requalification."""

import datetime
from typing import Any

import pytest
from django.utils import timezone

from qorgau.accounts.models import Role
from qorgau.api import cases as api_cases
from qorgau.api.api import MESSAGE_CHOICE, MESSAGE_NOT_FOUND, MESSAGE_REQUIRED
from qorgau.people import services as people_services
from qorgau.proceedings import services
from qorgau.proceedings.models import Accused, Charge, Participant
from qorgau.proceedings.services import cases as case_services
from qorgau.proceedings.services import common as common_services
from tests import factories
from tests.api import test_cases as shared
from tests.api.conftest import assert_audited, errors, send, tag, translated
from tests.api.test_cases import (
    article,
    counts,
    in_language,
    minor,
    open_case,
    step,
)

# The case fixtures of test_cases.py.
case = shared.case
accused = shared.accused
defending = shared.defending

NOT_FOUND = {"__all__": [translated("kk", MESSAGE_NOT_FOUND)]}
WRONG_ROLE = {"__all__": [translated("kk", common_services.MESSAGE_WRONG_ROLE)]}


def refused(client, method: str, path: str, payload: dict[str, Any], status: int, **headers):
    """The write is refused with `status` and leaves every row as it was."""
    before = counts()
    response = send(client, method, path, payload, **headers)
    assert response.status_code == status, response.json()
    assert counts() == before
    return response


def child_of(investigator, birth_date: datetime.date | None = None):
    return factories.juvenile(investigator, birth_date=birth_date or datetime.date(2011, 1, 10))


# POST /api/cases/{id}/minors


def test_an_investigator_joins_another_minor(api, investigator, case):
    second = child_of(investigator)
    payload = {"juvenile": second.pk, "articles": [{"article": "188", "part": "2"}]}
    response = send(api(investigator), "post", f"/api/cases/{case.pk}/minors", payload)
    assert response.status_code == 201, response.json()
    body = response.json()
    joined = Accused.objects.get(proceeding=case, juvenile=second)
    assert body["id"] == joined.pk
    assert body["juvenile"]["id"] == second.pk
    assert body["stage"] == "registered"
    assert [c["article"]["citation"] for c in body["charges"]] == [str(article("188.2").citation)]
    assert body["timeline"] == []
    assert "detention" in body["actions"]
    event = assert_audited("case.accused", investigator, case.pk)
    assert event.changes["accused"] == [None, second.pk]


def minor_refusals(investigator, case, accused):
    offence_day = timezone.localdate(case.offence_at)
    grown = child_of(investigator, offence_day.replace(year=offence_day.year - 18))
    young = child_of(investigator, offence_day.replace(year=offence_day.year - 15))
    limit = case_services.rule_book().get("minor_age", "minor_age")
    return {
        "the minor already accused": (
            {"juvenile": accused.juvenile_id},
            "juvenile",
            translated("kk", case_services.MESSAGE_ALREADY_ACCUSED),
        ),
        "a person of 18 on the day of the offence": (
            {"juvenile": grown.pk},
            "juvenile",
            translated(
                "kk",
                case_services.MESSAGE_NOT_A_MINOR,
                name=str(grown),
                age=18,
                limit=18,
                citation=limit.citation,
            ),
        ),
        "a charge below the article's minimum age": (
            {"juvenile": young.pk, "articles": [{"article": "188", "part": "1"}]},
            "articles",
            in_language(
                "kk",
                case_services.MESSAGE_UNDER_AGE,
                name=str(young),
                age=15,
                article=lambda: article("188.1").citation,
                min_age=16,
            ),
        ),
        "an unknown article": (
            {"articles": [{"article": "188", "part": "9"}]},
            "articles",
            translated("kk", api_cases.MESSAGE_UNKNOWN_ARTICLE, article="188", part="9"),
        ),
        "no article": (
            {"articles": []},
            "articles",
            translated("kk", case_services.MESSAGE_NO_ARTICLE),
        ),
        "an unknown juvenile": (
            {"juvenile": 999999},
            "juvenile",
            translated("kk", api_cases.MESSAGE_UNKNOWN_JUVENILE, id=999999),
        ),
        "no juvenile": ({"juvenile": None}, "juvenile", translated("kk", MESSAGE_REQUIRED)),
    }


MINOR_REFUSALS = [
    "the minor already accused",
    "a person of 18 on the day of the offence",
    "a charge below the article's minimum age",
    "an unknown article",
    "no article",
    "an unknown juvenile",
    "no juvenile",
]


@pytest.mark.parametrize("bad", MINOR_REFUSALS)
def test_a_bad_minor_is_refused_naming_the_field(api, investigator, case, accused, bad):
    change, field, message = minor_refusals(investigator, case, accused)[bad]
    payload = {"juvenile": child_of(investigator).pk, "articles": [{"article": "188", "part": "2"}]}
    payload.update(change)
    if payload["juvenile"] is None:
        del payload["juvenile"]
    client = api(investigator)
    response = refused(client, "post", f"/api/cases/{case.pk}/minors", payload, 422)
    assert errors(response) == {field: [message]}


def test_only_an_investigator_joins_a_minor(api, investigator, prosecutor, case):
    payload = {"juvenile": child_of(investigator).pk, "articles": [{"article": "188", "part": "2"}]}
    response = refused(api(prosecutor), "post", f"/api/cases/{case.pk}/minors", payload, 403)
    assert errors(response) == WRONG_ROLE


def test_the_outsider_cannot_join_a_minor(api, investigator, outsider, case):
    payload = {"juvenile": child_of(outsider).pk, "articles": [{"article": "188", "part": "2"}]}
    response = refused(api(outsider), "post", f"/api/cases/{case.pk}/minors", payload, 404)
    assert errors(response) == NOT_FOUND


# POST /api/cases/{id}/participants


def test_an_investigator_adds_the_defender_whose_bar_then_sees_the_case(
    api,
    investigator,
    defender,
    case,
    accused,
):
    assert api(defender).get(f"/api/cases/{case.pk}").status_code == 404
    payload = {"role": "defender", "accused": accused.pk, "user": defender.pk, "state_paid": True}
    response = send(api(investigator), "post", f"/api/cases/{case.pk}/participants", payload)
    assert response.status_code == 201, response.json()
    body = response.json()
    added = Participant.objects.get(pk=body["id"])
    assert (added.user, added.accused, added.state_paid) == (defender, accused, True)
    assert body["full_name"] == defender.get_full_name()
    assert (body["role"], body["user"], body["accused"], body["tried_in"]) == (
        "defender",
        defender.pk,
        accused.pk,
        None,
    )
    event = assert_audited("case.participant", investigator, case.pk)
    assert event.details == {"participant_id": added.pk, "role": "defender"}
    assert api(defender).get(f"/api/cases/{case.pk}").status_code == 200


def test_a_legal_representative_is_taken_from_the_childs_record(
    api,
    investigator,
    case,
    accused,
    juvenile,
):
    mother = people_services.add_relative(
        actor=investigator,
        juvenile=juvenile,
        last_name="Сейітова",
        first_name="Гүлнар",
        relation="mother",
        is_legal_representative=True,
        phone="+7 701 111 22 33",
    )
    payload = {"role": "legal_representative", "relative": mother.pk}
    response = send(api(investigator), "post", f"/api/cases/{case.pk}/participants", payload)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["accused"] == accused.pk  # the minor whose record names the representative
    assert (body["relative"], body["full_name"], body["phone"]) == (
        mother.pk,
        "Сейітова Гүлнар",
        "+7 701 111 22 33",
    )


def test_with_one_minor_a_pedagogue_stands_for_that_minor(api, investigator, case, accused):
    payload = {"role": "pedagogue", "full_name": "Оқытушы А."}
    response = send(api(investigator), "post", f"/api/cases/{case.pk}/participants", payload)
    assert response.status_code == 201
    assert response.json()["accused"] == accused.pk


def test_with_two_minors_a_pedagogue_may_stand_for_both(api, investigator, case, accused):
    services.add_accused(
        actor=investigator,
        proceeding=case,
        juvenile=child_of(investigator),
        articles=[article("188.2")],
    )
    payload = {"role": "pedagogue", "full_name": "Оқытушы А."}
    response = send(api(investigator), "post", f"/api/cases/{case.pk}/participants", payload)
    assert response.json()["accused"] is None


def test_an_adult_co_participant_is_recorded_with_where_they_are_tried(api, investigator, case):
    payload = {
        "role": "adult_coparticipant",
        "full_name": "Ахметов Б.",
        "tried_in": "general_court",
    }
    response = send(api(investigator), "post", f"/api/cases/{case.pk}/participants", payload)
    assert response.status_code == 201
    assert response.json()["tried_in"] == "general_court"


def participant_refusals(investigator, prosecutor, case, accused):
    other_child = child_of(investigator)
    stranger = people_services.add_relative(
        actor=investigator,
        juvenile=other_child,
        last_name="Бөтен",
        first_name="Адам",
        relation="father",
        is_legal_representative=True,
    )
    uncle = people_services.add_relative(
        actor=investigator,
        juvenile=accused.juvenile,
        last_name="Сейітов",
        first_name="Ағай",
        relation="grandparent",
    )
    other_case = open_case(investigator, other_child)
    return {
        "a defender who is not a lawyer": (
            {"role": "defender", "user": prosecutor.pk},
            "user",
            translated(
                "kk",
                case_services.MESSAGE_STAFF_ROLE,
                role=translated("kk", Role.DEFENCE_LAWYER.label),
            ),
        ),
        "nobody named": (
            {"role": "victim"},
            "full_name",
            translated("kk", case_services.MESSAGE_NAME_REQUIRED),
        ),
        "a relative of another child": (
            {"role": "legal_representative", "accused": accused.pk, "relative": stranger.pk},
            "relative",
            translated("kk", case_services.MESSAGE_WRONG_MINOR),
        ),
        "a relative of a child not in the case": (
            {"role": "legal_representative", "relative": stranger.pk},
            "relative",
            translated("kk", case_services.MESSAGE_WRONG_MINOR),
        ),
        "a relative who is not a legal representative": (
            {"role": "legal_representative", "relative": uncle.pk},
            "relative",
            translated("kk", api_cases.MESSAGE_NOT_REPRESENTATIVE),
        ),
        "a legal representative without the family member": (
            {"role": "legal_representative"},
            "relative",
            translated("kk", api_cases.MESSAGE_REQUIRED),
        ),
        "a defender without the staff member": (
            {"role": "defender", "accused": accused.pk},
            "user",
            translated("kk", api_cases.MESSAGE_REQUIRED),
        ),
        "a field of another role": (
            {"role": "victim", "full_name": "X", "tried_in": "general_court"},
            "tried_in",
            translated("kk", api_cases.MESSAGE_NOT_FOR_ROLE),
        ),
        "a minor of another case": (
            {"role": "pedagogue", "full_name": "X", "accused": minor(other_case).pk},
            "accused",
            translated("kk", api_cases.MESSAGE_UNKNOWN_ACCUSED, id=minor(other_case).pk),
        ),
        "an unknown staff member": (
            {"role": "defender", "user": 999999},
            "user",
            translated("kk", api_cases.MESSAGE_UNKNOWN_STAFF, id=999999),
        ),
        "an unknown relative": (
            {"role": "legal_representative", "accused": accused.pk, "relative": 999999},
            "relative",
            translated("kk", api_cases.MESSAGE_UNKNOWN_RELATIVE, id=999999),
        ),
        "an unknown role": (
            {"role": "uncle", "full_name": "X"},
            "role",
            translated("kk", MESSAGE_CHOICE),
        ),
    }


PARTICIPANT_REFUSALS = [
    "a defender who is not a lawyer",
    "nobody named",
    "a relative of another child",
    "a relative of a child not in the case",
    "a relative who is not a legal representative",
    "a legal representative without the family member",
    "a defender without the staff member",
    "a field of another role",
    "a minor of another case",
    "an unknown staff member",
    "an unknown relative",
    "an unknown role",
]


@pytest.mark.parametrize("bad", PARTICIPANT_REFUSALS)
def test_a_bad_participant_is_refused_naming_the_field(
    api,
    investigator,
    prosecutor,
    case,
    accused,
    bad,
):
    payload, field, message = participant_refusals(investigator, prosecutor, case, accused)[bad]
    client = api(investigator)
    response = refused(client, "post", f"/api/cases/{case.pk}/participants", payload, 422)
    assert errors(response) == {field: [message]}


def test_a_prosecutor_does_not_add_participants(api, prosecutor, case):
    payload = {"role": "victim", "full_name": "Жәбірленуші"}
    response = refused(api(prosecutor), "post", f"/api/cases/{case.pk}/participants", payload, 403)
    assert errors(response) == WRONG_ROLE


def test_the_outsider_cannot_add_participants(api, outsider, case):
    payload = {"role": "victim", "full_name": "Жәбірленуші"}
    response = refused(api(outsider), "post", f"/api/cases/{case.pk}/participants", payload, 404)
    assert errors(response) == NOT_FOUND


# PUT /api/cases/{id}/prosecutor


@pytest.fixture
def second_prosecutor(prosecutor):
    return factories.staff(Role.PROSECUTOR, prosecutor.agency, username="prosecutor2")


@pytest.mark.parametrize("actor", ["investigator", "prosecutor"])
def test_the_prosecutor_is_named(api, request, case, second_prosecutor, actor):
    user = request.getfixturevalue(actor)
    payload = {"prosecutor": second_prosecutor.pk}
    response = send(
        api(user), "put", f"/api/cases/{case.pk}/prosecutor", payload, if_match=tag(case)
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["prosecutor"] == {
        "id": second_prosecutor.pk,
        "name": second_prosecutor.get_full_name(),
    }
    assert "minors" not in body
    case.refresh_from_db()
    assert case.prosecutor == second_prosecutor
    event = assert_audited("case.update", user, case.pk)
    assert event.changes["prosecutor"][1] == second_prosecutor.pk


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("investigator", lambda u: translated("kk", case_services.MESSAGE_NOT_PROSECUTOR)),
        (999999, lambda u: translated("kk", api_cases.MESSAGE_UNKNOWN_STAFF, id=999999)),
        (None, lambda u: translated("kk", MESSAGE_REQUIRED)),
    ],
)
def test_a_prosecutor_who_is_not_one_is_refused(api, investigator, case, value, message):
    payload = (
        {}
        if value is None
        else {"prosecutor": investigator.pk if value == "investigator" else value}
    )
    response = refused(
        api(investigator),
        "put",
        f"/api/cases/{case.pk}/prosecutor",
        payload,
        422,
        if_match=tag(case),
    )
    assert errors(response) == {"prosecutor": [message(investigator)]}
    case.refresh_from_db()
    assert case.prosecutor.username == "prosecutor"


def test_a_defender_does_not_name_the_prosecutor(api, defender, prosecutor, case, defending):
    payload = {"prosecutor": prosecutor.pk}
    response = refused(api(defender), "put", f"/api/cases/{case.pk}/prosecutor", payload, 403)
    assert errors(response) == WRONG_ROLE


def test_the_outsider_cannot_name_the_prosecutor(api, outsider, prosecutor, case):
    payload = {"prosecutor": prosecutor.pk}
    response = refused(api(outsider), "put", f"/api/cases/{case.pk}/prosecutor", payload, 404)
    assert errors(response) == NOT_FOUND


# POST /api/charges/{id}/requalify


@pytest.fixture
def charge(accused) -> Charge:
    return accused.charges.get()


@pytest.mark.parametrize("actor", ["investigator", "prosecutor"])
def test_a_charge_is_requalified_keeping_its_history(api, request, charge, actor):
    user = request.getfixturevalue(actor)
    payload = {"article": {"article": "188", "part": "3"}, "reason": " Топпен жасалған. "}
    response = send(api(user), "post", f"/api/charges/{charge.pk}/requalify", payload)
    assert response.status_code == 201, response.json()
    body = response.json()
    new = Charge.objects.get(pk=body["id"])
    assert (new.article, new.requalified_from, new.reason) == (
        article("188.3"),
        charge,
        "Топпен жасалған.",
    )
    assert body["requalified_from"]["id"] == charge.pk
    assert body["requalified_from"]["article"]["part"] == "2"
    assert body["charged_by"]["id"] == user.pk
    charge.refresh_from_db()
    assert charge.ended_at is not None
    event = assert_audited("case.requalify", user, charge.accused.proceeding_id)
    assert event.details["reason"] == "Топпен жасалған."


def test_a_judge_requalifies_in_court(api, investigator, prosecutor, judge, accused, charge):
    from tests.api.test_cases import refer_to_court

    refer_to_court(investigator, prosecutor, judge, accused)
    payload = {"article": {"article": "188", "part": "1"}, "reason": "Сот қайта саралады."}
    response = send(api(judge), "post", f"/api/charges/{charge.pk}/requalify", payload)
    assert response.status_code == 201


def requalify_refusals(investigator, prosecutor, case, accused, charge):
    offence_day = timezone.localdate(case.offence_at)
    young = child_of(investigator, offence_day.replace(year=offence_day.year - 15))
    young_track = services.add_accused(
        actor=investigator, proceeding=case, juvenile=young, articles=[article("188.2")]
    )
    done = open_case(investigator, child_of(investigator), prosecutor=prosecutor)
    done_minor = minor(done)
    step(investigator, done_minor, "release", 1)
    step(investigator, done_minor, "termination", 2, ground="reconciliation")
    step(prosecutor, done_minor, "termination_approved", 3)
    replaced = services.requalify_charge(
        actor=investigator, charge=charge, article=article("188.3"), reason="Бірінші."
    )
    return {
        "the same article part": (
            replaced,
            {"article": {"article": "188", "part": "3"}},
            "article",
            translated("kk", case_services.MESSAGE_SAME_ARTICLE),
        ),
        "no reason": (
            replaced,
            {"reason": "   "},
            "reason",
            translated("kk", case_services.MESSAGE_REASON_REQUIRED),
        ),
        "an unknown article": (
            replaced,
            {"article": {"article": "1880", "part": "1"}},
            "article",
            translated("kk", api_cases.MESSAGE_UNKNOWN_ARTICLE, article="1880", part="1"),
        ),
        "an article part without its part": (
            replaced,
            {"article": {"article": "188"}},
            "article.part",
            translated("kk", MESSAGE_REQUIRED),
        ),
        "a new article above the minor's age": (
            young_track.charges.get(),
            {"article": {"article": "188", "part": "1"}},
            "article",
            in_language(
                "kk",
                case_services.MESSAGE_UNDER_AGE,
                name=str(young),
                age=15,
                article=lambda: article("188.1").citation,
                min_age=16,
            ),
        ),
        "a charge already requalified": (
            charge,
            {},
            "charge",
            translated("kk", case_services.MESSAGE_CHARGE_ENDED),
        ),
        "a minor whose case is finished": (
            done_minor.charges.get(),
            {},
            "__all__",
            translated("kk", case_services.MESSAGE_CLOSED_TRACK),
        ),
    }


REQUALIFY_REFUSALS = [
    "the same article part",
    "no reason",
    "an unknown article",
    "an article part without its part",
    "a new article above the minor's age",
    "a charge already requalified",
    "a minor whose case is finished",
]


@pytest.mark.parametrize("bad", REQUALIFY_REFUSALS)
def test_a_bad_requalification_is_refused_naming_the_field(
    api,
    investigator,
    prosecutor,
    case,
    accused,
    charge,
    bad,
):
    target, change, field, message = requalify_refusals(
        investigator, prosecutor, case, accused, charge
    )[bad]
    payload = {"article": {"article": "191", "part": "2"}, "reason": "Себебі."}
    payload.update(change)
    client = api(investigator)
    response = refused(client, "post", f"/api/charges/{target.pk}/requalify", payload, 422)
    assert errors(response) == {field: [message]}


def test_a_defender_does_not_requalify(api, defender, charge, defending):
    payload = {"article": {"article": "188", "part": "3"}, "reason": "Себебі."}
    response = refused(api(defender), "post", f"/api/charges/{charge.pk}/requalify", payload, 403)
    assert errors(response) == WRONG_ROLE


def test_the_outsider_cannot_requalify(api, outsider, charge):
    payload = {"article": {"article": "188", "part": "3"}, "reason": "Себебі."}
    response = refused(api(outsider), "post", f"/api/charges/{charge.pk}/requalify", payload, 404)
    assert errors(response) == NOT_FOUND


def test_an_unknown_charge_answers_404(api, investigator):
    payload = {"article": {"article": "188", "part": "3"}, "reason": "Себебі."}
    response = send(api(investigator), "post", "/api/charges/999999/requalify", payload)
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("method", "path", "payload"),
    [
        ("post", "/api/cases/999999/minors", {"juvenile": 1, "articles": []}),
        ("post", "/api/cases/999999/participants", {"role": "victim", "full_name": "X"}),
        ("put", "/api/cases/999999/prosecutor", {"prosecutor": 1}),
    ],
)
def test_writes_to_an_unknown_case_answer_404(api, investigator, method, path, payload):
    response = refused(api(investigator), method, path, payload, 404)
    assert errors(response) == NOT_FOUND
