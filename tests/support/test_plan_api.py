"""The support-plan API: reads in scope, writes through the services, errors naming the field."""

import datetime

import pytest

from qorgau.accounts.models import User
from qorgau.core.versioning import StaleVersion
from qorgau.support.models import PlanTask, SupportPlan, TaskStatus
from tests.support.plan_fixtures import *  # noqa: F403

D = datetime.timedelta(days=1)


@pytest.fixture
def api(client):
    def as_user(user):
        User.objects.filter(pk=user.pk).update(language="en")
        client.force_login(user)
        return client

    return as_user


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_drawing_up_a_plan_and_adding_needs_and_tasks(api, file, psychologist, probation, today):
    client = api(psychologist)
    created = post(
        client,
        "/api/plans",
        {"juvenile": file.accused.juvenile_id, "accused": file.accused.pk, "goal": "Оқу"},
    )
    assert created.status_code == 201, created.content
    plan = created.json()
    assert plan["case"] == file.case.pk
    assert plan["coordinator"]["id"] == psychologist.pk
    need = post(
        client,
        f"/api/plans/{plan['id']}/needs",
        {"kind": "family", "description": "Ата-анамен жұмыс", "priority": "high"},
    )
    assert need.status_code == 201, need.content
    task = post(
        client,
        f"/api/plans/{plan['id']}/tasks",
        {
            "need": need.json()["id"],
            "action": "Отбасына бару",
            "agency": probation.agency_id,
            "due_on": str(today + 5 * D),
        },
    )
    assert task.status_code == 201, task.content
    assert task.json()["status"] == "proposed"
    assert task.json()["is_referral"] is True
    read = client.get(f"/api/plans/{plan['id']}").json()
    assert read["needs"][0]["cover"] == "awaiting"
    assert read["progress"]["total"] == 1


def test_bad_ids_answer_422_naming_the_field(api, plan, psychologist, today):
    client = api(psychologist)
    response = post(client, "/api/plans", {"juvenile": 999999})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "juvenile"
    bad = post(
        client,
        f"/api/plans/{plan.pk}/tasks",
        {"need": 999999, "action": "x", "agency": 1, "due_on": str(today)},
    )
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["field"] == "need"


def test_a_past_due_date_answers_422(api, need, psychologist, today):
    response = post(
        api(psychologist),
        f"/api/plans/{need.plan_id}/tasks",
        {
            "need": need.pk,
            "action": "Кеш",
            "agency": psychologist.agency_id,
            "due_on": str(today - D),
        },
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "due_on"


def test_answering_a_referral(api, referral, probation):
    client = api(probation)
    missing = post(client, f"/api/plan-tasks/{referral.pk}/decline", {"reason": ""})
    assert missing.status_code == 422
    assert missing.json()["detail"][0]["field"] == "reason"
    accepted = post(client, f"/api/plan-tasks/{referral.pk}/accept", {"assignee": probation.pk})
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["assignee"]["id"] == probation.pk
    done = post(client, f"/api/plan-tasks/{referral.pk}/done", {"result": "Бару жасалды."})
    assert done.json()["status"] == TaskStatus.DONE


def test_wrong_agency_gets_403_and_outsider_404(api, referral, psychologist, outsider):
    wrong = post(api(psychologist), f"/api/plan-tasks/{referral.pk}/accept", {})
    assert wrong.status_code == 403
    assert api(outsider).get(f"/api/plans/{referral.plan_id}").status_code == 404
    stranger = post(api(outsider), f"/api/plan-tasks/{referral.pk}/accept", {})
    assert stranger.status_code == 403


def test_an_outsider_with_the_role_gets_404(api, plan):
    from tests import factories

    astana = factories.agency("probation", factories.ASTANA)
    stranger = factories.staff("probation_inspector", astana)
    assert api(stranger).get(f"/api/plans/{plan.pk}").status_code == 404


def test_my_tasks_with_the_overdue_filter(api, need, psychologist, today):
    from qorgau.support.services import plan as services

    services.add_task(
        actor=psychologist,
        need=need,
        action="Кеш",
        agency=psychologist.agency,
        due_on=today - 2 * D,
        today=today - 9 * D,
    )
    services.add_task(
        actor=psychologist, need=need, action="Бүгін", agency=psychologist.agency, due_on=today
    )
    client = api(psychologist)
    every = client.get("/api/plan-tasks").json()
    assert every["count"] == 2
    late = client.get("/api/plan-tasks", {"overdue": "true"}).json()
    assert late["count"] == 1
    assert late["results"][0]["days_overdue"] == 2


def test_a_minors_plans(api, plan, psychologist):
    rows = api(psychologist).get(f"/api/juveniles/{plan.juvenile_id}/plans").json()
    assert [row["id"] for row in rows] == [plan.pk]
    assert rows[0]["status"] == "active"


def test_closing_a_plan(api, plan, psychologist):
    response = post(api(psychologist), f"/api/plans/{plan.pk}/close", {"note": "Бітті"})
    assert response.status_code == 200
    assert SupportPlan.objects.get().status == "closed"


def test_plans_and_tasks_answer_with_their_version(api, plan, task, psychologist):
    client = api(psychologist)
    read = client.get(f"/api/plans/{plan.pk}")
    assert read.status_code == 200
    assert read["ETag"] == f'W/"{read.json()["version"]}"'
    task_version = PlanTask.objects.get(pk=task.pk).version
    stale = PlanTask.objects.get(pk=task.pk)
    done = post(client, f"/api/plan-tasks/{task.pk}/done", {"result": "Өткізілді."})
    assert done.status_code == 200, done.content
    assert done.json()["version"] == task_version + 1
    assert done["ETag"] == f'W/"{task_version + 1}"'
    stale.result = "ескі"
    with pytest.raises(StaleVersion):
        stale.save()
    assert PlanTask.objects.get(pk=task.pk).result == "Өткізілді."


def test_a_stale_copy_of_a_plan_cannot_be_saved(plan):
    stale = SupportPlan.objects.get(pk=plan.pk)
    fresh = SupportPlan.objects.get(pk=plan.pk)
    fresh.goal = "Жаңа мақсат"
    fresh.save()
    stale.goal = "Ескі мақсат"
    with pytest.raises(StaleVersion):
        stale.save()
    assert SupportPlan.objects.get(pk=plan.pk).goal == "Жаңа мақсат"
