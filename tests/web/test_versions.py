"""Edit forms never overwrite silently: a save from a form opened before another save is refused."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from qorgau.accounts import services as account_services
from qorgau.audit.models import AuditEvent
from qorgau.people import services as people_services
from qorgau.people.models import Juvenile
from qorgau.web.forms.people import JuvenileForm
from qorgau.web.forms.versions import MESSAGE_EMPTY
from tests import factories
from tests.web.edit_forms import opened


def juvenile_data(juvenile: Juvenile, **changes: str) -> dict[str, str]:
    """What the edit form posts for the record as stored, with `changes` typed in."""
    data = {
        "last_name": juvenile.last_name,
        "first_name": juvenile.first_name,
        "patronymic": juvenile.patronymic,
        "iin": juvenile.iin or "",
        "no_iin_reason": juvenile.no_iin_reason,
        "birth_date_day": str(juvenile.birth_date.day),
        "birth_date_month": str(juvenile.birth_date.month),
        "birth_date_year": str(juvenile.birth_date.year),
        "sex": juvenile.sex,
        "citizenship": juvenile.citizenship,
        "citizenship_country": juvenile.citizenship_country,
        "address_territory": str(juvenile.address_territory_id or ""),
        "address": juvenile.address,
        "school": juvenile.school,
        "family_notes": juvenile.family_notes,
    }
    data.update(changes)
    return data


@pytest.fixture
def colleague(auezov_investigation):
    return factories.staff("investigator", auezov_investigation, username="colleague")


@pytest.fixture
def browser(client, investigator) -> Client:
    client.force_login(investigator)
    return client


def test_a_save_from_a_form_opened_before_a_colleagues_save_is_refused(
    browser, colleague, juvenile
):
    url = reverse("juvenile_edit", args=[juvenile.pk])
    token = opened(browser, url)
    form_as_opened = juvenile_data(juvenile)
    # The colleague changes the school while the investigator's form is open.
    people_services.update_juvenile(actor=colleague, juvenile=juvenile, school="№ 12 гимназия")
    events = AuditEvent.objects.count()

    response = browser.post(url, {**form_as_opened, "address": "Абай 10", "_opened": token})

    assert response.status_code == 200
    page = response.content.decode()
    juvenile.refresh_from_db()
    assert juvenile.school == "№ 12 гимназия"  # the colleague's change stands
    assert juvenile.address == ""  # nothing of the refused save was written
    assert AuditEvent.objects.count() == events
    context = response.context
    assert context["edit"].stale is True
    with translation.override("kk"):
        school = str(JuvenileForm.base_fields["school"].label)
        empty = str(MESSAGE_EMPTY)
    (change,) = context["edit"].changes
    assert (change.label, change.opened, change.now) == (school, empty, "№ 12 гимназия")
    assert change.yours is None
    assert school in page and "№ 12 гимназия" in page
    # The form shows the colleague's school and keeps the investigator's address.
    form = context["form"]
    assert form.initial["school"] == "№ 12 гимназия"
    assert form.initial["address"] == "Абай 10"


def test_the_refusal_is_written_in_the_users_language(browser, investigator, colleague, juvenile):
    url = reverse("juvenile_edit", args=[juvenile.pk])
    token = opened(browser, url)
    data = juvenile_data(juvenile, address="Абай 10", _opened=token)
    people_services.update_juvenile(actor=colleague, juvenile=juvenile, school="№ 12 гимназия")

    kk = browser.post(url, data).content.decode()
    account_services.set_language(actor=investigator, language="ru")
    ru = browser.post(url, data).content.decode()

    assert "Сіз өңдеп жатқанда бұл жазбаны басқа біреу өзгертті" in kk
    assert "Пока вы редактировали, эту запись изменил кто-то другой" in ru


def test_saving_again_from_the_reshown_form_keeps_both_changes(browser, colleague, juvenile):
    url = reverse("juvenile_edit", args=[juvenile.pk])
    token = opened(browser, url)
    form_as_opened = juvenile_data(juvenile)
    people_services.update_juvenile(actor=colleague, juvenile=juvenile, school="№ 12 гимназия")
    refused = browser.post(url, {**form_as_opened, "address": "Абай 10", "_opened": token})
    edit = refused.context["edit"]

    juvenile.refresh_from_db()
    again = browser.post(url, juvenile_data(juvenile, address="Абай 10", _opened=edit.token))

    assert again.status_code == 302
    juvenile.refresh_from_db()
    assert (juvenile.school, juvenile.address) == ("№ 12 гимназия", "Абай 10")


def test_when_both_changed_one_field_the_users_value_is_kept_beside_the_colleagues(
    browser, colleague, juvenile
):
    url = reverse("juvenile_edit", args=[juvenile.pk])
    token = opened(browser, url)
    form_as_opened = juvenile_data(juvenile)
    people_services.update_juvenile(actor=colleague, juvenile=juvenile, school="№ 12 гимназия")

    response = browser.post(url, {**form_as_opened, "school": "№ 3 лицей", "_opened": token})

    (change,) = response.context["edit"].changes
    assert (change.now, change.yours) == ("№ 12 гимназия", "№ 3 лицей")
    assert response.context["form"].initial["school"] == "№ 3 лицей"
    juvenile.refresh_from_db()
    assert juvenile.school == "№ 12 гимназия"


def test_a_form_without_its_version_saves_nothing(browser, juvenile):
    url = reverse("juvenile_edit", args=[juvenile.pk])
    response = browser.post(url, juvenile_data(juvenile, school="№ 3 лицей"))
    assert response.status_code == 200
    assert response.context["edit"].stale is True
    juvenile.refresh_from_db()
    assert juvenile.school == ""


def test_a_version_token_of_another_record_is_not_accepted(browser, investigator, juvenile):
    other = factories.juvenile(investigator, last_name="Омаров")
    token = opened(browser, reverse("juvenile_edit", args=[other.pk]))
    url = reverse("juvenile_edit", args=[juvenile.pk])
    response = browser.post(url, juvenile_data(juvenile, school="№ 3 лицей", _opened=token))
    assert response.status_code == 200
    juvenile.refresh_from_db()
    assert juvenile.school == ""


def test_an_unchanged_record_saves_and_moves_the_version(browser, juvenile):
    url = reverse("juvenile_edit", args=[juvenile.pk])
    response = browser.post(
        url, juvenile_data(juvenile, school="№ 3 лицей", _opened=opened(browser, url))
    )
    assert response.status_code == 302
    juvenile.refresh_from_db()
    assert (juvenile.school, juvenile.version) == ("№ 3 лицей", 2)


def test_a_stale_relative_form_is_refused(browser, colleague, juvenile):
    mother = people_services.add_relative(
        actor=colleague,
        juvenile=juvenile,
        last_name="Сейітова",
        first_name="Гүлмира",
        relation="mother",
    )
    url = reverse("relative_edit", args=[juvenile.pk, mother.pk])
    token = opened(browser, url)
    people_services.update_relative(actor=colleague, relative=mother, phone="+7 701 000 00 00")
    data = {
        "relation": "mother",
        "last_name": "Сейітова",
        "first_name": "Гүлмира",
        "occupation": "дәрігер",
        "_opened": token,
    }

    response = browser.post(url, data)

    assert response.status_code == 200
    assert [c.now for c in response.context["edit"].changes] == ["+7 701 000 00 00"]
    mother.refresh_from_db()
    assert (mother.phone, mother.occupation) == ("+7 701 000 00 00", "")


def test_a_stale_staff_form_is_refused(client, administrator, investigator):
    client.force_login(administrator)
    url = reverse("staff_edit", args=[investigator.pk])
    token = opened(client, url)
    account_services.update_staff(actor=administrator, user=investigator, position="аға тергеуші")
    data = {
        "last_name": investigator.last_name,
        "first_name": investigator.first_name,
        "agency": str(investigator.agency_id),
        "language": "kk",
        "is_active": "on",
        "roles": ["investigator"],
        "position": "тергеуші",
        "_opened": token,
    }

    response = client.post(url, data)

    assert response.status_code == 200
    (change,) = response.context["edit"].changes
    assert (change.now, change.yours) == ("аға тергеуші", "тергеуші")
    investigator.refresh_from_db()
    assert investigator.position == "аға тергеуші"


def test_a_stale_agency_form_is_refused(client, administrator, auezov_investigation):
    client.force_login(administrator)
    url = reverse("agency_edit", args=[auezov_investigation.pk])
    token = opened(client, url)
    account_services.update_agency(actor=administrator, agency=auezov_investigation, phone="101")
    agency = auezov_investigation
    data = {
        "name_kk": agency.name_kk,
        "name_ru": agency.name_ru,
        "name_en": agency.name_en,
        "agency_type": agency.agency_type,
        "territory": str(agency.territory_id),
        "address": "Абай 1",
        "phone": "",
        "is_active": "on",
        "_opened": token,
    }

    response = client.post(url, data)

    assert response.status_code == 200
    assert [c.now for c in response.context["edit"].changes] == ["101"]
    agency.refresh_from_db()
    assert (agency.phone, agency.address) == ("101", "")
