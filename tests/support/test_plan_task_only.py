"""An agency whose only link to a plan is a task sees its tasks, not the case (issue 12).

Need to know: the probation service asked to hold a prevention talk needs the child, its task,
the need it answers and whom to ask; not the criminal case nor the other agencies' work.
"""

import pytest
from django.urls import reverse
from django.utils import translation

from qorgau.support.models import NeedKind
from qorgau.support.selectors.plan import current_plan, plan_for_page, plans_of_juvenile
from qorgau.support.services import plan as services
from tests.support.plan_fixtures import *  # noqa: F403


@pytest.fixture
def own_task(need, psychologist, today):
    """The lead consultation's own task, for another need than the referral's."""
    assert psychologist.agency is not None
    return services.add_task(
        actor=psychologist,
        need=need,
        action="Психологпен апта сайын кездесу.",
        agency=psychologist.agency,
        due_on=today,
    )


def test_the_lead_agency_sees_the_whole_plan(plan, own_task, referral, psychologist):
    whole = plan_for_page(actor=psychologist, pk=plan.pk)
    assert not whole.task_only
    assert {task.pk for task in whole.tasks.all()} == {own_task.pk, referral.pk}
    assert len(whole.needs.all()) == 2


def test_a_task_only_agency_sees_its_task_and_its_need(plan, own_task, referral, probation):
    seen = plan_for_page(actor=probation, pk=plan.pk)
    assert seen.task_only
    assert [task.pk for task in seen.tasks.all()] == [referral.pk]
    assert [need.kind for need in seen.needs.all()] == [NeedKind.PREVENTION]
    (listed,) = plans_of_juvenile(actor=probation, juvenile=plan.juvenile)
    assert listed.task_only and [t.pk for t in listed.tasks.all()] == [referral.pk]
    current = current_plan(actor=probation, juvenile=plan.juvenile)
    assert current is not None and current.task_only


def test_the_case_team_sees_the_whole_plan(plan, own_task, referral, file):
    seen = plan_for_page(actor=file.team.investigator, pk=plan.pk)
    assert not seen.task_only and len(seen.tasks.all()) == 2


def test_the_plan_page_hides_the_case_from_a_task_only_agency(
    client, plan, own_task, referral, probation, psychologist, file
):
    url = reverse("plan_detail", args=[plan.pk])
    client.force_login(probation)
    with translation.override("en"):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert file.case.number not in page
    assert "Профилактикалық әңгіме" in page  # its own task
    assert "Психологпен апта сайын кездесу" not in page  # the lead agency's task
    assert plan.juvenile.full_name in page
    client.force_login(psychologist)
    page = client.get(url).content.decode()
    assert file.case.number in page and "Психологпен апта сайын кездесу" in page


def test_the_plan_api_hides_the_case_from_a_task_only_agency(
    client, plan, own_task, referral, probation, file
):
    client.force_login(probation)
    body = client.get(f"/api/plans/{plan.pk}").json()
    assert body["task_only"] is True
    assert (body["case"], body["accused"]) == (None, None)
    assert [need["kind"] for need in body["needs"]] == [NeedKind.PREVENTION]
    assert body["progress"]["total"] == 1
    assert body["juvenile"]["iin_masked"].endswith(plan.juvenile.iin[-4:])
    assert plan.juvenile.iin not in str(body)
    client.force_login(file.team.investigator)
    body = client.get(f"/api/plans/{plan.pk}").json()
    assert body["task_only"] is False and body["case"] == file.case.pk
    assert len(body["needs"]) == 2
