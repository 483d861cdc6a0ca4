"""Registering and changing a juvenile's record and the people around the child."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.access import require
from qorgau.accounts.models import User
from qorgau.audit.searches import IIN_LENGTH, iin_digits, search_details
from qorgau.audit.services import record
from qorgau.core.iin import parse_iin
from qorgau.core.models import Territory
from qorgau.core.services import apply_changes
from qorgau.core.translit import search_key, to_latin
from qorgau.core.versioning import check_version
from qorgau.people import tallies
from qorgau.people.models import (
    EXPORT_SECTIONS,
    RETENTION_HOLDS,
    Juvenile,
    NoIINReason,
    RegionTally,
    Relative,
    Sex,
)

MESSAGE_BIRTH_FUTURE = _("The date of birth cannot be in the future.")
MESSAGE_BIRTH_TOO_EARLY = _("Check the date of birth: it is before 1900.")
MESSAGE_BIRTH_REQUIRED = _("Enter the date of birth, or an IIN from which it can be read.")
MESSAGE_SEX_REQUIRED = _("Choose the sex, or enter an IIN from which it can be read.")
MESSAGE_BIRTH_IIN_MISMATCH = _("The date of birth does not match the IIN, which gives %(date)s.")
MESSAGE_SEX_IIN_MISMATCH = _("The sex does not match the IIN, which gives %(sex)s.")
MESSAGE_DUPLICATE_IIN = _("A juvenile with this IIN is already registered.")
MESSAGE_NO_IIN_REASON = _("Enter the IIN, or choose why there is none.")
MESSAGE_NO_AGENCY = _("Your account is not attached to an agency, so you cannot register records.")
MESSAGE_FOREIGN_COUNTRY = _("Enter the country of citizenship.")

JUVENILE_FIELDS = {
    "last_name",
    "first_name",
    "patronymic",
    "iin",
    "no_iin_reason",
    "birth_date",
    "sex",
    "citizenship",
    "citizenship_country",
    "address_territory",
    "address",
    "school",
    "incomplete_family",
    "low_income_family",
    "large_family",
    "asocial_family",
    "family_notes",
}
NAME_FIELDS = {"last_name", "first_name", "patronymic"}
RELATIVE_FIELDS = {
    "last_name",
    "first_name",
    "patronymic",
    "relation",
    "is_legal_representative",
    "lives_with_child",
    "iin",
    "birth_date",
    "phone",
    "email",
    "address",
    "occupation",
    "notes",
}


def _normalise_identity(data: dict[str, Any]) -> None:
    """Fill birth date and sex from the IIN, or refuse when they contradict it."""
    iin = (data.get("iin") or "").strip()
    data["iin"] = iin or None
    errors: dict[str, Any] = {}
    if iin:
        try:
            facts = parse_iin(iin)
        except ValidationError as error:
            raise ValidationError({"iin": error.messages}) from None
        data["no_iin_reason"] = ""
        if data.get("birth_date") is None:
            data["birth_date"] = facts.birth_date
        elif data["birth_date"] != facts.birth_date:
            date = formats.date_format(facts.birth_date, "SHORT_DATE_FORMAT")
            errors["birth_date"] = MESSAGE_BIRTH_IIN_MISMATCH % {"date": date}
        if not data.get("sex"):
            data["sex"] = facts.sex
        elif data["sex"] != facts.sex:
            errors["sex"] = MESSAGE_SEX_IIN_MISMATCH % {"sex": Sex(facts.sex).label}
    elif not data.get("no_iin_reason"):
        errors["no_iin_reason"] = MESSAGE_NO_IIN_REASON
    birth_date = data.get("birth_date")
    if birth_date is None:
        errors.setdefault("birth_date", MESSAGE_BIRTH_REQUIRED)
    elif birth_date > timezone.localdate():
        errors["birth_date"] = MESSAGE_BIRTH_FUTURE
    elif birth_date < datetime.date(1900, 1, 1):
        errors["birth_date"] = MESSAGE_BIRTH_TOO_EARLY
    if not data.get("sex"):
        errors.setdefault("sex", MESSAGE_SEX_REQUIRED)
    if data.get("citizenship") == "foreign" and not (data.get("citizenship_country") or "").strip():
        errors["citizenship_country"] = MESSAGE_FOREIGN_COUNTRY
    if errors:
        raise ValidationError(errors)


def _strip_names(data: dict[str, Any]) -> dict[str, Any]:
    # A name of spaces only would pass the model's blank check; forms strip, API input may not.
    return {
        name: value.strip() if name in NAME_FIELDS and isinstance(value, str) else value
        for name, value in data.items()
    }


def _check_unique_iin(iin: str | None, exclude_pk: int | None = None) -> None:
    if not iin:
        return
    others = Juvenile.objects.filter(iin=iin)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        raise ValidationError({"iin": MESSAGE_DUPLICATE_IIN})


def _set_names(juvenile: Juvenile) -> None:
    juvenile.name_latin = to_latin(juvenile.full_name)
    juvenile.search_key = search_key(juvenile.full_name)


def _save_guarding_iin(juvenile: Juvenile, **kwargs: Any) -> None:
    # The unique index is the last word when two users register one IIN at the same moment.
    try:
        with transaction.atomic():
            juvenile.save(**kwargs)
    except IntegrityError:
        if (
            juvenile.iin
            and Juvenile.objects.filter(iin=juvenile.iin).exclude(pk=juvenile.pk).exists()
        ):
            raise ValidationError({"iin": MESSAGE_DUPLICATE_IIN}) from None
        raise


@transaction.atomic(durable=True)
def register_juvenile(*, actor: User, **fields: Any) -> Juvenile:
    """Register a minor's record; the registering agency is the actor's."""
    require(actor, "people.add_juvenile")
    if actor.agency is None:
        raise ValidationError(MESSAGE_NO_AGENCY)
    unknown = set(fields) - JUVENILE_FIELDS
    if unknown:
        raise ValueError(f"Unknown juvenile fields: {sorted(unknown)}")
    data = _strip_names(fields)
    _normalise_identity(data)
    juvenile = Juvenile(registered_by_agency=actor.agency, **data)
    _set_names(juvenile)
    juvenile.full_clean(validate_unique=False)
    _check_unique_iin(juvenile.iin)
    _save_guarding_iin(juvenile)
    record(
        actor=actor,
        action="juvenile.create",
        subject=juvenile,
        changes={name: (None, getattr(juvenile, name)) for name in sorted(data)},
    )
    return juvenile


@transaction.atomic(durable=True)
def update_juvenile(
    *, actor: User, juvenile: Juvenile, version: int | None = None, **fields: Any
) -> Juvenile:
    """Change a juvenile's record; the actor must be able to see it and hold the change right.

    `version` is the version the change was based on: another one refuses it (StaleVersion).
    """
    require(actor, "people.change_juvenile")
    # The row lock keeps two simultaneous edits from each reading the other's old values.
    # Only this row: visible_to outer-joins the territory, and PostgreSQL cannot lock that side.
    juvenile = (
        Juvenile.objects.visible_to(actor).select_for_update(of=("self",)).get(pk=juvenile.pk)
    )
    check_version(juvenile, version, fields)
    current = {name: getattr(juvenile, name) for name in JUVENILE_FIELDS}
    current["address_territory"] = juvenile.address_territory
    data = {**current, **_strip_names(fields)}
    _normalise_identity(data)
    _check_unique_iin(data["iin"], exclude_pk=juvenile.pk)
    changes = apply_changes(juvenile, data, JUVENILE_FIELDS)
    if changes:
        if changes.keys() & {"last_name", "first_name", "patronymic"}:
            _set_names(juvenile)
            _save_guarding_iin(juvenile, update_fields=["name_latin", "search_key"])
        record(actor=actor, action="juvenile.update", subject=juvenile, changes=changes)
    return juvenile


@transaction.atomic(durable=True)
def view_juvenile(*, actor: User, juvenile_id: int) -> Juvenile:
    """Open a juvenile's record for reading; every reading is written to the audit trail."""
    require(actor, "people.view_juvenile")
    juvenile = (
        Juvenile.objects.seen_by(actor)
        .select_related("address_territory__parent", "registered_by_agency")
        .prefetch_related("relatives")
        .get(pk=juvenile_id)
    )
    record(actor=actor, action="juvenile.view", subject=juvenile)
    return juvenile


def record_search(
    *, actor: User, action: str, query: str, result_count: int, longest: int | None = None
) -> None:
    """Audit a search in the caller's transaction: names as typed, IIN digits as a digest.

    A full IIN of a registered child files the row under that child (any region: who looked
    for a child outside their scope shows on the child's trail too). See audit/searches.py.
    """
    details = {**search_details(query, longest=longest), "results": result_count}
    digits = iin_digits(query, longest=longest)
    child = None
    if digits is not None and len(digits) == IIN_LENGTH:
        child = Juvenile.objects.filter(iin=digits).first()
    record(actor=actor, action=action, subject=child, details=details)


@transaction.atomic(durable=True)
def log_search(*, actor: User, query: str, result_count: int) -> None:
    """Record what a user looked for in the register: names and IINs are personal data."""
    require(actor, "people.view_juvenile")
    record_search(actor=actor, action="juvenile.search", query=query, result_count=result_count)


@transaction.atomic(durable=True)
def add_relative(*, actor: User, juvenile: Juvenile, **fields: Any) -> Relative:
    require(actor, "people.change_juvenile")
    juvenile = Juvenile.objects.visible_to(actor).get(pk=juvenile.pk)
    unknown = set(fields) - RELATIVE_FIELDS
    if unknown:
        raise ValueError(f"Unknown relative fields: {sorted(unknown)}")
    fields = _strip_names(fields)
    _check_relative_iin(fields)
    relative = Relative(juvenile=juvenile, **fields)
    relative.full_clean()
    relative.save()
    record(
        actor=actor,
        action="relative.create",
        subject=juvenile,
        changes={f"relative.{name}": (None, getattr(relative, name)) for name in sorted(fields)},
        details={"relative_id": relative.pk},
    )
    return relative


@transaction.atomic(durable=True)
def update_relative(
    *, actor: User, relative: Relative, version: int | None = None, **fields: Any
) -> Relative:
    require(actor, "people.change_juvenile")
    relative = (
        Relative.objects.select_for_update()
        .filter(juvenile__in=Juvenile.objects.visible_to(actor))
        .get(pk=relative.pk)
    )
    check_version(relative, version, fields)
    fields = _strip_names(fields)
    # Checked against the stored values too: a new birth date must agree with the stored IIN.
    _check_relative_iin({"iin": relative.iin, "birth_date": relative.birth_date, **fields})
    changes = apply_changes(relative, fields, RELATIVE_FIELDS)
    if changes:
        record(
            actor=actor,
            action="relative.update",
            subject=relative.juvenile,
            changes={f"relative.{name}": change for name, change in changes.items()},
            details={"relative_id": relative.pk},
        )
    return relative


def _check_relative_iin(fields: dict[str, Any]) -> None:
    iin = (fields.get("iin") or "").strip()
    if not iin:
        return
    try:
        facts = parse_iin(iin)
    except ValidationError as error:
        raise ValidationError({"iin": error.messages}) from None
    birth_date = fields.get("birth_date")
    if birth_date is not None and birth_date != facts.birth_date:
        date = formats.date_format(facts.birth_date, "SHORT_DATE_FORMAT")
        raise ValidationError({"birth_date": MESSAGE_BIRTH_IIN_MISMATCH % {"date": date}})


# Retention and a child's own record (issue 12: privacy).

ANONYMOUS = "—"  # stands for an erased name: a dash reads the same in every language
JUVENILE_ERASED = ("iin", "address", "school", "family_notes", "citizenship_country")
RELATIVE_ERASED = ("iin", "phone", "email", "address", "occupation", "notes")


def juveniles_due_for_anonymising(cutoff: datetime.date) -> list[int]:
    """Children born on or before `cutoff`, not yet anonymised, with no hold from another app."""
    due = Juvenile.objects.filter(birth_date__lte=cutoff, anonymised_at__isnull=True)
    for hold in RETENTION_HOLDS:
        due = due.exclude(hold())
    return list(due.order_by("id").values_list("id", flat=True))


@transaction.atomic(durable=True)
def anonymise_juvenile(*, juvenile_id: int, rule_code: str) -> bool:
    """Erase what identifies a child and their relatives; keep what the figures count.

    Run by the retention command (the system acts, under a rule of the retention file); the
    audit row names the rule. False when the record was anonymised already.
    """
    juvenile = Juvenile.objects.select_for_update().get(pk=juvenile_id)
    if juvenile.anonymised_at is not None:
        return False
    erased = [*JUVENILE_ERASED, "last_name", "first_name", "patronymic"]
    juvenile.last_name = juvenile.first_name = ANONYMOUS
    juvenile.patronymic = ""
    juvenile.iin = None
    juvenile.no_iin_reason = NoIINReason.ANONYMISED
    juvenile.address = juvenile.school = juvenile.family_notes = juvenile.citizenship_country = ""
    # The month and year stay: the figures count children by age.
    juvenile.birth_date = juvenile.birth_date.replace(day=1)
    juvenile.anonymised_at = timezone.now()
    _set_names(juvenile)
    juvenile.save()
    relatives = list(juvenile.relatives.all())
    for relative in relatives:
        relative.last_name = relative.first_name = ANONYMOUS
        relative.patronymic = ""
        relative.birth_date = None
        for name in RELATIVE_ERASED:
            setattr(relative, name, "")
        relative.save()
    record(
        actor=None,
        action="juvenile.anonymise",
        subject=juvenile,
        details={"rule": rule_code, "fields": sorted(erased), "relatives": len(relatives)},
    )
    return True


@transaction.atomic(durable=True)
def export_juvenile_record(*, actor: User, juvenile_id: int) -> dict[str, Any]:
    """Everything Qorgau holds on a child, for the child or their representative on request.

    Each app above adds its section (EXPORT_SECTIONS); confidential working material is not in
    it. The export itself is written to the audit trail.
    """
    require(actor, "people.export_juvenile")
    juvenile = (
        Juvenile.objects.visible_to(actor)
        .select_related("address_territory", "registered_by_agency")
        .get(pk=juvenile_id)
    )
    document: dict[str, Any] = {
        "generated_at": timezone.now().isoformat(),
        "generated_by": actor.get_full_name() or actor.username,
        "agency": str(actor.agency or ""),
        "juvenile": _juvenile_facts(juvenile),
        "relatives": [_relative_facts(r) for r in juvenile.relatives.order_by("id")],
    }
    for section in EXPORT_SECTIONS:
        name, content = section(juvenile)
        document[name] = content
    record(
        actor=actor,
        action="juvenile.export",
        subject=juvenile,
        details={"sections": sorted(document)},
    )
    return document


def _juvenile_facts(juvenile: Juvenile) -> dict[str, Any]:
    return {
        "id": juvenile.pk,
        "last_name": juvenile.last_name,
        "first_name": juvenile.first_name,
        "patronymic": juvenile.patronymic,
        "name_latin": juvenile.name_latin,
        "iin": juvenile.iin,
        "no_iin_reason": juvenile.no_iin_reason,
        "birth_date": juvenile.birth_date.isoformat(),
        "sex": juvenile.sex,
        "citizenship": juvenile.citizenship,
        "citizenship_country": juvenile.citizenship_country,
        "address_territory": str(juvenile.address_territory or ""),
        "address": juvenile.address,
        "school": juvenile.school,
        "family": {
            "incomplete": juvenile.incomplete_family,
            "low_income": juvenile.low_income_family,
            "large": juvenile.large_family,
            "asocial": juvenile.asocial_family,
            "notes": juvenile.family_notes,
        },
        "registered_by": str(juvenile.registered_by_agency),
        "registered_at": juvenile.created_at.isoformat(),
    }


def _relative_facts(relative: Relative) -> dict[str, Any]:
    return {
        "last_name": relative.last_name,
        "first_name": relative.first_name,
        "patronymic": relative.patronymic,
        "relation": relative.relation,
        "is_legal_representative": relative.is_legal_representative,
        "lives_with_child": relative.lives_with_child,
        "iin": relative.iin,
        "birth_date": relative.birth_date.isoformat() if relative.birth_date else None,
        "phone": relative.phone,
        "email": relative.email,
        "address": relative.address,
        "occupation": relative.occupation,
    }


def count_register() -> datetime.datetime:
    """Count the juveniles of every region again for the analysts' figures (people/tallies.py),
    in one transaction; returns the time they hold for. A system job: `qorgau count-register`
    on a schedule, and after a national load."""
    counted_at = timezone.now()
    counts = tallies.live()
    regions = Territory.objects.filter(parent=None)
    with transaction.atomic():
        RegionTally.objects.all().delete()
        RegionTally.objects.bulk_create(
            RegionTally(region=region, juveniles=counts.get(region.pk, 0), counted_at=counted_at)
            for region in regions
        )
    return counted_at
