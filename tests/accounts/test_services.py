"""Agencies, staff accounts, roles, trainings and languages: each change leaves its audit row."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import (
    CommonPasswordValidator,
    MinimumLengthValidator,
    NumericPasswordValidator,
    UserAttributeSimilarityValidator,
)
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from qorgau.accounts import services
from qorgau.accounts.access import MESSAGE_INACTIVE, MESSAGE_NOT_ALLOWED
from qorgau.accounts.models import Agency, AgencyType, Role, Training, User
from qorgau.audit.models import AuditEvent
from tests import factories

PASSWORD = factories.PASSWORD


def counts() -> tuple[int, int, int, int]:
    return (
        Agency.objects.count(),
        User.objects.count(),
        Training.objects.count(),
        AuditEvent.objects.count(),
    )


def last_event() -> AuditEvent:
    return AuditEvent.objects.order_by("-id").first()


def refused(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def not_allowed():
    return pytest.raises(PermissionDenied, match=re.escape(str(MESSAGE_NOT_ALLOWED)))


@pytest.fixture
def agency(db) -> Agency:
    return factories.agency(AgencyType.INVESTIGATION_UNIT, factories.KARASAI)


def new_staff(actor: User, agency: Agency | None, **overrides: object) -> User:
    data: dict[str, object] = {
        "username": "aigerim",
        "password": PASSWORD,
        "roles": [Role.INVESTIGATOR],
        "agency": agency,
        "first_name": "Әйгерім",
        "last_name": "Серікова",
    }
    data.update(overrides)
    return services.create_staff(actor=actor, **data)  # type: ignore[arg-type]


# Agencies


def test_administrator_creates_an_agency_and_it_is_audited(administrator):
    karasai = factories.territory(factories.KARASAI)
    agency = services.create_agency(
        actor=administrator,
        name_kk="Қарасай ПБ",
        name_ru="Карасайский РОП",
        name_en="Karasai police",
        agency_type=AgencyType.JUVENILE_POLICE,
        territory=karasai,
    )
    assert Agency.objects.get(pk=agency.pk).territory == karasai
    event = last_event()
    assert event.action == "agency.create"
    assert event.actor == administrator
    assert (event.subject_type, event.subject_id) == ("accounts.agency", str(agency.pk))
    assert event.fields == ["agency_type", "name_en", "name_kk", "name_ru", "territory"]
    assert event.changes["territory"] == [None, karasai.pk]
    assert event.changes["name_en"] == [None, "Karasai police"]


def test_refuses_to_create_an_agency_for_a_non_administrator(investigator):
    before = counts()
    with not_allowed():
        services.create_agency(
            actor=investigator,
            name_kk="X",
            name_ru="X",
            name_en="X",
            agency_type=AgencyType.PROBATION,
            territory=factories.territory(factories.AUEZOV),
        )
    assert counts() == before


def test_refuses_an_agency_without_names(administrator):
    before = counts()
    with pytest.raises(ValidationError) as excinfo:
        services.create_agency(
            actor=administrator,
            name_kk="",
            name_ru="",
            name_en="",
            agency_type=AgencyType.PROBATION,
            territory=factories.territory(factories.AUEZOV),
        )
    assert set(refused(excinfo)) == {"name_kk", "name_ru", "name_en"}
    assert counts() == before


def test_refuses_an_unknown_agency_field(administrator):
    before = counts()
    with pytest.raises(ValueError, match="colour"):
        services.create_agency(actor=administrator, colour="red")
    assert counts() == before


def test_updates_an_agency_and_audits_old_and_new_values(administrator):
    agency = factories.agency(name="Әуезов ПБ")
    services.update_agency(actor=administrator, agency=agency, phone="+7 727 000 00 00")
    agency.refresh_from_db()
    assert agency.phone == "+7 727 000 00 00"
    event = last_event()
    assert event.action == "agency.update"
    assert event.actor == administrator
    assert event.subject_id == str(agency.pk)
    assert event.fields == ["phone"]
    assert event.changes == {"phone": ["", "+7 727 000 00 00"]}


def test_an_agency_update_that_changes_nothing_writes_no_audit_row(administrator):
    agency = factories.agency(name="Әуезов ПБ")
    before = counts()
    services.update_agency(actor=administrator, agency=agency, name_kk="Әуезов ПБ")
    assert counts() == before


def test_refuses_to_update_an_agency_for_a_non_administrator(investigator):
    agency = investigator.agency
    before = counts()
    with not_allowed():
        services.update_agency(actor=investigator, agency=agency, phone="1")
    agency.refresh_from_db()
    assert agency.phone == ""
    assert counts() == before


# Staff accounts


def test_creates_staff_with_roles_as_groups_and_audits_it(administrator, agency):
    user = new_staff(administrator, agency, roles=[Role.PROSECUTOR, Role.ANALYST])
    user = User.objects.get(pk=user.pk)
    assert user.roles == [Role.PROSECUTOR, Role.ANALYST]
    assert set(user.groups.values_list("name", flat=True)) == {"prosecutor", "analyst"}
    assert user.agency == agency
    assert user.check_password(PASSWORD) is True
    assert user.password != PASSWORD
    assert user.has_perm("audit.view_auditevent") is True
    event = last_event()
    assert event.action == "staff.create"
    assert event.actor == administrator
    assert (event.subject_type, event.subject_id) == ("accounts.user", str(user.pk))
    assert event.fields == ["agency", "roles", "username"]
    assert event.changes == {
        "agency": [None, agency.pk],
        "roles": [None, "prosecutor,analyst"],
        "username": [None, "aigerim"],
    }
    assert PASSWORD not in str(event.changes)


def test_creates_an_administrator_without_an_agency(administrator):
    user = new_staff(administrator, None, roles=[Role.ADMINISTRATOR])
    assert user.agency is None
    assert User.objects.get(pk=user.pk).has_perm("accounts.add_user") is True
    assert last_event().changes["agency"] == [None, None]


@pytest.mark.parametrize("roles", [[Role.INVESTIGATOR], [Role.ADMINISTRATOR, Role.ANALYST]])
def test_refuses_staff_without_an_agency_unless_only_administrator(administrator, roles):
    before = counts()
    with pytest.raises(ValidationError) as excinfo:
        new_staff(administrator, None, roles=roles)
    assert refused(excinfo) == {"agency": [str(services.MESSAGE_AGENCY_REQUIRED)]}
    assert counts() == before


def test_refuses_an_unknown_role(administrator, agency):
    before = counts()
    with pytest.raises(ValidationError) as excinfo:
        new_staff(administrator, agency, roles=[Role.INVESTIGATOR, "sheriff"])
    message = str(services.MESSAGE_UNKNOWN_ROLE) % {"role": "sheriff"}
    assert refused(excinfo) == {"roles": [message]}
    assert counts() == before


def test_refuses_staff_without_a_role(administrator, agency):
    before = counts()
    with pytest.raises(ValidationError) as excinfo:
        new_staff(administrator, agency, roles=[])
    assert refused(excinfo) == {"roles": [str(services.MESSAGE_NO_ROLE)]}
    assert counts() == before


@pytest.mark.parametrize("username", ["investigator", "INVESTIGATOR"])
def test_refuses_a_login_already_taken_whatever_its_case(
    administrator, investigator, agency, username
):
    before = counts()
    with pytest.raises(ValidationError) as excinfo:
        new_staff(administrator, agency, username=username)
    assert refused(excinfo) == {"username": [str(services.MESSAGE_USERNAME_TAKEN)]}
    assert counts() == before


def test_refuses_a_weak_password(administrator, agency):
    before = counts()
    with pytest.raises(ValidationError) as excinfo:
        new_staff(administrator, agency, password="12345")
    assert set(excinfo.value.messages) == {
        MinimumLengthValidator().get_error_message(),
        str(CommonPasswordValidator().get_error_message()),
        str(NumericPasswordValidator().get_error_message()),
    }
    assert counts() == before


def test_refuses_a_password_like_the_login(administrator, agency):
    before = counts()
    with pytest.raises(ValidationError) as excinfo:
        new_staff(administrator, agency, username="zhanarbekova", password="zhanarbekova1")
    message = UserAttributeSimilarityValidator().get_error_message() % {
        "verbose_name": User._meta.get_field("username").verbose_name
    }
    assert excinfo.value.messages == [message]
    assert counts() == before


@pytest.mark.parametrize("persona", ["investigator", "prosecutor", "analyst", "outsider"])
def test_refuses_to_create_staff_for_a_non_administrator(request, agency, persona):
    actor = request.getfixturevalue(persona)
    before = counts()
    with not_allowed():
        new_staff(actor, agency)
    assert counts() == before


def test_refuses_to_create_staff_for_an_inactive_administrator(administrator, agency):
    services.update_staff(actor=factories.superuser(), user=administrator, is_active=False)
    administrator.refresh_from_db()
    before = counts()
    with pytest.raises(PermissionDenied, match=re.escape(str(MESSAGE_INACTIVE))):
        new_staff(administrator, agency)
    assert counts() == before


def test_updates_a_staff_account_and_audits_old_and_new_values(administrator, investigator):
    services.update_staff(
        actor=administrator, user=investigator, position="аға тергеуші", is_active=False
    )
    investigator.refresh_from_db()
    assert (investigator.position, investigator.is_active) == ("аға тергеуші", False)
    event = last_event()
    assert event.action == "staff.update"
    assert event.actor == administrator
    assert event.subject_id == str(investigator.pk)
    assert event.fields == ["is_active", "position"]
    assert event.changes == {"is_active": [True, False], "position": ["", "аға тергеуші"]}


def test_refuses_to_update_staff_for_a_non_administrator(investigator, prosecutor):
    before = counts()
    with not_allowed():
        services.update_staff(actor=investigator, user=prosecutor, position="x")
    prosecutor.refresh_from_db()
    assert prosecutor.position == ""
    assert counts() == before


# Roles


def test_set_roles_replaces_the_groups_and_audits_old_and_new(administrator, investigator):
    services.set_roles(
        actor=administrator, user=investigator, roles=[Role.JUDGE, Role.INVESTIGATOR]
    )
    user = User.objects.get(pk=investigator.pk)
    assert user.roles == [Role.INVESTIGATOR, Role.JUDGE]
    assert set(user.groups.values_list("name", flat=True)) == {"investigator", "judge"}
    event = last_event()
    assert event.action == "staff.roles"
    assert event.actor == administrator
    assert event.subject_id == str(investigator.pk)
    assert event.fields == ["roles"]
    assert event.changes == {"roles": ["investigator", "investigator,judge"]}


def test_set_roles_takes_away_the_permissions_of_a_removed_role(administrator, investigator):
    services.set_roles(actor=administrator, user=investigator, roles=[Role.ANALYST])
    user = User.objects.get(pk=investigator.pk)
    assert user.has_perm("people.view_juvenile") is False
    assert user.roles == [Role.ANALYST]


def test_set_roles_to_the_same_roles_writes_no_audit_row(administrator, investigator):
    before = counts()
    services.set_roles(actor=administrator, user=investigator, roles=[Role.INVESTIGATOR])
    assert counts() == before


@pytest.mark.parametrize(
    ("roles", "field_message"),
    [
        ([], str(services.MESSAGE_NO_ROLE)),
        (["sheriff"], str(services.MESSAGE_UNKNOWN_ROLE) % {"role": "sheriff"}),
    ],
)
def test_set_roles_refuses_no_role_or_an_unknown_one(
    administrator, investigator, roles, field_message
):
    before = counts()
    with pytest.raises(ValidationError) as excinfo:
        services.set_roles(actor=administrator, user=investigator, roles=roles)
    assert refused(excinfo) == {"roles": [field_message]}
    assert User.objects.get(pk=investigator.pk).roles == [Role.INVESTIGATOR]
    assert counts() == before


def test_refuses_to_set_roles_for_a_non_administrator(investigator, prosecutor):
    before = counts()
    with not_allowed():
        services.set_roles(actor=prosecutor, user=investigator, roles=[Role.ADMINISTRATOR])
    assert User.objects.get(pk=investigator.pk).roles == [Role.INVESTIGATOR]
    assert Group.objects.get(name="administrator").user_set.filter(pk=investigator.pk).exists() is (
        False
    )
    assert counts() == before


# Trainings


def test_adds_a_training_and_audits_it(administrator, investigator):
    training = services.add_training(
        actor=administrator,
        user=investigator,
        course="Ювеналды әділет негіздері",
        completed_on=datetime.date(2026, 3, 27),
        hours=72,
        provider="Қазақстан Республикасы Бас прокуратурасы жанындағы Құқық қорғау академиясы",
    )
    assert list(investigator.trainings.all()) == [training]
    event = last_event()
    assert event.action == "staff.training"
    assert event.actor == administrator
    assert (event.subject_type, event.subject_id) == ("accounts.user", str(investigator.pk))
    assert event.fields == ["training"]
    assert event.changes == {"training": [None, "Ювеналды әділет негіздері (27.03.2026)"]}


def test_accepts_a_training_completed_today_in_almaty(administrator, investigator):
    today = timezone.localdate()
    training = services.add_training(
        actor=administrator,
        user=investigator,
        course="Ювеналды әділет",
        completed_on=today,
        hours=8,
    )
    assert training.completed_on == today


def test_refuses_a_training_completed_in_the_future(administrator, investigator):
    before = counts()
    with pytest.raises(ValidationError) as excinfo:
        services.add_training(
            actor=administrator,
            user=investigator,
            course="Ювеналды әділет",
            completed_on=timezone.localdate() + datetime.timedelta(days=1),
            hours=8,
        )
    assert refused(excinfo) == {"completed_on": [str(services.MESSAGE_TRAINING_FUTURE)]}
    assert counts() == before


@pytest.mark.parametrize("hours", [0, -4])
def test_refuses_a_training_without_positive_hours(administrator, investigator, hours):
    before = counts()
    with pytest.raises(ValidationError) as excinfo:
        services.add_training(
            actor=administrator,
            user=investigator,
            course="Ювеналды әділет",
            completed_on=datetime.date(2025, 1, 10),
            hours=hours,
        )
    assert refused(excinfo) == {"hours": [str(services.MESSAGE_TRAINING_HOURS)]}
    assert counts() == before


def test_refuses_to_add_a_training_for_a_non_administrator(investigator):
    before = counts()
    with not_allowed():
        services.add_training(
            actor=investigator,
            user=investigator,
            course="Ювеналды әділет",
            completed_on=datetime.date(2025, 1, 10),
            hours=8,
        )
    assert counts() == before


# Language


@pytest.mark.parametrize("persona", ["investigator", "analyst", "administrator"])
def test_any_user_saves_their_language_and_it_is_audited(request, persona):
    user = request.getfixturevalue(persona)
    assert user.language == "kk"
    services.set_language(actor=user, language="ru")
    assert User.objects.get(pk=user.pk).language == "ru"
    event = last_event()
    assert event.action == "auth.language"
    assert event.actor == user
    assert (event.subject_type, event.subject_id) == ("accounts.user", str(user.pk))
    assert event.fields == ["language"]
    assert event.changes == {"language": ["kk", "ru"]}


@pytest.mark.parametrize("language", ["de", "", "kk-KZ", "RU"])
def test_refuses_an_unknown_language(investigator, language):
    before = counts()
    with pytest.raises(ValidationError) as excinfo:
        services.set_language(actor=investigator, language=language)
    assert refused(excinfo) == {"language": [str(services.MESSAGE_UNKNOWN_LANGUAGE)]}
    assert User.objects.get(pk=investigator.pk).language == "kk"
    assert counts() == before


def test_choosing_the_current_language_again_writes_no_audit_row(investigator):
    before = counts()
    services.set_language(actor=investigator, language="kk")
    assert counts() == before


def test_an_investigator_cannot_be_left_without_an_agency(administrator, investigator):
    with pytest.raises(ValidationError) as caught:
        services.update_staff(actor=administrator, user=investigator, agency=None)
    assert caught.value.message_dict["agency"] == [str(services.MESSAGE_AGENCY_REQUIRED)]
    investigator.refresh_from_db()
    assert investigator.agency_id is not None


def test_the_last_administrator_cannot_drop_the_role(administrator):
    services.update_staff(actor=administrator, user=administrator, agency=factories.agency())
    User.objects.filter(is_superuser=True).update(is_active=False)
    with pytest.raises(ValidationError) as caught:
        services.set_roles(actor=administrator, user=administrator, roles=[Role.ANALYST])
    assert "roles" in caught.value.message_dict
    assert administrator.has_role(Role.ADMINISTRATOR) is True


def test_a_weak_password_error_names_the_password_field(administrator, auezov_investigation):
    with pytest.raises(ValidationError) as caught:
        services.create_staff(
            actor=administrator,
            username="weak",
            password="12345678",
            roles=[Role.JUDGE],
            agency=auezov_investigation,
            first_name="А",
            last_name="Б",
        )
    assert "password" in caught.value.message_dict
