"""Criminal cases in the API: the list, the case page's data, the rule book, registering a case.

The helpers and fixtures here build cases through the services; test_case_writes.py and
test_case_events.py import them.
"""

import datetime
import json
from typing import Any

import pytest
from django.utils import timezone, translation

from qorgau.accounts.access import MESSAGE_NOT_ALLOWED
from qorgau.accounts.models import Role, User
from qorgau.api import cases as api_cases
from qorgau.api.api import MESSAGE_DATETIME, MESSAGE_NOT_FOUND, MESSAGE_UNAUTHENTICATED
from qorgau.api.common import MESSAGE_NO_PAGE, MESSAGE_UNKNOWN_TERRITORY
from qorgau.audit.models import AuditEvent
from qorgau.core.models import CriminalArticle
from qorgau.people.models import Juvenile
from qorgau.proceedings import services
from qorgau.proceedings.legal_rules import SECTIONS, rule_book
from qorgau.proceedings.models import (
    Accused,
    Charge,
    Participant,
    ProceduralEvent,
    Proceeding,
)
from qorgau.proceedings.services import cases as case_services
from qorgau.proceedings.services import common as common_services
from tests import factories
from tests.api.conftest import assert_audited, errors, send, translated

# Building cases through the services


def ago(**delta: float) -> datetime.datetime:
    return (timezone.now() - datetime.timedelta(**delta)).replace(second=0, microsecond=0)


def iso(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).isoformat()


def at(text: str) -> datetime.datetime:
    """A time the API gave (it answers in UTC), to compare with an aware datetime."""
    return datetime.datetime.fromisoformat(text)


def ms(moment: datetime.datetime) -> datetime.datetime:
    """A time as JSON carries it: to the millisecond."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def article(citation: str) -> CriminalArticle:
    number, part = citation.split(".")
    return CriminalArticle.objects.get(article=number, part=part)


_numbers = iter(range(1, 10_000))


def open_case(
    investigator: User,
    juvenile: Juvenile,
    *,
    prosecutor: User | None = None,
    offence_at: datetime.datetime | None = None,
    articles: tuple[str, ...] = ("188.2",),
) -> Proceeding:
    # A morning: the steps recorded hours after it are in the daytime (CPC art. 535).
    offence_at = offence_at or timezone.localtime(ago(days=10)).replace(hour=9, minute=0)
    return services.open_case(
        actor=investigator,
        number=f"2026-751310-{next(_numbers):05d}",
        registered_on=timezone.localdate(offence_at),
        offence_at=offence_at,
        offence_place="Алматы, Әуезов ауданы, Абай даңғылы 1",
        territory=factories.territory(factories.AUEZOV),
        juvenile=juvenile,
        articles=[article(a) for a in articles],
        prosecutor=prosecutor,
        summary="Ұялы телефонды ұрлау.",
    )


def minor(case: Proceeding) -> Accused:
    return case.accused.order_by("id").first()  # type: ignore[return-value]


def step(actor: User, accused: Accused, kind: str, hours: float, **fields: Any) -> ProceduralEvent:
    """A step `hours` after the offence."""
    at = accused.proceeding.offence_at + datetime.timedelta(hours=hours)
    return services.record_event(actor=actor, accused=accused, kind=kind, started_at=at, **fields)


def participant(actor: User, case: Proceeding, role: str, **fields: Any) -> Participant:
    return services.add_participant(actor=actor, proceeding=case, role=role, **fields)


def refer_to_court(
    investigator: User, prosecutor: User, judge: User, accused: Accused, hours: float = 30
) -> None:
    step(investigator, accused, "release", hours - 1)  # any investigative step opens the stage
    step(investigator, accused, "indictment", hours)
    step(prosecutor, accused, "indictment_approved", hours + 1, court=judge.agency)


def counts() -> tuple[int, ...]:
    """Rows that a refused write must leave as they were (its `access.refused` row aside)."""
    models = (Proceeding, Accused, Charge, Participant, ProceduralEvent)
    audit = AuditEvent.objects.exclude(action="access.refused").count()
    return (*(model.objects.count() for model in models), audit)


def in_language(language: str, message: Any, **params: Any) -> str:
    """A message whose parameters are themselves translated texts (citations, dates)."""
    with translation.override(language):
        values = {
            name: str(value() if callable(value) else value) for name, value in params.items()
        }
    return translated(language, message, **values)


def case_payload(child: Juvenile, **fields: Any) -> dict[str, Any]:
    offence_at = ago(days=3)
    data: dict[str, Any] = {
        "number": "2026-751310-99999",
        "registered_on": timezone.localdate(offence_at).isoformat(),
        "offence_at": iso(offence_at),
        "offence_place": "Алматы, Сайын көшесі 5",
        "territory": factories.AUEZOV,
        "juvenile": child.pk,
        "articles": [{"article": "188", "part": "2"}, {"article": "191", "part": "2"}],
        "summary": "Топпен тонау.",
    }
    data.update(fields)
    return data


@pytest.fixture
def case(investigator, prosecutor, juvenile) -> Proceeding:
    return open_case(investigator, juvenile, prosecutor=prosecutor)


@pytest.fixture
def accused(case) -> Accused:
    return minor(case)


@pytest.fixture
def defending(investigator, case, accused, defender) -> Participant:
    """The defender on the case: their bar then sees it."""
    return participant(investigator, case, "defender", accused=accused, user=defender)


# GET /api/cases


def test_it_lists_the_cases_the_user_may_see(api, investigator, case, accused, juvenile):
    response = api(investigator).get("/api/cases")
    assert response.status_code == 200
    assert response.json() == {
        "count": 1,
        "more": False,
        "page": 1,
        "pages": 1,
        "results": [
            {
                "id": case.pk,
                "number": case.number,
                "registered_on": case.registered_on.isoformat(),
                "territory": {"kato_code": factories.AUEZOV, "name": "Әуезов ауданы"},
                "investigator": {"id": investigator.pk, "name": investigator.get_full_name()},
                "minors": [
                    {
                        "id": accused.pk,
                        "juvenile": juvenile.pk,
                        "name": "Сейітов Нұрлан Қайратұлы",
                        "stage": "registered",
                        "pending": "",
                    }
                ],
            }
        ],
    }


def test_every_agency_of_the_case_sees_it_and_the_outsider_does_not(
    api, case, prosecutor, defender, outsider, defending
):
    assert api(prosecutor).get("/api/cases").json()["count"] == 1
    assert api(defender).get("/api/cases").json()["count"] == 1
    assert api(outsider).get("/api/cases").json() == {
        "count": 0,
        "more": False,
        "page": 1,
        "pages": 1,
        "results": [],
    }


def test_it_filters_the_list(api, investigator, prosecutor, juvenile, case, accused):
    other_child = factories.juvenile(investigator, birth_date=datetime.date(2009, 1, 2))
    older = open_case(investigator, other_child, offence_at=ago(days=40), articles=("190.1",))
    step(
        investigator, accused, "detention", 1, place="РПО", performed_by="ПП", held_separately=True
    )
    client = api(investigator)

    def ids(**query: Any) -> list[int]:
        response = client.get("/api/cases", query)
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["results"]]

    assert ids() == [case.pk, older.pk]
    assert ids(stage="investigation") == [case.pk]
    assert ids(stage="registered") == [older.pk]
    assert ids(gravity="medium") == [case.pk]
    assert ids(gravity="minor") == [older.pk]
    assert ids(gravity="grave") == []
    assert ids(region=factories.ALMATY_CITY) == [case.pk, older.pk]
    assert ids(region=factories.KARASAI) == []
    assert ids(investigator=investigator.pk) == [case.pk, older.pk]
    assert ids(investigator=prosecutor.pk) == []
    assert ids(registered_from=case.registered_on.isoformat()) == [case.pk]
    assert ids(registered_to=older.registered_on.isoformat()) == [older.pk]
    assert ids(q=case.number[-5:]) == [case.pk]
    assert ids(q=juvenile.iin[:8]) == [case.pk]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        (
            {"region": "999"},
            "region",
            lambda: translated("kk", MESSAGE_UNKNOWN_TERRITORY, code="999"),
        ),
        ({"page": 2}, "page", lambda: translated("kk", MESSAGE_NO_PAGE, page=2, pages=1)),
        ({"registered_from": "1 March"}, "registered_from", None),
        ({"stage": "sentenced"}, "stage", None),
    ],
)
def test_a_bad_filter_is_refused_naming_it(api, investigator, case, query, field, message):
    response = api(investigator).get("/api/cases", query)
    assert response.status_code == 422
    assert list(errors(response)) == [field]
    if message:
        assert errors(response)[field] == [message()]


def test_it_pages_by_25(api, investigator, juvenile):
    for _ in range(26):
        open_case(investigator, factories.juvenile(investigator))
    client = api(investigator)
    first = client.get("/api/cases").json()
    assert (first["count"], first["pages"], len(first["results"])) == (26, 2, 25)
    assert len(client.get("/api/cases", {"page": 2}).json()["results"]) == 1


@pytest.mark.parametrize("persona", ["administrator", "analyst"])
def test_roles_that_do_not_read_cases_are_refused(api, request, case, persona):
    client = api(request.getfixturevalue(persona))
    for path in ("/api/cases", f"/api/cases/{case.pk}"):
        response = client.get(path)
        assert response.status_code == 403
        assert errors(response) == {"__all__": [translated("kk", MESSAGE_NOT_ALLOWED)]}


def test_the_list_takes_the_same_queries_for_3_and_15_cases(
    api, investigator, prosecutor, django_assert_max_num_queries
):
    def add_cases(n: int) -> None:
        for _ in range(n):
            child = factories.juvenile(investigator)
            case = open_case(investigator, child, prosecutor=prosecutor)
            services.add_accused(
                actor=investigator,
                proceeding=case,
                juvenile=factories.juvenile(investigator),
                articles=[article("188.1")],
            )

    add_cases(3)
    client = api(investigator)
    with django_assert_max_num_queries(12) as few:
        assert client.get("/api/cases").json()["count"] == 3
    add_cases(12)
    with django_assert_max_num_queries(12) as many:
        body = client.get("/api/cases").json()
    assert body["count"] == 15
    assert all(len(row["minors"]) == 2 for row in body["results"])
    assert len(many) == len(few)


# GET /api/cases/{id}


def test_it_reads_the_case_and_audits_the_reading(
    api, investigator, prosecutor, case, accused, juvenile
):
    response = api(investigator).get(f"/api/cases/{case.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["number"] == case.number
    assert body["registering_agency"] == {"id": investigator.agency_id, "name": "Әуезов ТБ"}
    assert body["territory"] == {"kato_code": factories.AUEZOV, "name": "Әуезов ауданы"}
    assert body["investigator"] == {"id": investigator.pk, "name": investigator.get_full_name()}
    assert body["prosecutor"] == {"id": prosecutor.pk, "name": prosecutor.get_full_name()}
    assert (body["court"], body["judge"]) == (None, None)
    assert at(body["offence_at"]) == case.offence_at
    assert body["participants"] == []
    [child] = body["minors"]
    assert child["id"] == accused.pk
    assert child["juvenile"] == {
        "id": juvenile.pk,
        "full_name": "Сейітов Нұрлан Қайратұлы",
        "iin": juvenile.iin,
        "birth_date": "2010-03-05",
    }
    assert (child["stage"], child["pending"], child["timeline"]) == ("registered", "", [])
    [charge] = child["charges"]
    assert charge["article"]["article"] == "188"
    assert charge["article"]["part"] == "2"
    assert charge["article"]["gravity"] == "medium"
    with translation.override("kk"):
        assert charge["article"]["citation"] == str(article("188.2").citation)
    assert charge["charged_by"] == {"id": investigator.pk, "name": investigator.get_full_name()}
    assert (charge["requalified_from"], charge["reason"]) == (None, "")
    assert child["requalifications"] == []
    assert child["actions"][0] == "detention"
    assert "interrogation" in child["actions"]
    assert "judgment" not in child["actions"]
    event = assert_audited("case.view", investigator, case.pk)
    assert event.subject_type == "proceedings.proceeding"


def test_the_case_shows_the_requalification_history(api, investigator, prosecutor, case, accused):
    first = accused.charges.get()
    new = services.requalify_charge(
        actor=prosecutor, charge=first, article=article("188.3"), reason="Топпен жасалған."
    )
    child = api(investigator).get(f"/api/cases/{case.pk}").json()["minors"][0]
    assert [c["id"] for c in child["charges"]] == [new.pk]
    assert child["charges"][0]["requalified_from"]["id"] == first.pk
    assert child["charges"][0]["reason"] == "Топпен жасалған."
    [history] = child["requalifications"]
    assert history["charge"] == new.pk
    assert (history["from_article"]["part"], history["to_article"]["part"]) == ("2", "3")
    assert history["by"] == {"id": prosecutor.pk, "name": prosecutor.get_full_name()}
    assert history["reason"] == "Топпен жасалған."
    assert at(history["at"]) == ms(new.charged_at)


def test_the_timeline_is_newest_first_with_every_recorded_field(
    api, investigator, case, accused, defending
):
    mother = participant(
        investigator, case, "legal_representative", accused=accused, full_name="Сейітова Гүлнар"
    )
    detention = step(
        investigator,
        accused,
        "detention",
        1,
        place="Әуезов ПБ",
        performed_by="Полиция лейтенанты Б.",
        held_separately=False,
    )
    start = case.offence_at + datetime.timedelta(hours=3)
    interrogation = step(
        investigator,
        accused,
        "interrogation",
        3,
        ended_at=start + datetime.timedelta(minutes=95),
        breaks=[
            {
                "start": start + datetime.timedelta(minutes=40),
                "end": start + datetime.timedelta(minutes=50),
            }
        ],
        attendees=[mother, defending],
        place="Кабинет 12",
        notes="Педагог болмады.",
    )
    child = api(investigator).get(f"/api/cases/{case.pk}").json()["minors"][0]
    assert [e["id"] for e in child["timeline"]] == [interrogation.pk, detention.pk]
    latest, first = child["timeline"]
    assert latest["kind"] == "interrogation"
    assert latest["accused"] == accused.pk
    assert at(latest["started_at"]) == start
    assert at(latest["ended_at"]) == start + datetime.timedelta(minutes=95)
    assert latest["duration_minutes"] == 95
    [pause] = latest["breaks"]
    assert at(pause["start"]) == start + datetime.timedelta(minutes=40)
    assert at(pause["end"]) == start + datetime.timedelta(minutes=50)
    assert sorted(latest["attendees"]) == sorted([mother.pk, defending.pk])
    assert latest["author"] == {
        "id": investigator.pk,
        "name": investigator.get_full_name(),
        "role": "investigator",
        "agency": "Әуезов ТБ",
    }
    assert (latest["place"], latest["notes"]) == ("Кабинет 12", "Педагог болмады.")
    assert (first["kind"], first["duration_minutes"], first["attendees"]) == ("detention", None, [])
    assert (first["place"], first["held_separately"]) == ("Әуезов ПБ", False)
    assert first["performed_by"] == "Полиция лейтенанты Б."
    assert first["verdict"] is None
    assert child["stage"] == "investigation"
    roles = {
        p["role"]: p for p in api(investigator).get(f"/api/cases/{case.pk}").json()["participants"]
    }
    assert roles["defender"]["user"] is not None
    assert roles["legal_representative"]["full_name"] == "Сейітова Гүлнар"


def test_actions_are_what_the_callers_role_may_record_now(
    api, investigator, prosecutor, defender, case, accused, defending
):
    def actions(user: User) -> list[str]:
        return api(user).get(f"/api/cases/{case.pk}").json()["minors"][0]["actions"]

    assert actions(prosecutor) == []
    assert actions(defender) == ["defender_arrived"]
    step(investigator, accused, "detention", 1, place="ПБ", performed_by="П", held_separately=True)
    step(investigator, accused, "termination", 2, ground="reconciliation")
    assert "termination" not in actions(investigator)
    assert "indictment" not in actions(investigator)
    assert actions(prosecutor) == ["termination_approved"]
    step(prosecutor, accused, "termination_approved", 3)
    assert actions(investigator) == []


def test_the_outsider_gets_404_and_nothing_is_audited(api, outsider, case):
    response = api(outsider).get(f"/api/cases/{case.pk}")
    assert response.status_code == 404
    assert errors(response) == {"__all__": [translated("kk", MESSAGE_NOT_FOUND)]}
    assert not AuditEvent.objects.filter(action="case.view").exists()


def test_a_missing_case_answers_404(api, investigator):
    assert api(investigator).get("/api/cases/999999").status_code == 404


def test_the_judge_sees_the_case_once_it_is_referred_to_their_court(
    api, investigator, prosecutor, judge, case, accused
):
    assert api(judge).get(f"/api/cases/{case.pk}").status_code == 404
    refer_to_court(investigator, prosecutor, judge, accused)
    body = api(judge).get(f"/api/cases/{case.pk}").json()
    assert body["court"]["id"] == judge.agency_id
    assert body["minors"][0]["stage"] == "in_court"
    assert "judgment" in body["minors"][0]["actions"]
    assert_audited("case.view", judge, case.pk)


def test_the_case_takes_the_same_queries_with_3_and_20_events(
    api, investigator, prosecutor, case, accused, defending, django_assert_max_num_queries
):
    other = services.add_accused(
        actor=investigator,
        proceeding=case,
        juvenile=factories.juvenile(investigator),
        articles=[article("188.2"), article("191.2")],
    )
    mother = participant(
        investigator, case, "legal_representative", accused=accused, full_name="Сейітова Гүлнар"
    )

    def add_events(n: int, offset: int) -> None:
        for i in range(n):
            target = accused if i % 2 else other
            author = investigator
            step(author, target, "release", offset + i, attendees=[mother, defending])

    add_events(3, 1)
    client = api(investigator)
    with django_assert_max_num_queries(20) as few:
        assert client.get(f"/api/cases/{case.pk}").status_code == 200
    add_events(17, 10)
    services.requalify_charge(
        actor=prosecutor, charge=other.charges.first(), article=article("188.3"), reason="Себеп."
    )
    with django_assert_max_num_queries(20) as many:
        body = client.get(f"/api/cases/{case.pk}").json()
    assert sum(len(m["timeline"]) for m in body["minors"]) == 20
    assert len(many) == len(few)


# GET /api/rules


def test_the_rule_book_lists_every_section_with_its_legal_basis(api, defender):
    response = api(defender).get("/api/rules")
    assert response.status_code == 200
    body = response.json()
    book = rule_book()
    assert body["profile"] == book.profile == "kz"
    assert [s["name"] for s in body["sections"]] == list(SECTIONS)
    sections = {s["name"]: s["rules"] for s in body["sections"]}
    for name in SECTIONS:
        assert [r["code"] for r in sections[name]] == [r.code for r in book.rules[name]]
    custody = sections["preventive_measures"][0]
    assert custody["code"] == "custody"
    assert custody["text"]["ru"] == "содержание под стражей"
    assert custody["label"] == custody["text"]["kk"]
    assert custody["citation"].startswith("ҚР ҚПК 137-бабының 1-бөлігі")
    assert custody["citations"]["ru"].startswith("ч. 1 ст. 137 УПК РК")
    assert custody["citations"]["en"].startswith("CPC RK art. 137 part 1")
    assert (custody["confirmed"], custody["valid_from"], custody["valid_to"]) == (
        True,
        "2015-01-01",
        None,
    )
    assert custody["attributes"] == {"custodial": True}
    assert sections["minor_age"][0]["attributes"] == {"value": 18}
    codes = {r["code"] for r in sections["punishments"]}
    assert {"fine", "deprivation_of_liberty"} <= codes
    liberty = next(r for r in sections["punishments"] if r["code"] == "deprivation_of_liberty")
    assert liberty["attributes"]["max_years"] == 10


# POST /api/cases


def test_an_investigator_registers_a_case(api, investigator, prosecutor, juvenile):
    payload = case_payload(juvenile, prosecutor=prosecutor.pk)
    response = send(api(investigator), "post", "/api/cases", payload)
    assert response.status_code == 201, response.json()
    body = response.json()
    case = Proceeding.objects.get(pk=body["id"])
    assert case.number == "2026-751310-99999"
    assert (case.investigator, case.prosecutor) == (investigator, prosecutor)
    assert case.registering_agency == investigator.agency
    assert case.territory.kato_code == factories.AUEZOV
    assert case.offence_at == at(payload["offence_at"])
    [child] = body["minors"]
    assert child["juvenile"]["id"] == juvenile.pk
    assert [(c["article"]["article"], c["article"]["part"]) for c in child["charges"]] == [
        ("188", "2"),
        ("191", "2"),
    ]
    assert child["stage"] == "registered"
    assert "detention" in child["actions"]
    assert_audited("case.open", investigator, case.pk)
    assert_audited("case.accused", investigator, case.pk)


def test_the_same_article_part_twice_is_charged_once(api, investigator, juvenile):
    payload = case_payload(juvenile, articles=[{"article": "188", "part": "2"}] * 2)
    response = send(api(investigator), "post", "/api/cases", payload)
    assert response.status_code == 201
    assert len(response.json()["minors"][0]["charges"]) == 1


def test_an_offence_time_in_another_offset_is_the_same_moment(api, investigator, juvenile):
    moment = ago(days=3)
    utc = moment.astimezone(datetime.UTC).isoformat()
    response = send(api(investigator), "post", "/api/cases", case_payload(juvenile, offence_at=utc))
    assert response.status_code == 201
    assert Proceeding.objects.get().offence_at == moment


def adult(investigator: User) -> Juvenile:
    """A person who had turned 18 the day before an offence three days ago."""
    offence_day = timezone.localdate(ago(days=3))
    birth = offence_day.replace(year=offence_day.year - 18) - datetime.timedelta(days=1)
    return factories.juvenile(investigator, birth_date=birth)


def fifteen(investigator: User) -> Juvenile:
    offence_day = timezone.localdate(ago(days=3))
    return factories.juvenile(
        investigator, birth_date=offence_day.replace(year=offence_day.year - 15)
    )


def not_a_minor(lang: str, person: Juvenile) -> str:
    limit = rule_book().get("minor_age", "minor_age")
    assert limit is not None
    return translated(
        lang,
        case_services.MESSAGE_NOT_A_MINOR,
        name=str(person),
        age=18,
        limit=18,
        citation=limit.citation,
    )


def under_age(lang: str, person: Juvenile, citation: str, age: int = 15) -> str:
    return in_language(
        lang,
        case_services.MESSAGE_UNDER_AGE,
        name=str(person),
        age=age,
        article=lambda: article(citation).citation,
        min_age=16,
    )


# Each: a change of the payload (given the test's people), the field, the expected message.
BAD_CASES: dict[str, tuple[Any, str, Any]] = {
    "an offence in the future": (
        # Ten minutes ahead, past the clock tolerance but (outside the ten minutes before
        # midnight in Almaty) on the day of registration, so only the offence time is wrong.
        lambda p: {
            "offence_at": iso(timezone.now() + datetime.timedelta(minutes=10)),
            "registered_on": timezone.localdate().isoformat(),
        },
        "offence_at",
        lambda lang, p: translated(lang, common_services.MESSAGE_FUTURE),
    ),
    "a registration before the offence": (
        lambda p: {
            "registered_on": (timezone.localdate() - datetime.timedelta(days=5)).isoformat()
        },
        "registered_on",
        lambda lang, p: translated(lang, case_services.MESSAGE_REGISTERED_BEFORE_OFFENCE),
    ),
    "a registration in the future": (
        lambda p: {
            "registered_on": (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
        },
        "registered_on",
        lambda lang, p: translated(lang, case_services.MESSAGE_REGISTERED_FUTURE),
    ),
    "an offence time without its offset": (
        lambda p: {"offence_at": "2026-03-01T21:30:00"},
        "offence_at",
        lambda lang, p: translated(lang, api_cases.MESSAGE_NO_OFFSET),
    ),
    "an offence time that is no time": (
        lambda p: {"offence_at": "yesterday evening"},
        "offence_at",
        lambda lang, p: translated(lang, MESSAGE_DATETIME),
    ),
    "an unknown article": (
        lambda p: {"articles": [{"article": "188", "part": "2"}, {"article": "999", "part": "1"}]},
        "articles",
        lambda lang, p: translated(
            lang, api_cases.MESSAGE_UNKNOWN_ARTICLE, article="999", part="1"
        ),
    ),
    "no article": (
        lambda p: {"articles": []},
        "articles",
        lambda lang, p: translated(lang, case_services.MESSAGE_NO_ARTICLE),
    ),
    "an unknown territory": (
        lambda p: {"territory": "123456789"},
        "territory",
        lambda lang, p: translated(lang, MESSAGE_UNKNOWN_TERRITORY, code="123456789"),
    ),
    "an unknown juvenile": (
        lambda p: {"juvenile": 999999},
        "juvenile",
        lambda lang, p: translated(lang, api_cases.MESSAGE_UNKNOWN_JUVENILE, id=999999),
    ),
    "an unknown prosecutor": (
        lambda p: {"prosecutor": 999999},
        "prosecutor",
        lambda lang, p: translated(lang, api_cases.MESSAGE_UNKNOWN_STAFF, id=999999),
    ),
    "a prosecutor who is not one": (
        lambda p: {"prosecutor": p["investigator"].pk},
        "prosecutor",
        lambda lang, p: translated(lang, case_services.MESSAGE_NOT_PROSECUTOR),
    ),
    "a person of 18 on the day of the offence": (
        lambda p: {"juvenile": p["adult"].pk},
        "juvenile",
        lambda lang, p: not_a_minor(lang, p["adult"]),
    ),
    "a charge below the article's minimum age": (
        lambda p: {"juvenile": p["fifteen"].pk, "articles": [{"article": "188", "part": "1"}]},
        "articles",
        lambda lang, p: under_age(lang, p["fifteen"], "188.1"),
    ),
    "a registration number already used": (
        lambda p: {"number": p["case"].number},
        "number",
        lambda lang, p: translated(lang, "A case with this registration number already exists."),
    ),
    "an empty place": (
        lambda p: {"offence_place": "   "},
        "offence_place",
        lambda lang, p: translated(lang, "This field cannot be blank."),
    ),
}


@pytest.mark.parametrize("language", ["kk", "ru"])
@pytest.mark.parametrize("bad", list(BAD_CASES))
def test_bad_input_to_a_new_case_is_refused_naming_the_field_and_writes_nothing(
    api, investigator, prosecutor, juvenile, case, bad, language
):
    from qorgau.accounts.services import set_language

    people = {
        "investigator": investigator,
        "case": case,
        "adult": adult(investigator),
        "fifteen": fifteen(investigator),
    }
    change, field, message = BAD_CASES[bad]
    set_language(actor=investigator, language=language)
    client = api(investigator)
    before = counts()
    response = send(client, "post", "/api/cases", case_payload(juvenile, **change(people)))
    assert response.status_code == 422
    assert errors(response) == {field: [message(language, people)]}
    assert counts() == before


@pytest.mark.parametrize(
    "persona", ["prosecutor", "judge", "defender", "psychologist", "administrator"]
)
def test_roles_that_do_not_register_cases_are_refused(api, request, juvenile, persona):
    client = api(request.getfixturevalue(persona))
    before = counts()
    response = send(client, "post", "/api/cases", case_payload(juvenile))
    assert response.status_code == 403
    assert errors(response) == {"__all__": [translated("kk", MESSAGE_NOT_ALLOWED)]}
    assert counts() == before


def test_the_outsider_cannot_register_a_case_against_a_child_they_cannot_see(
    api, outsider, juvenile
):
    client = api(outsider)
    before = counts()
    response = send(client, "post", "/api/cases", case_payload(juvenile))
    assert response.status_code == 422
    assert errors(response) == {
        "juvenile": [translated("kk", api_cases.MESSAGE_UNKNOWN_JUVENILE, id=juvenile.pk)]
    }
    assert counts() == before


# Every case operation: anonymous callers, and the OpenAPI document

OPERATIONS = [
    ("get", "/api/cases"),
    ("get", "/api/cases/1"),
    ("get", "/api/rules"),
    ("post", "/api/cases"),
    ("post", "/api/cases/1/minors"),
    ("post", "/api/cases/1/participants"),
    ("put", "/api/cases/1/prosecutor"),
    ("post", "/api/charges/1/requalify"),
    ("post", "/api/cases/1/minors/1/events"),
]


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_an_anonymous_caller_gets_401(client, db, method, path):
    response = send(client, method, path, {})
    assert response.status_code == 401
    assert errors(response) == {"__all__": [translated("kk", MESSAGE_UNAUTHENTICATED)]}


def test_the_openapi_document_lists_every_case_operation(client, db):
    schema = json.loads(client.get("/api/openapi.json").content)
    paths = schema["paths"]
    expected = {
        "/api/cases": {"get", "post"},
        "/api/cases/{case_id}": {"get"},
        "/api/rules": {"get"},
        "/api/cases/{case_id}/minors": {"post"},
        "/api/cases/{case_id}/participants": {"post"},
        "/api/cases/{case_id}/prosecutor": {"put"},
        "/api/charges/{charge_id}/requalify": {"post"},
        "/api/cases/{case_id}/minors/{accused_id}/events": {"post"},
    }
    for path, methods in expected.items():
        assert set(paths[path]) == methods, path
        for method in methods:
            operation = paths[path][method]
            assert "403" in operation["responses"] or path == "/api/rules"
            assert operation["description"].count(" ") > 20
    events = paths["/api/cases/{case_id}/minors/{accused_id}/events"]["post"]
    assert "`judgment` (judge): **verdict**" in events["description"]
    assert {"EventIn", "EventOut", "CaseOut", "RuleBookOut"} <= set(schema["components"]["schemas"])
    assert f"`detention` ({Role.INVESTIGATOR.value})" in events["description"]
