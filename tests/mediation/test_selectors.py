"""The Today panel's reads: the oldest mediations in progress and the agreements behind."""

from decimal import Decimal

import pytest
from django.utils import timezone

from qorgau.accounts.models import AgencyType, Role
from qorgau.mediation import selectors, services
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
