"""A minor's case with a portrait in progress, built through the services.

Import the fixtures into a test module with `from tests.support.portrait_fixtures import *`.
The case is the proceedings' `file`: the `psychologist` persona is the minor's social
psychologist, in a consultation of its own; the `defender` persona is of another one.
"""

import datetime

import pytest
from django.utils import timezone

from qorgau.accounts.models import Role
from qorgau.support.models import InterviewWith
from qorgau.support.services import portrait as services
from tests import factories
from tests.proceedings.conftest import bare, case, file, juvenile, offence_at, offence_day, team

__all__ = [
    "KAZAKH",
    "bare",
    "case",
    "file",
    "intern",
    "juvenile",
    "offence_at",
    "offence_day",
    "portrait",
    "ready_report",
    "team",
    "with_interviews",
    "write_all",
]

KAZAKH = "Әлеуметтік-психологиялық портрет: Ғалым Құрманов, Өскемен, ұлы, үйі, һ, і — ӘҒҚҢӨҰҮҺІ"


@pytest.fixture
def intern(psychologist):
    """A psychology-student intern of the psychologist's consultation."""
    return factories.staff(Role.PSYCHOLOGY_INTERN, psychologist.agency, username="intern")


@pytest.fixture
def portrait(file, psychologist):
    return services.start_portrait(actor=psychologist, accused=file.accused)


def interview(portrait, actor, with_whom, name, hours=2):
    held = timezone.now() - datetime.timedelta(hours=hours)
    return services.record_interview(
        actor=actor,
        portrait=portrait,
        with_whom=with_whom,
        name=name,
        held_at=held,
        place="Заң консультациясы",
        summary=f"{name}: әңгіме барысы.",
    )


@pytest.fixture
def with_interviews(portrait, psychologist):
    interview(portrait, psychologist, InterviewWith.MINOR, "Сейітов Нұрлан", hours=5)
    interview(portrait, psychologist, InterviewWith.MOTHER, "Сейітова Айгүл", hours=4)
    services.record_document(
        actor=psychologist,
        portrait=portrait,
        kind="school_reference",
        title="№ 52 мектептің мінездемесі",
        source="№ 52 мектеп-гимназия",
        received_on=timezone.localdate(),
        summary="Сабаққа жиі келмейді.",
    )
    return portrait


def write_all(report, actor, text=KAZAKH, **kwargs):
    from qorgau.support.models import REPORT_SECTIONS

    names = [name for name, _title in REPORT_SECTIONS]
    return services.update_report(
        actor=actor,
        report=report,
        sections={name: f"{text} ({name})" for name in names},
        completed=dict.fromkeys(names, True),
        **kwargs,
    )


@pytest.fixture
def ready_report(with_interviews, psychologist):
    """A draft with every section written and completed, ready to sign."""
    report = services.start_report_version(actor=psychologist, portrait=with_interviews)
    return write_all(report, psychologist, alternatives=["community_works", "supervision"])
