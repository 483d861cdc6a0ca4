"""Fixtures of the support-plan tests: the accompanying services around the `file` case.

Imported with `from tests.support.plan_fixtures import *` by each test_plan*.py module (the
tests/support folder is shared by several areas, so it has no conftest of its own here).
"""

import datetime

import pytest
from django.utils import timezone

from qorgau.accounts.models import AgencyType, Role, User
from qorgau.support.models import NeedKind, PlanNeed, PlanTask, SupportPlan
from qorgau.support.services import plan as services
from tests import factories
from tests.proceedings.conftest import bare, case, file, juvenile, offence_at, offence_day, team

__all__ = [
    "bare",
    "case",
    "childrights",
    "file",
    "institution",
    "juvenile",
    "need",
    "offence_at",
    "offence_day",
    "plan",
    "probation",
    "referral",
    "task",
    "team",
    "today",
]

D = datetime.timedelta(days=1)


@pytest.fixture
def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def probation(db) -> User:
    service = factories.agency(AgencyType.PROBATION, factories.AUEZOV, "Әуезов пробация")
    return factories.staff(Role.PROBATION_INSPECTOR, service, username="probation")


@pytest.fixture
def institution(db) -> User:
    centre = factories.agency(AgencyType.CHILDREN_INSTITUTION, factories.ALMATY_CITY, "Орталық")
    return factories.staff(Role.INSTITUTION_STAFF, centre, username="institution")


@pytest.fixture
def childrights(db) -> User:
    body = factories.agency(AgencyType.CHILD_RIGHTS_BODY, factories.ALMATY_CITY, "Бала құқығы")
    return factories.staff(Role.CHILD_RIGHTS_SPECIALIST, body, username="childrights")


@pytest.fixture
def plan(file, psychologist) -> SupportPlan:
    """The minor's plan drawn up by the case's social psychologist (their consultation leads)."""
    return services.open_plan(
        actor=psychologist,
        juvenile=file.accused.juvenile,
        accused=file.accused,
        goal="Оқуын жалғастыру, отбасымен жұмыс.",
    )


@pytest.fixture
def need(plan, psychologist) -> PlanNeed:
    return services.add_need(
        actor=psychologist,
        plan=plan,
        kind=NeedKind.PSYCHOLOGICAL,
        description="Стресстен кейінгі психологиялық қолдау.",
        priority="high",
    )


@pytest.fixture
def task(need, psychologist, today) -> PlanTask:
    """A task of the psychologist's own agency: in progress at once."""
    assert psychologist.agency is not None
    return services.add_task(
        actor=psychologist,
        need=need,
        action="Апта сайын жеке кеңес беру.",
        agency=psychologist.agency,
        assignee=psychologist,
        due_on=today + 10 * D,
    )


@pytest.fixture
def referral(plan, psychologist, probation, today) -> PlanTask:
    """A referral to the probation service for prevention: awaiting its answer."""
    prevention = services.add_need(
        actor=psychologist,
        plan=plan,
        kind=NeedKind.PREVENTION,
        description="Қайта қылмыс жасаудың алдын алу.",
    )
    assert probation.agency is not None
    return services.add_task(
        actor=psychologist,
        need=prevention,
        action="Профилактикалық әңгіме, тұрғылықты жерге бару.",
        agency=probation.agency,
        due_on=today + 14 * D,
    )
