"""Registering a case against a minor, and reading it."""

import datetime

import pytest
from django.utils import timezone

from qorgau.accounts.models import AgencyType, Role
from qorgau.audit.models import AuditEvent
from qorgau.proceedings.models import Charge, Proceeding
from qorgau.proceedings.models import Stage as S
from qorgau.proceedings.services import view_case
from qorgau.proceedings.services.cases import (
    MESSAGE_JUVENILE_NOT_VISIBLE,
    MESSAGE_NO_ARTICLE,
    MESSAGE_NOT_PROSECUTOR,
    MESSAGE_REGISTERED_BEFORE_OFFENCE,
    MESSAGE_REGISTERED_FUTURE,
)
from qorgau.proceedings.services.common import MESSAGE_FUTURE, local
from tests import factories as base
from tests.proceedings import factories
from tests.proceedings.factories import article, last_audit, minor, nothing_written, refusal

D = datetime.timedelta(days=1)
MESSAGE_DUPLICATE_NUMBER = str(Proceeding._meta.get_field("number").error_messages["unique"])


def test_opens_a_case_with_the_investigator_in_charge_and_audits_it(
    team, investigator, prosecutor, juvenile, offence_at
):
    case = factories.open_case(
        team, juvenile, offence_at=offence_at, number=" 267513000000042 ", articles=("188/2",)
    )

    stored = Proceeding.objects.get(pk=case.pk)
    assert stored.number == "267513000000042"
    assert (stored.investigator, stored.registering_agency) == (investigator, investigator.agency)
    assert stored.prosecutor == prosecutor
    assert (stored.offence_at, stored.territory) == (offence_at, investigator.agency.territory)
    assert (stored.court, stored.judge) == (None, None)
    accused = stored.accused.get()
    assert (accused.juvenile, accused.stage, accused.pending) == (juvenile, S.REGISTERED, "")
    charge = accused.charges.get()
    assert (charge.article, charge.charged_by, charge.is_current) == (
        article("188/2"),
        investigator,
        True,
    )
    opened = last_audit("case.open")
    assert (opened.actor, opened.subject_id) == (investigator, str(case.pk))
    assert opened.changes == {
        "number": [None, "267513000000042"],
        "offence_at": [None, local(offence_at)],
    }
    joined = last_audit("case.accused")
    assert joined.changes["accused"] == [None, juvenile.pk]
    assert joined.changes["charges"] == [None, str(article("188/2").citation)]


def test_opens_a_case_with_several_charges_and_no_prosecutor_yet(team, juvenile, offence_at):
    case = factories.open_case(
        team, juvenile, offence_at=offence_at, articles=("188/2", "191/2"), prosecutor=None
    )
    case.refresh_from_db()
    assert case.prosecutor is None
    charged = Charge.objects.filter(accused__proceeding=case).values_list("article", flat=True)
    assert set(charged) == {article("188/2").pk, article("191/2").pk}


def test_refuses_a_case_without_an_article(team, juvenile):
    errors = refusal(factories.open_case, team=team, juvenile=juvenile, articles=())
    assert errors == {"articles": [MESSAGE_NO_ARTICLE]}


def test_refuses_an_offence_in_the_future(team, juvenile):
    later = timezone.now() + datetime.timedelta(hours=1)
    errors = refusal(
        factories.open_case,
        team=team,
        juvenile=juvenile,
        offence_at=later,
        registered_on=timezone.localdate(),
    )
    assert errors["offence_at"] == [MESSAGE_FUTURE]


def test_refuses_a_registration_date_in_the_future(team, juvenile):
    errors = refusal(
        factories.open_case,
        team=team,
        juvenile=juvenile,
        registered_on=timezone.localdate() + D,
    )
    assert errors == {"registered_on": [MESSAGE_REGISTERED_FUTURE]}


def test_refuses_a_registration_before_the_offence(team, juvenile, offence_at):
    errors = refusal(
        factories.open_case,
        team=team,
        juvenile=juvenile,
        offence_at=offence_at,
        registered_on=timezone.localdate(offence_at) - D,
    )
    assert errors == {"registered_on": [MESSAGE_REGISTERED_BEFORE_OFFENCE]}


def test_accepts_a_registration_on_the_day_of_the_offence(team, juvenile, offence_at):
    day = timezone.localdate(offence_at)
    case = factories.open_case(team, juvenile, offence_at=offence_at, registered_on=day)
    assert case.registered_on == day


def test_refuses_a_supervisor_who_is_not_a_prosecutor(team, juvenile, judge):
    errors = refusal(factories.open_case, team=team, juvenile=juvenile, prosecutor=judge)
    assert errors == {"prosecutor": [MESSAGE_NOT_PROSECUTOR]}


def test_refuses_a_registration_number_already_taken(team, juvenile, case, offence_day):
    other = minor(team.investigator, offence_day, 15)
    errors = refusal(factories.open_case, team=team, juvenile=other, number=case.number)
    assert errors == {"number": [MESSAGE_DUPLICATE_NUMBER]}


@pytest.mark.parametrize("name", ["number", "offence_place"])
def test_refuses_a_blank_number_or_place(team, juvenile, name):
    errors = refusal(factories.open_case, team=team, juvenile=juvenile, **{name: "   "})
    assert list(errors) == [name]


def test_refuses_a_juvenile_the_investigator_may_not_see(team, outsider, offence_day):
    astana_child = minor(outsider, offence_day, address_territory=base.territory(base.ASTANA))
    errors = refusal(factories.open_case, team=team, juvenile=astana_child)
    assert errors == {"juvenile": [MESSAGE_JUVENILE_NOT_VISIBLE]}


def test_a_refused_accusation_leaves_no_case_behind(team, investigator, offence_day):
    too_young = base.juvenile(
        investigator, birth_date=offence_day.replace(year=offence_day.year - 13)
    )
    with nothing_written():
        refusal(factories.open_case, team=team, juvenile=too_young, articles=("188/2",))
    assert Proceeding.objects.exists() is False


# Reading


def test_reading_a_case_is_audited(case, prosecutor):
    before = AuditEvent.objects.count()
    read = view_case(actor=prosecutor, pk=case.pk)
    assert read == case
    assert AuditEvent.objects.count() == before + 1
    audit = last_audit("case.view")
    assert (audit.actor, audit.subject_id) == (prosecutor, str(case.pk))


def test_a_case_outside_the_agency_is_not_found_and_not_audited(case, outsider):
    with nothing_written(), pytest.raises(Proceeding.DoesNotExist):
        view_case(actor=outsider, pk=case.pk)


def test_another_court_reads_no_case_it_has_not_received(case):
    judge = base.staff(Role.JUDGE, base.agency(AgencyType.JUVENILE_COURT, base.ALMATY_CITY))
    with pytest.raises(Proceeding.DoesNotExist):
        view_case(actor=judge, pk=case.pk)
