"""Agencies, staff accounts, roles, trainings and each user's language."""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.access import require
from qorgau.accounts.models import Agency, Role, Training, User
from qorgau.audit.services import record
from qorgau.core.services import apply_changes
from qorgau.core.versioning import check_version

MESSAGE_UNKNOWN_ROLE = _("Unknown role: %(role)s.")
MESSAGE_NO_ROLE = _("Choose at least one role.")
MESSAGE_AGENCY_REQUIRED = _("Choose the agency the staff member works in.")
MESSAGE_LAST_ADMINISTRATOR = _(
    "This is the last active administrator: give another account the administrator role first."
)
MESSAGE_USERNAME_TAKEN = _("This login is already taken.")
MESSAGE_UNKNOWN_LANGUAGE = _("Choose Kazakh, Russian or English.")
MESSAGE_TRAINING_FUTURE = _("The completion date cannot be in the future.")
MESSAGE_TRAINING_HOURS = _("Enter the number of hours: a whole number above zero.")

AGENCY_FIELDS = {
    "name_kk",
    "name_ru",
    "name_en",
    "agency_type",
    "territory",
    "address",
    "phone",
    "is_active",
}
STAFF_FIELDS = {
    "first_name",
    "last_name",
    "patronymic",
    "email",
    "agency",
    "position",
    "phone",
    "language",
    "is_active",
}


@transaction.atomic(durable=True)
def create_agency(*, actor: User, **fields: object) -> Agency:
    require(actor, "accounts.add_agency")
    unknown = set(fields) - AGENCY_FIELDS
    if unknown:
        raise ValueError(f"Unknown agency fields: {sorted(unknown)}")
    agency = Agency(**fields)
    agency.full_clean()
    agency.save()
    record(
        actor=actor,
        action="agency.create",
        subject=agency,
        changes={name: (None, getattr(agency, name)) for name in fields},
    )
    return agency


@transaction.atomic(durable=True)
def update_agency(
    *, actor: User, agency: Agency, version: int | None = None, **fields: object
) -> Agency:
    require(actor, "accounts.change_agency")
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    changes = apply_changes(agency, fields, AGENCY_FIELDS, version=version)
    if changes:
        record(actor=actor, action="agency.update", subject=agency, changes=changes)
    return agency


def _role_groups(roles: Iterable[str]) -> list[Group]:
    roles = list(dict.fromkeys(roles))
    if not roles:
        raise ValidationError({"roles": MESSAGE_NO_ROLE})
    for role in roles:
        if role not in Role.values:
            raise ValidationError({"roles": MESSAGE_UNKNOWN_ROLE % {"role": role}})
    return list(Group.objects.filter(name__in=roles))


@transaction.atomic(durable=True)
def create_staff(
    *,
    actor: User,
    username: str,
    password: str,
    roles: Iterable[str],
    agency: Agency | None,
    first_name: str,
    last_name: str,
    patronymic: str = "",
    email: str = "",
    position: str = "",
    phone: str = "",
    language: str = "kk",
) -> User:
    """Create a staff account with its roles; only administrators may."""
    require(actor, "accounts.add_user")
    roles = list(roles)
    groups = _role_groups(roles)
    if agency is None and set(roles) != {Role.ADMINISTRATOR.value}:
        raise ValidationError({"agency": MESSAGE_AGENCY_REQUIRED})
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        patronymic=patronymic,
        email=email,
        agency=agency,
        position=position,
        phone=phone,
        language=language,
    )
    _save_new_account(user, password, groups)
    record(
        actor=actor,
        action="staff.create",
        subject=user,
        changes={
            "username": (None, username),
            "agency": (None, agency),
            "roles": (None, ",".join(roles)),
        },
    )
    return user


@transaction.atomic(durable=True)
def update_staff(
    *,
    actor: User,
    user: User,
    roles: Iterable[str] | None = None,
    version: int | None = None,
    **fields: object,
) -> User:
    """Change a staff account and, when given, its roles, in one step; administrators only."""
    require(actor, "accounts.change_user")
    user = User.objects.select_for_update().get(pk=user.pk)
    changes = apply_changes(user, fields, STAFF_FIELDS, version=version)
    if changes:
        record(actor=actor, action="staff.update", subject=user, changes=changes)
    if roles is not None:
        _replace_roles(actor, user, roles)
    _check_account_rules(user)
    return user


@transaction.atomic(durable=True)
def set_roles(*, actor: User, user: User, roles: Iterable[str], version: int | None = None) -> User:
    require(actor, "accounts.change_user")
    user = User.objects.select_for_update().get(pk=user.pk)
    check_version(user, version)
    _replace_roles(actor, user, roles)
    _check_account_rules(user)
    return user


def _replace_roles(actor: User, user: User, roles: Iterable[str]) -> None:
    roles = list(dict.fromkeys(roles))
    groups = _role_groups(roles)
    before = ",".join(user.roles)
    user.groups.set(groups)
    after = ",".join(r for r in Role.values if r in roles)
    if before != after:
        user.advance_version()  # the roles are part of the account a client read
        record(actor=actor, action="staff.roles", subject=user, changes={"roles": (before, after)})


def _check_account_rules(user: User) -> None:
    """Rules that must hold after any change: raising here rolls the whole change back."""
    roles = set(user.groups.values_list("name", flat=True))
    if user.agency_id is None and roles != {Role.ADMINISTRATOR.value}:
        raise ValidationError({"agency": MESSAGE_AGENCY_REQUIRED})
    active_admins = User.objects.filter(
        Q(groups__name=Role.ADMINISTRATOR) | Q(is_superuser=True), is_active=True
    )
    if not active_admins.exists():
        raise ValidationError({"roles": MESSAGE_LAST_ADMINISTRATOR})


def _save_new_account(user: User, password: str, groups: list[Group]) -> None:
    if User.objects.filter(username__iexact=user.username).exists():
        raise ValidationError({"username": MESSAGE_USERNAME_TAKEN})
    _check_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    user.groups.set(groups)


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None


@transaction.atomic(durable=True)
def add_training(
    *,
    actor: User,
    user: User,
    course: str,
    completed_on: datetime.date,
    hours: int,
    provider: str = "",
    certificate_number: str = "",
) -> Training:
    """Record a juvenile-justice specialization course; administrators only."""
    require(actor, "accounts.add_training")
    # The date is compared in the deployment's time zone (Almaty), not the server's UTC day.
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": MESSAGE_TRAINING_FUTURE})
    # Without this, 0 hours fails only the table constraint, whose message names no field.
    if hours <= 0:
        raise ValidationError({"hours": MESSAGE_TRAINING_HOURS})
    training = Training(
        user=user,
        course=course,
        completed_on=completed_on,
        hours=hours,
        provider=provider,
        certificate_number=certificate_number,
    )
    training.full_clean()
    training.save()
    record(
        actor=actor,
        action="staff.training",
        subject=user,
        changes={"training": (None, str(training))},
    )
    return training


@transaction.atomic(durable=True)
def set_language(*, actor: User, language: str) -> User:
    """Remember the interface language a user chose; every user may change their own."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": MESSAGE_UNKNOWN_LANGUAGE})
    if actor.language != language:
        old = actor.language
        actor.language = language
        actor.save(update_fields=["language"])
        record(
            actor=actor,
            action="auth.language",
            subject=actor,
            changes={"language": (old, language)},
        )
    return actor


MESSAGE_ADMIN_EXISTS = _("An administrator already exists: ask them to create your account.")


@transaction.atomic(durable=True)
def create_first_administrator(
    *, username: str, password: str, first_name: str, last_name: str
) -> User:
    """Bootstrap a new installation: the first administrator, created by the system itself."""
    if User.objects.filter(groups__name=Role.ADMINISTRATOR).exists():
        raise ValidationError(MESSAGE_ADMIN_EXISTS)
    user = User(username=username, first_name=first_name, last_name=last_name)
    _save_new_account(user, password, _role_groups([Role.ADMINISTRATOR]))
    record(
        actor=None,
        action="staff.create",
        subject=user,
        changes={"username": (None, username), "roles": (None, Role.ADMINISTRATOR)},
    )
    return user
