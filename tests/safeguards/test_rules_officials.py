"""The investigator, prosecutor and judge of a minor's case hold juvenile-justice training:
one violation per untrained official per minor, none for a trained one."""

from qorgau.accounts.models import Role
from qorgau.proceedings import services as proceedings
from qorgau.proceedings.models import EventKind as K
from qorgau.proceedings.models import Stage
from qorgau.safeguards import services
from tests.proceedings import factories
from tests.proceedings.factories import article
from tests.safeguards.scenario import D, found, train


def officials(accused=None):
    return sorted(
        (v.responsible.username, v.fact_key, v.facts["role"])
        for v in found("specialized_officials", accused)
    )


def test_the_untrained_investigator_and_prosecutor_are_each_found_once(file):
    team = file.team
    file.record(K.DETENTION)
    file.record(K.INTERROGATION, attendees=[file.defender])
    assert officials() == [
        ("investigator", f"official:{team.investigator.pk}", str(Role.INVESTIGATOR)),
        ("prosecutor", f"official:{team.prosecutor.pk}", str(Role.PROSECUTOR)),
    ]
    one = found("specialized_officials")[0]
    assert one.events.count() == 0  # the fact is the official, not a step
    assert one.responsible_agency == one.responsible.agency


def test_the_judge_is_found_once_the_case_has_one(file):
    file.drive(Stage.JUDGMENT)
    assert [name for name, _, _ in officials()] == ["investigator", "judge", "prosecutor"]


def test_trained_officials_are_not_found(file):
    train(file.team.investigator, file.team.prosecutor, file.team.judge)
    file.drive(Stage.JUDGMENT)
    services.sweep(now=file.offence + 30 * D)
    assert found("specialized_officials") == []


def test_only_the_untrained_one_is_found(file):
    train(file.team.investigator)
    file.record(K.DETENTION)
    assert [name for name, _, _ in officials()] == ["prosecutor"]


def test_each_minor_of_the_case_is_a_fact_of_its_own(file, offence_day):
    second = proceedings.add_accused(
        actor=file.team.investigator,
        proceeding=file.case,
        juvenile=factories.minor(file.team.investigator, offence_day, 16),
        articles=[article("188/2")],
    )
    file.record(K.DETENTION)
    file.record(K.DETENTION, accused=second)
    file.record(K.DETENTION, accused=second)
    assert len(officials(file.accused)) == 2
    assert len(officials(second)) == 2
    assert len(found("specialized_officials")) == 4
