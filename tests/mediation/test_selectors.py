"""The Today panel's reads: the oldest mediations in progress and the agreements behind."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from qorgau.accounts.models import AgencyType, Role
from qorgau.mediation import selectors, services
from qorgau.proceedings import services as proceedings
from qorgau.proceedings.models import ParticipantRole
from tests import factories

pytestmark = pytest.mark.django_db


def test_an_agreement_behind_its_schedule_shows_its_overdue_instalment(file, agreed):
    workload = selectors.agency_workload(actor=file.team.psychologist)
    assert workload is not None
    assert [m.pk for m in workload.in_progress] == [agreed.pk]
    assert (workload.in_progress_count, workload.capped) == (1, False)
    assert [(row.mediation.pk, row.instalment.instalment.amount) for row in workload.overdue] == [
        (agreed.pk, Decimal("40000.00"))
    ]


def test_payments_that_cover_what_is_due_leave_nothing_overdue(file, agreed):
    services.record_payment(
        actor=file.team.psychologist,
        mediation=agreed,
        paid_on=timezone.localdate(),
        amount=Decimal("40000"),
        method="cash",
    )
    workload = selectors.agency_workload(actor=file.team.psychologist)
    assert workload is not None
    assert workload.overdue == []
    assert [m.pk for m in workload.in_progress] == [agreed.pk]  # still in progress


def test_a_partial_payment_leaves_the_instalment_overdue(file, agreed):
    services.record_payment(
        actor=file.team.psychologist,
        mediation=agreed,
        paid_on=timezone.localdate(),
        amount=Decimal("39999.99"),
        method="cash",
    )
    workload = selectors.agency_workload(actor=file.team.psychologist)
    assert workload is not None
    assert len(workload.overdue) == 1


def test_the_panel_shows_the_oldest_and_counts_the_rest(file, agreed, settings, monkeypatch):
    monkeypatch.setattr(selectors, "PANEL_ROWS", 0)
    settings.QORGAU_COUNT_CAP = 0
    workload = selectors.agency_workload(actor=file.team.psychologist)
    assert workload is not None
    assert workload.in_progress == [] and workload.overdue == []
    assert (workload.in_progress_count, workload.capped) == (0, True)


def test_another_agencys_psychologist_sees_none_of_them(file, agreed):
    elsewhere = factories.agency(AgencyType.SOCIAL_SERVICE, factories.ASTANA)
    psychologist = factories.staff(Role.SOCIAL_PSYCHOLOGIST, elsewhere, username="elsewhere")
    workload = selectors.agency_workload(actor=psychologist)
    assert workload is not None
    assert (workload.in_progress, workload.overdue, workload.in_progress_count) == ([], [], 0)


def test_roles_that_do_not_mediate_have_no_panel(agreed, outsider):
    assert selectors.agency_workload(actor=outsider) is None


def another_agreement(file):
    """A second minor's case, referred to the same mediator and agreed, one instalment late."""
    from tests.mediation.conftest import consent_both, hold_joint, refer, sign
    from tests.proceedings import factories as cases

    child = cases.minor(file.team.investigator, timezone.localdate(file.offence), 15)
    case = cases.open_case(file.team, child, offence_at=file.offence)
    other = cases.add_people(cases.CaseFile(file.team, case, case.accused.get()))
    victim = proceedings.add_participant(
        actor=file.team.investigator,
        proceeding=case,
        role=ParticipantRole.VICTIM,
        full_name="Ким Алина Сергеевна",
    )
    mediation = refer(other, victim)
    consent_both(other, mediation)
    hold_joint(other, mediation)
    sign(other, mediation)
    return mediation


def test_today_reads_the_panel_in_fixed_queries_and_shows_at_most_its_rows(
    client, file, agreed, monkeypatch
):
    client.force_login(file.team.psychologist)

    def today() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as captured:
            page = client.get(reverse("home"))
        return len(captured), page.content.decode()

    few, _ = today()
    second = another_agreement(file)
    more, page = today()
    assert more == few
    assert page.count(f'href="/mediation/{second.pk}/"') == 2  # in progress, and overdue
    monkeypatch.setattr(selectors, "PANEL_ROWS", 1)
    _, page = today()
    assert f'href="/mediation/{agreed.pk}/"' in page  # the oldest referral stays
    assert f'href="/mediation/{second.pk}/"' not in page
    assert "Ең ерте жіберілген 1 медиация көрсетілген, барлығы 2." in page  # read in Kazakh
