"""The version every editable record carries: a save from an older copy writes nothing."""

import pytest
from django.contrib.auth.models import update_last_login
from django.db import transaction

from qorgau.core.versioning import StaleVersion, check_version
from qorgau.people.models import Juvenile

pytestmark = pytest.mark.django_db


def test_a_new_record_starts_at_version_one_and_each_save_moves_it_on(juvenile):
    assert juvenile.version == 1
    juvenile.school = "№ 1"
    juvenile.save(update_fields=["school"])
    assert juvenile.version == 2
    juvenile.refresh_from_db()
    assert juvenile.version == 2


def test_a_save_from_an_older_copy_is_refused_and_writes_nothing(juvenile):
    older = Juvenile.objects.get(pk=juvenile.pk)
    juvenile.school = "№ 1"
    juvenile.save()
    older.address = "Абай 10"
    with pytest.raises(StaleVersion) as refused, transaction.atomic():
        older.save()
    assert (refused.value.sent, refused.value.current) == (1, 2)
    juvenile.refresh_from_db()
    assert (juvenile.school, juvenile.address, juvenile.version) == ("№ 1", "", 2)


def test_a_save_of_nothing_keeps_the_version(juvenile):
    juvenile.save(update_fields=[])
    juvenile.refresh_from_db()
    assert juvenile.version == 1


def test_signing_in_does_not_move_a_staff_members_version(investigator):
    update_last_login(None, investigator)
    investigator.refresh_from_db()
    assert investigator.last_login is not None
    assert investigator.version == 1


def test_check_version_names_the_fields_it_would_overwrite(juvenile):
    juvenile.school = "№ 1"
    juvenile.save()
    check_version(juvenile, 2, {"school": "x"})  # the current version passes
    check_version(juvenile, None, {"school": "x"})  # an internal caller is not compared
    with pytest.raises(StaleVersion) as refused:
        check_version(juvenile, 1, {"school": "x", "address": ""})
    assert refused.value.conflicts == {"school": "№ 1"}
