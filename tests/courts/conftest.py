# ruff: noqa: F811 (the case fixtures of tests/proceedings are imported to be used here)
"""A minor's case taken to court (tests/proceedings fixtures), its courtrooms, and the court's
administrative and civil cases.

The offence was ten days ago; the indictment is approved on the case file's clock (hours
after it), so the court receives the case then. Hearings are put a few days later, in the
past, so that presence can be recorded.
"""

import datetime

import pytest
from django.utils import timezone

from qorgau.accounts.models import AgencyType, Role, User
from qorgau.courts import services
from qorgau.courts.models import CaseKind, CourtCase, Courtroom, Hearing
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
H = datetime.timedelta(hours=1)


@pytest.fixture
def courtroom(judge) -> Courtroom:
    return Courtroom.objects.create(court=judge.agency, name="№ 1")


@pytest.fixture
def courtroom_two(judge) -> Courtroom:
    return Courtroom.objects.create(court=judge.agency, name="№ 2")


@pytest.fixture
def second_judge(judge) -> User:
    return factories.staff(Role.JUDGE, judge.agency, username="judge2")


@pytest.fixture
def other_judge(db) -> User:
    """A judge of another juvenile court (Astana)."""
    court = factories.agency(AgencyType.JUVENILE_COURT, factories.ASTANA)
    return factories.staff(Role.JUDGE, court, username="astana_judge")


def to_court(file: CaseFile) -> CourtCase:
    file.record(EventKind.DETENTION)
    file.record(EventKind.INDICTMENT)
    file.record(EventKind.INDICTMENT_APPROVED)
    return CourtCase.objects.get(accused=file.accused)


@pytest.fixture
def in_court(file) -> CourtCase:
    return to_court(file)


def hearing_day(file: CaseFile, days: int = 3) -> datetime.datetime:
    """10:00 on the offence's day plus `days`, in the past."""
    moment = timezone.localtime(file.offence + days * D)
    return moment.replace(hour=10, minute=0)


def schedule(actor: User, case: CourtCase, courtroom: Courtroom, at: datetime.datetime, **kw):
    data = {"actor": actor, "case": case, "courtroom": courtroom, "starts_at": at, "minutes": 60}
    data.update(kw)
    return services.schedule_hearing(**data)


@pytest.fixture
def hearing(file, in_court, courtroom) -> Hearing:
    return schedule(file.team.judge, in_court, courtroom, hearing_day(file))


def summon_all(file: CaseFile, hearing: Hearing) -> None:
    judge, day = file.team.judge, timezone.localdate(hearing.starts_at) - 2 * D
    services.summon(actor=judge, hearing=hearing, summoned_as="minor", method="post", sent_on=day)
    services.summon(
        actor=judge, hearing=hearing, summoned_as="legal_representative",
        participant=file.representative, method="phone", sent_on=day,
    )  # fmt: skip
    services.summon(
        actor=judge, hearing=hearing, summoned_as="defender", participant=file.defender,
        method="phone", sent_on=day,
    )  # fmt: skip


def hold(file: CaseFile, hearing: Hearing, everyone: bool = True) -> Hearing:
    if not hearing.summonses.exists():
        summon_all(file, hearing)
    present = {s.pk: everyone for s in hearing.summonses.all()}
    return services.record_presence(actor=file.team.judge, hearing=hearing, present=present)


@pytest.fixture
def held(file, hearing) -> Hearing:
    return hold(file, hearing)


def register(judge: User, child, kind: str = CaseKind.CIVIL, **overrides) -> CourtCase:
    data = {
        "actor": judge,
        "court": judge.agency,
        "kind": kind,
        "juvenile": child,
        "received_at": timezone.now() - 20 * D,
        "parties": [
            {"role": "claimant", "full_name": "Сейітова Айгүл Маратқызы"},
            {"role": "respondent", "full_name": "Сейітов Марат Болатұлы"},
        ],
    }
    if kind == CaseKind.CIVIL:
        data["matter"] = "residence"
    else:
        data["article"] = "434"
    data.update(overrides)
    return services.register_case(**data)


@pytest.fixture
def civil(judge, juvenile) -> CourtCase:
    return register(judge, juvenile)


@pytest.fixture
def administrative(judge, juvenile) -> CourtCase:
    return register(judge, juvenile, CaseKind.ADMINISTRATIVE)


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English; the Kazakh and Russian ones in tests that say so."""
    from django.utils import translation

    with translation.override("en"):
        yield
