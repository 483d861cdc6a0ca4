"""Safeguards in the API: the rule book, the violations the record shows, the prosecutor's answers.

Violations are never made by hand here: each comes from a step recorded through
qorgau.proceedings.services.record_event, which evaluates the rules in its transaction.
"""

import datetime
from typing import Any

import pytest
from django.utils import timezone, translation

from qorgau.accounts.access import MESSAGE_NOT_ALLOWED
from qorgau.accounts.models import AgencyType, Role, Training, User
from qorgau.accounts.services import set_language
from qorgau.api import safeguards as api_safeguards
from qorgau.api.api import (
    MESSAGE_CHOICE,
    MESSAGE_DATE,
    MESSAGE_EXTRA,
    MESSAGE_NOT_FOUND,
    MESSAGE_REQUIRED,
    MESSAGE_UNAUTHENTICATED,
)
from qorgau.api.common import MESSAGE_NO_PAGE, MESSAGE_UNKNOWN_AGENCY, MESSAGE_UNKNOWN_TERRITORY
from qorgau.api.safeguard_schemas import StatusFilter
from qorgau.audit.models import AuditEvent
from qorgau.proceedings import services
from qorgau.proceedings.models import Accused, Participant, ProceduralEvent, Proceeding
from qorgau.safeguards import services as safeguard_services
from qorgau.safeguards.models import Status as ViolationStatus
from qorgau.safeguards.models import Violation
from qorgau.safeguards.rulebook import safeguard_book
from tests import factories
from tests.api import test_cases as shared
from tests.api.conftest import assert_audited, errors, send, translated
from tests.api.test_cases import article, at, minor, ms, open_case, participant, step

# The case fixtures of test_cases.py: the investigator's case, the prosecutor supervising it.
case = shared.case
accused = shared.accused
defending = shared.defending

NOT_FOUND = {"__all__": [translated("kk", MESSAGE_NOT_FOUND)]}
NOT_ALLOWED = {"__all__": [translated("kk", MESSAGE_NOT_ALLOWED)]}
ACTIONS = {
    "acknowledge": {},
    "remedy": {"note": "Қорғаушы шақырылды."},
    "dispute": {"reason": "Қорғаушы болған, хаттамаға енгізілмеген."},
    "act": {"act_type": "representation", "act_number": "2-15-26", "act_date": "2026-01-05"},
}


# Violations made by recording steps


def train(*users: User) -> None:
    """Juvenile-justice specialization, so `specialized_officials` stays quiet."""
    for user in users:
        Training.objects.create(
            user=user, course="Ювеналдық әділет", completed_on=datetime.date(2024, 5, 1), hours=72
        )


def representative(investigator: User, accused: Accused) -> Participant:
    """The minor's legal representative (added once)."""
    case = accused.proceeding
    existing = case.participants.filter(accused=accused, role="legal_representative").first()
    return existing or participant(
        investigator, case, "legal_representative", accused=accused, full_name="Сейітова Гүлнар"
    )


def unheard(investigator: User, accused: Accused, hours: float = 3) -> ProceduralEvent:
    """An interrogation in the daytime with the legal representative but without a defender:
    `defender_at_interrogation` only."""
    start = accused.proceeding.offence_at + datetime.timedelta(hours=hours)
    return step(
        investigator,
        accused,
        "interrogation",
        hours,
        ended_at=start + datetime.timedelta(minutes=50),
        place="Кабинет 12",
        attendees=[representative(investigator, accused)],
    )


def with_adults(investigator: User, accused: Accused, hours: float = 1) -> ProceduralEvent:
    """A detention in a cell with adults: `held_with_adults`."""
    return step(
        investigator,
        accused,
        "detention",
        hours,
        place="Әуезов ПБ",
        performed_by="Полиция лейтенанты Б.",
        held_separately=False,
    )


def found(rule: str, event: ProceduralEvent) -> Violation:
    return Violation.objects.get(rule_id=rule, events=event)


@pytest.fixture
def trained(investigator, prosecutor) -> None:
    train(investigator, prosecutor)


@pytest.fixture
def violation(trained, investigator, accused) -> Violation:
    return found("defender_at_interrogation", unheard(investigator, accused))


@pytest.fixture
def far_prosecutor(db) -> User:
    """A prosecutor in Astana: Almaty's cases are not his."""
    office = factories.agency(AgencyType.PROSECUTOR_OFFICE, factories.ASTANA)
    return factories.staff(Role.PROSECUTOR, office, username="far_prosecutor")


def in_language(language: str, violation: Violation, name: str) -> str:
    with translation.override(language):
        return str(getattr(violation, name))


def state() -> tuple[Any, ...]:
    """Rows that a refused answer must leave as they were (its `access.refused` row aside)."""
    rows = Violation.objects.order_by("pk").values_list(
        "pk", "status", "status_changed_at", "status_changed_by", "note", "act_type", "act_number"
    )
    return AuditEvent.objects.exclude(action="access.refused").count(), tuple(rows)


def refused(client, path: str, payload: Any, status: int):
    before = state()
    response = send(client, "post", path, payload)
    assert response.status_code == status, response.json()
    assert state() == before
    return response


# GET /api/safeguards/rules


@pytest.mark.parametrize("persona", ["administrator", "analyst", "prosecutor", "investigator"])
def test_every_signed_in_user_reads_the_safeguard_rules(api, request, persona):
    response = api(request.getfixturevalue(persona)).get("/api/safeguards/rules")
    assert response.status_code == 200
    body = response.json()
    book = safeguard_book()
    assert body["profile"] == book.profile == "kz"
    assert [rule["id"] for rule in body["rules"]] == [rule.id for rule in book.rules]


def test_each_rule_shows_its_source_values_and_texts(api, administrator):
    rules = {r["id"]: r for r in api(administrator).get("/api/safeguards/rules").json()["rules"]}
    book = safeguard_book()
    for rule in book.rules:
        out = rules[rule.id]
        assert out["check"] == rule.check
        assert out["severity"] == rule.severity
        assert out["thresholds"] == rule.thresholds
        assert (out["citation"], out["standard"]) == (rule.citation, rule.standard)
        assert (out["confirmed"], out["policy"]) == (rule.confirmed, rule.policy)
        assert out["valid_from"] == rule.valid_from.isoformat()
        assert out["valid_to"] == (rule.valid_to.isoformat() if rule.valid_to else None)
        assert out["title"] == rule.title
        assert out["message"] == rule.message
        assert out["label"] == rule.title["kk"]
    detention = rules["detention_time_limit"]
    assert detention["thresholds"] == {"hours": 24, "hours_especially_grave": 72}
    # In the request's language (kk by default), and in each language beside it.
    assert detention["citation"] == "ҚР ҚПК 131-бабының 4-бөлігі, 14-бабының 2-бөлігі"
    assert detention["citations"] == {
        "kk": "ҚР ҚПК 131-бабының 4-бөлігі, 14-бабының 2-бөлігі",
        "ru": "ч. 4 ст. 131, ч. 2 ст. 14 УПК РК",
        "en": "CPC RK art. 131 part 4, art. 14 part 2",
    }
    assert rules["custody_gravity"]["thresholds"] == {"allowed": ["grave", "especially_grave"]}
    assert rules["held_with_adults"]["standard"] == "CRC art. 37(c); Beijing Rules 13.4"
    assert rules["representative_notified"]["policy"] is True
    assert rules["specialized_officials"]["confirmed"] is False
    assert set(rules["defender_at_interrogation"]["message"]) == {"kk", "ru", "en"}


def test_the_rule_labels_follow_the_users_language(api, prosecutor):
    set_language(actor=prosecutor, language="ru")
    rules = api(prosecutor).get("/api/safeguards/rules").json()["rules"]
    assert rules[0]["label"] == safeguard_book().rules[0].title["ru"]


# GET /api/violations


def test_it_lists_the_violations_of_the_cases_the_user_sees(
    api, investigator, prosecutor, trained, case, accused, juvenile
):
    detention = with_adults(investigator, accused, 1)
    interrogation = unheard(investigator, accused, 2)
    adults = found("held_with_adults", detention)
    unaided = found("defender_at_interrogation", interrogation)
    response = api(prosecutor).get("/api/violations")
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["page"], body["pages"]) == (2, 1, 1)
    # Newest found first.
    assert [row["id"] for row in body["results"]] == [unaided.pk, adults.pk]
    row = body["results"][0]
    assert row == {
        "id": unaided.pk,
        "rule": "defender_at_interrogation",
        "title": in_language("kk", unaided, "title"),
        "severity": "high",
        "status": "open",
        "case": {"id": case.pk, "number": case.number},
        "minor": {"id": accused.pk, "juvenile": juvenile.pk, "name": "Сейітов Нұрлан Қайратұлы"},
        "responsible": {"id": investigator.pk, "name": investigator.get_full_name()},
        "responsible_agency": {"id": investigator.agency_id, "name": "Әуезов ТБ"},
        "detected_at": row["detected_at"],
        "description": in_language("kk", unaided, "description"),
        "events": [interrogation.pk],
        "act_type": None,
        "act_number": "",
        "act_date": None,
    }
    assert at(row["detected_at"]) == ms(unaided.detected_at)
    assert "жауап" in row["description"]
    assert body["results"][1]["rule"] == "held_with_adults"
    assert body["results"][1]["events"] == [detention.pk]


def test_the_description_is_in_the_users_language(api, prosecutor, violation):
    set_language(actor=prosecutor, language="ru")
    [row] = api(prosecutor).get("/api/violations").json()["results"]
    assert row["description"] == in_language("ru", violation, "description")
    assert row["description"].startswith("Допрос несовершеннолетнего")
    assert row["title"] == "Участие защитника в допросе"


def test_everyone_on_the_case_sees_its_violations_and_the_outsider_does_not(
    api, investigator, prosecutor, defender, outsider, far_prosecutor, violation, defending
):
    for user in (investigator, prosecutor, defender):
        assert api(user).get("/api/violations").json()["count"] == 1
    for user in (outsider, far_prosecutor):
        assert api(user).get("/api/violations").json() == {
            "count": 0,
            "more": False,
            "page": 1,
            "pages": 1,
            "results": [],
        }


def test_it_filters_the_list(api, investigator, prosecutor, trained, case, accused):
    adults = found("held_with_adults", with_adults(investigator, accused, 1))
    unaided = found("defender_at_interrogation", unheard(investigator, accused, 2))
    other_case = open_case(investigator, factories.juvenile(investigator), prosecutor=prosecutor)
    elsewhere = found("defender_at_interrogation", unheard(investigator, minor(other_case), 2))
    safeguard_services.acknowledge(actor=prosecutor, violation=adults)
    today = timezone.localdate()
    client = api(prosecutor)

    def ids(**query: Any) -> list[int]:
        response = client.get("/api/violations", query)
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["results"]]

    assert ids() == [elsewhere.pk, unaided.pk, adults.pk]
    assert ids(status="acknowledged") == [adults.pk]
    assert ids(status="open") == [elsewhere.pk, unaided.pk]
    assert ids(status="remedied") == []
    assert ids(status="unresolved") == [elsewhere.pk, unaided.pk, adults.pk]
    assert ids(rule="held_with_adults") == [adults.pk]
    assert ids(rule="defender_at_interrogation") == [elsewhere.pk, unaided.pk]
    assert ids(severity="high") == [elsewhere.pk, unaided.pk, adults.pk]
    assert ids(severity="low") == []
    assert ids(case=case.pk) == [unaided.pk, adults.pk]
    assert ids(case=other_case.pk) == [elsewhere.pk]
    assert ids(region=factories.ALMATY_CITY) == [elsewhere.pk, unaided.pk, adults.pk]
    assert ids(region=factories.AUEZOV) == [elsewhere.pk, unaided.pk, adults.pk]
    assert ids(region=factories.ASTANA) == []
    assert ids(agency=investigator.agency_id) == [elsewhere.pk, unaided.pk, adults.pk]
    assert ids(agency=prosecutor.agency_id) == []
    assert ids(responsible=investigator.pk) == [elsewhere.pk, unaided.pk, adults.pk]
    assert ids(responsible=prosecutor.pk) == []
    assert ids(detected_from=today.isoformat(), detected_to=today.isoformat()) == [
        elsewhere.pk,
        unaided.pk,
        adults.pk,
    ]
    assert ids(detected_from=(today + datetime.timedelta(days=1)).isoformat()) == []
    assert ids(detected_to=(today - datetime.timedelta(days=1)).isoformat()) == []
    assert ids(status="open", case=case.pk, rule="defender_at_interrogation") == [unaided.pk]


def test_the_dates_are_days_on_kazakhstans_clocks(api, prosecutor, violation):
    # 00:10 on 2 March in Almaty is still 1 March in UTC.
    almaty = timezone.get_default_timezone()
    moment = datetime.datetime(2026, 3, 2, 0, 10, tzinfo=almaty)
    Violation.objects.filter(pk=violation.pk).update(detected_at=moment)
    client = api(prosecutor)

    def count(**query: str) -> int:
        return client.get("/api/violations", query).json()["count"]

    assert count(detected_from="2026-03-02", detected_to="2026-03-02") == 1
    assert count(detected_to="2026-03-01") == 0
    assert count(detected_from="2026-03-03") == 0
    moment = datetime.datetime(2026, 3, 1, 23, 59, tzinfo=almaty)
    Violation.objects.filter(pk=violation.pk).update(detected_at=moment)
    assert count(detected_to="2026-03-01") == 1
    assert count(detected_from="2026-03-02") == 0


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"rule": "no_such_rule"}, "rule", lambda: translated("kk", MESSAGE_CHOICE)),
        ({"status": "closed"}, "status", lambda: translated("kk", MESSAGE_CHOICE)),
        ({"severity": "grave"}, "severity", lambda: translated("kk", MESSAGE_CHOICE)),
        (
            {"region": "999"},
            "region",
            lambda: translated("kk", MESSAGE_UNKNOWN_TERRITORY, code="999"),
        ),
        (
            {"agency": 999999},
            "agency",
            lambda: translated("kk", MESSAGE_UNKNOWN_AGENCY, id=999999),
        ),
        ({"case": "one"}, "case", None),
        ({"responsible": "me"}, "responsible", None),
        ({"detected_from": "1 March"}, "detected_from", None),
        ({"page": 2}, "page", lambda: translated("kk", MESSAGE_NO_PAGE, page=2, pages=1)),
    ],
)
def test_a_bad_filter_is_refused_naming_it(api, prosecutor, violation, query, field, message):
    response = api(prosecutor).get("/api/violations", query)
    assert response.status_code == 422
    assert list(errors(response)) == [field]
    if message:
        assert errors(response)[field] == [message()]


def test_the_status_filter_takes_every_status_and_unresolved():
    assert {choice.value for choice in StatusFilter} == {*ViolationStatus.values, "unresolved"}


def test_the_rule_filter_refusal_is_translated(api, prosecutor, violation):
    set_language(actor=prosecutor, language="ru")
    response = api(prosecutor).get("/api/violations", {"rule": "no_such_rule"})
    assert errors(response) == {"rule": [translated("ru", api_safeguards.MESSAGE_CHOICE)]}


def test_it_pages_by_25(api, investigator, prosecutor, trained, accused):
    for hours in range(26):
        unheard(investigator, accused, 2 + hours * 5)
    client = api(prosecutor)
    first = client.get("/api/violations", {"rule": "defender_at_interrogation"}).json()
    assert (first["count"], first["pages"], len(first["results"])) == (26, 2, 25)
    second = client.get("/api/violations", {"rule": "defender_at_interrogation", "page": 2})
    assert len(second.json()["results"]) == 1


@pytest.mark.parametrize("persona", ["administrator", "analyst"])
def test_roles_that_do_not_read_cases_do_not_read_violations(api, request, violation, persona):
    client = api(request.getfixturevalue(persona))
    for path in ("/api/violations", f"/api/violations/{violation.pk}"):
        response = client.get(path)
        assert response.status_code == 403
        assert errors(response) == NOT_ALLOWED


def test_the_list_takes_the_same_queries_for_3_and_15_violations(
    api, investigator, prosecutor, trained, django_assert_max_num_queries
):
    def add_violations(n: int) -> None:
        # Each in its own case, for its own minor, some answered with an act.
        for i in range(n):
            case = open_case(investigator, factories.juvenile(investigator), prosecutor=prosecutor)
            event = unheard(investigator, minor(case))
            if i % 2:
                safeguard_services.issue_act(
                    actor=prosecutor,
                    violation=found("defender_at_interrogation", event),
                    act_type="protest",
                    act_number=f"P-{i}",
                    act_date=timezone.localdate(),
                )

    add_violations(3)
    client = api(prosecutor)
    with django_assert_max_num_queries(10) as few:
        assert client.get("/api/violations").json()["count"] == 3
    add_violations(12)
    with django_assert_max_num_queries(10) as many:
        body = client.get("/api/violations").json()
    assert body["count"] == 15
    assert all(len(row["events"]) == 1 for row in body["results"])
    assert {row["act_type"] for row in body["results"]} == {"protest", None}
    assert len(many) == len(few)


# GET /api/violations/{id}


def test_it_reads_a_violation_with_its_legal_basis(
    api, investigator, prosecutor, violation, case, accused
):
    response = api(investigator).get(f"/api/violations/{violation.pk}")
    assert response.status_code == 200
    body = response.json()
    rule = safeguard_book().get("defender_at_interrogation")
    assert rule is not None
    assert body["id"] == violation.pk
    assert (body["rule"], body["severity"], body["status"]) == (rule.id, "high", "open")
    assert body["case"] == {"id": case.pk, "number": case.number}
    assert body["minor"]["id"] == accused.pk
    assert (
        body["citation"]
        == rule.citation
        == "ҚР ҚПК 67-бабы 1-бөлігінің 2-тармағы, 535, 536-баптары"
    )
    assert body["standard"] == rule.standard
    assert (body["confirmed"], body["policy"]) == (True, False)
    assert body["description"] == in_language("kk", violation, "description")
    assert (body["status_changed_at"], body["status_changed_by"], body["note"]) == (None, None, "")
    assert body["events"] == [e.pk for e in violation.events.all()]
    assert body["answers"] == []  # the investigator sees it, but does not answer it


def test_the_prosecutor_is_told_which_answers_remain(api, prosecutor, violation):
    def answers(user: User) -> list[str]:
        return api(user).get(f"/api/violations/{violation.pk}").json()["answers"]

    assert answers(prosecutor) == ["acknowledge", "remedy", "dispute", "act"]
    safeguard_services.acknowledge(actor=prosecutor, violation=violation)
    assert answers(prosecutor) == ["remedy", "dispute", "act"]
    safeguard_services.remedy(actor=prosecutor, violation=violation, note="")
    assert answers(prosecutor) == []


def test_an_answered_violation_shows_who_answered_and_when(
    api, prosecutor, investigator, violation
):
    safeguard_services.dispute(actor=prosecutor, violation=violation, reason="Хаттама толық емес.")
    violation.refresh_from_db()
    body = api(investigator).get(f"/api/violations/{violation.pk}").json()
    assert body["status"] == "disputed"
    assert body["status_changed_by"] == {"id": prosecutor.pk, "name": prosecutor.get_full_name()}
    assert at(body["status_changed_at"]) == ms(violation.status_changed_at)
    assert body["note"] == "Хаттама толық емес."


def test_the_outsider_and_a_missing_violation_get_404(
    api, outsider, far_prosecutor, investigator, violation
):
    for user in (outsider, far_prosecutor):
        response = api(user).get(f"/api/violations/{violation.pk}")
        assert response.status_code == 404
        assert errors(response) == NOT_FOUND
    assert api(investigator).get("/api/violations/999999").status_code == 404


def test_unauthenticated_calls_get_401(client, violation):
    paths = ["/api/safeguards/rules", "/api/violations", f"/api/violations/{violation.pk}"]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 401, path
        assert errors(response) == {"__all__": [translated("kk", MESSAGE_UNAUTHENTICATED)]}
    for action, payload in ACTIONS.items():
        response = refused(client, f"/api/violations/{violation.pk}/{action}", payload, 401)
        assert errors(response) == {"__all__": [translated("kk", MESSAGE_UNAUTHENTICATED)]}


# POST /api/violations/{id}/acknowledge, /remedy, /dispute, /act


def test_the_prosecutor_acknowledges_a_violation(api, prosecutor, violation, case):
    response = send(api(prosecutor), "post", f"/api/violations/{violation.pk}/acknowledge")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["id"], body["status"]) == (violation.pk, "acknowledged")
    assert body["answers"] == ["remedy", "dispute", "act"]
    assert body["status_changed_by"] == {"id": prosecutor.pk, "name": prosecutor.get_full_name()}
    violation.refresh_from_db()
    assert (violation.status, violation.status_changed_by) == ("acknowledged", prosecutor)
    event = assert_audited("violation.status", prosecutor, case.pk)
    assert event.subject_type == "proceedings.proceeding"
    assert event.changes == {"status": ["open", "acknowledged"]}
    assert event.details == {"violation_id": violation.pk}


def test_the_prosecutor_marks_a_violation_remedied(api, prosecutor, violation, case):
    safeguard_services.acknowledge(actor=prosecutor, violation=violation)
    path = f"/api/violations/{violation.pk}/remedy"
    response = send(api(prosecutor), "post", path, {"note": "  Қорғаушы шақырылды. "})
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["note"]) == (
        "remedied",
        "Қорғаушы шақырылды.",
    )
    violation.refresh_from_db()
    assert (violation.status, violation.note) == ("remedied", "Қорғаушы шақырылды.")
    event = assert_audited("violation.status", prosecutor, case.pk)
    assert event.changes == {
        "status": ["acknowledged", "remedied"],
        "note": [None, "Қорғаушы шақырылды."],
    }


def test_a_remedy_needs_no_note(api, prosecutor, violation):
    response = send(api(prosecutor), "post", f"/api/violations/{violation.pk}/remedy", {})
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["note"]) == ("remedied", "")


def test_the_prosecutor_disputes_a_violation(api, prosecutor, violation, case):
    path = f"/api/violations/{violation.pk}/dispute"
    response = send(api(prosecutor), "post", path, ACTIONS["dispute"])
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "disputed"
    assert response.json()["note"] == ACTIONS["dispute"]["reason"]
    violation.refresh_from_db()
    assert (violation.status, violation.note) == ("disputed", ACTIONS["dispute"]["reason"])
    event = assert_audited("violation.status", prosecutor, case.pk)
    assert event.changes["status"] == ["open", "disputed"]
    assert event.details == {"violation_id": violation.pk}


def test_the_prosecutor_records_an_act(api, prosecutor, violation, case):
    path = f"/api/violations/{violation.pk}/act"
    response = send(api(prosecutor), "post", path, ACTIONS["act"])
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "act_issued"
    assert (body["act_type"], body["act_number"], body["act_date"]) == (
        "representation",
        "2-15-26",
        "2026-01-05",
    )
    violation.refresh_from_db()
    assert (violation.act_type, violation.act_number) == ("representation", "2-15-26")
    assert violation.act_date == datetime.date(2026, 1, 5)
    event = assert_audited("violation.status", prosecutor, case.pk)
    assert event.changes == {
        "status": ["open", "act_issued"],
        "act_type": [None, "representation"],
        "act_number": [None, "2-15-26"],
        "act_date": [None, "2026-01-05"],
    }
    listed = api(prosecutor).get("/api/violations").json()["results"][0]
    assert (listed["act_type"], listed["act_number"], listed["act_date"]) == (
        "representation",
        "2-15-26",
        "2026-01-05",
    )


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("persona", ["investigator", "defender"])
def test_only_prosecutors_answer_violations(api, request, violation, defending, action, persona):
    """The investigator and the defender see the violation, but may not answer it."""
    client = api(request.getfixturevalue(persona))
    assert client.get(f"/api/violations/{violation.pk}").status_code == 200
    response = refused(client, f"/api/violations/{violation.pk}/{action}", ACTIONS[action], 403)
    assert errors(response) == NOT_ALLOWED


def test_the_refusal_of_a_non_prosecutor_is_translated(api, investigator, violation):
    set_language(actor=investigator, language="ru")
    path = f"/api/violations/{violation.pk}/acknowledge"
    response = refused(api(investigator), path, {}, 403)
    assert errors(response) == {"__all__": [translated("ru", MESSAGE_NOT_ALLOWED)]}


@pytest.mark.parametrize("action", list(ACTIONS))
def test_an_outsider_cannot_answer_a_violation(api, outsider, far_prosecutor, violation, action):
    for user in (outsider, far_prosecutor):
        path = f"/api/violations/{violation.pk}/{action}"
        response = refused(api(user), path, ACTIONS[action], 404)
        assert errors(response) == NOT_FOUND
    refused(api(far_prosecutor), f"/api/violations/999999/{action}", ACTIONS[action], 404)


def tomorrow() -> str:
    return (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


# Each: the action, its body, the field, the expected message.
BAD_ANSWERS: dict[str, tuple[str, dict[str, Any], str, Any]] = {
    "a dispute without a reason": (
        "dispute",
        {},
        "reason",
        lambda lang: translated(lang, MESSAGE_REQUIRED),
    ),
    "a dispute with a blank reason": (
        "dispute",
        {"reason": "   "},
        "reason",
        lambda lang: translated(lang, safeguard_services.MESSAGE_REASON_REQUIRED),
    ),
    "an act of an unknown type": (
        "act",
        {**ACTIONS["act"], "act_type": "warning"},
        "act_type",
        lambda lang: translated(lang, MESSAGE_CHOICE),
    ),
    "an act without a number": (
        "act",
        {**ACTIONS["act"], "act_number": " "},
        "act_number",
        lambda lang: translated(lang, safeguard_services.MESSAGE_ACT_NUMBER),
    ),
    "an act dated tomorrow": (
        "act",
        {**ACTIONS["act"], "act_date": tomorrow()},
        "act_date",
        lambda lang: translated(lang, safeguard_services.MESSAGE_ACT_DATE),
    ),
    "an act date that is no date": (
        "act",
        {**ACTIONS["act"], "act_date": "5 January"},
        "act_date",
        lambda lang: translated(lang, MESSAGE_DATE),
    ),
    "an act number too long": (
        "act",
        {**ACTIONS["act"], "act_number": "9" * 65},
        "act_number",
        None,
    ),
    "a field the action does not take": (
        "remedy",
        {"note": "Жөнделді.", "status": "closed"},
        "status",
        lambda lang: translated(lang, MESSAGE_EXTRA),
    ),
}


@pytest.mark.parametrize("language", ["kk", "ru"])
@pytest.mark.parametrize("bad", list(BAD_ANSWERS))
def test_bad_input_is_refused_naming_the_field_and_writes_nothing(
    api, prosecutor, violation, bad, language
):
    action, payload, field, message = BAD_ANSWERS[bad]
    set_language(actor=prosecutor, language=language)
    response = refused(api(prosecutor), f"/api/violations/{violation.pk}/{action}", payload, 422)
    assert list(errors(response)) == [field]
    if message:
        assert errors(response) == {field: [message(language)]}


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_a_resolved_violation_cannot_change(api, prosecutor, violation, language):
    safeguard_services.remedy(actor=prosecutor, violation=violation, note="")
    set_language(actor=prosecutor, language=language)
    client = api(prosecutor)
    response = refused(client, f"/api/violations/{violation.pk}/acknowledge", {}, 422)
    assert errors(response) == {
        "__all__": [translated(language, safeguard_services.MESSAGE_NOT_OPEN)]
    }
    for action in ("remedy", "dispute", "act"):
        path = f"/api/violations/{violation.pk}/{action}"
        response = refused(client, path, ACTIONS[action], 422)
        assert errors(response) == {
            "__all__": [translated(language, safeguard_services.MESSAGE_NOT_UNRESOLVED)]
        }


def test_an_acknowledged_violation_cannot_be_acknowledged_again(api, prosecutor, violation):
    client = api(prosecutor)
    assert send(client, "post", f"/api/violations/{violation.pk}/acknowledge").status_code == 200
    refused(client, f"/api/violations/{violation.pk}/acknowledge", {}, 422)


# The flags in GET /api/cases/{id}


def test_the_case_shows_each_minors_violations(
    api, investigator, prosecutor, trained, case, accused
):
    other = services.add_accused(
        actor=investigator,
        proceeding=case,
        juvenile=factories.juvenile(investigator),
        articles=[article("188.2")],
    )
    detention = with_adults(investigator, accused, 1)
    interrogation = unheard(investigator, accused, 2)
    adults = found("held_with_adults", detention)
    unaided = found("defender_at_interrogation", interrogation)
    safeguard_services.acknowledge(actor=prosecutor, violation=adults)
    body = api(investigator).get(f"/api/cases/{case.pk}").json()
    minors = {m["id"]: m for m in body["minors"]}
    assert minors[other.pk]["violations"] == []
    assert minors[accused.pk]["violations"] == [
        {
            "id": unaided.pk,
            "rule": "defender_at_interrogation",
            "title": in_language("kk", unaided, "title"),
            "severity": "high",
            "status": "open",
            "description": in_language("kk", unaided, "description"),
            "events": [interrogation.pk],
        },
        {
            "id": adults.pk,
            "rule": "held_with_adults",
            "title": in_language("kk", adults, "title"),
            "severity": "high",
            "status": "acknowledged",
            "description": in_language("kk", adults, "description"),
            "events": [detention.pk],
        },
    ]


def test_the_case_shows_the_flags_not_yet_answered_and_gravest_first(
    api, investigator, prosecutor, defending, trained, case, accused
):
    adults = found("held_with_adults", with_adults(investigator, accused, 1))
    unaided = found("defender_at_interrogation", unheard(investigator, accused, 2))
    start = case.offence_at + datetime.timedelta(hours=5)
    # Two hours and ten minutes without a break, the defender present: a medium flag, and the
    # detention's deadlines (defender, representative, psychologist) have passed too.
    step(
        investigator,
        accused,
        "interrogation",
        5,
        ended_at=start + datetime.timedelta(minutes=130),
        attendees=[defending],
    )
    safeguard_services.remedy(actor=prosecutor, violation=unaided, note="")
    safeguard_services.acknowledge(actor=prosecutor, violation=adults)
    flags = api(investigator).get(f"/api/cases/{case.pk}").json()["minors"][0]["violations"]
    assert {flag["id"] for flag in flags} == set(
        Violation.objects.filter(accused=accused).values_list("pk", flat=True)
    )
    rank = {"high": 0, "medium": 1, "low": 2}
    order = [
        (flag["status"] not in ("open", "acknowledged"), rank[flag["severity"]]) for flag in flags
    ]
    assert order == sorted(order)
    assert {"medium"} < {flag["severity"] for flag in flags}
    assert "interrogation_without_break" in {flag["rule"] for flag in flags}
    assert flags[-1]["id"] == unaided.pk


def test_the_case_flags_are_in_the_users_language(api, prosecutor, violation, case):
    set_language(actor=prosecutor, language="en")
    [child] = api(prosecutor).get(f"/api/cases/{case.pk}").json()["minors"]
    [flag] = child["violations"]
    assert flag["title"] == "A defender takes part in the interrogation"
    assert flag["description"] == in_language("en", violation, "description")


def test_the_case_takes_the_same_queries_with_few_and_many_violations(
    api, investigator, prosecutor, case, accused, django_assert_max_num_queries
):
    other = services.add_accused(
        actor=investigator,
        proceeding=case,
        juvenile=factories.juvenile(investigator),
        articles=[article("188.2")],
    )
    mother = participant(
        investigator, case, "legal_representative", accused=accused, full_name="Сейітова Гүлнар"
    )
    # Untrained officials: `specialized_officials` fires too, on each minor.
    unheard(investigator, accused, 2)
    unheard(investigator, other, 2)
    client = api(investigator)
    with django_assert_max_num_queries(22) as few:
        body = client.get(f"/api/cases/{case.pk}").json()
    flags_before = sum(len(m["violations"]) for m in body["minors"])
    for i in range(6):
        target = accused if i % 2 else other
        unheard(investigator, target, 5 + 10 * i)
        with_adults(investigator, target, 6 + 10 * i)
    step(investigator, accused, "release", 80, attendees=[mother])
    with django_assert_max_num_queries(22) as many:
        body = client.get(f"/api/cases/{case.pk}").json()
    flags = sum(len(m["violations"]) for m in body["minors"])
    assert flags >= flags_before + 12
    assert flags == Violation.objects.filter(proceeding=case).count()
    assert len(many) == len(few)


def test_a_new_case_has_no_flags_yet(api, investigator, juvenile):
    payload = shared.case_payload(juvenile)
    response = send(api(investigator), "post", "/api/cases", payload)
    assert response.status_code == 201
    assert response.json()["minors"][0]["violations"] == []
    assert Proceeding.objects.count() == 1


def test_the_description_has_no_text_frozen_in_another_language(
    api, investigator, prosecutor, trained, case, accused
):
    with translation.override("kk"):
        step(
            investigator,
            accused,
            "detention",
            1,
            place="ПБ",
            performed_by="П",
            held_separately=True,
        )
        step(
            investigator,
            accused,
            "preventive_measure",
            2,
            measure="custody",
            court_sanctioned=True,
            term_days=30,
        )
    set_language(actor=prosecutor, language="ru")
    [row] = api(prosecutor).get("/api/violations", {"rule": "custody_gravity"}).json()["results"]
    assert "ауырлығы" not in row["description"]
