"""Reads the pages and the API share: the filtered case list, the case page, the actions offered."""

import contextlib
import datetime
from collections.abc import Iterator

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from qorgau.accounts.models import AgencyType, Role, User
from qorgau.core.models import Gravity
from qorgau.proceedings.models import EventKind as K
from qorgau.proceedings.models import ParticipantRole, Pending
from qorgau.proceedings.models import Stage as S
from qorgau.proceedings.selectors import (
    CaseFilters,
    actions_for,
    case_for_page,
    cases_for_list,
    stage_counts,
)
from qorgau.proceedings.services import add_accused, add_participant, requalify_charge
from tests import factories as base
from tests.proceedings import factories
from tests.proceedings.factories import CaseFile, add_people, article, minor

D = datetime.timedelta(days=1)
ALMATY_REGION = "190000000"
ALMALY = "751110000"


def fresh(user: User) -> User:
    """The user as a new request loads it: no permission cache carried over."""
    return User.objects.select_related("agency").get(pk=user.pk)


# The case list


@pytest.fixture
def three(team, investigator, prosecutor):
    """Three cases the prosecutor supervises, in two regions, at three stages."""
    almaly = base.staff(Role.INVESTIGATOR, base.agency(AgencyType.INVESTIGATION_UNIT, ALMALY))
    karasai = base.staff(
        Role.INVESTIGATOR, base.agency(AgencyType.INVESTIGATION_UNIT, base.KARASAI)
    )
    now = factories.offence_moment() + factories.OFFENCE_DAYS_AGO * D
    cases = {}
    for name, actor, days, code in [
        ("auezov", investigator, 10, "188/2"),
        ("almaly", almaly, 30, "106/1"),
        ("karasai", karasai, 5, "188/2"),
    ]:
        offence = now - days * D
        child = minor(actor, timezone.localdate(offence), 16, first_name=name.title())
        case = factories.open_case(
            team, child, offence_at=offence, investigator=actor, articles=(code,)
        )
        cases[name] = CaseFile(team, case, case.accused.get())
    cases["auezov"].record(K.DETENTION)
    karasai_file = cases["karasai"]
    karasai_file.record(K.DETENTION, actor=karasai)
    karasai_file.record(K.INDICTMENT, actor=karasai)
    karasai_file.record(K.INDICTMENT_APPROVED)
    return {name: file.case for name, file in cases.items()} | {"almaly_investigator": almaly}


def listed(actor: User, **filters) -> set[str]:
    return {
        case.number for case in cases_for_list(actor=fresh(actor), filters=CaseFilters(**filters))
    }


def numbers(three, *names) -> set[str]:
    return {three[name].number for name in names}


def test_lists_every_case_the_actor_sees_and_no_other(three, prosecutor, investigator, outsider):
    assert listed(prosecutor) == numbers(three, "auezov", "almaly", "karasai")
    assert listed(investigator) == numbers(three, "auezov")
    assert listed(outsider) == set()


def test_filters_by_region_and_its_districts(three, prosecutor):
    almaty = base.territory(base.ALMATY_CITY).pk
    assert listed(prosecutor, region_id=almaty) == numbers(three, "auezov", "almaly")
    region = base.territory(ALMATY_REGION).pk
    assert listed(prosecutor, region_id=region) == numbers(three, "karasai")
    district = base.territory(base.AUEZOV).pk
    assert listed(prosecutor, region_id=district) == numbers(three, "auezov")


@pytest.mark.parametrize(
    ("stage", "names"),
    [
        (S.REGISTERED, ["almaly"]),
        (S.INVESTIGATION, ["auezov"]),
        (S.IN_COURT, ["karasai"]),
        (S.CLOSED, []),
    ],
)
def test_filters_by_stage(three, prosecutor, stage, names):
    assert listed(prosecutor, stage=stage) == numbers(three, *names)


def test_filters_by_investigator(three, prosecutor, investigator):
    assert listed(prosecutor, investigator_id=investigator.pk) == numbers(three, "auezov")
    almaly = three["almaly_investigator"]
    assert listed(prosecutor, investigator_id=almaly.pk) == numbers(three, "almaly")


def test_filters_by_the_gravity_of_the_current_charges(three, prosecutor):
    assert listed(prosecutor, gravity=Gravity.GRAVE) == numbers(three, "almaly")
    assert listed(prosecutor, gravity=Gravity.MEDIUM) == numbers(three, "auezov", "karasai")
    charge = three["almaly"].accused.get().charges.get()
    requalify_charge(
        actor=prosecutor, charge=charge, article=article("188/2"), reason="Зиян орташа."
    )
    assert listed(prosecutor, gravity=Gravity.GRAVE) == set()
    assert listed(prosecutor, gravity=Gravity.MEDIUM) == numbers(
        three, "auezov", "almaly", "karasai"
    )


def test_filters_by_registration_dates(three, prosecutor):
    auezov = three["auezov"].registered_on
    assert listed(prosecutor, registered_from=auezov) == numbers(three, "auezov", "karasai")
    assert listed(prosecutor, registered_to=auezov) == numbers(three, "auezov", "almaly")
    assert listed(prosecutor, registered_from=auezov, registered_to=auezov) == numbers(
        three, "auezov"
    )


def test_finds_a_case_by_part_of_its_number_or_the_childs_iin(three, prosecutor):
    karasai = three["karasai"]
    assert listed(prosecutor, query=karasai.number[-7:]) == numbers(three, "karasai")
    iin = karasai.accused.get().juvenile.iin
    assert listed(prosecutor, query=iin) == numbers(three, "karasai")
    assert listed(prosecutor, query="999999999999") == set()


def test_a_case_with_two_minors_at_the_stage_is_listed_once(file, investigator, offence_day):
    add_accused(
        actor=investigator,
        proceeding=file.case,
        juvenile=minor(investigator, offence_day, 15),
        articles=[article("188/2")],
    )
    rows = list(cases_for_list(actor=fresh(investigator), filters=CaseFilters(stage=S.REGISTERED)))
    assert rows == [file.case]


def test_counts_the_minors_at_each_stage(three, prosecutor):
    cases = cases_for_list(actor=fresh(prosecutor), filters=CaseFilters())
    assert stage_counts(cases) == {S.REGISTERED: 1, S.INVESTIGATION: 1, S.IN_COURT: 1}


def list_queries(actor: User) -> int:
    actor = fresh(actor)
    with CaptureQueriesContext(connection) as captured:
        for case in cases_for_list(actor=actor, filters=CaseFilters(stage=S.REGISTERED)):
            str(case.territory), str(case.investigator), str(case.registering_agency)
            for accused in case.accused.all():
                str(accused.juvenile)
    return len(captured)


def test_the_case_list_takes_as_many_queries_for_fifteen_cases_as_for_three(
    team, investigator, offence_day
):
    def open_cases(count):
        for _ in range(count):
            factories.open_case(team, minor(investigator, offence_day))

    open_cases(3)
    few = list_queries(investigator)
    open_cases(12)
    many = list_queries(investigator)
    assert len(cases_for_list(actor=investigator, filters=CaseFilters())) == 15
    assert many == few
    assert few <= 5


# The case page


def touch_the_page(case) -> None:
    """Everything the case page shows."""
    str(case.territory.parent), str(case.registering_agency), str(case.court), str(case.judge)
    str(case.investigator.agency), str(case.prosecutor.agency)
    for accused in case.accused.all():
        str(accused.juvenile)
        for charge in accused.charges.all():
            str(charge.article), str(charge.charged_by)
            if charge.requalified_from:
                str(charge.requalified_from.article)
        for event in accused.events.all():
            str(event.author.agency), str(event.participant)
            [str(p) for p in event.attendees.all()]
    for participant in case.participants.all():
        str(participant.accused), str(participant.user and participant.user.agency)


def page_queries(actor: User, pk: int) -> int:
    actor = fresh(actor)
    with CaptureQueriesContext(connection) as captured:
        touch_the_page(case_for_page(actor=actor, pk=pk))
    return len(captured)


def test_the_case_page_takes_as_many_queries_for_twenty_events_as_for_three(
    file, investigator, prosecutor
):
    requalify_charge(
        actor=investigator,
        charge=file.accused.charges.get(),
        article=article("188/3"),
        reason="Бірнеше рет.",
    )
    present = [file.representative, file.defender, file.psychologist]
    file.record(K.DETENTION)
    file.record(K.REPRESENTATIVE_NOTIFIED)
    file.record(K.INTERROGATION, attendees=present)
    few = page_queries(prosecutor, file.case.pk)
    for _ in range(17):
        file.record(K.DEFENDER_ARRIVED, attendees=present[:2])
    many = page_queries(prosecutor, file.case.pk)
    assert file.accused.events.count() == 20
    assert many == few
    assert few <= 13  # with the agency's staff ids (case_ids_of_agency)


def test_the_case_page_is_only_for_agencies_in_the_case(case, outsider):
    with pytest.raises(type(case).DoesNotExist):
        case_for_page(actor=outsider, pk=case.pk)


def test_the_timeline_is_newest_first(file):
    first = file.record(K.DETENTION)
    second = file.record(K.REPRESENTATIVE_NOTIFIED)
    page = case_for_page(actor=fresh(file.team.investigator), pk=file.case.pk)
    assert list(page.accused.get().events.all()) == [second, first]


# The actions offered


INVESTIGATION_STEPS = [
    "detention",
    "representative_notified",
    "defender_assigned",
    "interrogation",
    "preventive_measure",
    "release",
]
IN_COURT_BY_JUDGE = [
    "representative_notified",
    "defender_assigned",
    "preventive_measure",
    "release",
    "judgment",
]
# (stage, pending decision) -> persona -> the steps offered, in the order of policy.ROLES.
OFFERED = {
    (S.REGISTERED, ""): {
        "investigator": INVESTIGATION_STEPS,
        "defender": ["defender_arrived"],
        "psychologist": ["psychologist_present"],
    },
    (S.INVESTIGATION, ""): {
        "investigator": [*INVESTIGATION_STEPS, "termination", "indictment"],
        "defender": ["defender_arrived"],
        "psychologist": ["psychologist_present"],
    },
    (S.INVESTIGATION, Pending.TERMINATION): {
        "investigator": INVESTIGATION_STEPS,
        "prosecutor": ["termination_approved"],
        "defender": ["defender_arrived"],
        "psychologist": ["psychologist_present"],
    },
    (S.INVESTIGATION, Pending.INDICTMENT): {
        "investigator": INVESTIGATION_STEPS,
        "prosecutor": ["indictment_approved"],
        "defender": ["defender_arrived"],
        "psychologist": ["psychologist_present"],
    },
    (S.IN_COURT, ""): {
        "judge": IN_COURT_BY_JUDGE,
        "defender": ["defender_arrived"],
        "psychologist": ["psychologist_present"],
    },
    (S.JUDGMENT, ""): {
        "judge": ["release", "judgment_in_force"],
        "defender": ["appeal"],
        "prosecutor": ["appeal"],
    },
    (S.APPEAL, ""): {"judge": ["release", "appeal_decision"]},
    (S.SENTENCE_EXECUTION, ""): {"judge": ["closed"]},
    (S.TERMINATED, ""): {},
    (S.CLOSED, ""): {},
}
TEAM = ["investigator", "prosecutor", "defender", "psychologist", "judge"]


@contextlib.contextmanager
def undone() -> Iterator[None]:
    """The block in a savepoint rolled back after it. Marked as a test case's block, as
    pytest-django's own are, so that the service's durable transaction may run inside it."""
    block = transaction.atomic()
    block._from_testcase = True  # type: ignore[attr-defined]
    with block:
        yield
        transaction.set_rollback(True)


def at(team, juvenile, stage, pending) -> CaseFile:
    case = factories.open_case(team, juvenile)
    file = add_people(CaseFile(team, case, case.accused.get()))
    file.drive(stage)
    if pending:
        file.record(pending)
    assert file.stage() == (stage, pending)
    return file


@pytest.mark.parametrize(("stage", "pending"), list(OFFERED), ids=[f"{s}-{p}" for s, p in OFFERED])
def test_offers_exactly_the_steps_each_role_may_take_now(
    request, team, juvenile, analyst, stage, pending
):
    file = at(team, juvenile, stage, pending)
    for persona in [*TEAM, "analyst"]:
        actor = fresh(request.getfixturevalue(persona))
        assert actions_for(actor, file.accused) == OFFERED[(stage, pending)].get(persona, [])


def test_offers_everything_the_stage_allows_to_the_superuser(file):
    file.drive(S.INVESTIGATION)
    offered = actions_for(base.superuser(), file.accused)
    assert offered == [
        "detention",
        "representative_notified",
        "defender_assigned",
        "defender_arrived",
        "psychologist_present",
        "interrogation",
        "preventive_measure",
        "release",
        "termination",
        "indictment",
    ]


@pytest.mark.parametrize(
    ("stage", "pending"),
    [
        (S.INVESTIGATION, ""),
        (S.INVESTIGATION, Pending.INDICTMENT),
        (S.IN_COURT, ""),
        (S.JUDGMENT, ""),
    ],
)
@pytest.mark.parametrize("persona", TEAM)
def test_what_is_offered_is_what_the_service_records(
    request, team, offence_day, stage, pending, persona
):
    actor = fresh(request.getfixturevalue(persona))
    file = at(team, minor(team.investigator, offence_day), stage, pending)
    offered = actions_for(actor, file.accused)
    for kind in K:
        if kind in offered:
            with undone():  # the next step is tried on the same case
                assert file.record(kind, actor=actor).kind == kind
        else:
            with pytest.raises((PermissionDenied, ValidationError)):
                file.record(kind, actor=actor)


def test_the_defender_is_offered_their_arrival_only_once_added(bare, defender, investigator):
    # Offers assume the case is visible: a page shows it only to those who see it.
    add_participant(
        actor=investigator,
        proceeding=bare.case,
        role=ParticipantRole.DEFENDER,
        accused=bare.accused,
        user=defender,
    )
    assert actions_for(fresh(defender), bare.accused) == ["defender_arrived"]
