"""Pages of the accompaniment cost a fixed number of queries, however many rows they show.

Each page is read with few rows and with more: the counts must be equal (an N+1 fails here)
and stay under a ceiling. The ceilings are today's counts with a little room.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qorgau.support.models import InterviewWith
from qorgau.support.services import plan as plan_services
from qorgau.support.services import portrait as portrait_services
from tests.factories import PASSWORD
from tests.proceedings import factories as cases
from tests.support.plan_fixtures import *  # noqa: F403
from tests.support.portrait_fixtures import *  # noqa: F403
from tests.support.portrait_fixtures import interview

D = datetime.timedelta(days=1)


def client_for(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def another_portrait(team, psychologist, offence_at):
    """A second minor's case with the psychologist in it, and its portrait with an interview."""
    child = cases.minor(team.investigator, offence_at.date(), 15)
    case = cases.open_case(team, child, offence_at=offence_at)
    found = cases.add_people(cases.CaseFile(team, case, case.accused.get()))
    started = portrait_services.start_portrait(actor=psychologist, accused=found.accused)
    interview(started, psychologist, InterviewWith.MINOR, "Бала")
    return started


def test_today_reads_portraits_in_progress_in_fixed_queries(
    client,
    team,
    portrait,
    psychologist,
    offence_at,
):
    web = client_for(client, psychologist)
    few = queries(web, reverse("home"))
    for _ in range(3):
        another_portrait(team, psychologist, offence_at)
    portrait_services.start_report_version(actor=psychologist, portrait=portrait)
    page = web.get(reverse("home")).content.decode()
    assert page.count("/portrait/") >= 4
    many = queries(web, reverse("home"))
    assert few == many
    assert many <= 30


def add_tasks(psychologist, need, today, count: int) -> None:
    for day in range(count):
        plan_services.add_task(
            actor=psychologist,
            need=need,
            action=f"Кеңес {day}.",
            agency=psychologist.agency,
            assignee=psychologist,
            due_on=today + day * D,
        )


def test_today_and_the_task_list_read_tasks_in_fixed_queries(
    client, psychologist, need, today, referral
):
    web = client_for(client, psychologist)
    add_tasks(psychologist, need, today, 1)
    few = {url: queries(web, url) for url in (reverse("home"), reverse("plan_tasks"))}
    add_tasks(psychologist, need, today, 6)
    many = {url: queries(web, url) for url in (reverse("home"), reverse("plan_tasks"))}
    assert few == many
    assert many[reverse("plan_tasks")] <= 15


def test_the_plan_page_reads_needs_and_tasks_in_fixed_queries(
    client, psychologist, plan, need, today, referral
):
    web = client_for(client, psychologist)
    url = reverse("plan_detail", args=[plan.pk])
    add_tasks(psychologist, need, today, 1)
    few = queries(web, url)
    add_tasks(psychologist, need, today, 5)
    many = queries(web, url)
    assert few == many
    assert many <= 25


@pytest.mark.parametrize("reader", ["psychologist", "investigator"])
def test_the_case_page_panels_cost_the_same_with_more_versions(
    request,
    client,
    file,
    portrait,
    psychologist,
    reader,
):
    web = client_for(client, request.getfixturevalue(reader))
    url = reverse("case_detail", args=[file.case.pk])
    few = queries(web, url)
    interview(portrait, psychologist, InterviewWith.MOTHER, "Ана")
    interview(portrait, psychologist, InterviewWith.FATHER, "Әке")
    assert queries(web, url) == few
