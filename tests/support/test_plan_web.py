"""The support plan pages: who sees what, each form's happy path and errors, the panels."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qorgau.accounts.models import User
from qorgau.support.models import NeedKind, PlanTask, SupportPlan, TaskStatus
from qorgau.support.services import plan as services
from tests.support.plan_fixtures import *  # noqa: F403

D = datetime.timedelta(days=1)


@pytest.fixture
def signed_in(client):
    def sign_in(user):
        User.objects.filter(pk=user.pk).update(language="en")  # content is checked in English
        client.force_login(user)
        return client

    return sign_in


def date_fields(name, day):
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


def case_page(file):
    return reverse("case_detail", args=[file.case.pk]) + f"?minor={file.accused.pk}"


# --- The case page's panel and drawing up a plan --------------------------------------------


def test_the_case_panel_offers_a_plan_to_a_plan_maker(signed_in, file, psychologist):
    page = signed_in(psychologist).get(case_page(file)).content.decode()
    assert "Individual support plan" in page
    assert "No support plan has been drawn up for this minor." in page
    assert reverse("plan_create", args=[file.case.pk, file.accused.pk]) in page


def test_the_case_panel_offers_nothing_to_draw_up_to_an_investigator(signed_in, file, team):
    page = signed_in(team.investigator).get(case_page(file)).content.decode()
    assert "No support plan has been drawn up for this minor." in page
    assert "Draw up a support plan" not in page


def test_drawing_up_a_plan_from_the_case(signed_in, file, psychologist):
    client = signed_in(psychologist)
    url = reverse("plan_create", args=[file.case.pk, file.accused.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"goal": "Мектепке қайта оралу."})
    plan = SupportPlan.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("plan_detail", args=[plan.pk])
    assert plan.accused == file.accused
    assert plan.goal == "Мектепке қайта оралу."


def test_the_case_panel_shows_progress_and_needs(signed_in, file, task, referral, psychologist):
    page = signed_in(psychologist).get(case_page(file)).content.decode()
    assert "0 of 2 tasks done (0%)" in page
    assert "1 referral awaiting an answer" in page
    assert "Psychological help: " in page
    assert "covered" in page
    assert reverse("plan_detail", args=[task.plan_id]) in page
    assert "Draw up a support plan" not in page


# --- The plan page ---------------------------------------------------------------------------


def test_the_plan_page_shows_needs_tasks_and_statuses(signed_in, task, referral, psychologist):
    page = signed_in(psychologist).get(reverse("plan_detail", args=[task.plan_id]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Psychological help" in text
    assert "Prevention of re-offending" in text
    assert "In progress" in text or "in progress" in text
    assert "referral awaiting an answer" in text
    assert "awaiting an answer" in text
    assert reverse("plan_task_cancel", args=[referral.pk]) in text
    assert reverse("plan_task_done", args=[task.pk]) in text
    # The psychologist's consultation does not answer the probation service's referral.
    assert reverse("plan_task_answer", args=[referral.pk]) not in text


def test_the_case_team_reads_the_plan_and_an_outsider_gets_404(signed_in, plan, team, outsider):
    # The case has not reached the court: the court is not yet in the team.
    assert signed_in(team.judge).get(reverse("plan_detail", args=[plan.pk])).status_code == 404
    assert (
        signed_in(team.investigator).get(reverse("plan_detail", args=[plan.pk])).status_code == 200
    )
    assert signed_in(outsider).get(reverse("plan_detail", args=[plan.pk])).status_code == 404


def test_a_role_without_plans_gets_403(signed_in, plan, analyst):
    assert signed_in(analyst).get(reverse("plan_detail", args=[plan.pk])).status_code == 403


# --- Needs and tasks ------------------------------------------------------------------------


def test_adding_a_need_and_its_errors(signed_in, plan, psychologist):
    client = signed_in(psychologist)
    url = reverse("plan_need_add", args=[plan.pk])
    error = client.post(url, {"kind": "study", "priority": "normal", "description": ""})
    assert error.status_code == 200
    assert "Describe what the minor needs." in error.content.decode()
    assert "Error:" in error.content.decode()
    response = client.post(
        url, {"kind": "study", "priority": "high", "description": "9-сыныпты бітіру."}
    )
    assert response.status_code == 302
    assert plan.needs.get().kind == NeedKind.STUDY
    # A kind already in the plan is not offered again.
    assert 'value="study"' not in client.get(url).content.decode()


def test_setting_a_task_for_the_own_agency(signed_in, need, psychologist, today):
    client = signed_in(psychologist)
    url = reverse("plan_task_add", args=[need.plan_id, need.pk])
    form = client.get(url).content.decode()
    assert "your agency" in form
    response = client.post(
        url,
        {
            "action": "Топтық тренинг.",
            "agency": psychologist.agency_id,
            "assignee": psychologist.pk,
            **date_fields("due_on", today + 3 * D),
        },
    )
    assert response.status_code == 302
    task = PlanTask.objects.get()
    assert task.status == TaskStatus.OPEN
    assert task.assignee == psychologist


def test_sending_a_referral_and_a_past_due_date(signed_in, need, psychologist, probation, today):
    client = signed_in(psychologist)
    url = reverse("plan_task_add", args=[need.plan_id, need.pk])
    past = client.post(
        url,
        {"action": "Бақылау", "agency": probation.agency_id, **date_fields("due_on", today - D)},
    )
    assert "The due date cannot be in the past" in past.content.decode()
    response = client.post(
        url,
        {"action": "Бақылау", "agency": probation.agency_id, **date_fields("due_on", today)},
    )
    assert response.status_code == 302
    assert PlanTask.objects.get().status == TaskStatus.PROPOSED


def test_an_agency_outside_the_plan_cannot_add_tasks(signed_in, referral, probation):
    need = referral.need
    response = signed_in(probation).get(reverse("plan_task_add", args=[need.plan_id, need.pk]))
    assert response.status_code == 403


# --- Answering, done, cancelled -------------------------------------------------------------


def test_declining_needs_a_reason_on_the_answer_page(signed_in, referral, probation):
    client = signed_in(probation)
    url = reverse("plan_task_answer", args=[referral.pk])
    page = client.get(url).content.decode()
    assert "Does your agency accept the referral?" in page
    error = client.post(url, {"answer": "decline", "reason": ""})
    assert "Give the reason for declining the referral." in error.content.decode()
    client.post(url, {"answer": "decline", "reason": "Бала біздің есепте жоқ."})
    referral.refresh_from_db()
    assert referral.status == TaskStatus.DECLINED
    plan_page = client.get(reverse("plan_detail", args=[referral.plan_id])).content.decode()
    assert "Declined because:" in plan_page
    assert "not covered" in plan_page


def test_accepting_names_who_does_it(signed_in, referral, probation):
    client = signed_in(probation)
    url = reverse("plan_task_answer", args=[referral.pk])
    response = client.post(url, {"answer": "accept", "assignee": probation.pk})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == TaskStatus.OPEN
    assert referral.assignee == probation


def test_another_agency_cannot_open_the_answer_page(signed_in, referral, psychologist):
    url = reverse("plan_task_answer", args=[referral.pk])
    assert signed_in(psychologist).get(url).status_code == 403


def test_marking_done_needs_a_result(signed_in, task, psychologist):
    client = signed_in(psychologist)
    url = reverse("plan_task_done", args=[task.pk])
    error = client.post(url, {"result": ""})
    assert "Describe the result" in error.content.decode()
    client.post(url, {"result": "4 кеңес өтті."})
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE


def test_cancelling_a_task(signed_in, referral, psychologist):
    client = signed_in(psychologist)
    url = reverse("plan_task_cancel", args=[referral.pk])
    assert "Give the reason for cancelling the task." in client.post(url, {}).content.decode()
    client.post(url, {"reason": "Басқа қызмет алды."})
    referral.refresh_from_db()
    assert referral.status == TaskStatus.CANCELLED


def test_closing_the_plan(signed_in, plan, psychologist):
    client = signed_in(psychologist)
    url = reverse("plan_close", args=[plan.pk])
    assert "Write a closing note" in client.post(url, {"note": ""}).content.decode()
    client.post(url, {"note": "Мақсатқа жетті."})
    plan.refresh_from_db()
    assert plan.status == "closed"


# --- The Today page and the task list -------------------------------------------------------


def late_task(need, actor, today, days_late=3):
    return services.add_task(
        actor=actor,
        need=need,
        action=f"Кешіккен тапсырма {days_late}",
        agency=actor.agency,
        assignee=actor,
        due_on=today - days_late * D,
        today=today - 30 * D,
    )


def test_the_home_page_shows_the_assignees_overdue_task(signed_in, need, psychologist, today):
    late_task(need, psychologist, today)
    page = signed_in(psychologist).get(reverse("home")).content.decode()
    assert "Support plan tasks" in page
    assert "Overdue" in page
    assert "3 days overdue" in page
    assert "All 1 overdue task" in page


def test_the_home_page_shows_referrals_to_answer(signed_in, referral, probation):
    page = signed_in(probation).get(reverse("home")).content.decode()
    assert "Referrals awaiting your agency&#x27;s answer" in page or "awaiting your agency" in page
    assert reverse("plan_task_answer", args=[referral.pk]) in page


def test_the_home_panel_is_absent_for_roles_without_plans(signed_in, analyst):
    assert "Support plan tasks" not in signed_in(analyst).get(reverse("home")).content.decode()


def test_the_home_page_queries_do_not_grow_with_tasks(
    signed_in, need, psychologist, referral, today
):
    client = signed_in(psychologist)
    for days in range(1, 12):  # more than a table shows: its count is asked for
        late_task(need, psychologist, today, days)
    services.add_task(
        actor=psychologist, need=need, action="Бүгін", agency=psychologist.agency, due_on=today
    )

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("home")).status_code == 200
        return len(queries)

    few = count()
    for days in range(12, 30):
        late_task(need, psychologist, today, days)
    for _ in range(5):
        services.add_task(
            actor=psychologist, need=need, action="Бүгін", agency=psychologist.agency, due_on=today
        )
    assert count() == few


def test_the_task_list_filters_overdue(signed_in, need, psychologist, today):
    late_task(need, psychologist, today)
    services.add_task(
        actor=psychologist, need=need, action="Болашақта", agency=psychologist.agency, due_on=today
    )
    client = signed_in(psychologist)
    every = client.get(reverse("plan_tasks")).content.decode()
    assert "2 tasks" in every
    late = client.get(reverse("plan_tasks"), {"overdue": "on"}).content.decode()
    assert "1 task" in late
    assert "3 days overdue" in late
