"""Registering and changing juveniles' records and their relatives; every step is audited."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from qorgau.accounts import services as account_services
from qorgau.accounts.access import MESSAGE_INACTIVE, MESSAGE_NOT_ALLOWED
from qorgau.audit.context import Origin, current_origin
from qorgau.audit.models import AuditEvent
from qorgau.core import iin as iin_rules
from qorgau.core.iin import make_iin
from qorgau.core.translit import search_key
from qorgau.people import services
from qorgau.people.models import Citizenship, Juvenile, NoIINReason, Relation, Relative, Sex
from tests import factories

BIRTH = datetime.date(2010, 3, 5)
MESSAGE_SURNAME_BLANK = str(Juvenile._meta.get_field("last_name").error_messages["blank"])
MESSAGE_FIRST_NAME_BLANK = str(Juvenile._meta.get_field("first_name").error_messages["blank"])


def counts() -> tuple[int, int, int]:
    return Juvenile.objects.count(), Relative.objects.count(), AuditEvent.objects.count()


def last_event() -> AuditEvent:
    return AuditEvent.objects.order_by("-id").first()


def iin_for(birth_date: datetime.date = BIRTH, sex: str = Sex.MALE) -> str:
    return factories.valid_iin(birth_date, sex)


def refusal(call, **kwargs) -> dict[str, list[str]]:
    """Call a service that must refuse; return its messages by field."""
    with pytest.raises(ValidationError) as excinfo:
        call(**kwargs)
    return excinfo.value.message_dict


def registration(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "last_name": "Сейітов",
        "first_name": "Нұрлан",
        "patronymic": "Қайратұлы",
        "iin": iin_for(),
        "birth_date": BIRTH,
        "sex": Sex.MALE,
        "address_territory": factories.territory(factories.AUEZOV),
    }
    data.update(overrides)
    return data


# Registering


def test_registers_a_juvenile_for_the_actors_agency_and_audits_it(investigator):
    data = registration(school="№ 140 мектеп-гимназия", low_income_family=True)
    juvenile = services.register_juvenile(actor=investigator, **data)
    stored = Juvenile.objects.get(pk=juvenile.pk)
    assert stored.iin == data["iin"]
    assert stored.registered_by_agency == investigator.agency
    assert stored.full_name == "Сейітов Нұрлан Қайратұлы"
    assert stored.name_latin == "Seyitov Nurlan Qayratuly"
    assert stored.search_key == search_key("Seitov Nurlan Kairatuly")
    assert stored.low_income_family is True
    event = last_event()
    assert event.action == "juvenile.create"
    assert event.actor == investigator
    assert (event.subject_type, event.subject_id) == ("people.juvenile", str(juvenile.pk))
    assert event.fields == sorted([*data, "no_iin_reason"])
    assert event.changes["iin"] == [None, data["iin"]]
    assert event.changes["birth_date"] == [None, "2010-03-05"]
    assert event.changes["address_territory"] == [None, data["address_territory"].pk]


@pytest.mark.parametrize("sex", [Sex.MALE, Sex.FEMALE])
def test_derives_birth_date_and_sex_from_the_iin_when_omitted(investigator, sex):
    birth_date = datetime.date(2011, 12, 31)
    data = registration(iin=iin_for(birth_date, sex))
    del data["birth_date"], data["sex"]
    juvenile = services.register_juvenile(actor=investigator, **data)
    stored = Juvenile.objects.get(pk=juvenile.pk)
    assert (stored.birth_date, stored.sex) == (birth_date, sex)
    assert last_event().changes["sex"] == [None, sex]


def test_registers_a_foreigner_without_iin_when_the_reason_is_given(investigator):
    data = registration(
        iin="",
        no_iin_reason=NoIINReason.FOREIGNER,
        citizenship=Citizenship.FOREIGN,
        citizenship_country="Өзбекстан",
        last_name="Каримов",
        first_name="Бахтиёр",
        patronymic="",
    )
    juvenile = services.register_juvenile(actor=investigator, **data)
    stored = Juvenile.objects.get(pk=juvenile.pk)
    assert stored.iin is None
    assert stored.no_iin_reason == NoIINReason.FOREIGNER
    assert last_event().action == "juvenile.create"


def test_registers_several_juveniles_without_iin(investigator):
    for first_name in ("Бірінші", "Екінші"):
        services.register_juvenile(
            actor=investigator,
            **registration(
                iin=None, no_iin_reason=NoIINReason.NOT_IDENTIFIED, first_name=first_name
            ),
        )
    assert Juvenile.objects.filter(iin=None).count() == 2


def test_an_iin_clears_a_reason_given_for_having_none(investigator):
    juvenile = services.register_juvenile(
        actor=investigator, **registration(no_iin_reason=NoIINReason.NOT_ISSUED)
    )
    assert Juvenile.objects.get(pk=juvenile.pk).no_iin_reason == ""


@pytest.mark.parametrize(
    ("bad_iin", "message"),
    [
        ("100305500423", iin_rules.MESSAGE_CHECKSUM),
        ("10030550042", iin_rules.MESSAGE_LENGTH),
        ("10030550042X", iin_rules.MESSAGE_DIGITS),
        ("100305900424", iin_rules.MESSAGE_CENTURY),
        ("100231500424", iin_rules.MESSAGE_DATE),
    ],
)
def test_refuses_an_invalid_iin_and_writes_nothing(investigator, bad_iin, message):
    before = counts()
    errors = refusal(services.register_juvenile, actor=investigator, **registration(iin=bad_iin))
    assert errors == {"iin": [str(message)]}
    assert counts() == before


def test_refuses_a_birth_date_in_the_future_and_writes_nothing(investigator):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    before = counts()
    errors = refusal(
        services.register_juvenile,
        actor=investigator,
        **registration(iin="", no_iin_reason=NoIINReason.NOT_IDENTIFIED, birth_date=tomorrow),
    )
    assert errors == {"birth_date": [str(services.MESSAGE_BIRTH_FUTURE)]}
    assert counts() == before


def test_refuses_an_iin_that_encodes_a_future_birth_date(investigator):
    future = timezone.localdate() + datetime.timedelta(days=400)
    before = counts()
    data = registration(iin=iin_for(future))
    del data["birth_date"]
    errors = refusal(services.register_juvenile, actor=investigator, **data)
    assert errors == {"birth_date": [str(services.MESSAGE_BIRTH_FUTURE)]}
    assert counts() == before


def test_refuses_a_birth_date_before_1900(investigator):
    old = datetime.date(1899, 12, 31)
    before = counts()
    errors = refusal(
        services.register_juvenile,
        actor=investigator,
        **registration(iin=iin_for(old), birth_date=old),
    )
    assert errors == {"birth_date": [str(services.MESSAGE_BIRTH_TOO_EARLY)]}
    assert counts() == before


def test_refuses_a_duplicate_iin_and_writes_nothing(investigator, juvenile):
    before = counts()
    errors = refusal(
        services.register_juvenile,
        actor=investigator,
        **registration(iin=juvenile.iin, first_name="Басқа"),
    )
    assert errors == {"iin": [str(services.MESSAGE_DUPLICATE_IIN)]}
    assert counts() == before


def test_refuses_a_duplicate_iin_registered_by_another_region(outsider, juvenile):
    before = counts()
    errors = refusal(
        services.register_juvenile, actor=outsider, **registration(iin=f" {juvenile.iin} ")
    )
    assert errors == {"iin": [str(services.MESSAGE_DUPLICATE_IIN)]}
    assert counts() == before


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("last_name", "", MESSAGE_SURNAME_BLANK),
        ("last_name", "   ", MESSAGE_SURNAME_BLANK),
        ("first_name", "", MESSAGE_FIRST_NAME_BLANK),
        ("first_name", " \t", MESSAGE_FIRST_NAME_BLANK),
    ],
)
def test_refuses_an_empty_required_name_and_writes_nothing(investigator, field, value, message):
    before = counts()
    errors = refusal(
        services.register_juvenile, actor=investigator, **registration(**{field: value})
    )
    assert errors == {field: [message]}
    assert counts() == before


def test_strips_spaces_around_names(investigator):
    juvenile = services.register_juvenile(
        actor=investigator, **registration(last_name="  Сейітов ", first_name="Нұрлан ")
    )
    stored = Juvenile.objects.get(pk=juvenile.pk)
    assert (stored.last_name, stored.first_name) == ("Сейітов", "Нұрлан")


def test_refuses_a_birth_date_that_contradicts_the_iin(investigator):
    before = counts()
    errors = refusal(
        services.register_juvenile,
        actor=investigator,
        **registration(iin=iin_for(BIRTH), birth_date=datetime.date(2010, 3, 6)),
    )
    message = str(services.MESSAGE_BIRTH_IIN_MISMATCH) % {"date": "05.03.2010"}
    assert errors == {"birth_date": [message]}
    assert counts() == before


def test_refuses_a_sex_that_contradicts_the_iin(investigator):
    before = counts()
    errors = refusal(
        services.register_juvenile,
        actor=investigator,
        **registration(iin=iin_for(BIRTH, Sex.FEMALE), sex=Sex.MALE),
    )
    message = str(services.MESSAGE_SEX_IIN_MISMATCH) % {"sex": Sex.FEMALE.label}
    assert errors == {"sex": [message]}
    assert counts() == before


def test_refuses_a_record_without_iin_and_without_a_reason(investigator):
    before = counts()
    errors = refusal(services.register_juvenile, actor=investigator, **registration(iin="  "))
    assert errors == {"no_iin_reason": [str(services.MESSAGE_NO_IIN_REASON)]}
    assert counts() == before


def test_refuses_a_record_without_iin_birth_date_or_sex(investigator):
    data = registration(iin=None, no_iin_reason=NoIINReason.NOT_IDENTIFIED)
    del data["birth_date"], data["sex"]
    before = counts()
    errors = refusal(services.register_juvenile, actor=investigator, **data)
    assert errors == {
        "birth_date": [str(services.MESSAGE_BIRTH_REQUIRED)],
        "sex": [str(services.MESSAGE_SEX_REQUIRED)],
    }
    assert counts() == before


def test_refuses_a_foreign_citizen_without_the_country(investigator):
    before = counts()
    errors = refusal(
        services.register_juvenile,
        actor=investigator,
        **registration(iin="", no_iin_reason=NoIINReason.FOREIGNER, citizenship="foreign"),
    )
    assert errors == {"citizenship_country": [str(services.MESSAGE_FOREIGN_COUNTRY)]}
    assert counts() == before


@pytest.mark.parametrize("persona", ["prosecutor", "defender", "judge", "analyst", "administrator"])
def test_refuses_registration_to_a_role_without_the_add_right(request, persona):
    actor = request.getfixturevalue(persona)
    before = counts()
    with pytest.raises(PermissionDenied, match=re.escape(str(MESSAGE_NOT_ALLOWED))):
        services.register_juvenile(actor=actor, **registration())
    assert counts() == before


def test_refuses_registration_to_an_inactive_investigator(investigator):
    account_services.update_staff(actor=factories.superuser(), user=investigator, is_active=False)
    investigator.refresh_from_db()
    before = counts()
    with pytest.raises(PermissionDenied, match=re.escape(str(MESSAGE_INACTIVE))):
        services.register_juvenile(actor=investigator, **registration())
    assert counts() == before


def test_refuses_registration_to_an_account_without_an_agency(db):
    before = counts()
    with pytest.raises(ValidationError) as excinfo:
        services.register_juvenile(actor=factories.superuser(), **registration())
    assert excinfo.value.messages == [str(services.MESSAGE_NO_AGENCY)]
    assert counts() == before


def test_refuses_an_unknown_field(investigator):
    before = counts()
    with pytest.raises(ValueError, match="nickname"):
        services.register_juvenile(actor=investigator, **registration(nickname="Нұрик"))
    assert counts() == before


# Updating


def test_update_audits_each_changed_field_with_old_and_new_values(investigator, juvenile):
    karasai = factories.territory(factories.KARASAI)
    services.update_juvenile(
        actor=investigator,
        juvenile=juvenile,
        school="№ 45 мектеп",
        address_territory=karasai,
        asocial_family=True,
        last_name=juvenile.last_name,
    )
    stored = Juvenile.objects.get(pk=juvenile.pk)
    assert (stored.school, stored.address_territory, stored.asocial_family) == (
        "№ 45 мектеп",
        karasai,
        True,
    )
    event = last_event()
    assert event.action == "juvenile.update"
    assert event.actor == investigator
    assert event.subject_id == str(juvenile.pk)
    assert event.fields == ["address_territory", "asocial_family", "school"]
    assert event.changes == {
        "address_territory": [factories.territory(factories.AUEZOV).pk, karasai.pk],
        "asocial_family": [False, True],
        "school": ["", "№ 45 мектеп"],
    }


def test_an_update_that_changes_nothing_writes_no_audit_row(investigator, juvenile):
    before = counts()
    services.update_juvenile(actor=investigator, juvenile=juvenile, school="")
    assert counts() == before


def test_an_outsider_cannot_update_a_record_outside_their_region(outsider, juvenile):
    before = counts()
    with pytest.raises(Juvenile.DoesNotExist):
        services.update_juvenile(actor=outsider, juvenile=juvenile, school="№ 1")
    assert Juvenile.objects.get(pk=juvenile.pk).school == ""
    assert counts() == before


@pytest.mark.parametrize("persona", ["prosecutor", "defender", "judge"])
def test_a_reader_without_the_change_right_cannot_update(request, persona, juvenile):
    actor = request.getfixturevalue(persona)
    before = counts()
    with pytest.raises(PermissionDenied, match=re.escape(str(MESSAGE_NOT_ALLOWED))):
        services.update_juvenile(actor=actor, juvenile=juvenile, school="№ 1")
    assert counts() == before


def test_a_name_change_recomputes_the_latin_name_and_search_key(investigator, juvenile):
    services.update_juvenile(actor=investigator, juvenile=juvenile, first_name="Ерлан")
    stored = Juvenile.objects.get(pk=juvenile.pk)
    assert stored.name_latin == "Seyitov Erlan Qayratuly"
    assert stored.search_key == search_key("Сейітов Ерлан Қайратұлы")
    assert last_event().changes == {"first_name": ["Нұрлан", "Ерлан"]}
    assert list(Juvenile.objects.matching("Yerlan")) == [stored]
    assert Juvenile.objects.matching("Nurlan").exists() is False


def test_update_refuses_an_empty_name(investigator, juvenile):
    before = counts()
    errors = refusal(services.update_juvenile, actor=investigator, juvenile=juvenile, last_name=" ")
    assert errors == {"last_name": [MESSAGE_SURNAME_BLANK]}
    assert Juvenile.objects.get(pk=juvenile.pk).last_name == "Сейітов"
    assert counts() == before


def test_update_refuses_a_duplicate_iin(investigator, juvenile):
    other = factories.juvenile(investigator, first_name="Ерлан")
    before = counts()
    errors = refusal(services.update_juvenile, actor=investigator, juvenile=other, iin=juvenile.iin)
    assert errors == {"iin": [str(services.MESSAGE_DUPLICATE_IIN)]}
    assert Juvenile.objects.get(pk=other.pk).iin != juvenile.iin
    assert counts() == before


def test_update_refuses_an_iin_that_contradicts_the_stored_birth_date(investigator, juvenile):
    before = counts()
    errors = refusal(
        services.update_juvenile,
        actor=investigator,
        juvenile=juvenile,
        iin=iin_for(datetime.date(2009, 1, 1)),
    )
    message = str(services.MESSAGE_BIRTH_IIN_MISMATCH) % {"date": "01.01.2009"}
    assert errors == {"birth_date": [message]}
    assert counts() == before


def test_update_corrects_iin_and_birth_date_together(investigator, juvenile):
    old_iin = juvenile.iin
    new_iin = iin_for(datetime.date(2009, 1, 1))
    services.update_juvenile(
        actor=investigator, juvenile=juvenile, iin=new_iin, birth_date=datetime.date(2009, 1, 1)
    )
    assert Juvenile.objects.get(pk=juvenile.pk).iin == new_iin
    assert last_event().changes == {
        "birth_date": ["2010-03-05", "2009-01-01"],
        "iin": [old_iin, new_iin],
    }


def test_update_refuses_a_future_birth_date(investigator):
    juvenile = factories.juvenile(investigator, iin=None, no_iin_reason="not_identified")
    before = counts()
    errors = refusal(
        services.update_juvenile,
        actor=investigator,
        juvenile=juvenile,
        birth_date=timezone.localdate() + datetime.timedelta(days=1),
    )
    assert errors == {"birth_date": [str(services.MESSAGE_BIRTH_FUTURE)]}
    assert counts() == before


# Viewing and searching


def test_viewing_a_record_writes_a_view_event_with_its_origin(investigator, juvenile):
    token = current_origin.set(Origin(channel="web", ip_address="192.0.2.7", user_agent="Firefox"))
    try:
        seen = services.view_juvenile(actor=investigator, juvenile_id=juvenile.pk)
    finally:
        current_origin.reset(token)
    assert seen == juvenile
    event = last_event()
    assert event.action == "juvenile.view"
    assert event.actor == investigator
    assert (event.subject_type, event.subject_id) == ("people.juvenile", str(juvenile.pk))
    assert (event.channel, event.ip_address, event.user_agent) == ("web", "192.0.2.7", "Firefox")
    assert event.fields == []


@pytest.mark.parametrize(
    ("persona", "refusal"),
    [
        ("outsider", Juvenile.DoesNotExist),
        ("analyst", PermissionDenied),
        ("administrator", PermissionDenied),
    ],
)
def test_viewing_a_record_one_may_not_see_is_refused_and_not_logged_as_a_view(
    request, persona, refusal, juvenile
):
    actor = request.getfixturevalue(persona)
    before = counts()
    with pytest.raises(refusal):
        services.view_juvenile(actor=actor, juvenile_id=juvenile.pk)
    assert counts() == before


def test_a_search_is_logged_with_its_query_and_result_count(prosecutor):
    services.log_search(actor=prosecutor, query="Сейітов", result_count=3)
    event = last_event()
    assert event.action == "juvenile.search"
    assert event.actor == prosecutor
    assert event.details == {"query": "Сейітов", "results": 3}
    assert (event.subject_type, event.subject_id) == ("", "")


# Relatives


def mother(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "last_name": "Сейітова",
        "first_name": "Гүлнар",
        "relation": Relation.MOTHER,
        "is_legal_representative": True,
        "iin": iin_for(datetime.date(1985, 7, 14), Sex.FEMALE),
        "birth_date": datetime.date(1985, 7, 14),
        "phone": "+7 701 000 00 00",
    }
    data.update(overrides)
    return data


def test_adds_a_relative_and_audits_it_on_the_childs_record(investigator, juvenile):
    data = mother()
    relative = services.add_relative(actor=investigator, juvenile=juvenile, **data)
    assert list(juvenile.relatives.all()) == [relative]
    event = last_event()
    assert event.action == "relative.create"
    assert event.actor == investigator
    assert (event.subject_type, event.subject_id) == ("people.juvenile", str(juvenile.pk))
    assert event.fields == sorted(f"relative.{name}" for name in data)
    assert event.changes["relative.relation"] == [None, "mother"]
    assert event.details == {"relative_id": relative.pk}


def test_add_relative_refuses_an_iin_that_contradicts_the_birth_date(investigator, juvenile):
    before = counts()
    errors = refusal(
        services.add_relative,
        actor=investigator,
        juvenile=juvenile,
        **mother(birth_date=datetime.date(1985, 7, 15)),
    )
    message = str(services.MESSAGE_BIRTH_IIN_MISMATCH) % {"date": "14.07.1985"}
    assert errors == {"birth_date": [message]}
    assert counts() == before


def test_add_relative_refuses_an_invalid_iin(investigator, juvenile):
    before = counts()
    errors = refusal(
        services.add_relative, actor=investigator, juvenile=juvenile, **mother(iin="850714401231")
    )
    assert errors == {"iin": [str(iin_rules.MESSAGE_CHECKSUM)]}
    assert counts() == before


def test_add_relative_refuses_an_empty_name(investigator, juvenile):
    before = counts()
    errors = refusal(
        services.add_relative, actor=investigator, juvenile=juvenile, **mother(first_name=" ")
    )
    assert errors == {"first_name": [MESSAGE_FIRST_NAME_BLANK]}
    assert counts() == before


def test_an_outsider_cannot_add_a_relative(outsider, juvenile):
    before = counts()
    with pytest.raises(Juvenile.DoesNotExist):
        services.add_relative(actor=outsider, juvenile=juvenile, **mother())
    assert counts() == before


def test_a_prosecutor_cannot_add_a_relative(prosecutor, juvenile):
    before = counts()
    with pytest.raises(PermissionDenied, match=re.escape(str(MESSAGE_NOT_ALLOWED))):
        services.add_relative(actor=prosecutor, juvenile=juvenile, **mother())
    assert counts() == before


def test_updates_a_relative_and_audits_old_and_new(investigator, juvenile):
    relative = services.add_relative(actor=investigator, juvenile=juvenile, **mother())
    services.update_relative(
        actor=investigator, relative=relative, phone="+7 702 111 11 11", lives_with_child=True
    )
    stored = Relative.objects.get(pk=relative.pk)
    assert (stored.phone, stored.lives_with_child) == ("+7 702 111 11 11", True)
    event = last_event()
    assert event.action == "relative.update"
    assert event.actor == investigator
    assert event.subject_id == str(juvenile.pk)
    assert event.fields == ["relative.lives_with_child", "relative.phone"]
    assert event.changes == {
        "relative.lives_with_child": [False, True],
        "relative.phone": ["+7 701 000 00 00", "+7 702 111 11 11"],
    }
    assert event.details == {"relative_id": relative.pk}


def test_update_relative_refuses_a_birth_date_that_contradicts_the_given_iin(
    investigator, juvenile
):
    relative = services.add_relative(actor=investigator, juvenile=juvenile, **mother(iin=""))
    before = counts()
    errors = refusal(
        services.update_relative,
        actor=investigator,
        relative=relative,
        iin=iin_for(datetime.date(1980, 1, 1), Sex.FEMALE),
        birth_date=datetime.date(1980, 1, 2),
    )
    assert list(errors) == ["birth_date"]
    assert Relative.objects.get(pk=relative.pk).iin == ""
    assert counts() == before


def test_update_relative_refuses_a_birth_date_that_contradicts_the_stored_iin(
    investigator, juvenile
):
    relative = services.add_relative(actor=investigator, juvenile=juvenile, **mother())
    before = counts()
    errors = refusal(
        services.update_relative,
        actor=investigator,
        relative=relative,
        birth_date=datetime.date(1990, 1, 1),
    )
    message = str(services.MESSAGE_BIRTH_IIN_MISMATCH) % {"date": "14.07.1985"}
    assert errors == {"birth_date": [message]}
    assert Relative.objects.get(pk=relative.pk).birth_date == datetime.date(1985, 7, 14)
    assert counts() == before


def test_update_relative_refuses_an_iin_that_contradicts_the_stored_birth_date(
    investigator, juvenile
):
    relative = services.add_relative(actor=investigator, juvenile=juvenile, **mother())
    before = counts()
    errors = refusal(
        services.update_relative,
        actor=investigator,
        relative=relative,
        iin=make_iin(datetime.date(1990, 1, 1), Sex.FEMALE, 1),
    )
    message = str(services.MESSAGE_BIRTH_IIN_MISMATCH) % {"date": "01.01.1990"}
    assert errors == {"birth_date": [message]}
    assert counts() == before


def test_an_outsider_cannot_update_a_relative(investigator, outsider, juvenile):
    relative = services.add_relative(actor=investigator, juvenile=juvenile, **mother())
    before = counts()
    with pytest.raises(Relative.DoesNotExist):
        services.update_relative(actor=outsider, relative=relative, phone="1")
    assert Relative.objects.get(pk=relative.pk).phone == "+7 701 000 00 00"
    assert counts() == before
