"""Lists count at most QORGAU_COUNT_CAP rows and load a page by its ids (core/paging.py)."""

import datetime

import pytest

from qorgau.accounts.models import User
from qorgau.core.paging import CappedPaginator, first_ids, rows_of
from qorgau.people.models import Juvenile
from qorgau.people.selectors import juveniles_for_list
from tests import factories

NAMES = ["Абаев", "Бекова", "Валиев", "Габдуллин", "Дина"]


@pytest.fixture
def five(investigator):
    return [
        factories.juvenile(investigator, last_name=name, birth_date=datetime.date(2010, 1, 1 + n))
        for n, name in enumerate(NAMES)
    ]


def test_the_ids_stop_one_past_the_cap(five):
    everyone = Juvenile.objects.order_by("last_name")
    assert len(first_ids(everyone, cap=3)) == 4  # one more than the cap: there are more
    assert len(first_ids(everyone, cap=5)) == 5
    assert first_ids(everyone.filter(last_name="Дина"), cap=3) == [
        j.pk for j in everyone.filter(last_name="Дина")
    ]


def test_a_page_comes_in_the_list_order_with_its_related_rows(
    five, investigator, django_assert_num_queries
):
    listed = juveniles_for_list(actor=investigator)
    with django_assert_num_queries(2):  # the ids in the list's order, then the rows with joins
        ids = first_ids(listed, cap=3)
        rows = rows_of(listed, ids[1:4])
        agencies = [row.registered_by_agency.name for row in rows]
    assert len(ids) == 4  # one more than the cap: there are more
    assert [row.last_name for row in rows] == NAMES[1:4]
    assert len(agencies) == 3


def test_a_list_does_not_show_what_its_filters_left_out(five, investigator):
    listed = juveniles_for_list(actor=investigator, query="Дина")
    assert [row.last_name for row in rows_of(listed, first_ids(listed))] == ["Дина"]


def test_a_list_page_takes_two_queries_whatever_the_list(
    five, investigator, django_assert_num_queries
):
    listed = juveniles_for_list(actor=investigator)
    paginator = CappedPaginator(listed, 2)
    with django_assert_num_queries(2):
        page = paginator.get_page(2)
        names = [(j.last_name, j.address_territory.name) for j in page]
    assert [name for name, _ in names] == NAMES[2:4]


def test_the_paginator_ends_its_pages_at_the_cap(five, settings):
    settings.QORGAU_COUNT_CAP = 3
    paginator = CappedPaginator(Juvenile.objects.order_by("last_name"), 2)
    assert (paginator.count, paginator.capped, paginator.num_pages) == (3, True, 2)
    assert [j.last_name for j in paginator.get_page(2)] == ["Валиев"]
    assert paginator.get_page(99).number == 2


def test_the_register_says_more_than_the_cap(five, investigator, client, settings):
    settings.QORGAU_COUNT_CAP = 3
    User.objects.filter(pk=investigator.pk).update(language="en")
    client.force_login(investigator)
    page = client.get("/juveniles/").content.decode()
    assert "More than 3 found." in page
    assert "5 juveniles" not in page
    settings.QORGAU_COUNT_CAP = 10
    assert "5 juveniles" in client.get("/juveniles/").content.decode()


def test_the_api_says_there_are_more(five, investigator, client, settings):
    settings.QORGAU_COUNT_CAP = 3
    client.force_login(investigator)
    body = client.get("/api/juveniles").json()
    assert (body["count"], body["more"], body["pages"]) == (3, True, 1)
    settings.QORGAU_COUNT_CAP = 10
    body = client.get("/api/juveniles").json()
    assert (body["count"], body["more"], len(body["results"])) == (5, False, 5)
