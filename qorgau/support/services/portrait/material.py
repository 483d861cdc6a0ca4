"""The portrait and its working material: interviews, documents, notes and disclosures."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from qorgau.accounts.access import require
from qorgau.accounts.models import User
from qorgau.audit.services import record
from qorgau.proceedings.models import Accused
from qorgau.proceedings.services.common import check_times, visible_case
from qorgau.support.models.portrait import (
    CollectedDocument,
    Disclosure,
    DisclosureKind,
    DocumentKind,
    Interview,
    InterviewWith,
    Portrait,
    WorkingNote,
)
from qorgau.support.services.portrait.common import (
    MESSAGE_ALREADY_STARTED,
    MESSAGE_DETAILS_REQUIRED,
    MESSAGE_NAME_REQUIRED,
    MESSAGE_NOT_PSYCHOLOGIST,
    MESSAGE_NOTE_REQUIRED,
    MESSAGE_PURPOSE_REQUIRED,
    MESSAGE_RECEIVED_BEFORE_BIRTH,
    MESSAGE_RECEIVED_FUTURE,
    MESSAGE_RECIPIENT_REQUIRED,
    MESSAGE_SOURCE_REQUIRED,
    MESSAGE_SUMMARY_REQUIRED,
    MESSAGE_TITLE_REQUIRED,
    _active,
    _require_member,
    _require_psychologist,
)


@transaction.atomic(durable=True)
def start_portrait(*, actor: User, accused: Accused) -> Portrait:
    """Start the study of a minor; the actor's consultation keeps it and the actor leads it."""
    _active(actor)
    require(actor, "support.add_portrait")
    _require_psychologist(actor)
    if actor.agency is None:
        raise PermissionDenied(MESSAGE_NOT_PSYCHOLOGIST)
    visible_case(actor, accused.proceeding, lock=True)
    existing = Portrait.objects.filter(accused=accused).select_related("agency").first()
    if existing is not None:
        raise ValidationError(
            {"accused": MESSAGE_ALREADY_STARTED % {"agency": existing.agency.name}}
        )
    portrait = Portrait(accused=accused, agency=actor.agency, lead=actor)
    portrait.full_clean()
    portrait.save()
    record(
        actor=actor,
        action="portrait.start",
        subject=portrait,
        details={"accused_id": accused.pk, "case_id": accused.proceeding_id},
    )
    return portrait


@transaction.atomic(durable=True)
def record_interview(
    *,
    actor: User,
    portrait: Portrait,
    with_whom: str,
    name: str,
    held_at: datetime.datetime,
    summary: str,
    place: str = "",
) -> Interview:
    """An interview with the minor, a parent, a teacher or someone close to the child."""
    _require_member(actor, portrait, "support.add_interview")
    errors: dict[str, Any] = {}
    if not name.strip():
        errors["name"] = MESSAGE_NAME_REQUIRED
    if not summary.strip():
        errors["summary"] = MESSAGE_SUMMARY_REQUIRED
    try:
        check_times(portrait.accused.proceeding, held_at, start_field="held_at")
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    interview = Interview(
        portrait=portrait,
        with_whom=with_whom,
        name=name.strip(),
        held_at=held_at,
        place=place.strip(),
        summary=summary.strip(),
        recorded_by=actor,
    )
    interview.full_clean()
    interview.save()
    record(
        actor=actor,
        action="portrait.interview",
        subject=portrait,
        changes={"interview": (None, InterviewWith(with_whom).value)},
        details={"interview_id": interview.pk},
    )
    return interview


@transaction.atomic(durable=True)
def record_document(
    *,
    actor: User,
    portrait: Portrait,
    kind: str,
    title: str,
    source: str,
    received_on: datetime.date,
    summary: str = "",
) -> CollectedDocument:
    """A document collected about the child: a school reference, a housing inspection act…"""
    _require_member(actor, portrait, "support.add_collecteddocument")
    errors: dict[str, Any] = {}
    if not title.strip():
        errors["title"] = MESSAGE_TITLE_REQUIRED
    if not source.strip():
        errors["source"] = MESSAGE_SOURCE_REQUIRED
    birth = portrait.accused.juvenile.birth_date
    if received_on > timezone.localdate():
        errors["received_on"] = MESSAGE_RECEIVED_FUTURE
    elif received_on < birth:
        errors["received_on"] = MESSAGE_RECEIVED_BEFORE_BIRTH % {
            "birth": birth.strftime("%d.%m.%Y")
        }
    if errors:
        raise ValidationError(errors)
    document = CollectedDocument(
        portrait=portrait,
        kind=kind,
        title=title.strip(),
        source=source.strip(),
        received_on=received_on,
        summary=summary.strip(),
        recorded_by=actor,
    )
    document.full_clean()
    document.save()
    record(
        actor=actor,
        action="portrait.document",
        subject=portrait,
        changes={"document": (None, DocumentKind(kind).value)},
        details={"document_id": document.pk},
    )
    return document


@transaction.atomic(durable=True)
def add_note(*, actor: User, portrait: Portrait, text: str) -> WorkingNote:
    """A confidential working note: the consultation's own, never disclosed."""
    _require_member(actor, portrait, "support.add_workingnote")
    if not text.strip():
        raise ValidationError({"text": MESSAGE_NOTE_REQUIRED})
    note = WorkingNote(portrait=portrait, text=text.strip(), author=actor)
    note.full_clean()
    note.save()
    # The note's text stays out of the audit trail: only that one was written.
    record(actor=actor, action="portrait.note", subject=portrait, details={"note_id": note.pk})
    return note


@transaction.atomic(durable=True)
def view_portrait(*, actor: User, portrait: Portrait, what: str = "portrait") -> Portrait:
    """Open the working material (interviews, documents, notes) for reading: audited."""
    _require_member(actor, portrait, "support.view_portrait")
    record(actor=actor, action="portrait.view", subject=portrait, details={"what": what})
    return portrait


# Reports


@transaction.atomic(durable=True)
def record_disclosure(
    *,
    actor: User,
    portrait: Portrait,
    recipient_name: str,
    details: str,
    purpose: str,
    at: datetime.datetime | None = None,
) -> Disclosure:
    """Information about the child shared outside the system (by phone, on paper): recorded."""
    _require_member(actor, portrait, "support.add_disclosure")
    errors: dict[str, Any] = {}
    if not recipient_name.strip():
        errors["recipient_name"] = MESSAGE_RECIPIENT_REQUIRED
    if not details.strip():
        errors["details"] = MESSAGE_DETAILS_REQUIRED
    if not purpose.strip():
        errors["purpose"] = MESSAGE_PURPOSE_REQUIRED
    when = at or timezone.now()
    try:
        check_times(portrait.accused.proceeding, when, start_field="at")
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    disclosure = Disclosure(
        portrait=portrait,
        kind=DisclosureKind.OTHER,
        recipient_name=recipient_name.strip(),
        details=details.strip(),
        purpose=purpose.strip(),
        by=actor,
        at=when,
    )
    disclosure.full_clean()
    disclosure.save()
    record(
        actor=actor,
        action="portrait.disclosure",
        subject=portrait,
        changes={"disclosed_to": (None, disclosure.recipient_name)},
        details={"disclosure_id": disclosure.pk},
    )
    return disclosure
