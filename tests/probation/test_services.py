"""The probation services: receiving the minor, register, plan, check-ins, breaches, hours, end,
the reminders sweep, and every guard."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from qorgau.accounts.models import AgencyType, Role
from qorgau.audit.models import AuditEvent
from qorgau.probation import services
from qorgau.probation.models import (
    Basis,
    Breach,
    CheckIn,
    Reminder,
    ReminderKind,
    Status,
    Supervision,
    WorkLog,
)
from qorgau.probation.rulebook import probation_book
from qorgau.proceedings.models import EventKind
from tests import factories
from tests.probation.conftest import D, sentence
from tests.proceedings import factories as case_factories

pytestmark = pytest.mark.django_db


def state() -> tuple:
    """Everything a refused call must leave as it was."""
    return (
        list(
            Supervision.objects.values_list(
                "pk", "status", "next_check_in_on", "hours_worked", "ended_on", "work_hours"
            )
        ),
        CheckIn.objects.count(),
        Breach.objects.count(),
        WorkLog.objects.count(),
        Reminder.objects.count(),
        AuditEvent.objects.count(),
    )


def refused(call, **kwargs) -> dict[str, list[str]]:
    before = state()
    with pytest.raises(ValidationError) as info:
        call(**kwargs)
    assert state() == before
    error = info.value
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}


def denied(call, **kwargs) -> str:
    before = state()
    with pytest.raises(PermissionDenied) as info:
        call(**kwargs)
    assert state() == before
    return str(info.value)


def last(action: str) -> AuditEvent:
    event = AuditEvent.objects.filter(action=action).order_by("-id").first()
    assert event is not None
    return event


def today() -> datetime.date:
    return timezone.localdate()


# --- The law as data --------------------------------------------------------------------


def test_the_report_deadline_is_ten_days_by_cpc_398():
    rule = probation_book().report_rule(datetime.date(2026, 1, 1))
    assert rule["days"] == 10
    assert "398" in rule.citation


def test_follow_ups_are_at_3_6_and_12_months():
    assert probation_book().follow_up_months(datetime.date(2026, 1, 1)) == [3, 6, 12]
    assert probation_book().reoffending_months(datetime.date(2026, 1, 1)) == 12


# --- Receiving the minor ----------------------------------------------------------------


def test_a_judgment_in_force_hands_the_minor_to_the_district_probation_service(
    file, inspector, offence_day
):
    sentence(file)
    supervision = Supervision.objects.get(accused=file.accused)
    assert supervision.agency == inspector.agency
    assert supervision.basis == Basis.PUNISHMENT
    assert supervision.punishment == "community_works"
    assert supervision.status == Status.AWAITING
    assert supervision.starts_on == offence_day
    assert supervision.report_by == offence_day + 10 * D
    assert supervision.ends_on == services.add_months(offence_day, 4)
    assert "398" in supervision.report_citation
    event = last("probation.receive")
    assert event.actor == file.team.judge
    assert event.subject_id == str(supervision.pk)


def test_the_region_service_receives_when_the_district_has_none(file, other_inspector):
    sentence(file)
    assert Supervision.objects.get(accused=file.accused).agency == other_inspector.agency


def test_a_conditional_sentence_is_supervised_for_its_probation_period(file, inspector):
    sentence(file, punishment="deprivation_of_liberty", term_months=24, conditional=True,
             probation_months=12)  # fmt: skip
    supervision = Supervision.objects.get(accused=file.accused)
    assert (supervision.basis, supervision.term_months) == (Basis.CONDITIONAL, 12)


def test_a_deferred_sentence_is_supervised_for_the_deferral(file, inspector):
    sentence(file, punishment="deprivation_of_liberty", term_months=24, deferred=True,
             deferral_months=18)  # fmt: skip
    supervision = Supervision.objects.get(accused=file.accused)
    assert (supervision.basis, supervision.term_months) == (Basis.DEFERRED, 18)


def test_a_fine_or_real_custody_is_not_for_probation(file, inspector):
    sentence(file, punishment="fine", term_months=None, fine_amount=50000)
    assert not Supervision.objects.exists()


def test_an_acquittal_hands_nobody_to_probation(file, inspector):
    file.drive("in_court")
    file.record(EventKind.JUDGMENT, verdict="acquittal", punishment="", term_months=None)
    file.record(EventKind.JUDGMENT_IN_FORCE)
    assert not Supervision.objects.exists()


def test_an_appeal_decision_upholding_or_changing_the_judgment_makes_it_take_effect(
    file, inspector
):
    file.drive("appeal")
    file.record(EventKind.APPEAL_DECISION, appeal_outcome="changed")
    supervision = Supervision.objects.get(accused=file.accused)
    assert supervision.changed_on_appeal is True


def test_an_appeal_decision_quashing_the_judgment_hands_nobody_over(file, inspector):
    file.drive("appeal")
    file.record(EventKind.APPEAL_DECISION, appeal_outcome="quashed")
    assert not Supervision.objects.exists()


def test_no_probation_service_anywhere_leaves_the_judgment_standing(file):
    sentence(file)
    assert not Supervision.objects.exists()
    file.accused.refresh_from_db()
    assert file.accused.stage == "sentence_execution"


# --- Registering and the plan -------------------------------------------------------------


def test_the_inspector_registers_the_minor(received, inspector, offence_day):
    supervision = services.register(
        actor=inspector, supervision=received, registered_on=offence_day + D
    )
    assert supervision.status == Status.ACTIVE
    assert supervision.inspector == inspector
    assert last("probation.register").changes["status"] == ["awaiting", "active"]


def test_registering_twice_is_refused(registered, inspector, offence_day):
    errors = refused(services.register, actor=inspector, supervision=registered,
                     registered_on=offence_day + 3 * D)  # fmt: skip
    assert errors == {"__all__": [str(services.MESSAGE_ALREADY_REGISTERED)]}


def test_registering_before_the_judgment_took_effect_is_refused(received, inspector, offence_day):
    errors = refused(services.register, actor=inspector, supervision=received,
                     registered_on=offence_day - D)  # fmt: skip
    assert "registered_on" in errors


def test_a_deferred_sentence_needs_its_ground(file, inspector, offence_day):
    sentence(file, punishment="deprivation_of_liberty", term_months=24, deferred=True,
             deferral_months=18)  # fmt: skip
    supervision = Supervision.objects.get(accused=file.accused)
    errors = refused(services.register, actor=inspector, supervision=supervision,
                     registered_on=offence_day + D)  # fmt: skip
    assert errors == {"deferral_ground": [str(services.MESSAGE_DEFERRAL_GROUND)]}
    done = services.register(
        actor=inspector,
        supervision=supervision,
        registered_on=offence_day + D,
        deferral_ground="pregnancy",
    )
    assert done.deferral_ground == "pregnancy"


def test_another_probation_service_may_not_register(received, other_inspector, offence_day):
    message = denied(services.register, actor=other_inspector, supervision=received,
                     registered_on=offence_day + D)  # fmt: skip
    assert message == str(services.MESSAGE_NOT_INSPECTOR)


def test_a_judge_may_not_register(received, file, offence_day):
    denied(services.register, actor=file.team.judge, supervision=received,
           registered_on=offence_day + D)  # fmt: skip


def test_the_plan_sets_the_schedule_and_hours(planned, offence_day):
    assert planned.report_every_days == 7
    assert planned.next_check_in_on == offence_day + 3 * D
    assert planned.work_hours == 60
    assert last("probation.plan").subject_id == str(planned.pk)


def test_community_works_need_their_hours(registered, inspector, offence_day):
    errors = refused(services.set_plan, actor=inspector, supervision=registered,
                     report_every_days=7, first_check_in_on=offence_day + 3 * D)  # fmt: skip
    assert errors == {"work_hours": [str(services.MESSAGE_HOURS_REQUIRED)]}


def test_a_plan_before_registration_is_refused(received, inspector, offence_day):
    errors = refused(services.set_plan, actor=inspector, supervision=received,
                     report_every_days=7, first_check_in_on=offence_day, work_hours=60)  # fmt: skip
    assert "__all__" in errors


# --- Check-ins ------------------------------------------------------------------------------


def test_an_attended_check_in_moves_the_next_one_on(planned, inspector, offence_day):
    check_in = services.record_check_in(
        actor=inspector, supervision=planned, due_on=offence_day + 3 * D, attendance="attended"
    )
    planned.refresh_from_db()
    assert planned.next_check_in_on == offence_day + 10 * D
    assert check_in.recorded_by == inspector
    assert last("probation.check_in").changes["attendance"] == [None, "attended"]


def test_a_missed_check_in_raises_a_reminder(planned, inspector, offence_day):
    services.record_check_in(
        actor=inspector, supervision=planned, due_on=offence_day + 3 * D, attendance="missed"
    )
    reminder = Reminder.objects.get()
    assert (reminder.kind, reminder.due_on) == (ReminderKind.CHECK_IN_MISSED, offence_day + 3 * D)
    services.record_breach(actor=inspector, supervision=planned, occurred_on=offence_day + 3 * D,
                           description="Себепсіз келмеді.", response="warning")  # fmt: skip
    reminder.refresh_from_db()
    assert reminder.resolved_at is not None


def test_an_excused_check_in_needs_a_reason(planned, inspector, offence_day):
    errors = refused(services.record_check_in, actor=inspector, supervision=planned,
                     due_on=offence_day + 3 * D, attendance="excused")  # fmt: skip
    assert errors == {"reason": [str(services.MESSAGE_REASON)]}


def test_a_check_in_for_someone_not_under_supervision_is_refused(received, inspector, offence_day):
    errors = refused(services.record_check_in, actor=inspector, supervision=received,
                     due_on=offence_day + 3 * D, attendance="attended")  # fmt: skip
    assert errors == {
        "__all__": [str(services.MESSAGE_NOT_SUPERVISED % {"status": Status.AWAITING.label})]
    }


def test_a_check_in_after_the_end_is_refused(planned, inspector, offence_day):
    services.end_supervision(actor=inspector, supervision=planned, ended_on=offence_day + 4 * D,
                             reason="early_release")  # fmt: skip
    errors = refused(services.record_check_in, actor=inspector, supervision=planned,
                     due_on=offence_day + 5 * D, attendance="attended")  # fmt: skip
    assert errors == {
        "__all__": [str(services.MESSAGE_NOT_SUPERVISED % {"status": Status.ENDED.label})]
    }


def test_two_check_ins_on_one_day_are_refused(planned, inspector, offence_day):
    services.record_check_in(actor=inspector, supervision=planned, due_on=offence_day + 3 * D,
                             attendance="attended")  # fmt: skip
    errors = refused(services.record_check_in, actor=inspector, supervision=planned,
                     due_on=offence_day + 3 * D, attendance="attended")  # fmt: skip
    assert errors == {"due_on": [str(services.MESSAGE_CHECKED_IN)]}


def test_a_check_in_in_the_future_is_refused(planned, inspector):
    errors = refused(services.record_check_in, actor=inspector, supervision=planned,
                     due_on=today() + D, attendance="attended")  # fmt: skip
    assert "due_on" in errors


def test_another_service_may_not_record_a_check_in(planned, other_inspector, offence_day):
    denied(services.record_check_in, actor=other_inspector, supervision=planned,
           due_on=offence_day + 3 * D, attendance="attended")  # fmt: skip


# --- Breaches and hours ------------------------------------------------------------------


def test_a_breach_with_submission_to_court(planned, inspector, offence_day):
    breach = services.record_breach(
        actor=inspector,
        supervision=planned,
        occurred_on=offence_day + 4 * D,
        description="Түнде үйде болмады.",
        response="submission",
    )
    assert breach.response == "submission"
    assert last("probation.breach").changes["response"] == [None, "submission"]


def test_a_breach_needs_a_description(planned, inspector, offence_day):
    errors = refused(
        services.record_breach,
        actor=inspector,
        supervision=planned,
        occurred_on=offence_day + 4 * D,
        description=" ",
        response="warning",
    )
    assert "description" in errors


def test_hours_worked_add_up(planned, inspector, offence_day):
    services.record_hours(actor=inspector, supervision=planned, worked_on=offence_day + 4 * D,
                          hours=20, place="Саябақ")  # fmt: skip
    planned.refresh_from_db()
    assert planned.hours_worked == 20
    assert planned.hours_left == 40
    assert last("probation.hours").changes["hours_worked"] == [0, 20]


def test_hours_beyond_the_sentence_are_refused(planned, inspector, offence_day):
    services.record_hours(actor=inspector, supervision=planned, worked_on=offence_day + 4 * D,
                          hours=50)  # fmt: skip
    errors = refused(services.record_hours, actor=inspector, supervision=planned,
                     worked_on=offence_day + 5 * D, hours=11)  # fmt: skip
    assert errors == {"hours": [str(services.MESSAGE_HOURS_BEYOND % {"left": 10, "total": 60})]}


def test_hours_without_hours_in_the_plan_are_refused(file, inspector, offence_day):
    sentence(file, punishment="restriction_of_freedom", term_months=6)
    supervision = Supervision.objects.get(accused=file.accused)
    services.register(actor=inspector, supervision=supervision, registered_on=offence_day + D)
    errors = refused(services.record_hours, actor=inspector, supervision=supervision,
                     worked_on=offence_day + 2 * D, hours=4)  # fmt: skip
    assert errors == {"hours": [str(services.MESSAGE_NO_HOURS)]}


def test_zero_hours_are_refused(planned, inspector, offence_day):
    assert "hours" in refused(services.record_hours, actor=inspector, supervision=planned,
                              worked_on=offence_day + 4 * D, hours=0)  # fmt: skip


# --- The end --------------------------------------------------------------------------------


def test_the_supervision_ends_served(planned, inspector, offence_day):
    ended = services.end_supervision(actor=inspector, supervision=planned,
                                     ended_on=offence_day + 9 * D, reason="served")  # fmt: skip
    assert (ended.status, ended.end_reason, ended.next_check_in_on) == ("ended", "served", None)
    assert last("probation.end").changes["status"] == ["active", "ended"]


def test_an_end_before_the_start_is_refused(planned, inspector, offence_day):
    errors = refused(services.end_supervision, actor=inspector, supervision=planned,
                     ended_on=offence_day - D, reason="served")  # fmt: skip
    assert errors == {
        "ended_on": [
            str(services.MESSAGE_END_BEFORE_START % {"start": offence_day.strftime("%d.%m.%Y")})
        ]
    }


def test_a_new_offence_names_the_new_case_of_the_same_minor(planned, inspector, file, offence_day):
    errors = refused(services.end_supervision, actor=inspector, supervision=planned,
                     ended_on=offence_day + 5 * D, reason="new_offence")  # fmt: skip
    assert errors == {"new_proceeding": [str(services.MESSAGE_NEW_CASE)]}
    new_case = case_factories.open_case(file.team, file.accused.juvenile)
    ended = services.end_supervision(actor=inspector, supervision=planned,
                                     ended_on=offence_day + 5 * D, reason="new_offence",
                                     new_proceeding=new_case)  # fmt: skip
    assert ended.new_proceeding == new_case


def test_ending_twice_is_refused(planned, inspector, offence_day):
    services.end_supervision(actor=inspector, supervision=planned, ended_on=offence_day + 5 * D,
                             reason="revoked")  # fmt: skip
    assert "__all__" in refused(services.end_supervision, actor=inspector, supervision=planned,
                                ended_on=offence_day + 6 * D, reason="served")  # fmt: skip


# --- Reminders ------------------------------------------------------------------------------


def test_the_sweep_reminds_of_an_unreported_convict_once(received):
    later = timezone.now() + 2 * D
    assert services.sweep(later).raised == 1
    assert services.sweep(later).raised == 0
    reminder = Reminder.objects.get()
    assert (reminder.kind, reminder.due_on) == (ReminderKind.NOT_REPORTED, received.report_by)
    assert last("probation.reminder").actor is None


def test_registering_resolves_the_unreported_reminder(received, inspector, offence_day):
    services.sweep(timezone.now() + 2 * D)
    services.register(actor=inspector, supervision=received, registered_on=offence_day + D)
    assert Reminder.objects.get().resolved_at is not None


def test_the_sweep_reminds_of_an_overdue_check_in_and_the_check_in_resolves_it(
    planned, inspector, offence_day
):
    assert services.sweep().raised == 1
    reminder = Reminder.objects.get()
    assert (reminder.kind, reminder.due_on) == (ReminderKind.CHECK_IN_OVERDUE, offence_day + 3 * D)
    services.record_check_in(actor=inspector, supervision=planned, due_on=offence_day + 3 * D,
                             attendance="missed")  # fmt: skip
    reminder.refresh_from_db()
    assert reminder.resolved_at is not None


def test_the_command_reports_the_reminders_raised(planned):
    import io

    out = io.StringIO()
    call_command("check_supervision", stdout=out)
    assert "1 new reminder" in out.getvalue()


# --- Who sees it ------------------------------------------------------------------------------


def test_the_service_and_the_case_team_see_it_another_service_does_not(
    received, inspector, other_inspector, file, outsider
):
    assert Supervision.objects.visible_to(inspector).count() == 1
    assert Supervision.objects.visible_to(file.team.judge).count() == 1
    assert Supervision.objects.visible_to(file.team.prosecutor).count() == 1
    assert Supervision.objects.visible_to(other_inspector).count() == 0
    assert Supervision.objects.visible_to(outsider).count() == 0


def test_reading_is_audited(received, inspector):
    services.view_supervision(actor=inspector, pk=received.pk)
    assert last("probation.view").actor == inspector


def test_probation_inspectors_elsewhere_see_nothing(received):
    astana = factories.agency(AgencyType.PROBATION, factories.ASTANA)
    stranger = factories.staff(Role.PROBATION_INSPECTOR, astana)
    assert not Supervision.objects.visible_to(stranger).exists()
