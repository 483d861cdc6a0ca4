"""Every role is a permission group; the groups carry the permission matrix of the issue."""

import pytest
from django.contrib.auth.models import Group, Permission

from qorgau.accounts.models import Role
from tests import factories

pytestmark = pytest.mark.django_db

R = Role
READ_JUVENILES = {
    R.INVESTIGATOR,
    R.JUVENILE_POLICE_INSPECTOR,
    R.PROSECUTOR,
    R.DEFENCE_LAWYER,
    R.SOCIAL_PSYCHOLOGIST,
    R.JUDGE,
    R.COURT_SOCIAL_WORKER,
    R.PROBATION_INSPECTOR,
    R.INSTITUTION_STAFF,
    R.CHILD_RIGHTS_SPECIALIST,
    R.PSYCHOLOGY_INTERN,
}
WRITE_JUVENILES = {
    R.INVESTIGATOR,
    R.JUVENILE_POLICE_INSPECTOR,
    R.SOCIAL_PSYCHOLOGIST,
    R.COURT_SOCIAL_WORKER,
    R.PROBATION_INSPECTOR,
    R.INSTITUTION_STAFF,
    R.CHILD_RIGHTS_SPECIALIST,
}
READ_AUDIT = {R.PROSECUTOR, R.ADMINISTRATOR}
ACCOUNTS_ADMIN = [
    "accounts.add_agency",
    "accounts.change_agency",
    "accounts.view_agency",
    "accounts.add_user",
    "accounts.change_user",
    "accounts.view_user",
    "accounts.add_training",
    "accounts.view_training",
]

MATRIX = [
    ("people.view_juvenile", READ_JUVENILES),
    ("people.add_juvenile", WRITE_JUVENILES),
    ("people.change_juvenile", WRITE_JUVENILES),
    ("audit.view_auditevent", READ_AUDIT),
    *((permission, {R.ADMINISTRATOR}) for permission in ACCOUNTS_ADMIN),
]


def group_permissions(role: str) -> set[str]:
    return {
        f"{app_label}.{codename}"
        for app_label, codename in Group.objects.get(name=role).permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


def test_every_role_has_a_group_of_the_same_name():
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)
    assert Group.objects.filter(name__in=Role.values).count() == len(Role.values) == 13


def test_matrix_permissions_exist():
    for permission, _roles in MATRIX:
        app_label, codename = permission.split(".")
        assert (
            Permission.objects.filter(content_type__app_label=app_label, codename=codename).exists()
            is True
        ), permission


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize(("permission", "holders"), MATRIX, ids=[p for p, _h in MATRIX])
def test_group_holds_a_permission_exactly_when_the_matrix_says(role, permission, holders):
    assert (permission in group_permissions(role)) is (role in holders)


def test_no_group_holds_delete_rights_over_juveniles_or_audit_events():
    for role in Role.values:
        held = group_permissions(role)
        assert "people.delete_juvenile" not in held
        assert "audit.delete_auditevent" not in held
        assert "audit.change_auditevent" not in held
        assert "audit.add_auditevent" not in held


def test_analyst_and_administrator_hold_no_right_over_juveniles():
    for role in (Role.ANALYST, Role.ADMINISTRATOR):
        assert {p for p in group_permissions(role) if p.startswith("people.")} == set()


@pytest.mark.parametrize("role", Role.values)
def test_a_staff_member_holds_the_permissions_of_their_role(role):
    user = factories.staff(role)
    for permission, holders in MATRIX:
        assert user.has_perm(permission) is (role in holders), permission
    assert user.roles == [role]
    assert user.has_role(role) is True
