"""Privacy: retention rules applied by `qorgau apply-retention`, and a child's own record export."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from qorgau.audit.models import AuditEvent
from qorgau.core import retention
from qorgau.core.rulefiles import RuleFileError
from qorgau.people import services
from qorgau.people.models import Juvenile, NoIINReason, Relation, Relative
from qorgau.proceedings.models import Stage
from tests import factories
from tests.proceedings import factories as case_factories
from tests.proceedings.factories import Team

TODAY = datetime.date(2026, 12, 7)


def born(years_before: int, day: datetime.date = TODAY) -> datetime.date:
    return day.replace(year=day.year - years_before, day=15)


@pytest.fixture
def team(investigator, prosecutor, judge, defender, psychologist) -> Team:
    return Team(investigator, prosecutor, judge, defender, psychologist)


def grown_up(investigator, years: int = 24) -> Juvenile:
    child = factories.juvenile(investigator, birth_date=born(years), school="Мектеп №5")
    services.add_relative(
        actor=investigator,
        juvenile=child,
        last_name="Сейітова",
        first_name="Айгүл",
        relation=Relation.MOTHER,
        phone="+7 701 000 00 00",
        address="Абай даңғылы 1",
    )
    return child


def test_the_rule_file_states_each_rule_with_its_basis():
    rules = {rule.code: rule for rule in retention.retention_rules()}
    record = rules["juvenile-record"]
    assert (record.record, record.action, record.counted_from) == (
        "people.juvenile",
        "anonymise",
        "adulthood",
    )
    assert record.policy and not record.confirmed  # the law names no period: it is policy
    assert "94-V" in record.citation
    assert rules["audit-trail"].action == "keep"


@pytest.mark.parametrize(
    ("line", "field"),
    [("keep_years: 5", "keep_years: -1"), ("action: anonymise", "action: shred")],
)
def test_a_broken_rule_file_is_refused_naming_rule_and_field(tmp_path, line, field):
    text = (retention.RULES_DIR / "retention-kz.yaml").read_text(encoding="utf-8")
    path = tmp_path / "retention-kz.yaml"
    path.write_text(text.replace(line, field, 1), encoding="utf-8")
    with pytest.raises(RuleFileError) as error:
        retention.load(path)
    assert "'juvenile-record'" in str(error.value)
    assert field.split(":")[0] in str(error.value)


@pytest.mark.django_db
def test_a_record_past_its_period_is_anonymised_and_the_figures_keep_their_row(investigator):
    child = grown_up(investigator)
    birth = child.birth_date
    result = retention.apply_retention(TODAY)
    assert result.changed == {"juvenile-record": 1} and result.failed == []
    child.refresh_from_db()
    assert (child.last_name, child.first_name, child.patronymic) == ("—", "—", "")
    assert child.iin is None and child.no_iin_reason == NoIINReason.ANONYMISED
    assert child.school == "" and child.address == ""
    assert child.birth_date == birth.replace(day=1)  # the age still counts
    assert child.sex == "male" and child.address_territory is not None
    mother = Relative.objects.get(juvenile=child)
    assert (mother.last_name, mother.phone, mother.address) == ("—", "", "")
    assert not Juvenile.objects.matching("Сейітов").exists()
    event = AuditEvent.objects.filter(action="juvenile.anonymise").get()
    assert event.details["rule"] == "juvenile-record" and event.actor_name == "system"
    # Once is enough: a second run finds nothing due.
    assert retention.apply_retention(TODAY).changed == {"juvenile-record": 0}


@pytest.mark.django_db
def test_a_child_within_the_period_is_kept(investigator):
    young = factories.juvenile(investigator, birth_date=born(22))  # 18 + 4 years
    assert retention.apply_retention(TODAY).changed == {"juvenile-record": 0}
    young.refresh_from_db()
    assert young.last_name == "Сейітов" and young.anonymised_at is None


@pytest.mark.django_db
def test_an_open_case_holds_the_record_until_it_is_finished(team, investigator):
    child = grown_up(investigator, years=25)
    # A case of the offence at 17 is still open eight years later (a wanted minor, say).
    offence = case_factories.offence_moment().replace(year=TODAY.year - 8)
    case = case_factories.open_case(team, child, offence_at=offence)
    assert retention.apply_retention(TODAY).due == {"juvenile-record": 0}
    case.accused.update(stage=Stage.CLOSED)
    assert retention.apply_retention(TODAY).changed == {"juvenile-record": 1}


@pytest.mark.django_db
def test_the_command_counts_in_a_dry_run_and_changes_nothing(investigator):
    child = grown_up(investigator)
    out = StringIO()
    call_command("apply_retention", "--at", TODAY.isoformat(), "--dry-run", stdout=out)
    assert "juvenile-record: 1 due" in out.getvalue()
    assert "audit-trail: keep" in out.getvalue()
    child.refresh_from_db()
    assert child.anonymised_at is None
    call_command("apply_retention", "--at", TODAY.isoformat(), stdout=out)
    assert "juvenile-record: 1 anonymised" in out.getvalue()


@pytest.mark.django_db
def test_the_command_refuses_a_day_that_is_not_a_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not a date"):
        call_command("apply_retention", "--at", "yesterday")


@pytest.mark.django_db
def test_the_childs_own_record_holds_the_cases_and_is_audited(team, investigator):
    child = grown_up(investigator, years=16)
    case = case_factories.open_case(team, child)
    document = services.export_juvenile_record(actor=investigator, juvenile_id=child.pk)
    assert document["juvenile"]["iin"] == child.iin
    assert document["relatives"][0]["first_name"] == "Айгүл"
    assert [c["number"] for c in document["cases"]] == [case.number]
    assert document["cases"][0]["charges"][0]["article"]
    assert {"safeguard_violations", "assessments", "support_plans", "mediations"} <= set(document)
    assert "portrait_reports" in document
    event = AuditEvent.objects.filter(action="juvenile.export").get()
    assert event.subject_id == str(child.pk)


@pytest.mark.django_db
def test_the_export_is_for_the_bodies_that_keep_the_record(investigator, defender, outsider):
    from django.core.exceptions import PermissionDenied

    child = factories.juvenile(investigator)
    with pytest.raises(PermissionDenied):
        services.export_juvenile_record(actor=defender, juvenile_id=child.pk)
    with pytest.raises(Juvenile.DoesNotExist):  # another region's investigator
        services.export_juvenile_record(actor=outsider, juvenile_id=child.pk)
    assert not AuditEvent.objects.filter(action="juvenile.export").exists()


@pytest.mark.django_db
def test_the_record_page_offers_the_file_and_the_api_gives_it(client, investigator, defender):
    child = factories.juvenile(investigator)
    client.force_login(investigator)
    page = client.get(reverse("juvenile_detail", args=[child.pk]))
    assert reverse("juvenile_export", args=[child.pk]) in page.content.decode()
    download = client.get(reverse("juvenile_export", args=[child.pk]))
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    assert json.loads(download.content)["juvenile"]["last_name"] == "Сейітов"
    api = client.get(f"/api/juveniles/{child.pk}/export")
    assert api.status_code == 200 and api.json()["juvenile"]["id"] == child.pk
    client.force_login(defender)
    page = client.get(reverse("juvenile_detail", args=[child.pk]))
    assert reverse("juvenile_export", args=[child.pk]) not in page.content.decode()
    assert client.get(reverse("juvenile_export", args=[child.pk])).status_code == 403
    assert client.get(f"/api/juveniles/{child.pk}/export").status_code == 403
