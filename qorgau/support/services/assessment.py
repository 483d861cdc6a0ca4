"""Assessing a minor's criminogenic risk and needs: start, save answers, complete, reassess.

Each function checks the actor, validates, writes in one transaction and audits. A draft may
be partial and only its author changes it; completing refuses while a required item is
unanswered (naming every one) and writes nothing then; a completed assessment never changes:
a reassessment is a new assessment that starts from its answers.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.access import require
from qorgau.accounts.models import Role, User
from qorgau.audit.services import record
from qorgau.core.versioning import StaleVersion
from qorgau.people.models import Juvenile
from qorgau.proceedings.models import Accused, Proceeding
from qorgau.support.assessment_scoring import score, unanswered
from qorgau.support.instrument import RISK_NEEDS, Instrument, library
from qorgau.support.models.assessment import Assessment, AssessmentStatus

ASSESSORS = frozenset(
    {
        Role.COURT_SOCIAL_WORKER,
        Role.SOCIAL_PSYCHOLOGIST,
        Role.PROBATION_INSPECTOR,
        Role.JUVENILE_POLICE_INSPECTOR,
    }
)

MESSAGE_NOT_ASSESSOR = _(
    "Only court social workers, social psychologists, probation inspectors and juvenile "
    "police inspectors assess risk and needs."
)
MESSAGE_NO_AGENCY = _("Your account belongs to no active agency.")
MESSAGE_JUVENILE_NOT_VISIBLE = _("You may not see this juvenile's record.")
MESSAGE_CASE_NOT_VISIBLE = _("Your agency does not take part in this case.")
MESSAGE_OTHER_CHILD = _("This minor's case is not about the juvenile being assessed.")
MESSAGE_NO_INSTRUMENT = _("No version of the assessment instrument is in force today.")
MESSAGE_DRAFT_EXISTS = _(
    "You already have a draft assessment of this juvenile: continue it or complete it first."
)
MESSAGE_NOT_AUTHOR = _("Only the author of a draft assessment may change it.")
MESSAGE_COMPLETED = _("A completed assessment cannot be changed: start a reassessment.")
MESSAGE_NOT_COMPLETED = _("Only a completed assessment can be reassessed.")
MESSAGE_ANSWERS_SHAPE = _("Send the answers as an object mapping item ids to answer ids.")
MESSAGE_UNKNOWN_ITEM = _("The instrument has no item “%(item)s”.")
MESSAGE_UNKNOWN_OPTION = _("Choose one of the answers the instrument gives for «%(item)s».")
MESSAGE_UNANSWERED = _("Answer «%(item)s» in the section «%(domain)s».")


def _require_assessor(actor: User, permission: str) -> None:
    require(actor, permission)
    if not actor.is_superuser and not actor.has_role(*ASSESSORS):
        raise PermissionDenied(MESSAGE_NOT_ASSESSOR)
    if actor.agency is None or not actor.agency.is_active:
        raise PermissionDenied(MESSAGE_NO_AGENCY)


def _check_answers(instrument: Instrument, answers: Any) -> dict[str, str | None]:
    """Answers as sent: item id -> option id, or None (or "") to clear an answer."""
    if not isinstance(answers, dict):
        raise ValidationError({"answers": MESSAGE_ANSWERS_SHAPE})
    errors: dict[str, Any] = {}
    clean: dict[str, str | None] = {}
    for item_id, option_id in answers.items():
        item = instrument.item(str(item_id))
        if item is None:
            errors[f"answers.{item_id}"] = MESSAGE_UNKNOWN_ITEM % {"item": item_id}
        elif option_id in (None, ""):
            clean[item.id] = None
        elif not isinstance(option_id, str) or item.option(option_id) is None:
            errors[f"answers.{item_id}"] = MESSAGE_UNKNOWN_OPTION % {"item": item.text}
        else:
            clean[item.id] = option_id
    if errors:
        raise ValidationError(errors)
    return clean


def _merge(
    assessment: Assessment, changes: dict[str, str | None]
) -> dict[str, tuple[str | None, str | None]]:
    answers = dict(assessment.answers)
    changed = {}
    for item_id, option_id in changes.items():
        old = answers.get(item_id)
        if old == option_id:
            continue
        changed[f"answers.{item_id}"] = (old, option_id)
        if option_id is None:
            answers.pop(item_id, None)
        else:
            answers[item_id] = option_id
    assessment.answers = answers
    return changed


def _save_new(assessment: Assessment) -> None:
    assessment.full_clean(validate_constraints=False)
    try:
        # Two starts at once (a double click) meet the one-draft constraint.
        with transaction.atomic():
            assessment.save()
    except IntegrityError:
        raise ValidationError(MESSAGE_DRAFT_EXISTS) from None


@transaction.atomic(durable=True)
def start_assessment(
    *,
    actor: User,
    juvenile: Juvenile,
    accused: Accused | None = None,
    answers: dict[str, Any] | None = None,
    notes: str = "",
) -> Assessment:
    """A draft with the version in force today; `answers` may be partial."""
    _require_assessor(actor, "support.add_assessment")
    if not Juvenile.objects.visible_to(actor).filter(pk=juvenile.pk).exists():
        raise PermissionDenied(MESSAGE_JUVENILE_NOT_VISIBLE)
    if accused is not None:
        if accused.juvenile_id != juvenile.pk:
            raise ValidationError({"accused": MESSAGE_OTHER_CHILD})
        cases = Proceeding.objects.visible_to(actor)
        if not cases.filter(pk=accused.proceeding_id).exists():
            raise ValidationError({"accused": MESSAGE_CASE_NOT_VISIBLE})
    instrument = library().current(RISK_NEEDS, timezone.localdate())
    if instrument is None:
        raise ValidationError(MESSAGE_NO_INSTRUMENT)
    drafts = Assessment.objects.filter(juvenile=juvenile, author=actor)
    if drafts.filter(status=AssessmentStatus.DRAFT).exists():
        raise ValidationError(MESSAGE_DRAFT_EXISTS)
    clean = _check_answers(instrument, answers or {})
    assessment = Assessment(
        juvenile=juvenile,
        accused=accused,
        author=actor,
        author_agency=actor.agency,
        instrument_code=instrument.code,
        instrument_version=instrument.version,
        notes=notes.strip(),
    )
    _merge(assessment, clean)
    _save_new(assessment)
    record(
        actor=actor,
        action="assessment.start",
        subject=juvenile,
        changes={"instrument": (None, f"{instrument.code} v{instrument.version}")},
        details={"assessment_id": assessment.pk, "accused_id": accused.pk if accused else None},
    )
    return assessment


def _own_draft(actor: User, assessment: Assessment) -> Assessment:
    """The draft, locked: two saves of one draft at once must not lose answers."""
    _require_assessor(actor, "support.change_assessment")
    locked = (
        Assessment.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .filter(pk=assessment.pk)
        .first()
    )
    if locked is None or locked.author_id != actor.pk:
        raise PermissionDenied(MESSAGE_NOT_AUTHOR)
    if locked.status != AssessmentStatus.DRAFT:
        raise ValidationError(MESSAGE_COMPLETED)
    return locked


@transaction.atomic(durable=True)
def save_answers(
    *,
    actor: User,
    assessment: Assessment,
    answers: dict[str, Any],
    notes: str | None = None,
    version: int | None = None,
) -> Assessment:
    """Change some answers of a draft (None clears one); the others stay as they were.

    `version` is the draft's version the change was based on (None: not checked).
    """
    draft = _own_draft(actor, assessment)
    if version is not None and version != draft.version:
        stored = draft.answers or {}
        conflicts = {
            f"answers.{item}": stored.get(item)
            for item, value in answers.items()
            if stored.get(item) != value
        }
        if notes is not None and notes.strip() != draft.notes:
            conflicts["notes"] = draft.notes
        raise StaleVersion(sent=version, current=draft.version, conflicts=conflicts)
    changes = _merge(draft, _check_answers(draft.instrument, answers))
    if notes is not None and notes.strip() != draft.notes:
        changes["notes"] = (draft.notes, notes.strip())
        draft.notes = notes.strip()
    draft.full_clean()
    draft.save()
    if changes:
        record(
            actor=actor,
            action="assessment.save",
            subject=draft.juvenile,
            changes=changes,
            details={"assessment_id": draft.pk},
        )
    return draft


@transaction.atomic(durable=True)
def complete_assessment(*, actor: User, assessment: Assessment) -> Assessment:
    """Score the draft against its version; refused, naming each unanswered required item."""
    draft = _own_draft(actor, assessment)
    instrument = draft.instrument
    missing = unanswered(instrument, draft.answers)
    if missing:
        errors = {}
        for item_id in missing:
            item = instrument.item(item_id)
            domain = instrument.domain(item.domain_id) if item else None
            assert item is not None and domain is not None
            errors[f"answers.{item_id}"] = MESSAGE_UNANSWERED % {
                "item": item.text,
                "domain": domain.title,
            }
        raise ValidationError(errors)
    result = score(instrument, draft.answers)
    draft.status = AssessmentStatus.COMPLETED
    draft.completed_at = timezone.now()
    draft.domain_scores = result.domains
    draft.society_score = result.totals["society"]
    draft.child_score = result.totals["child"]
    draft.society_level = result.levels["society"]
    draft.child_level = result.levels["child"]
    draft.reasons = result.reasons
    draft.full_clean()
    draft.save()
    record(
        actor=actor,
        action="assessment.complete",
        subject=draft.juvenile,
        changes={
            "status": (AssessmentStatus.DRAFT, AssessmentStatus.COMPLETED),
            "society_level": (None, draft.society_level),
            "child_level": (None, draft.child_level),
        },
        details={"assessment_id": draft.pk},
    )
    return draft


@transaction.atomic(durable=True)
def reassess(*, actor: User, assessment: Assessment, notes: str = "") -> Assessment:
    """A new draft for the same child and case, with the version in force today, starting
    from the earlier answers that the new version still asks."""
    _require_assessor(actor, "support.add_assessment")
    earlier = Assessment.objects.visible_to(actor).filter(pk=assessment.pk).first()
    if earlier is None:
        raise PermissionDenied(MESSAGE_JUVENILE_NOT_VISIBLE)
    if earlier.status != AssessmentStatus.COMPLETED:
        raise ValidationError(MESSAGE_NOT_COMPLETED)
    if not Juvenile.objects.visible_to(actor).filter(pk=earlier.juvenile_id).exists():
        raise PermissionDenied(MESSAGE_JUVENILE_NOT_VISIBLE)
    instrument = library().current(earlier.instrument_code, timezone.localdate())
    if instrument is None:
        raise ValidationError(MESSAGE_NO_INSTRUMENT)
    if Assessment.objects.filter(
        juvenile_id=earlier.juvenile_id, author=actor, status=AssessmentStatus.DRAFT
    ).exists():
        raise ValidationError(MESSAGE_DRAFT_EXISTS)
    kept = {
        item_id: option_id
        for item_id, option_id in earlier.answers.items()
        if (item := instrument.item(item_id)) is not None and item.option(option_id) is not None
    }
    draft = Assessment(
        juvenile_id=earlier.juvenile_id,
        accused_id=earlier.accused_id,
        author=actor,
        author_agency=actor.agency,
        instrument_code=instrument.code,
        instrument_version=instrument.version,
        answers=kept,
        supersedes=earlier,
        notes=notes.strip(),
    )
    _save_new(draft)
    record(
        actor=actor,
        action="assessment.start",
        subject=draft.juvenile,
        changes={"instrument": (None, f"{instrument.code} v{instrument.version}")},
        details={"assessment_id": draft.pk, "reassessment_of": earlier.pk},
    )
    return draft


@transaction.atomic(durable=True)
def view_assessment(*, actor: User, pk: int) -> Assessment:
    """Open an assessment for reading (sensitive personal data): the reading is audited."""
    assessment = (
        Assessment.objects.visible_to(actor)
        .select_related("juvenile", "accused__proceeding", "author", "author_agency")
        .get(pk=pk)
    )
    record(
        actor=actor,
        action="assessment.view",
        subject=assessment.juvenile,
        details={"assessment_id": assessment.pk},
    )
    return assessment


@transaction.atomic(durable=True)
def view_assessments_of(*, actor: User, juvenile: Juvenile) -> list[Assessment]:
    """A minor's assessments the actor may see, newest first: the reading is audited."""
    if not Juvenile.objects.visible_to(actor).filter(pk=juvenile.pk).exists():
        raise PermissionDenied(MESSAGE_JUVENILE_NOT_VISIBLE)
    found = list(
        Assessment.objects.visible_to(actor)
        .filter(juvenile=juvenile)
        .select_related("author", "author_agency", "accused__proceeding")
    )
    record(
        actor=actor,
        action="assessment.list",
        subject=juvenile,
        details={"assessment_ids": [a.pk for a in found]},
    )
    return found
