"""The defence pages read a bounded number of rows in a bounded number of queries: the same
for 2 assignments as for 12 (an N+1 fails here), and the assignments of a period in pages."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from qorgau.defence import selectors
from qorgau.defence.models import OnDutyAssignment
from qorgau.proceedings.models import EventKind
from tests.defence.test_assign import assign
from tests.proceedings.factories import CaseFile, minor, open_case

H = datetime.timedelta(hours=1)
M = datetime.timedelta(minutes=1)


@pytest.fixture
def more(team, offence_at, offence_day, night_shifts, bar_psychologist):
    """`more(n)`: n more minors detained and assigned the pair on duty, each in a case."""

    def add(n: int) -> None:
        for _ in range(n):
            case = open_case(team, minor(team.investigator, offence_day), offence_at=offence_at)
            file = CaseFile(team, case, case.accused.get())
            file.record(EventKind.DETENTION, at=file.offence + H)
            assign(file, psychologist=bar_psychologist)

    return add


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("who", "url", "most"),
    [
        # Today with the member's shifts and awaited arrivals (and the other areas' panels).
        # Budgets include the agency's staff ids (case_ids_of_agency) and the red flags' rows.
        ("lawyer", "/", 16),
        ("bar_psychologist", "/", 23),
        ("investigator", "/duty/response-times/", 12),
        ("analyst", "/duty/response-times/", 9),
        ("prosecutor", "/duty/response-times/", 13),
        ("investigator", "/api/response-times", 13),
        ("analyst", "/api/response-times", 7),
    ],
)
def test_the_same_queries_for_2_and_12_assignments(client, more, request, who, url, most):
    client.force_login(request.getfixturevalue(who))
    more(2)
    few = queries(client, url)
    more(10)
    many = queries(client, url)
    assert few == many <= most, (few, many)


def test_the_period_s_assignments_come_in_pages(client, more, investigator, analyst, settings):
    settings.QORGAU_PAGE_SIZE = 5
    more(12)
    client.force_login(investigator)
    response = client.get(reverse("response_times"), {"page": "3"})
    assert response.context["total"]["count"] == 12 and len(response.context["rows"]) == 2
    assert response.context["page_obj"].paginator.num_pages == 3
    body = client.get("/api/response-times", {"page": 2}).json()
    assert (body["page"], body["pages"], len(body["assignments"])) == (2, 3, 5)
    newest = list(OnDutyAssignment.objects.order_by("-assigned_at", "-id").values_list("pk"))
    assert [a["id"] for a in body["assignments"]] == [pk for (pk,) in newest[5:10]]
    assert client.get("/api/response-times", {"page": 4}).status_code == 422
    client.force_login(analyst)
    assert client.get("/api/response-times", {"page": 2}).json()["assignments"] == []


def test_the_assignment_keeps_the_first_arrival(detained, night_shifts, lawyer, bar_psychologist):
    assigned = assign(detained, psychologist=bar_psychologist)
    assert assigned.detained_at == detained.offence + H
    for minutes in (200, 180, 240):  # recorded late, early, later: the earliest stays
        detained.record(
            EventKind.DEFENDER_ARRIVED, actor=lawyer, at=detained.offence + minutes * M,
            participant=assigned.defender,
        )  # fmt: skip
    assigned.refresh_from_db()
    assert assigned.defender_arrived_at == detained.offence + 180 * M
    assert assigned.psychologist_arrived_at is None
    (row,) = selectors.measure([assigned])
    assert row.to_defender == 2 * H


@pytest.mark.parametrize("url", ["/duty/", "/api/duty-shifts"])
def test_the_roster_reads_a_week_of_shifts_in_the_same_queries_for_2_and_8(
    client, lawyer, bar_psychologist, url
):
    from qorgau.defence.models import Duty
    from tests.defence.conftest import shift

    monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday())
    start = timezone.make_aware(datetime.datetime.combine(monday, datetime.time(8)))
    client.force_login(lawyer)

    def add(days: range) -> None:
        for day in days:
            at = start + day * 24 * H
            shift(lawyer, lawyer, Duty.DEFENDER, at)
            shift(lawyer, bar_psychologist, Duty.PSYCHOLOGIST, at)

    add(range(1))
    few = queries(client, url)
    add(range(1, 4))
    assert queries(client, url) == few
