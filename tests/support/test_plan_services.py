"""The support-plan services: happy paths, refusals, bad input and the audit rows."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from qorgau.audit.models import AuditEvent
from qorgau.support.models import NeedKind, PlanStatus, PlanTask, SupportPlan, TaskStatus
from qorgau.support.services import plan as services
from qorgau.support.services.plan import (
    MESSAGE_ALREADY_PLANNED,
    MESSAGE_ASSIGNEE_AGENCY,
    MESSAGE_ASSIGNEE_LATER,
    MESSAGE_CANCEL_REASON,
    MESSAGE_CLOSING_NOTE,
    MESSAGE_DESCRIPTION,
    MESSAGE_NEED_EXISTS,
    MESSAGE_NOBODY_TO_ANSWER,
    MESSAGE_NOT_COORDINATOR,
    MESSAGE_NOT_OPEN,
    MESSAGE_NOT_PROPOSED,
    MESSAGE_NOT_RECEIVER,
    MESSAGE_NOT_WORKING,
    MESSAGE_PLAN_CLOSED,
    MESSAGE_REASON,
    MESSAGE_RESULT,
    MESSAGE_WRONG_CASE,
)
from tests import factories
from tests.support.plan_fixtures import *  # noqa: F403

D = datetime.timedelta(days=1)


def last_audit(action: str) -> AuditEvent:
    return AuditEvent.objects.filter(action=action).latest("id")


def messages(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return error.value.message_dict


# --- Drawing up a plan ----------------------------------------------------------------------


def test_psychologist_draws_up_a_plan_their_agency_leads(plan, psychologist, file):
    assert plan.status == PlanStatus.ACTIVE
    assert plan.lead_agency == psychologist.agency
    assert plan.coordinator == psychologist
    assert plan.accused == file.accused
    event = last_audit("plan.open")
    assert event.actor == psychologist
    assert event.subject_id == str(plan.pk)
    assert event.changes["juvenile"] == [None, plan.juvenile_id]


def test_a_second_active_plan_for_the_same_minor_is_refused(plan, file, probation):
    with pytest.raises(ValidationError) as error:
        services.open_plan(actor=probation, juvenile=file.accused.juvenile)
    assert messages(error) == {"juvenile": [str(MESSAGE_ALREADY_PLANNED)]}


def test_the_database_also_refuses_two_active_plans(plan):
    with pytest.raises(IntegrityError), transaction.atomic():
        SupportPlan.objects.create(
            juvenile=plan.juvenile,
            lead_agency=plan.lead_agency,
            coordinator=plan.coordinator,
            opened_on=plan.opened_on,
            created_by=plan.created_by,
        )


@pytest.mark.parametrize("persona", ["investigator", "judge", "defender", "institution"])
def test_roles_that_do_not_draw_up_plans_are_refused(request, persona, file):
    actor = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.open_plan(actor=actor, juvenile=file.accused.juvenile)


def test_an_outsider_cannot_draw_up_a_plan_for_a_child_they_cannot_see(file):
    astana = factories.agency("probation", factories.ASTANA)
    stranger = factories.staff("probation_inspector", astana)
    with pytest.raises(ValidationError) as error:
        services.open_plan(actor=stranger, juvenile=file.accused.juvenile)
    assert "juvenile" in messages(error)


def test_the_case_must_be_the_minors_and_visible(file, probation, team):
    other_child = factories.juvenile(team.investigator, birth_date=datetime.date(2010, 1, 1))
    with pytest.raises(ValidationError) as error:
        services.open_plan(actor=probation, juvenile=other_child, accused=file.accused)
    assert messages(error) == {"accused": [str(MESSAGE_WRONG_CASE)]}
    # The probation service takes no part in the case: it may not attach the plan to it.
    with pytest.raises(ValidationError):
        services.open_plan(actor=probation, juvenile=file.accused.juvenile, accused=file.accused)


# --- Needs ----------------------------------------------------------------------------------


def test_a_need_is_added_once_per_kind(need, psychologist, plan):
    assert need.kind == NeedKind.PSYCHOLOGICAL
    assert last_audit("plan.need").changes["kind"] == [None, "psychological"]
    with pytest.raises(ValidationError) as error:
        services.add_need(actor=psychologist, plan=plan, kind="psychological", description="x")
    assert messages(error) == {"kind": [str(MESSAGE_NEED_EXISTS)]}


def test_a_need_without_description_is_refused(plan, psychologist):
    with pytest.raises(ValidationError) as error:
        services.add_need(actor=psychologist, plan=plan, kind="study", description="  ")
    assert messages(error) == {"description": [str(MESSAGE_DESCRIPTION)]}


def test_an_unknown_kind_of_need_is_refused(plan, psychologist):
    with pytest.raises(ValidationError) as error:
        services.add_need(actor=psychologist, plan=plan, kind="astrology", description="x")
    assert "kind" in messages(error)


def test_an_agency_not_working_in_the_plan_cannot_add_needs(referral, probation):
    # It sees the plan through the referral it declined, but works in it no more than before.
    services.decline_referral(actor=probation, task=referral, reason="Есепте жоқ")
    plan = referral.plan
    with pytest.raises(PermissionDenied, match=str(MESSAGE_NOT_WORKING)):
        services.add_need(actor=probation, plan=plan, kind="study", description="Мектеп")


# --- Tasks and referrals --------------------------------------------------------------------


def test_a_task_for_the_own_agency_starts_in_progress(task, psychologist):
    assert task.status == TaskStatus.OPEN
    assert task.is_referral is False
    assert task.assignee == psychologist
    event = last_audit("plan.task")
    assert event.changes["status"] == [None, "open"]
    assert event.details["referral"] is False


def test_a_task_for_another_agency_is_a_referral_awaiting_its_answer(referral, probation):
    assert referral.status == TaskStatus.PROPOSED
    assert referral.is_referral is True
    assert referral.agency == probation.agency
    assert referral.assignee is None
    assert last_audit("plan.task").details["referral"] is True


def test_the_due_date_cannot_be_in_the_past(need, psychologist, today):
    with pytest.raises(ValidationError) as error:
        services.add_task(
            actor=psychologist,
            need=need,
            action="Кеңес",
            agency=psychologist.agency,
            due_on=today - D,
        )
    assert list(messages(error)) == ["due_on"]
    assert today.strftime("%d.%m.%Y") in messages(error)["due_on"][0]


def test_a_due_date_years_away_is_refused_as_a_mistyped_year(need, psychologist):
    with pytest.raises(ValidationError) as error:
        services.add_task(
            actor=psychologist,
            need=need,
            action="Кеңес",
            agency=psychologist.agency,
            due_on=datetime.date(9999, 12, 31),
        )
    assert messages(error) == {"due_on": [str(services.MESSAGE_DUE_FAR % {"years": 3})]}
    assert not need.tasks.exists()


def test_today_is_a_valid_due_date_and_the_demo_may_set_today(need, psychologist, today):
    on_the_day = services.add_task(
        actor=psychologist, need=need, action="Кеңес", agency=psychologist.agency, due_on=today
    )
    assert on_the_day.due_on == today
    late = services.add_task(
        actor=psychologist,
        need=need,
        action="Кеңес",
        agency=psychologist.agency,
        due_on=today - 5 * D,
        today=today - 10 * D,
    )
    assert late.due_on == today - 5 * D


def test_a_referral_names_no_staff_member_of_the_receiver(need, psychologist, probation, today):
    with pytest.raises(ValidationError) as error:
        services.add_task(
            actor=psychologist,
            need=need,
            action="Бақылау",
            agency=probation.agency,
            assignee=probation,
            due_on=today,
        )
    assert messages(error) == {"assignee": [str(MESSAGE_ASSIGNEE_LATER)]}


def test_a_referral_goes_only_to_an_agency_someone_can_answer(need, psychologist, today):
    empty = factories.agency("social_service", factories.AUEZOV)
    with pytest.raises(ValidationError) as error:
        services.add_task(actor=psychologist, need=need, action="Көмек", agency=empty, due_on=today)
    assert messages(error) == {"agency": [str(MESSAGE_NOBODY_TO_ANSWER)]}


def test_the_assignee_must_work_in_the_agency(need, psychologist, probation, defender, today):
    with pytest.raises(ValidationError) as error:
        services.add_task(
            actor=psychologist,
            need=need,
            action="Кеңес",
            agency=psychologist.agency,
            assignee=defender,  # another consultation, and a lawyer takes no support tasks
            due_on=today,
        )
    assert messages(error) == {"assignee": [str(MESSAGE_ASSIGNEE_AGENCY)]}


def test_empty_action_is_refused(need, psychologist, today):
    with pytest.raises(ValidationError) as error:
        services.add_task(
            actor=psychologist, need=need, action="", agency=psychologist.agency, due_on=today
        )
    assert "action" in messages(error)


# --- Answering a referral -------------------------------------------------------------------


def test_the_receiver_accepts_naming_who_does_it(referral, probation):
    accepted = services.accept_referral(actor=probation, task=referral, assignee=probation)
    assert accepted.status == TaskStatus.OPEN
    assert accepted.assignee == probation
    assert accepted.answered_by == probation
    assert accepted.answered_at is not None
    event = last_audit("plan.accept")
    assert event.changes["status"] == ["proposed", "open"]
    # Having taken a task, the probation service now works in the plan.
    services.add_need(
        actor=probation, plan=referral.plan, kind="sentence", description="Үкімді орындау"
    )


def test_the_receiver_declines_with_a_reason_and_the_record_stays(referral, probation):
    declined = services.decline_referral(
        actor=probation, task=referral, reason="Бала пробация есебінде тұрған жоқ."
    )
    assert declined.status == TaskStatus.DECLINED
    assert declined.decline_reason == "Бала пробация есебінде тұрған жоқ."
    assert PlanTask.objects.filter(pk=referral.pk).exists()
    assert last_audit("plan.decline").changes["decline_reason"][1].startswith("Бала")


def test_declining_needs_a_reason(referral, probation):
    with pytest.raises(ValidationError) as error:
        services.decline_referral(actor=probation, task=referral, reason=" ")
    assert messages(error) == {"reason": [str(MESSAGE_REASON)]}
    referral.refresh_from_db()
    assert referral.status == TaskStatus.PROPOSED


def test_a_referral_is_answered_once(referral, probation):
    services.accept_referral(actor=probation, task=referral)
    with pytest.raises(ValidationError, match=str(MESSAGE_NOT_PROPOSED)):
        services.decline_referral(actor=probation, task=referral, reason="Кеш")


def test_another_agency_cannot_answer_the_referral(referral, psychologist, childrights):
    with pytest.raises(PermissionDenied, match=str(MESSAGE_NOT_RECEIVER)):
        services.accept_referral(actor=psychologist, task=referral)
    with pytest.raises(PlanTask.DoesNotExist):
        # The child-rights body is not in the plan's team: the referral does not exist for it.
        services.decline_referral(actor=childrights, task=referral, reason="Біз емес")


def test_a_role_that_takes_no_tasks_cannot_answer(referral, probation):
    judge_like = factories.staff("judge", probation.agency)
    with pytest.raises(PermissionDenied):
        services.accept_referral(actor=judge_like, task=referral)


def test_the_assignee_named_on_accepting_must_be_of_the_receiver(referral, probation, institution):
    with pytest.raises(ValidationError) as error:
        services.accept_referral(actor=probation, task=referral, assignee=institution)
    assert messages(error) == {"assignee": [str(MESSAGE_ASSIGNEE_AGENCY)]}


# --- Done and cancelled ---------------------------------------------------------------------


def test_the_assignee_agency_marks_done_with_a_result(task, psychologist):
    done = services.complete_task(actor=psychologist, task=task, result="6 кеңес өтті.")
    assert done.status == TaskStatus.DONE
    assert done.done_at is not None
    assert last_audit("plan.done").changes["result"] == ["", "6 кеңес өтті."]


def test_done_needs_a_result(task, psychologist):
    with pytest.raises(ValidationError) as error:
        services.complete_task(actor=psychologist, task=task, result="")
    assert messages(error) == {"result": [str(MESSAGE_RESULT)]}


def test_only_the_agency_responsible_marks_done(referral, probation, psychologist):
    services.accept_referral(actor=probation, task=referral)
    with pytest.raises(PermissionDenied, match=str(MESSAGE_NOT_RECEIVER)):
        services.complete_task(actor=psychologist, task=referral, result="Жасалды")


def test_a_referral_not_yet_accepted_cannot_be_done(referral, probation):
    with pytest.raises(ValidationError, match=str(MESSAGE_NOT_OPEN)):
        services.complete_task(actor=probation, task=referral, result="Жасалды")


def test_the_coordinator_cancels_with_a_reason(referral, psychologist):
    cancelled = services.cancel_task(actor=psychologist, task=referral, reason="Қажет емес.")
    assert cancelled.status == TaskStatus.CANCELLED
    assert cancelled.cancelled_by == psychologist
    assert last_audit("plan.cancel").changes["status"] == ["proposed", "cancelled"]
    with pytest.raises(ValidationError) as error:
        services.cancel_task(actor=psychologist, task=referral, reason="Қайта")
    assert error.value.messages


def test_cancelling_needs_a_reason(task, psychologist):
    with pytest.raises(ValidationError) as error:
        services.cancel_task(actor=psychologist, task=task, reason="")
    assert messages(error) == {"reason": [str(MESSAGE_CANCEL_REASON)]}


def test_only_the_coordinator_side_cancels(referral, probation):
    services.accept_referral(actor=probation, task=referral)
    with pytest.raises(PermissionDenied, match=str(MESSAGE_NOT_COORDINATOR)):
        services.cancel_task(actor=probation, task=referral, reason="Біз тоқтаттық")


# --- Closing and reading --------------------------------------------------------------------


def test_a_plan_closes_only_without_tasks_left(task, psychologist, plan):
    left = str(services.MESSAGE_TASKS_LEFT % {"count": 1})
    with pytest.raises(ValidationError, match=re.escape(left)):
        services.close_plan(actor=psychologist, plan=plan, note="Бітті")
    services.complete_task(actor=psychologist, task=task, result="Жасалды")
    with pytest.raises(ValidationError) as error:
        services.close_plan(actor=psychologist, plan=plan, note="")
    assert messages(error) == {"note": [str(MESSAGE_CLOSING_NOTE)]}
    closed = services.close_plan(actor=psychologist, plan=plan, note="Мақсатқа жетті.")
    assert closed.status == PlanStatus.CLOSED
    assert closed.closed_on is not None
    assert last_audit("plan.close").actor == psychologist
    with pytest.raises(ValidationError, match=str(MESSAGE_PLAN_CLOSED)):
        services.add_need(actor=psychologist, plan=plan, kind="study", description="Оқу")


def test_reading_a_plan_is_audited_and_outsiders_find_nothing(plan, team, outsider):
    # The investigator's agency takes part in the minor's case: it sees the plan.
    seen = services.view_plan(actor=team.investigator, pk=plan.pk)
    assert seen == plan
    event = last_audit("plan.view")
    assert event.actor == team.investigator
    with pytest.raises(SupportPlan.DoesNotExist):
        services.view_plan(actor=outsider, pk=plan.pk)


def test_the_receiving_agency_sees_the_plan_through_its_task(plan, probation, referral, analyst):
    assert SupportPlan.objects.visible_to(probation).filter(pk=plan.pk).exists()
    assert not SupportPlan.objects.visible_to(analyst).exists()
