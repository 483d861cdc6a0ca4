# ruff: noqa: F811 (the case fixtures of tests/proceedings are imported to be used here)
"""A case with its people (tests/proceedings fixtures), a victim, and mediations at each step.

The psychologist persona (a juvenile legal consultation) is the mediator. The offence was ten
days ago; the referral two days after it, consent on day three, meetings on days four and five,
the agreement on day six.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from qorgau.mediation import services
from qorgau.mediation.models import Mediation, SessionKind
from qorgau.proceedings import services as proceedings
from qorgau.proceedings.models import Participant, ParticipantRole
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
def victim(file: CaseFile) -> Participant:
    return proceedings.add_participant(
        actor=file.team.investigator,
        proceeding=file.case,
        role=ParticipantRole.VICTIM,
        full_name="Ахметова Сәуле Қанатқызы",
    )


def refer(file: CaseFile, victim: Participant, **overrides) -> Mediation:
    data = {
        "actor": file.team.investigator,
        "accused": file.accused,
        "victim": victim,
        "source": "investigator",
        "mediator": file.team.psychologist,
        "referred_at": file.offence + 2 * D,
        "condition_confirmed": True,
    }
    data.update(overrides)
    return services.refer(**data)


@pytest.fixture
def mediation(file, victim) -> Mediation:
    return refer(file, victim)


def consent_both(file: CaseFile, mediation: Mediation) -> Mediation:
    mediator = file.team.psychologist
    services.record_consent(
        actor=mediator, mediation=mediation, side="accused", given=True,
        at=file.offence + 3 * D, representative=file.representative,
    )  # fmt: skip
    return services.record_consent(
        actor=mediator, mediation=mediation, side="victim", given=True, at=file.offence + 3 * D
    )


@pytest.fixture
def consented(file, mediation) -> Mediation:
    return consent_both(file, mediation)


def hold_joint(file: CaseFile, mediation: Mediation) -> None:
    services.record_session(
        actor=file.team.psychologist, mediation=mediation, kind=SessionKind.JOINT,
        held_at=file.offence + 5 * D, duration_minutes=90,
        present="Кәмелетке толмаған, анасы, жәбірленуші", notes="Тараптар кешірім туралы сөйлесті.",
    )  # fmt: skip


@pytest.fixture
def met(file, consented) -> Mediation:
    hold_joint(file, consented)
    consented.refresh_from_db()
    return consented


def signed_day(file: CaseFile) -> datetime.date:
    return timezone.localdate(file.offence + 6 * D)


def sign(file: CaseFile, mediation: Mediation, **overrides):
    day = signed_day(file)
    data = {
        "actor": file.team.psychologist,
        "mediation": mediation,
        "signed_on": day,
        "apology": "in_person",
        "compensation": Decimal("100000"),
        # One instalment already past its day, one still to come.
        "instalments": [(day + D, Decimal("40000")), (day + 40 * D, Decimal("60000"))],
        "undertakings": "Мектепке уақытында бару.",
        "deadline": day + 60 * D,
    }
    data.update(overrides)
    return services.sign_agreement(**data)


@pytest.fixture
def agreed(file, met) -> Mediation:
    sign(file, met)
    met.refresh_from_db()
    return met


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English; the Kazakh and Russian ones in tests that say so."""
    from django.utils import translation

    with translation.override("en"):
        yield
