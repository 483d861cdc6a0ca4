"""Finding violations as the record shows them, and the prosecutor's response to each."""

import datetime
import logging
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.access import MESSAGE_NOT_ALLOWED, require
from qorgau.accounts.models import Role, User
from qorgau.audit.services import record
from qorgau.proceedings.models import Accused, Stage
from qorgau.safeguards.checks import CHECKS
from qorgau.safeguards.models import UNRESOLVED, ActType, Status, Violation
from qorgau.safeguards.rulebook import safeguard_book
from qorgau.safeguards.track import Track

MESSAGE_NOT_UNRESOLVED = _("This violation is already resolved: its status cannot change.")
MESSAGE_NOT_OPEN = _("Only an open violation can be marked as seen.")
MESSAGE_REASON_REQUIRED = _("Give the reason the violation is disputed.")
MESSAGE_ACT_TYPE = _("Choose the type of act: protest, representation or order.")
MESSAGE_ACT_NUMBER = _("Enter the number of the act.")
MESSAGE_ACT_DATE = _("Enter the date of the act; it cannot be in the future.")
MESSAGE_NOT_VISIBLE = _("Your agency does not take part in this case.")


def evaluate(
    accused: Accused, now: datetime.datetime | None = None, *, by_clock: bool = False
) -> list[Violation]:
    """Run every rule in force over a minor's track; record what is new. Idempotent.

    Runs inside the caller's transaction: with the event that triggered it, or in the sweep
    (`by_clock`: deadlines run to now, so a step that never came is found).
    """
    now = now or timezone.now()
    track = Track.load(accused, now, by_clock=by_clock)
    created = []
    for rule in safeguard_book().rules:
        for finding in CHECKS[rule.check].run(rule, track):
            if not rule.in_force(finding.day or timezone.localdate(now)):
                continue
            violation = _record_finding(track, rule.id, rule.severity, finding, now)
            if violation is not None:
                created.append(violation)
    return created


def _record_finding(
    track: Track, rule_id: str, severity: str, finding: Any, now: datetime.datetime
) -> Violation | None:
    if Violation.objects.filter(
        rule_id=rule_id, accused=track.accused, fact_key=finding.key
    ).exists():
        return None
    responsible = finding.responsible
    violation = Violation(
        rule_id=rule_id,
        fact_key=finding.key,
        proceeding=track.accused.proceeding,
        accused=track.accused,
        responsible=responsible,
        responsible_agency=responsible.agency if responsible is not None else None,
        severity=severity,
        facts=finding.facts,
        detected_at=now,
    )
    try:
        # Two evaluations at once (an event and the sweep) may find the same fact.
        with transaction.atomic():
            violation.save()
    except IntegrityError:
        return None
    violation.events.set(finding.events)
    record(
        actor=None,
        action="violation.open",
        subject=track.accused.proceeding,
        changes={"violation": (None, f"{rule_id}: {finding.key}")},
        details={"violation_id": violation.pk, "accused_id": track.accused.pk},
    )
    return violation


ACTIVE = [s for s in Stage.values if s not in (Stage.TERMINATED, Stage.CLOSED)]
logger = logging.getLogger(__name__)


@dataclass
class SweepResult:
    found: int = 0
    failed: list[int] = field(default_factory=list)  # ids of the minors whose check failed


def sweep(now: datetime.datetime | None = None) -> SweepResult:
    """Evaluate every minor whose case is not finished: the rules that fire when time passes.

    One minor's failure is logged and the sweep goes on: the others must still be checked.
    """
    now = now or timezone.now()
    result = SweepResult()
    for accused in Accused.objects.filter(stage__in=ACTIVE).order_by("id").iterator():
        try:
            with transaction.atomic():
                result.found += len(evaluate(accused, now, by_clock=True))
        except Exception:
            logger.exception("check-deadlines failed for accused %s", accused.pk)
            result.failed.append(accused.pk)
    return result


@transaction.atomic(durable=True)
def view_violation(*, actor: User, pk: int) -> Violation:
    """Open a violation for reading (it names a minor and the case's facts): audited."""
    violation = (
        Violation.objects.visible_to(actor)
        .select_related("proceeding", "accused__juvenile", "responsible", "responsible_agency")
        .get(pk=pk)
    )
    record(actor=actor, action="violation.view", subject=violation.proceeding,
           details={"violation_id": violation.pk})  # fmt: skip
    return violation


def _for_prosecutor(actor: User, violation: Violation) -> Violation:
    require(actor, "safeguards.change_violation")
    if not actor.is_superuser and not actor.has_role(Role.PROSECUTOR):
        raise PermissionDenied(MESSAGE_NOT_ALLOWED)
    # The row lock keeps two prosecutors from answering the same violation at once.
    locked = (
        Violation.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .filter(pk=violation.pk)
        .first()
    )
    if locked is None:
        raise PermissionDenied(MESSAGE_NOT_VISIBLE)
    return locked


def _change(actor: User, violation: Violation, status: str, **fields: Any) -> Violation:
    old = violation.status
    violation.status = status
    violation.status_changed_at = timezone.now()
    violation.status_changed_by = actor
    for name, value in fields.items():
        setattr(violation, name, value)
    violation.full_clean()
    violation.save()
    record(
        actor=actor,
        action="violation.status",
        subject=violation.proceeding,
        changes={
            "status": (old, status),
            **{name: (None, value) for name, value in fields.items()},
        },
        details={"violation_id": violation.pk},
    )
    return violation


@transaction.atomic(durable=True)
def acknowledge(*, actor: User, violation: Violation) -> Violation:
    """The prosecutor has seen the violation."""
    violation = _for_prosecutor(actor, violation)
    if violation.status != Status.OPEN:
        raise ValidationError(MESSAGE_NOT_OPEN)
    return _change(actor, violation, Status.ACKNOWLEDGED)


@transaction.atomic(durable=True)
def remedy(*, actor: User, violation: Violation, note: str = "") -> Violation:
    """The violation was put right (the child released, the defender brought in)."""
    violation = _for_prosecutor(actor, violation)
    if violation.status not in UNRESOLVED:
        raise ValidationError(MESSAGE_NOT_UNRESOLVED)
    return _change(actor, violation, Status.REMEDIED, note=note.strip())


@transaction.atomic(durable=True)
def dispute(*, actor: User, violation: Violation, reason: str) -> Violation:
    """The record is wrong or the rule does not apply here; the reason is kept."""
    violation = _for_prosecutor(actor, violation)
    if violation.status not in UNRESOLVED:
        raise ValidationError(MESSAGE_NOT_UNRESOLVED)
    if not reason.strip():
        raise ValidationError({"reason": MESSAGE_REASON_REQUIRED})
    return _change(actor, violation, Status.DISPUTED, note=reason.strip())


@transaction.atomic(durable=True)
def issue_act(
    *, actor: User, violation: Violation, act_type: str, act_number: str, act_date: datetime.date
) -> Violation:
    """The prosecutor responded with an act of prosecutorial supervision."""
    violation = _for_prosecutor(actor, violation)
    if violation.status not in UNRESOLVED:
        raise ValidationError(MESSAGE_NOT_UNRESOLVED)
    errors = {}
    if act_type not in ActType.values:
        errors["act_type"] = MESSAGE_ACT_TYPE
    if not act_number.strip():
        errors["act_number"] = MESSAGE_ACT_NUMBER
    if act_date is None or act_date > timezone.localdate():
        errors["act_date"] = MESSAGE_ACT_DATE
    if errors:
        raise ValidationError(errors)
    return _change(
        actor, violation, Status.ACT_ISSUED, act_type=act_type, act_number=act_number.strip(),
        act_date=act_date,
    )  # fmt: skip
