# ruff: noqa: F811 (the case fixtures of tests/proceedings are imported to be used here)
"""A case taken to a judgment that took effect, and the probation service that receives the minor.

The minor lives in Auezov district (Almaty city); its probation service receives the minor. The
offence was ten days ago and every step came an hour after the one before, so the judgment took
effect that day: the supervision starts then and the report day (10 days later) is today.
"""

import datetime

import pytest

from qorgau.accounts.models import AgencyType, Role, User
from qorgau.probation import services
from qorgau.probation.models import Supervision
from qorgau.proceedings.models import EventKind
from tests import factories
from tests.proceedings.conftest import (  # noqa: F401 (fixtures)
    bare,
    case,
    file,
    juvenile,
    offence_at,
    offence_day,
    team,
)
from tests.proceedings.factories import CaseFile

D = datetime.timedelta(days=1)


@pytest.fixture
def auezov_probation(db):
    return factories.agency(AgencyType.PROBATION, factories.AUEZOV, "Әуезов пробациясы")


@pytest.fixture
def inspector(auezov_probation) -> User:
    return factories.staff(Role.PROBATION_INSPECTOR, auezov_probation, username="inspector")


@pytest.fixture
def other_inspector(db) -> User:
    """An inspector of another probation service of the same city."""
    service = factories.agency(AgencyType.PROBATION, factories.ALMATY_CITY, "Алматы пробациясы")
    return factories.staff(Role.PROBATION_INSPECTOR, service, username="inspector2")


def sentence(file: CaseFile, **judgment) -> None:
    """Judgment (community works, 4 months, unless overridden) and its taking effect."""
    file.drive("in_court")
    fields = {"verdict": "conviction", "punishment": "community_works", "term_months": 4}
    fields.update(judgment)
    file.record(EventKind.JUDGMENT, **fields)
    file.record(EventKind.JUDGMENT_IN_FORCE)


@pytest.fixture
def received(file, inspector) -> Supervision:
    sentence(file)
    return Supervision.objects.get(accused=file.accused)


@pytest.fixture
def registered(received, inspector, offence_day) -> Supervision:
    return services.register(
        actor=inspector, supervision=received, registered_on=offence_day + 2 * D
    )


@pytest.fixture
def planned(registered, inspector, offence_day) -> Supervision:
    return services.set_plan(
        actor=inspector,
        supervision=registered,
        report_every_days=7,
        first_check_in_on=offence_day + 3 * D,
        obligations="Кешкі 22:00-ден кейін үйден шықпау.",
        work_hours=60,
    )
