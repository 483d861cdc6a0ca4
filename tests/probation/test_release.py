"""Release from an institution: the re-socialization plan on the support plan, follow-ups, and
re-offending within 12 months."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from qorgau.audit.models import AuditEvent
from qorgau.probation import selectors, services
from qorgau.probation.models import FollowUp, Release
from qorgau.support.models import NeedKind, SupportPlan
from qorgau.support.services import plan as plans
from tests.probation.conftest import D
from tests.proceedings import factories as case_factories

pytestmark = pytest.mark.django_db

AREAS = {"housing": "Анасымен тұрады.", "study": "Колледжге түсу.", "family": ""}


def release(inspector, juvenile, **overrides) -> Release:
    data = {
        "actor": inspector,
        "juvenile": juvenile,
        "institution": "Кәмелетке толмағандарға арналған орташа қауіпсіз мекеме",
        "institution_kind": "medium_security",
        "released_on": timezone.localdate() - 100 * D,
        "basis": "served",
        "areas": AREAS,
    }
    data.update(overrides)
    return services.record_release(**data)


def state() -> tuple:
    return (
        Release.objects.count(),
        FollowUp.objects.count(),
        SupportPlan.objects.count(),
        AuditEvent.objects.count(),
    )


def refused(**kwargs) -> dict[str, list[str]]:
    before = state()
    with pytest.raises(ValidationError) as info:
        release(**kwargs)
    assert state() == before
    error = info.value
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}


def test_a_release_opens_a_support_plan_with_its_areas_and_follow_ups(inspector, juvenile):
    done = release(inspector, juvenile)
    plan = done.plan
    assert plan.lead_agency == inspector.agency
    assert sorted(plan.needs.values_list("kind", flat=True)) == [NeedKind.SOCIAL, NeedKind.STUDY]
    day = done.released_on
    assert [(f.months, f.due_on) for f in done.follow_ups.all()] == [
        (3, services.add_months(day, 3)),
        (6, services.add_months(day, 6)),
        (12, services.add_months(day, 12)),
    ]
    event = AuditEvent.objects.filter(action="probation.release").get()
    assert event.details["plan"] == plan.pk


def test_a_release_builds_on_the_plan_the_service_works_in(inspector, juvenile, psychologist):
    plan = plans.open_plan(actor=inspector, juvenile=juvenile, goal="Бұрынғы жоспар")
    plans.add_need(actor=inspector, plan=plan, kind=NeedKind.STUDY, description="Мектеп.")
    done = release(inspector, juvenile)
    assert done.plan == plan
    # The study need was there: it stays as it was; housing is added.
    assert plan.needs.get(kind=NeedKind.STUDY).description == "Мектеп."
    assert plan.needs.filter(kind=NeedKind.SOCIAL).exists()


def test_a_plan_of_another_agency_without_the_service_is_refused(inspector, juvenile, psychologist):
    from qorgau.accounts.models import AgencyType, Role
    from tests import factories

    body = factories.agency(AgencyType.CHILD_RIGHTS_BODY, factories.ALMATY_CITY, "Бала құқықтары")
    specialist = factories.staff(Role.CHILD_RIGHTS_SPECIALIST, body)
    plans.open_plan(actor=specialist, juvenile=juvenile)
    errors = refused(inspector=inspector, juvenile=juvenile)
    assert "__all__" in errors


def test_a_release_needs_an_area(inspector, juvenile):
    errors = refused(inspector=inspector, juvenile=juvenile, areas={"housing": " "})
    assert errors == {"areas": [str(services.MESSAGE_AREAS)]}


def test_a_release_in_the_future_is_refused(inspector, juvenile):
    errors = refused(inspector=inspector, juvenile=juvenile, released_on=timezone.localdate() + D)
    assert "released_on" in errors


def test_a_basis_not_in_force_is_refused(inspector, juvenile):
    errors = refused(
        inspector=inspector,
        juvenile=juvenile,
        basis="early_release_special_regime",
        released_on=datetime.date(2018, 1, 1),
    )
    assert "basis" in errors


def test_only_a_probation_service_records_a_release(juvenile, psychologist):
    with pytest.raises(PermissionDenied):
        release(psychologist, juvenile)


def test_a_follow_up_is_recorded_once(inspector, juvenile):
    done = release(inspector, juvenile)
    first = done.follow_ups.get(months=3)
    services.record_follow_up(actor=inspector, follow_up=first, done_on=timezone.localdate(),
                              outcome="settled", notes="Колледжде оқиды.")  # fmt: skip
    first.refresh_from_db()
    assert first.outcome == "settled"
    with pytest.raises(ValidationError):
        services.record_follow_up(
            actor=inspector, follow_up=first, done_on=timezone.localdate(), outcome="settled"
        )


def test_a_follow_up_before_the_release_is_refused(inspector, juvenile):
    done = release(inspector, juvenile)
    with pytest.raises(ValidationError) as info:
        services.record_follow_up(
            actor=inspector,
            follow_up=done.follow_ups.get(months=3),
            done_on=done.released_on - D,
            outcome="settled",
        )
    assert "done_on" in info.value.message_dict


def test_another_service_may_not_record_the_follow_up(inspector, other_inspector, juvenile):
    done = release(inspector, juvenile)
    with pytest.raises(PermissionDenied):
        services.record_follow_up(actor=other_inspector, follow_up=done.follow_ups.first(),
                                  done_on=timezone.localdate(), outcome="settled")  # fmt: skip


def test_a_new_case_within_12_months_counts_as_reoffending(inspector, juvenile, team):
    done = release(inspector, juvenile, released_on=timezone.localdate() - 30 * D)
    assert selectors.reoffences(done) == []
    new_case = case_factories.open_case(team, juvenile)
    found = selectors.reoffences(done)
    assert [accused.proceeding for accused in found] == [new_case]


def test_a_case_before_the_release_is_not_reoffending(inspector, juvenile, team):
    case_factories.open_case(team, juvenile)
    done = release(inspector, juvenile, released_on=timezone.localdate() - 2 * D)
    assert selectors.reoffences(done) == []


def test_follow_ups_due_list_the_services_own(inspector, other_inspector, juvenile):
    release(inspector, juvenile)  # 100 days ago: the 3-month follow-up is due, not the others
    assert [f.months for f in selectors.follow_ups_due(actor=inspector)] == [3]
    assert len(selectors.follow_ups_due(actor=other_inspector)) == 0


def test_the_childs_own_record_carries_the_release(inspector, juvenile, file):
    from qorgau.people.services import export_juvenile_record

    release(inspector, juvenile)
    record = export_juvenile_record(actor=file.team.investigator, juvenile_id=juvenile.pk)
    section = record["probation"]
    assert section["releases"][0]["follow_ups"][0]["months"] == 3
