"""Progress figures and the overdue boundary (days are days in Asia/Almaty)."""

import datetime

import pytest
from django.utils import timezone

from qorgau.accounts.models import Role
from qorgau.support.selectors.plan import (
    Cover,
    TaskFilters,
    days_overdue,
    plan_for_page,
    plan_progress,
    task_list,
    today_for,
)
from qorgau.support.services import plan as services
from tests import factories
from tests.support.plan_fixtures import *  # noqa: F403

D = datetime.timedelta(days=1)
UTC = datetime.UTC


def test_progress_counts_done_of_those_that_count(task, referral, psychologist, probation):
    study = services.add_need(actor=psychologist, plan=task.plan, kind="study", description="Оқу")
    services.complete_task(actor=psychologist, task=task, result="Жасалды")
    services.decline_referral(actor=probation, task=referral, reason="Біз емес")
    plan = plan_for_page(actor=psychologist, pk=task.plan_id)
    progress = plan_progress(plan)
    assert progress.counts["done"] == 1
    assert progress.counts["declined"] == 1
    assert (progress.done, progress.total, progress.percent) == (1, 1, 100)
    assert progress.overdue == 0
    covers = {item.need.kind: item.cover for item in progress.needs}
    assert covers == {
        "psychological": Cover.COVERED,
        "prevention": Cover.UNCOVERED,  # the declined referral leaves it uncovered
        "study": Cover.UNCOVERED,
    }
    assert progress.uncovered == 2
    assert study.pk in {item.need.pk for item in progress.needs}


def test_a_referral_awaiting_an_answer_leaves_its_need_awaiting(referral, psychologist):
    plan = plan_for_page(actor=psychologist, pk=referral.plan_id)
    progress = plan_progress(plan)
    assert {item.need.kind: item.cover for item in progress.needs} == {"prevention": Cover.AWAITING}
    assert (progress.done, progress.total, progress.awaiting) == (0, 1, 1)


def test_a_task_due_today_is_not_overdue_until_tomorrow(task, psychologist):
    due = task.due_on
    on_the_day = today_for(psychologist, today=due)
    assert [t.pk for t in on_the_day.due_soon.rows] == [task.pk]
    assert on_the_day.overdue.count == 0
    next_day = today_for(psychologist, today=due + D)
    assert [t.pk for t in next_day.overdue.rows] == [task.pk]
    assert days_overdue(next_day.overdue.rows[0], due + D) == 1


def test_the_day_turns_at_midnight_in_almaty_not_utc(task, psychologist, monkeypatch):
    due = task.due_on
    # 19:30 UTC on the due day is already 00:30 of the next day in Almaty (UTC+5).
    evening_utc = datetime.datetime.combine(due, datetime.time(19, 30), tzinfo=UTC)
    monkeypatch.setattr(timezone, "now", lambda: evening_utc)
    assert timezone.localdate() == due + D
    found = today_for(psychologist)
    assert [t.pk for t in found.overdue.rows] == [task.pk]
    # At 18:30 UTC it is 23:30 in Almaty: still the due day.
    monkeypatch.setattr(timezone, "now", lambda: evening_utc - datetime.timedelta(hours=1))
    assert today_for(psychologist).overdue.count == 0


def test_due_this_week_means_today_and_the_six_days_after(need, psychologist, today):
    for days in (0, 6, 7):
        services.add_task(
            actor=psychologist,
            need=need,
            action=f"+{days}",
            agency=psychologist.agency,
            due_on=today + days * D,
        )
    found = today_for(psychologist, today=today)
    assert sorted(t.action for t in found.due_soon.rows) == ["+0", "+6"]


def test_unassigned_tasks_of_the_agency_reach_every_member(need, psychologist, today):
    colleague = factories.staff(Role.SOCIAL_PSYCHOLOGIST, psychologist.agency)
    services.add_task(
        actor=psychologist,
        need=need,
        action="Кім болса да",
        agency=psychologist.agency,
        due_on=today,
    )
    assert today_for(colleague, today=today).due_soon.count == 1


def test_referrals_reach_only_the_receiver(referral, probation, psychologist):
    assert [t.pk for t in today_for(probation).referrals.rows] == [referral.pk]
    assert today_for(psychologist).referrals.count == 0


def test_the_task_list_filters(need, psychologist, today):
    late = services.add_task(
        actor=psychologist,
        need=need,
        action="Кеш",
        agency=psychologist.agency,
        due_on=today - 2 * D,
        today=today - 5 * D,
    )
    services.add_task(
        actor=psychologist, need=need, action="Уақытында", agency=psychologist.agency, due_on=today
    )
    assert task_list(actor=psychologist, filters=TaskFilters()).count() == 2
    overdue = task_list(actor=psychologist, filters=TaskFilters(overdue=True), today=today)
    assert list(overdue) == [late]
    services.complete_task(actor=psychologist, task=late, result="Жасалды")
    assert task_list(actor=psychologist, filters=TaskFilters(status="done")).get() == late


@pytest.mark.parametrize("count", [2, 12])
def test_the_plan_page_read_takes_a_fixed_number_of_queries(
    need, psychologist, today, count, django_assert_num_queries
):
    for number in range(count):
        services.add_task(
            actor=psychologist,
            need=need,
            action=f"{number}",
            agency=psychologist.agency,
            due_on=today,
        )
    with django_assert_num_queries(3):
        plan = plan_for_page(actor=psychologist, pk=need.plan_id)
        plan_progress(plan)
