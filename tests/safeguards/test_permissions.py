"""Only prosecutors answer violations, and only on cases they see; everyone who sees a case
sees its violations (the investigator his own), nobody else does."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from qorgau.accounts.access import MESSAGE_INACTIVE, MESSAGE_NOT_ALLOWED
from qorgau.accounts.models import AgencyType, Role
from qorgau.audit.models import AuditEvent
from qorgau.proceedings import services as proceedings
from qorgau.proceedings.models import EventKind as K
from qorgau.safeguards import services
from qorgau.safeguards.models import Status, Violation
from qorgau.safeguards.services import MESSAGE_NOT_VISIBLE
from tests import factories as base
from tests.proceedings import factories
from tests.safeguards.scenario import H


def answers(violation):
    return {
        "acknowledge": lambda actor: services.acknowledge(actor=actor, violation=violation),
        "remedy": lambda actor: services.remedy(actor=actor, violation=violation, note=""),
        "dispute": lambda actor: services.dispute(actor=actor, violation=violation, reason="Қате."),
        "issue_act": lambda actor: services.issue_act(
            actor=actor,
            violation=violation,
            act_type="protest",
            act_number="17",
            act_date=timezone.localdate(),
        ),
    }


def denied(call, actor) -> str:
    """Call an answer that must be denied and change nothing; its message."""
    before = (list(Violation.objects.values_list("pk", "status")), AuditEvent.objects.count())
    with pytest.raises(PermissionDenied) as excinfo:
        call(actor)
    assert (list(Violation.objects.values_list("pk", "status")), AuditEvent.objects.count()) == (
        before
    )
    return str(excinfo.value)


ACTIONS = ["acknowledge", "remedy", "dispute", "issue_act"]


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize(
    "persona", ["investigator", "defender", "psychologist", "judge", "analyst", "administrator"]
)
def test_only_a_prosecutor_answers_a_violation(request, violation, persona, action):
    actor = request.getfixturevalue(persona)
    assert denied(answers(violation)[action], actor) == str(MESSAGE_NOT_ALLOWED)


@pytest.mark.parametrize("action", ACTIONS)
def test_the_permission_alone_does_not_make_a_prosecutor(violation, investigator, action):
    # Granted by hand: the role decides, not a stray permission.
    investigator.user_permissions.add(
        Permission.objects.get(content_type__app_label="safeguards", codename="change_violation")
    )
    investigator = type(investigator).objects.get(pk=investigator.pk)  # no cached permissions
    assert investigator.has_perm("safeguards.change_violation")
    assert denied(answers(violation)[action], investigator) == str(MESSAGE_NOT_ALLOWED)


@pytest.mark.parametrize("action", ACTIONS)
def test_a_prosecutor_who_does_not_see_the_case_is_refused(violation, action):
    astana = base.agency(AgencyType.PROSECUTOR_OFFICE, base.ASTANA)
    elsewhere = base.staff(Role.PROSECUTOR, astana, username="astana-prosecutor")
    assert not Violation.objects.visible_to(elsewhere).exists()
    assert denied(answers(violation)[action], elsewhere) == str(MESSAGE_NOT_VISIBLE)


@pytest.mark.parametrize("action", ACTIONS)
def test_the_prosecutor_of_the_case_answers(violation, prosecutor, action):
    answers(violation)[action](prosecutor)
    violation.refresh_from_db()
    assert violation.status != Status.OPEN


def test_an_inactive_prosecutor_is_refused(violation, prosecutor):
    prosecutor.is_active = False
    prosecutor.save(update_fields=["is_active"])
    assert denied(answers(violation)["acknowledge"], prosecutor) == str(MESSAGE_INACTIVE)


# Who sees violations


@pytest.fixture
def astana_violation(team, outsider):
    """A violation on a case of the Astana investigator, whom nobody in Almaty works with."""
    offence = factories.offence_moment()
    minor = factories.minor(outsider, timezone.localdate(offence), 16)
    case = factories.open_case(
        team, minor, offence_at=offence, investigator=outsider, prosecutor=None
    )
    proceedings.record_event(
        actor=outsider,
        accused=case.accused.get(),
        kind=K.DETENTION,
        started_at=offence + H,
        place="Астана, Сарыарқа ПБ",
        performed_by="полиция сержанты",
        held_separately=False,
    )
    return Violation.objects.get(proceeding=case, rule_id="held_with_adults")


def visible(user) -> set[int]:
    return set(Violation.objects.visible_to(user).values_list("pk", flat=True))


@pytest.mark.parametrize("persona", ["investigator", "prosecutor", "defender", "psychologist"])
def test_those_who_work_the_case_see_its_violations(
    request, file, violation, astana_violation, persona
):
    mine = set(Violation.objects.filter(proceeding=file.case).values_list("pk", flat=True))
    assert violation.pk in mine
    assert visible(request.getfixturevalue(persona)) == mine


def test_the_investigator_of_another_region_sees_only_his_own(
    file, violation, astana_violation, outsider
):
    assert visible(outsider) == set(
        Violation.objects.filter(proceeding=astana_violation.proceeding).values_list(
            "pk", flat=True
        )
    )
    assert violation.pk not in visible(outsider)


def test_a_judge_sees_the_violations_once_the_case_is_in_his_court(file, violation, judge):
    assert visible(judge) == set()
    file.record(K.INDICTMENT)
    file.record(K.INDICTMENT_APPROVED)
    assert violation.pk in visible(judge)


def test_an_inactive_user_sees_nothing(file, violation, investigator):
    investigator.is_active = False
    investigator.save(update_fields=["is_active"])
    assert visible(investigator) == set()
