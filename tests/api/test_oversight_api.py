"""The prosecutor's oversight in the API: the summary of the web dashboard, and "Today"'s red flags.

Violations are never made by hand here: each comes from a step recorded through
qorgau.proceedings.services.record_event (the helpers of test_safeguards.py), which evaluates the
rules in its transaction.
"""

import datetime
from typing import Any

import pytest
from django.utils import timezone

from qorgau.accounts.services import set_language
from qorgau.api.api import MESSAGE_CHOICE, MESSAGE_UNAUTHENTICATED
from qorgau.api.common import MESSAGE_UNKNOWN_AGENCY, MESSAGE_UNKNOWN_TERRITORY
from qorgau.api.safeguards import MESSAGE_PERIOD
from qorgau.safeguards import services as safeguard_services
from qorgau.safeguards.models import Violation
from qorgau.safeguards.rulebook import safeguard_book
from tests import factories
from tests.api import test_cases as shared
from tests.api import test_safeguards as flags
from tests.api.conftest import errors, translated
from tests.api.test_cases import minor, open_case, step
from tests.api.test_safeguards import NOT_ALLOWED, found, unheard, with_adults

# The fixtures of test_cases.py and test_safeguards.py: the investigator's case, the prosecutor
# supervising it, both trained (only the intended rules fire), the prosecutor of Astana.
case = shared.case
accused = shared.accused
defending = shared.defending
trained = flags.trained
far_prosecutor = flags.far_prosecutor

SUMMARY = "/api/oversight/summary"
RED_FLAGS = "/api/violations/red-flags"


def day(offset: int = 0) -> str:
    return (timezone.localdate() + datetime.timedelta(days=offset)).isoformat()


@pytest.fixture
def three(investigator, prosecutor, trained, case, accused) -> dict[str, Violation]:
    """Three violations found today: two in the case (one acknowledged), one in another case
    (remedied)."""
    adults = found("held_with_adults", with_adults(investigator, accused, 1))
    unaided = found("defender_at_interrogation", unheard(investigator, accused, 2))
    other_case = open_case(investigator, factories.juvenile(investigator), prosecutor=prosecutor)
    elsewhere = found("defender_at_interrogation", unheard(investigator, minor(other_case), 2))
    safeguard_services.acknowledge(actor=prosecutor, violation=adults)
    safeguard_services.remedy(actor=prosecutor, violation=elsewhere, note="")
    return {"adults": adults, "unaided": unaided, "elsewhere": elsewhere}


def summary(client, **query: Any) -> dict[str, Any]:
    response = client.get(SUMMARY, query)
    assert response.status_code == 200, response.json()
    return response.json()


# GET /api/oversight/summary


def test_the_summary_counts_the_violations_found(
    api, investigator, prosecutor, three, case, accused, juvenile
):
    body = summary(api(prosecutor))
    today = timezone.localdate()
    assert body["period"] == {
        "start": (today - datetime.timedelta(days=29)).isoformat(),
        "end": today.isoformat(),
        "days": 30,
    }
    assert body["previous"] == {
        "start": (today - datetime.timedelta(days=59)).isoformat(),
        "end": (today - datetime.timedelta(days=30)).isoformat(),
        "days": 30,
    }
    figures = body["figures"]
    # Two not yet answered now (one open, one acknowledged), none at the end of the last period.
    assert figures["unresolved"] == {"current": 2, "previous": 0, "change": 2}
    assert figures["new"] == {"current": 3, "previous": 0, "change": 3}
    # Acknowledged and remedied within the test: well under an hour; nothing to compare with.
    reaction = figures["reaction_hours"]
    assert 0 <= reaction["current"] < 1
    assert (reaction["previous"], reaction["change"]) == (None, None)

    counts = {"unresolved": 2, "detected": 3, "detected_before": 0, "change": 3}
    [region] = body["by_region"]
    almaty = factories.territory(factories.ALMATY_CITY)
    assert region == {
        "kato_code": factories.ALMATY_CITY,  # the case's district belongs to Almaty city
        "name": almaty.name_kk,
        **counts,
        "median_hours": region["median_hours"],
    }
    assert [(row["id"], row["name"]) for row in body["by_agency"]] == [
        (investigator.agency_id, "Әуезов ТБ")
    ]
    assert {k: body["by_agency"][0][k] for k in counts} == counts
    [staff] = body["by_staff"]
    assert (staff["id"], staff["name"], staff["agency"]) == (
        investigator.pk,
        investigator.get_full_name(),
        "Әуезов ТБ",
    )
    assert {k: staff[k] for k in counts} == counts
    book = safeguard_book()
    expected = []
    for rule_id, detected in (("defender_at_interrogation", 2), ("held_with_adults", 1)):
        rule = book.get(rule_id)
        assert rule is not None
        expected.append(
            {
                "id": rule_id,
                "name": rule.title["kk"],
                "citation": rule.citation,
                "unresolved": 1,
                "detected": detected,
                "change": detected,
            }
        )
    keys = ("id", "name", "citation", "unresolved", "detected", "change")
    assert [{k: row[k] for k in keys} for row in body["by_rule"]] == expected

    trend = body["trend"]
    assert len(trend) == 12
    assert trend[-1] == {"month": today.replace(day=1).isoformat(), "detected": 3, "unresolved": 2}
    assert all((m["detected"], m["unresolved"]) == (0, 0) for m in trend[:-1])
    assert [m["month"] for m in trend] == sorted(m["month"] for m in trend)

    # Only the case whose violations are not all answered; the other one's is remedied.
    assert body["red_case_count"] == 1
    assert body["red_cases"] == [
        {
            "case": {"id": case.pk, "number": case.number},
            "territory": {
                "kato_code": factories.AUEZOV,
                "name": factories.territory(factories.AUEZOV).name_kk,
            },
            "minors": [
                {"id": accused.pk, "juvenile": juvenile.pk, "name": "Сейітов Нұрлан Қайратұлы"}
            ],
            "investigator": {"id": investigator.pk, "name": investigator.get_full_name()},
            "high": 2,
            "total": 2,
        }
    ]


def test_the_summary_compares_with_the_previous_period(api, prosecutor, three):
    # Move one violation into the previous period, and one answered before this period began.
    now = timezone.now()
    Violation.objects.filter(pk=three["unaided"].pk).update(
        detected_at=now - datetime.timedelta(days=40)
    )
    Violation.objects.filter(pk=three["elsewhere"].pk).update(
        detected_at=now - datetime.timedelta(days=45),
        status_changed_at=now - datetime.timedelta(days=44),
    )
    figures = summary(api(prosecutor))["figures"]
    assert figures["new"] == {"current": 1, "previous": 2, "change": -1}
    # At the end of the previous period: the moved open one; the other was answered by then.
    assert figures["unresolved"] == {"current": 2, "previous": 1, "change": 1}
    reaction = figures["reaction_hours"]
    assert reaction["previous"] == pytest.approx(24.0)
    assert reaction["change"] == pytest.approx(reaction["current"] - 24.0)
    rules = {row["id"]: row for row in summary(api(prosecutor))["by_rule"]}
    interrogations = rules["defender_at_interrogation"]
    assert (interrogations["detected"], interrogations["detected_before"]) == (0, 2)
    assert (interrogations["unresolved"], interrogations["change"]) == (1, -2)


def test_the_summary_is_in_the_users_language(api, prosecutor, three):
    set_language(actor=prosecutor, language="ru")
    body = summary(api(prosecutor))
    assert body["by_rule"][0]["name"] == "Участие защитника в допросе"
    assert body["by_region"][0]["name"] == factories.territory(factories.ALMATY_CITY).name_ru


def test_the_summary_filters(api, investigator, prosecutor, three):
    client = api(prosecutor)

    def new(**query: Any) -> int:
        return summary(client, **query)["figures"]["new"]["current"]

    def unresolved(**query: Any) -> int:
        return summary(client, **query)["figures"]["unresolved"]["current"]

    assert (new(), unresolved()) == (3, 2)
    assert new(rule="held_with_adults") == 1
    assert [row["id"] for row in summary(client, rule="held_with_adults")["by_rule"]] == [
        "held_with_adults"
    ]
    assert new(rule="defender_at_interrogation") == 2
    assert (new(status="remedied"), unresolved(status="remedied")) == (1, 0)
    assert (new(status="acknowledged"), unresolved(status="acknowledged")) == (1, 1)
    assert (new(status="unresolved"), unresolved(status="unresolved")) == (2, 2)
    assert new(severity="high") == 3
    assert (new(severity="low"), unresolved(severity="low")) == (0, 0)
    assert new(region=factories.ALMATY_CITY) == 3
    assert new(region=factories.AUEZOV) == 3
    assert (new(region=factories.ASTANA), unresolved(region=factories.ASTANA)) == (0, 0)
    assert new(agency=investigator.agency_id) == 3
    assert new(agency=prosecutor.agency_id) == 0
    assert new(responsible=investigator.pk) == 3
    assert new(responsible=prosecutor.pk) == 0
    assert new(status="open", rule="defender_at_interrogation") == 1


def test_the_period_bounds_what_was_found_not_what_waits(api, prosecutor, three):
    client = api(prosecutor)
    today = summary(client, detected_from=day(), detected_to=day())
    assert today["period"] == {"start": day(), "end": day(), "days": 1}
    assert today["previous"] == {"start": day(-1), "end": day(-1), "days": 1}
    assert today["figures"]["new"]["current"] == 3
    # A period that ended yesterday: nothing found in it, nothing waiting at its end; the tables
    # still show what waits for an answer now, and so do the red-flag cases.
    before = summary(client, detected_to=day(-1))
    assert before["period"]["end"] == day(-1)
    assert before["figures"]["new"]["current"] == 0
    assert before["figures"]["unresolved"]["current"] == 0
    assert [(row["unresolved"], row["detected"]) for row in before["by_staff"]] == [(2, 0)]
    assert before["red_case_count"] == 1
    # From a day on, up to today.
    since = summary(client, detected_from=day(-6))
    assert since["period"] == {"start": day(-6), "end": day(), "days": 7}


def test_the_summary_counts_only_the_cases_the_prosecutor_sees(api, far_prosecutor, three):
    body = summary(api(far_prosecutor))
    assert body["figures"]["new"] == {"current": 0, "previous": 0, "change": 0}
    assert body["figures"]["unresolved"]["current"] == 0
    for table in ("by_region", "by_agency", "by_rule", "by_staff", "red_cases"):
        assert body[table] == [], table
    assert body["red_case_count"] == 0
    assert all(month["detected"] == 0 for month in body["trend"])


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
        ({"agency": "one"}, "agency", None),
        ({"responsible": "me"}, "responsible", None),
        ({"detected_from": "1 March"}, "detected_from", None),
        (
            {"detected_from": day(), "detected_to": day(-3)},
            "detected_to",
            lambda: translated("kk", MESSAGE_PERIOD),
        ),
    ],
)
def test_a_bad_filter_is_refused_naming_it(api, prosecutor, three, query, field, message):
    response = api(prosecutor).get(SUMMARY, query)
    assert response.status_code == 422
    assert list(errors(response)) == [field]
    if message:
        assert errors(response)[field] == [message()]


def test_the_refused_period_is_translated(api, prosecutor, three):
    set_language(actor=prosecutor, language="ru")
    response = api(prosecutor).get(SUMMARY, {"detected_from": day(), "detected_to": day(-1)})
    assert errors(response) == {"detected_to": [translated("ru", MESSAGE_PERIOD)]}


@pytest.mark.parametrize("persona", ["investigator", "defender", "analyst", "judge", "outsider"])
def test_only_prosecutors_read_the_summary(api, request, three, defending, persona):
    response = api(request.getfixturevalue(persona)).get(SUMMARY)
    assert response.status_code == 403
    assert errors(response) == NOT_ALLOWED


def test_the_summary_takes_the_same_queries_for_3_and_15_violations(
    api, investigator, prosecutor, trained, django_assert_max_num_queries
):
    # Fewer than 15 cases wait for an answer here: from 15 on, the selector counts all of them
    # in one more query (a fixed number still, but not the same as for 3).
    def add_violations(n: int) -> None:
        # Each in its own case, for its own minor; every other one answered with an act.
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
    with django_assert_max_num_queries(20) as few:
        assert summary(client)["figures"]["new"]["current"] == 3
    add_violations(12)
    with django_assert_max_num_queries(20) as many:
        body = summary(client)
    assert body["figures"]["new"]["current"] == 15
    assert body["figures"]["unresolved"]["current"] == 8
    assert body["red_case_count"] == len(body["red_cases"]) == 8
    assert all(len(row["minors"]) == 1 for row in body["red_cases"])
    assert len(many) == len(few)


# GET /api/violations/red-flags


def test_the_red_flags_are_those_not_yet_answered(
    api, investigator, prosecutor, three, case, accused, juvenile
):
    unaided, adults = three["unaided"], three["adults"]
    for user in (investigator, prosecutor):
        response = api(user).get(RED_FLAGS)
        assert response.status_code == 200, response.json()
        body = response.json()
        assert body["count"] == 2
        # Both high: the newest first; the remedied one is not a red flag.
        assert [row["id"] for row in body["results"]] == [unaided.pk, adults.pk]
    row = body["results"][0]
    assert row == {
        "id": unaided.pk,
        "rule": "defender_at_interrogation",
        "title": flags.in_language("kk", unaided, "title"),
        "severity": "high",
        "status": "open",
        "case": {"id": case.pk, "number": case.number},
        "minor": {"id": accused.pk, "juvenile": juvenile.pk, "name": "Сейітов Нұрлан Қайратұлы"},
        "detected_at": row["detected_at"],
        "description": flags.in_language("kk", unaided, "description"),
    }
    assert body["results"][1]["status"] == "acknowledged"


def test_the_red_flags_show_the_first_10_gravest_first(
    api, investigator, prosecutor, defending, trained, case, accused
):
    for i in range(5):
        unheard(investigator, accused, 2 + 5 * i)
        with_adults(investigator, accused, 3 + 5 * i)
    # Two hours and ten minutes without a break, the defender present: a medium flag.
    start = case.offence_at + datetime.timedelta(hours=40)
    step(
        investigator,
        accused,
        "interrogation",
        40,
        ended_at=start + datetime.timedelta(minutes=130),
        attendees=[defending],
    )
    waiting = Violation.objects.filter(proceeding=case).unresolved()
    assert waiting.count() > 10
    assert waiting.exclude(severity="high").exists()
    body = api(prosecutor).get(RED_FLAGS).json()
    assert body["count"] == waiting.count()
    assert len(body["results"]) == 10
    rank = {"high": 0, "medium": 1, "low": 2}
    order = [
        (rank[row["severity"]], -shared.at(row["detected_at"]).timestamp())
        for row in body["results"]
    ]
    assert order == sorted(order)


def test_the_red_flags_are_in_the_users_language(api, prosecutor, three):
    set_language(actor=prosecutor, language="ru")
    row = api(prosecutor).get(RED_FLAGS).json()["results"][0]
    assert row["title"] == "Участие защитника в допросе"
    assert row["description"] == flags.in_language("ru", three["unaided"], "description")


def test_the_outsider_has_no_red_flags(api, outsider, far_prosecutor, three):
    for user in (outsider, far_prosecutor):
        assert api(user).get(RED_FLAGS).json() == {"count": 0, "results": []}


@pytest.mark.parametrize("persona", ["administrator", "analyst"])
def test_roles_that_do_not_read_cases_have_no_red_flags(api, request, three, persona):
    response = api(request.getfixturevalue(persona)).get(RED_FLAGS)
    assert response.status_code == 403
    assert errors(response) == NOT_ALLOWED


def test_the_red_flags_take_the_same_queries_for_3_and_15_violations(
    api, investigator, prosecutor, trained, django_assert_max_num_queries
):
    def add_violations(n: int) -> None:
        for _ in range(n):
            case = open_case(investigator, factories.juvenile(investigator), prosecutor=prosecutor)
            unheard(investigator, minor(case))

    add_violations(3)
    client = api(investigator)
    with django_assert_max_num_queries(10) as few:
        assert client.get(RED_FLAGS).json()["count"] == 3
    add_violations(12)
    with django_assert_max_num_queries(10) as many:
        body = client.get(RED_FLAGS).json()
    assert (body["count"], len(body["results"])) == (15, 10)
    assert len(many) == len(few)


# Signed out


def test_unauthenticated_calls_get_401(client, three):
    for path in (SUMMARY, RED_FLAGS):
        response = client.get(path)
        assert response.status_code == 401, path
        assert errors(response) == {"__all__": [translated("kk", MESSAGE_UNAUTHENTICATED)]}
