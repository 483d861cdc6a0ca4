"""The court's services: each happy path, each guard, and who may act."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from qorgau.audit.models import AuditEvent
from qorgau.courts import services
from qorgau.courts.models import (
    CaseKind,
    CourtCase,
    Hearing,
    HearingStatus,
    SocialWorkerReport,
    Summons,
)
from qorgau.proceedings.models import EventKind, Stage
from tests.courts.conftest import D, H, hearing_day, hold, register, schedule, to_court

pytestmark = pytest.mark.django_db


def audited(action: str) -> AuditEvent:
    return AuditEvent.objects.filter(action=action).latest("id")


def untouched():
    return (
        CourtCase.objects.count(),
        Hearing.objects.count(),
        Summons.objects.count(),
        SocialWorkerReport.objects.count(),
        AuditEvent.objects.count(),
        sorted(CourtCase.objects.values_list("pk", "decided_at", "judgment_id", "judge_id")),
        sorted(Hearing.objects.values_list("pk", "status")),
    )


def refused(call, *args, error=ValidationError, **kwargs):
    before = untouched()
    with pytest.raises(error) as caught:
        call(*args, **kwargs)
    assert untouched() == before
    return caught.value


# A criminal case arrives from the proceeding


def test_approving_the_indictment_brings_the_minors_track_into_court(file):
    case = to_court(file)
    assert case.kind == CaseKind.CRIMINAL
    assert case.accused == file.accused and case.proceeding == file.case
    assert case.court == file.team.court
    assert case.juvenile == file.accused.juvenile
    assert case.number.startswith(f"1-{file.team.court.pk}-")
    approval = file.accused.events.get(kind=EventKind.INDICTMENT_APPROVED)
    assert case.received_at == approval.started_at
    assert audited("court.receive").subject_id == str(case.pk)


def test_numbers_run_on_in_the_courts_register(judge, juvenile):
    first = register(judge, juvenile)
    second = register(judge, juvenile, matter="paternity")
    assert first.number.endswith("-0001") and second.number.endswith("-0002")
    assert first.number.startswith("2-")


# Hearings


def test_schedules_a_hearing_and_the_case_takes_the_judge(file, in_court, courtroom):
    hearing = schedule(file.team.judge, in_court, courtroom, hearing_day(file))
    assert hearing.status == HearingStatus.SCHEDULED
    assert hearing.duration_minutes == 60
    in_court.refresh_from_db()
    assert in_court.judge == file.team.judge
    assert audited("court.hearing").subject_id == str(hearing.pk)


def test_refuses_a_second_hearing_of_the_judge_at_an_overlapping_time(
    file, in_court, hearing, courtroom_two
):
    error = refused(
        schedule,
        file.team.judge,
        in_court,
        courtroom_two,
        hearing.starts_at + 30 * datetime.timedelta(minutes=1),
    )
    assert "already has a hearing at this time" in error.message_dict["starts_at"][0]


def test_refuses_a_second_hearing_in_the_same_courtroom(
    file, in_court, hearing, courtroom, second_judge, civil
):
    error = refused(
        schedule, second_judge, civil, courtroom,
        hearing.starts_at + 10 * datetime.timedelta(minutes=1), judge=second_judge,
    )  # fmt: skip
    assert "courtroom is taken" in error.message_dict["courtroom"][0]


def test_back_to_back_hearings_do_not_overlap(file, in_court, hearing, courtroom):
    following = schedule(file.team.judge, in_court, courtroom, hearing.ends_at)
    assert following.starts_at == hearing.ends_at


def test_an_adjourned_hearing_frees_its_time(file, in_court, hearing, courtroom):
    services.adjourn_hearing(actor=file.team.judge, hearing=hearing, reason="Қорғаушы ауырып қалды")
    again = schedule(file.team.judge, in_court, courtroom, hearing.starts_at)
    assert again.status == HearingStatus.SCHEDULED


def test_refuses_a_hearing_before_the_court_received_the_case(file, in_court, courtroom):
    error = refused(schedule, file.team.judge, in_court, courtroom, in_court.received_at - H)
    assert "before the court received the case" in error.message_dict["starts_at"][0]


def test_refuses_a_courtroom_of_another_court(file, in_court, other_judge):
    from qorgau.courts.models import Courtroom

    elsewhere = Courtroom.objects.create(court=other_judge.agency, name="№ 9")
    error = refused(schedule, file.team.judge, in_court, elsewhere, hearing_day(file))
    assert error.message_dict["courtroom"] == [services.MESSAGE_COURTROOM]


def test_refuses_a_hearing_of_odd_length(file, in_court, courtroom):
    error = refused(schedule, file.team.judge, in_court, courtroom, hearing_day(file), minutes=5)
    assert error.message_dict["minutes"] == [services.MESSAGE_DURATION]


def test_a_judge_of_another_court_may_not_schedule(file, in_court, courtroom, other_judge):
    refused(schedule, other_judge, in_court, courtroom, hearing_day(file), error=PermissionDenied)


def test_the_prosecutor_may_not_schedule(file, in_court, courtroom):
    refused(
        schedule,
        file.team.prosecutor,
        in_court,
        courtroom,
        hearing_day(file),
        error=PermissionDenied,
    )


def test_adjourns_with_a_reason_and_books_the_next_hearing(file, in_court, hearing):
    services.adjourn_hearing(
        actor=file.team.judge, hearing=hearing, reason="Заңды өкіл келмеді",
        next_starts_at=hearing.starts_at + 2 * D,
    )  # fmt: skip
    hearing.refresh_from_db()
    assert hearing.status == HearingStatus.ADJOURNED
    assert hearing.adjournment_reason == "Заңды өкіл келмеді"
    assert hearing.next_hearing is not None
    assert hearing.next_hearing.starts_at == hearing.starts_at + 2 * D
    assert audited("court.adjourn").changes["status"] == ["scheduled", "adjourned"]


def test_refuses_an_adjournment_without_a_reason(file, hearing):
    error = refused(services.adjourn_hearing, actor=file.team.judge, hearing=hearing, reason=" ")
    assert error.message_dict["reason"] == [services.MESSAGE_REASON]


def test_refuses_to_adjourn_a_hearing_twice(file, hearing):
    services.adjourn_hearing(actor=file.team.judge, hearing=hearing, reason="Сұрау салу")
    error = refused(services.adjourn_hearing, actor=file.team.judge, hearing=hearing, reason="x")
    assert "no longer scheduled" in error.messages[0]


# Summonses and presence


def test_summons_takes_the_name_of_the_case_participant(file, hearing):
    summons = services.summon(
        actor=file.team.judge, hearing=hearing, summoned_as="defender",
        participant=file.defender, method="phone", sent_on=timezone.localdate(),
    )  # fmt: skip
    assert summons.full_name == file.defender.full_name
    assert summons.present is None


def test_refuses_a_participant_in_another_role(file, hearing):
    error = refused(
        services.summon, actor=file.team.judge, hearing=hearing, summoned_as="defender",
        participant=file.representative, method="phone", sent_on=timezone.localdate(),
    )  # fmt: skip
    assert error.message_dict["participant"] == [services.MESSAGE_PARTICIPANT]


def test_presence_of_everyone_breaches_no_safeguard(file, hearing):
    held = hold(file, hearing)
    assert held.status == HearingStatus.HELD
    assert held.presence_findings == []
    assert audited("court.presence").details["rules_breached"] == []


def test_a_hearing_without_the_defender_breaches_the_safeguard_as_an_interrogation_would(
    file, hearing
):
    from tests.courts.conftest import summon_all

    summon_all(file, hearing)
    present = {s.pk: s.summoned_as != "defender" for s in hearing.summonses.all()}
    held = services.record_presence(actor=file.team.judge, hearing=hearing, present=present)
    rules = [finding["rule"] for finding in held.presence_findings]
    assert rules == ["defender_at_interrogation"]


def test_a_hearing_of_a_minor_under_16_needs_a_pedagogue_or_psychologist(
    team, investigator, offence_day, courtroom
):
    from tests.proceedings import factories as case_factories

    young = case_factories.minor(investigator, offence_day, years=14)
    case = case_factories.open_case(team, young)
    file = case_factories.add_people(case_factories.CaseFile(team, case, case.accused.get()))
    court_case = to_court(file)
    hearing = schedule(team.judge, court_case, courtroom, hearing_day(file))
    held = hold(file, hearing)
    assert [f["rule"] for f in held.presence_findings] == ["pedagogue_at_interrogation"]
    from tests.courts.conftest import summon_all

    second = schedule(team.judge, court_case, courtroom, hearing_day(file, 4))
    summon_all(file, second)
    services.summon(
        actor=team.judge, hearing=second, summoned_as="pedagogue",
        full_name="Нұрланова Гүлмира", method="phone", sent_on=offence_day,
    )  # fmt: skip
    assert [f["rule"] for f in hold(file, second).presence_findings] == []


def test_refuses_presence_before_the_hearing_begins(file, in_court, courtroom):
    later = schedule(file.team.judge, in_court, courtroom, timezone.now() + 2 * D)
    error = refused(services.record_presence, actor=file.team.judge, hearing=later, present={})
    assert error.messages == [services.MESSAGE_BEFORE_HEARING]


# The social worker's report


def test_the_court_social_worker_files_the_report_with_the_risk_level(
    file, in_court, court_social_worker
):
    report = services.file_report(
        actor=court_social_worker, case=in_court, family_situation="Анасымен тұрады.",
        alternatives="Пробациялық бақылау; мектепте оқуды жалғастыру.",
    )  # fmt: skip
    assert report.author == court_social_worker
    assert report.risk_to_society == ""  # no assessment completed yet
    assert audited("court.report").subject_id == str(in_court.pk)


def test_refuses_a_second_report(file, in_court, court_social_worker):
    data = {
        "actor": court_social_worker,
        "case": in_court,
        "family_situation": "а",
        "alternatives": "б",
    }
    services.file_report(**data)
    error = refused(services.file_report, **data)
    assert error.messages == [services.MESSAGE_REPORT_EXISTS]


def test_refuses_a_report_after_the_judgment(file, in_court, held, court_social_worker):
    services.record_judgment(
        actor=file.team.judge, case=in_court, decided_at=held.ends_at,
        verdict="conviction", punishment="community_works", term_months=3,
    )  # fmt: skip
    error = refused(
        services.file_report, actor=court_social_worker, case=in_court,
        family_situation="а", alternatives="б",
    )  # fmt: skip
    assert error.messages == [services.MESSAGE_REPORT_AFTER]


def test_refuses_a_report_without_its_parts(in_court, court_social_worker):
    error = refused(
        services.file_report, actor=court_social_worker, case=in_court,
        family_situation=" ", alternatives="",
    )  # fmt: skip
    assert set(error.message_dict) == {"family_situation", "alternatives"}


def test_a_judge_does_not_file_the_report(file, in_court):
    refused(
        services.file_report, actor=file.team.judge, case=in_court, family_situation="а",
        alternatives="б", error=PermissionDenied,
    )  # fmt: skip


# The judgment


def test_the_judgment_is_the_proceedings_event_and_the_case_points_at_it(
    file, in_court, held, court_social_worker
):
    services.file_report(
        actor=court_social_worker, case=in_court, family_situation="а", alternatives="б"
    )
    case = services.record_judgment(
        actor=file.team.judge, case=in_court, decided_at=held.ends_at, report_followed=True,
        verdict="conviction", punishment="community_works", term_months=3, conditional=True,
        probation_months=12,
    )  # fmt: skip
    event = file.accused.events.get(kind=EventKind.JUDGMENT)
    assert case.judgment == event and event.conditional is True and event.probation_months == 12
    assert case.report_followed is True
    assert case.decided_at == held.ends_at
    file.accused.refresh_from_db()
    assert file.accused.stage == Stage.JUDGMENT
    assert AuditEvent.objects.filter(action="court.judgment").count() == 1


def test_refuses_a_judgment_without_a_hearing(file, in_court, hearing):
    error = refused(
        services.record_judgment, actor=file.team.judge, case=in_court,
        decided_at=hearing.ends_at, verdict="acquittal",
    )  # fmt: skip
    assert error.messages == [services.MESSAGE_NO_HEARING]
    assert not file.accused.events.filter(kind=EventKind.JUDGMENT).exists()


def test_refuses_a_judgment_silent_on_the_report(file, in_court, held, court_social_worker):
    services.file_report(
        actor=court_social_worker, case=in_court, family_situation="а", alternatives="б"
    )
    error = refused(
        services.record_judgment, actor=file.team.judge, case=in_court,
        decided_at=held.ends_at, verdict="acquittal",
    )  # fmt: skip
    assert error.message_dict["report_followed"] == [services.MESSAGE_FOLLOWED]


def test_refuses_a_second_judgment(file, in_court, held):
    services.record_judgment(
        actor=file.team.judge, case=in_court, decided_at=held.ends_at, verdict="acquittal"
    )
    error = refused(
        services.record_judgment, actor=file.team.judge, case=in_court,
        decided_at=held.ends_at + H, verdict="acquittal",
    )  # fmt: skip
    assert error.messages == [services.MESSAGE_DECIDED]


def test_an_invalid_judgment_writes_nothing(file, in_court, held):
    refused(
        services.record_judgment, actor=file.team.judge, case=in_court,
        decided_at=held.ends_at, verdict="conviction", punishment="fine",
    )  # fmt: skip
    in_court.refresh_from_db()
    assert in_court.decided_at is None


def test_a_judgment_recorded_on_the_proceeding_is_the_court_cases_too(file, in_court, held):
    event = file.record(EventKind.JUDGMENT, at=held.ends_at)
    in_court.refresh_from_db()
    assert in_court.judgment == event
    assert in_court.decided_at == event.started_at


def test_scheduling_after_the_judgment_is_refused(file, in_court, held, courtroom):
    services.record_judgment(
        actor=file.team.judge, case=in_court, decided_at=held.ends_at, verdict="acquittal"
    )
    error = refused(schedule, file.team.judge, in_court, courtroom, held.ends_at + D)
    assert error.messages == [services.MESSAGE_DECIDED]


# Administrative and civil cases


def test_registers_a_civil_case_with_its_parties(civil):
    assert civil.kind == CaseKind.CIVIL and civil.matter == "residence"
    assert [p.role for p in civil.parties.all()] == ["claimant", "respondent"]
    assert audited("court.register").subject_id == str(civil.pk)


def test_refuses_a_civil_case_without_the_child(judge):
    error = refused(register, judge, None)
    assert error.message_dict["juvenile"] == [services.MESSAGE_NO_CHILD]


def test_refuses_a_civil_case_without_its_matter(judge, juvenile):
    error = refused(register, judge, juvenile, matter="")
    assert error.message_dict["matter"] == [services.MESSAGE_MATTER]


def test_marks_an_adoption_by_foreign_citizens(judge, juvenile):
    case = register(judge, juvenile, matter="adoption", foreign_adoption=True)
    assert case.foreign_adoption is True


def test_refuses_foreign_marking_of_anything_but_adoption(judge, juvenile):
    error = refused(register, judge, juvenile, matter="paternity", foreign_adoption=True)
    assert error.message_dict["foreign_adoption"] == [services.MESSAGE_FOREIGN_ONLY_ADOPTION]


def test_refuses_an_administrative_case_under_an_unknown_article(judge, juvenile):
    error = refused(register, judge, juvenile, CaseKind.ADMINISTRATIVE, article="999")
    assert error.message_dict["article"] == [services.MESSAGE_ARTICLE]


def test_refuses_registering_a_criminal_case_by_hand(judge, juvenile):
    error = refused(register, judge, juvenile, CaseKind.CRIMINAL)
    assert error.message_dict["kind"] == [services.MESSAGE_CRIMINAL]


def test_only_the_courts_judges_register(prosecutor, other_judge, judge, juvenile):
    refused(register, prosecutor, juvenile, court=judge.agency, error=PermissionDenied)
    refused(register, other_judge, juvenile, court=judge.agency, error=PermissionDenied)


def held_for(judge, case, courtroom):
    hearing = schedule(judge, case, courtroom, case.received_at + D)
    return services.record_presence(actor=judge, hearing=hearing, present={})


def test_decides_an_administrative_case_with_a_fine(judge, administrative, courtroom):
    hearing = held_for(judge, administrative, courtroom)
    case = services.record_judgment(
        actor=judge, case=administrative, decided_at=hearing.ends_at, decision="penalty",
        penalty="fine", fine_amount=Decimal("18460"),
    )  # fmt: skip
    assert (case.decision, case.penalty, case.fine_amount) == ("penalty", "fine", Decimal("18460"))


def test_refuses_a_fine_without_its_amount(judge, administrative, courtroom):
    hearing = held_for(judge, administrative, courtroom)
    error = refused(
        services.record_judgment, actor=judge, case=administrative, decided_at=hearing.ends_at,
        decision="penalty", penalty="fine",
    )  # fmt: skip
    assert error.message_dict["fine_amount"] == [services.MESSAGE_FINE]


def test_refuses_a_penalty_in_a_civil_case(judge, civil, courtroom):
    hearing = held_for(judge, civil, courtroom)
    error = refused(
        services.record_judgment, actor=judge, case=civil, decided_at=hearing.ends_at,
        decision="granted", penalty="warning",
    )  # fmt: skip
    assert error.message_dict["penalty"] == [services.MESSAGE_NO_PENALTY]


def test_refuses_a_civil_decision_without_a_hearing(judge, civil):
    error = refused(
        services.record_judgment, actor=judge, case=civil, decided_at=timezone.now(),
        decision="granted",
    )  # fmt: skip
    assert error.messages == [services.MESSAGE_NO_HEARING]


def test_view_is_audited(judge, civil):
    services.view_case(actor=judge, pk=civil.pk)
    assert audited("court.view").subject_id == str(civil.pk)


def test_the_database_refuses_a_double_booking_on_postgresql(
    file, in_court, hearing, courtroom_two
):
    """The exclusion constraint catches what two requests at once would both pass."""
    from django.db import IntegrityError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("exclusion constraints are PostgreSQL's")
    twin = Hearing(
        case=in_court, court_id=in_court.court_id, courtroom=courtroom_two, judge=file.team.judge,
        starts_at=hearing.starts_at, ends_at=hearing.ends_at, scheduled_by=file.team.judge,
    )  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_a_judge_adds_a_courtroom_once(judge):
    room = services.add_courtroom(actor=judge, court=judge.agency, name="№ 7")
    assert room.court == judge.agency
    assert audited("court.courtroom").subject_id == str(room.pk)
    error = refused(services.add_courtroom, actor=judge, court=judge.agency, name="№ 7")
    assert error.message_dict["name"] == [services.MESSAGE_COURTROOM_EXISTS]


def test_a_prosecutor_adds_no_courtroom(judge, prosecutor):
    refused(
        services.add_courtroom, actor=prosecutor, court=judge.agency, name="№ 8",
        error=PermissionDenied,
    )  # fmt: skip


def test_the_refusal_reads_in_kazakh(file, in_court, hearing, courtroom_two):
    from django.utils import translation

    with translation.override("kk"):
        error = refused(schedule, file.team.judge, in_court, courtroom_two, hearing.starts_at)
        assert "Судьяның бұл уақытта сот отырысы бар" in error.message_dict["starts_at"][0]


def test_the_courts_figures_count_foreign_adoptions_apart(judge, juvenile):
    from qorgau.courts import selectors

    register(judge, juvenile, matter="adoption", foreign_adoption=True)
    register(judge, juvenile, matter="adoption")
    figures = selectors.court_figures(court=judge.agency, year=timezone.localdate().year)
    assert figures.foreign_adoptions == 1 and figures.by_kind["civil"] == 2
