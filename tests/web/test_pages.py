"""The web pages as each role meets them: access, the forms' errors, and bounded queries."""

import datetime

import pytest
from django.urls import reverse

from qorgau.audit.models import AuditEvent
from qorgau.people.models import Juvenile
from tests import factories
from tests.web.edit_forms import opened


@pytest.fixture
def signed_in(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def juvenile_post(**overrides):
    birth_date = overrides.pop("birth_date", None)
    data = {
        "last_name": "Омаров",
        "first_name": "Арман",
        "patronymic": "Серікұлы",
        "iin": factories.valid_iin(datetime.date(2011, 4, 9)),
        "no_iin_reason": "",
        "birth_date_day": "",
        "birth_date_month": "",
        "birth_date_year": "",
        "sex": "",
        "citizenship": "KZ",
        "citizenship_country": "",
        "address_territory": str(factories.territory(factories.AUEZOV).pk),
        "address": "Абай даңғылы, 10",
        "school": "№ 52 мектеп",
        "incomplete_family": "on",
    }
    if birth_date:
        data["birth_date_day"], data["birth_date_month"], data["birth_date_year"] = birth_date
    data.update(overrides)
    return data


def test_anonymous_visitor_is_sent_to_sign_in(client, db):
    response = client.get(reverse("juvenile_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_sign_in_page_is_kazakh_by_default(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert '<html lang="kk"' in response.content.decode()


def test_wrong_password_is_refused_with_a_message_and_audited(client, investigator):
    response = client.post(reverse("login"), {"username": "investigator", "password": "wrong"})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert AuditEvent.objects.filter(action="auth.login_failed").count() == 1
    assert "_auth_user_id" not in client.session


def test_signing_in_writes_the_audit_trail(client, investigator):
    response = client.post(
        reverse("login"), {"username": "investigator", "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="auth.login", actor=investigator).exists() is True


@pytest.mark.parametrize(
    "persona",
    ["investigator", "prosecutor", "defender", "psychologist", "judge", "analyst", "administrator"],
)
def test_every_role_has_a_home_page(persona, request, signed_in):
    user = request.getfixturevalue(persona)
    response = signed_in(user).get(reverse("home"))
    assert response.status_code == 200


def test_register_a_juvenile_through_the_form(signed_in, investigator):
    response = signed_in(investigator).post(reverse("juvenile_create"), juvenile_post())
    juvenile = Juvenile.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("juvenile_detail", args=[juvenile.pk])
    assert juvenile.birth_date.isoformat() == "2011-04-09"
    assert juvenile.incomplete_family is True


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"iin": "123456789012"}, "iin"),
        ({"last_name": ""}, "last_name"),
        ({"birth_date": ("9", "4", "2012")}, "birth_date"),
        ({"iin": "", "no_iin_reason": ""}, "no_iin_reason"),
        ({"birth_date": ("31", "2", "2011")}, "birth_date"),
    ],
)
def test_form_errors_name_the_field_and_write_nothing(signed_in, investigator, overrides, field):
    client = signed_in(investigator)
    before = AuditEvent.objects.count()
    response = client.post(reverse("juvenile_create"), juvenile_post(**overrides))
    content = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in content
    assert f'href="#id_{field}' in content
    assert Juvenile.objects.count() == 0
    assert AuditEvent.objects.count() == before


def test_a_duplicate_iin_is_refused_on_the_form(signed_in, investigator, juvenile):
    response = signed_in(investigator).post(
        reverse("juvenile_create"), juvenile_post(iin=juvenile.iin)
    )
    assert response.status_code == 200
    assert Juvenile.objects.count() == 1
    assert 'href="#id_iin' in response.content.decode()


def test_a_future_birth_date_is_refused(signed_in, investigator):
    response = signed_in(investigator).post(
        reverse("juvenile_create"),
        juvenile_post(
            iin="", no_iin_reason="not_identified", sex="male", birth_date=("1", "1", "2099")
        ),
    )
    assert response.status_code == 200
    assert Juvenile.objects.count() == 0


def test_viewing_a_record_is_audited(signed_in, investigator, juvenile):
    response = signed_in(investigator).get(reverse("juvenile_detail", args=[juvenile.pk]))
    assert response.status_code == 200
    assert (
        AuditEvent.objects.filter(
            action="juvenile.view", actor=investigator, subject_id=str(juvenile.pk)
        ).count()
        == 1
    )


def test_the_outsider_gets_not_found_for_another_regions_record(signed_in, outsider, juvenile):
    assert (
        signed_in(outsider).get(reverse("juvenile_detail", args=[juvenile.pk])).status_code == 404
    )
    assert signed_in(outsider).get(reverse("juvenile_edit", args=[juvenile.pk])).status_code == 404


def test_a_defender_may_read_but_not_register(signed_in, defender, juvenile):
    client = signed_in(defender)
    assert client.get(reverse("juvenile_detail", args=[juvenile.pk])).status_code == 200
    assert client.get(reverse("juvenile_create")).status_code == 403


def test_an_analyst_sees_figures_but_no_records(signed_in, analyst, juvenile):
    client = signed_in(analyst)
    assert client.get(reverse("juvenile_list")).status_code == 403
    home = client.get(reverse("home")).content.decode()
    assert juvenile.last_name not in home


def test_edit_changes_the_record_and_audits_the_fields(signed_in, investigator, juvenile):
    data = juvenile_post(
        iin=juvenile.iin,
        school="№ 7 мектеп",
        last_name=juvenile.last_name,
        first_name=juvenile.first_name,
        patronymic=juvenile.patronymic,
        incomplete_family="",
    )
    client = signed_in(investigator)
    url = reverse("juvenile_edit", args=[juvenile.pk])
    response = client.post(url, {**data, "_opened": opened(client, url)})
    assert response.status_code == 302
    event = AuditEvent.objects.filter(action="juvenile.update").get()
    assert "school" in event.fields


def test_add_a_legal_representative(signed_in, investigator, juvenile):
    response = signed_in(investigator).post(
        reverse("relative_create", args=[juvenile.pk]),
        {
            "relation": "mother",
            "is_legal_representative": "on",
            "last_name": "Сейітова",
            "first_name": "Гүлмира",
            "phone": "+7 701 123 45 67",
        },
    )
    assert response.status_code == 302
    assert juvenile.relatives.get().is_legal_representative is True


def test_only_administrators_manage_agencies_and_staff(signed_in, investigator, administrator):
    for name in ("agency_list", "agency_create", "staff_list", "staff_create"):
        assert signed_in(investigator).get(reverse(name)).status_code == 403
        assert signed_in(administrator).get(reverse(name)).status_code == 200


def test_administrator_creates_a_staff_account(signed_in, administrator, auezov_investigation):
    response = signed_in(administrator).post(
        reverse("staff_create"),
        {
            "username": "newjudge",
            "password": "a-long-enough-passphrase",
            "last_name": "Сапаров",
            "first_name": "Бауыржан",
            "agency": auezov_investigation.pk,
            "language": "kk",
            "roles": ["judge"],
        },
    )
    assert response.status_code == 302


def test_audit_trail_is_for_prosecutors_and_administrators(
    signed_in, prosecutor, investigator, administrator
):
    assert signed_in(investigator).get(reverse("audit_list")).status_code == 403
    assert signed_in(prosecutor).get(reverse("audit_list")).status_code == 200
    assert signed_in(administrator).get(reverse("audit_list")).status_code == 200


def test_switching_language_is_remembered_on_the_account(signed_in, investigator):
    client = signed_in(investigator)
    response = client.post(reverse("set_language"), {"language": "ru", "next": "/"})
    assert response.status_code == 302
    investigator.refresh_from_db()
    assert investigator.language == "ru"
    assert '<html lang="ru"' in client.get(reverse("home")).content.decode()


def _count_queries(client, url, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url_name", ["juvenile_list", "home"])
def test_list_pages_take_the_same_number_of_queries_for_3_and_30_rows(
    signed_in, investigator, url_name, django_assert_max_num_queries
):
    client = signed_in(investigator)
    for _ in range(3):
        factories.juvenile(investigator)
    few = _count_queries(client, reverse(url_name), django_assert_max_num_queries)
    for _ in range(27):
        factories.juvenile(investigator)
    many = _count_queries(client, reverse(url_name), django_assert_max_num_queries)
    assert few == many
    assert many <= 12


@pytest.mark.parametrize("url_name", ["agency_list", "staff_list", "audit_list"])
def test_admin_lists_take_the_same_number_of_queries_for_few_and_many_rows(
    signed_in, administrator, url_name, django_assert_max_num_queries
):
    client = signed_in(administrator)
    factories.staff("judge")
    few = _count_queries(client, reverse(url_name), django_assert_max_num_queries)
    for _ in range(10):
        factories.staff("investigator")
    many = _count_queries(client, reverse(url_name), django_assert_max_num_queries)
    assert few == many
    assert many <= 12


def test_healthz_answers_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_healthz_answers_503_when_the_database_fails(client, db, monkeypatch):
    from django.db import DatabaseError, connection

    def broken_cursor(*args, **kwargs):
        raise DatabaseError("down")

    with monkeypatch.context() as patched:
        patched.setattr(connection, "cursor", broken_cursor)
        response = client.get("/healthz")
    assert response.status_code == 503
