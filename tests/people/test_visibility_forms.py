"""The two forms of who sees a child agree: the set (`visible_to`, for lists) and the per-row
check (`seen_by`, for searches and one record), for every persona of the access world."""

from collections.abc import Iterator

import pytest

from qorgau.accounts.models import User
from qorgau.people.models import Juvenile
from qorgau.people.selectors import juveniles_for_list
from tests.access.world import World, built_once, everyone

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    with built_once(django_db_blocker) as built:
        yield built


@pytest.fixture(scope="module")
def users(world: World, django_db_blocker) -> list[User]:
    return everyone(world, django_db_blocker)


def ids(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def test_the_row_check_sees_what_the_set_sees(users):
    seen_somewhere = set()
    for user in users:
        as_set = ids(Juvenile.objects.visible_to(user))
        assert ids(Juvenile.objects.seen_by(user)) == as_set, user.username
        seen_somewhere |= as_set
    # The world is not empty and someone does not see everything: the comparison means something.
    partial = [u for u in users if ids(Juvenile.objects.visible_to(u)) != seen_somewhere]
    assert seen_somewhere and partial


def test_a_search_finds_what_the_list_shows(users):
    for user in users:
        listed = list(juveniles_for_list(actor=user))
        for juvenile in listed[:3]:
            found = juveniles_for_list(actor=user, query=juvenile.last_name)
            assert juvenile in found, user.username
        hidden = Juvenile.objects.exclude(pk__in=[j.pk for j in listed]).first()
        if hidden is not None:
            assert hidden not in juveniles_for_list(actor=user, query=hidden.last_name)
