"""The court social worker's report, and the judgment or decision that ends the case."""

import contextvars
import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from qorgau.accounts.access import require
from qorgau.accounts.models import User
from qorgau.audit.services import record
from qorgau.courts.models import (
    ADMINISTRATIVE_DECISIONS,
    CIVIL_DECISIONS,
    CaseKind,
    CourtCase,
    Decision,
    HearingStatus,
    SocialWorkerReport,
)
from qorgau.courts.rulebook import court_book
from qorgau.courts.services.common import (
    MESSAGE_ALTERNATIVES,
    MESSAGE_BEFORE_HEARD,
    MESSAGE_DECISION,
    MESSAGE_FAMILY,
    MESSAGE_FINE,
    MESSAGE_FOLLOWED,
    MESSAGE_FUTURE,
    MESSAGE_NO_HEARING,
    MESSAGE_NO_PENALTY,
    MESSAGE_NO_REPORT_TO_FOLLOW,
    MESSAGE_NOT_SOCIAL_WORKER,
    MESSAGE_PENALTY,
    MESSAGE_REPORT_AFTER,
    MESSAGE_REPORT_EXISTS,
    active,
    case_for_judge,
    is_social_worker_of,
    require_undecided,
)
from qorgau.proceedings.models import EventKind, ProceduralEvent
from qorgau.proceedings.services.common import CLOCK_TOLERANCE, local
from qorgau.proceedings.services.events import record_event_within
from qorgau.support.models.assessment import Assessment

# The case whose judgment the court's own service is recording: the event's handler leaves it.
_RECORDING: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "courts_recording_judgment", default=None
)


def _latest_assessment(case: CourtCase) -> Assessment | None:
    return (
        Assessment.objects.completed()
        .filter(juvenile_id=case.juvenile_id)
        .order_by("-completed_at", "-id")
        .first()
    )


@transaction.atomic(durable=True)
def file_report(
    *,
    actor: User,
    case: CourtCase,
    family_situation: str,
    alternatives: str,
    recommendation: str = "",
) -> SocialWorkerReport:
    """File the court social worker's report before the judgment: the family, the risk level
    of the child's latest assessment, the alternatives to custody it proposes."""
    active(actor)
    require(actor, "courts.add_socialworkerreport")
    # Lock the case: a report must not slip in beside the judgment being recorded.
    locked = CourtCase.objects.select_for_update(of=("self",)).filter(pk=case.pk).first()
    if locked is None or not is_social_worker_of(actor, locked.court_id):
        raise PermissionDenied(MESSAGE_NOT_SOCIAL_WORKER)
    if locked.is_decided:
        raise ValidationError(MESSAGE_REPORT_AFTER)
    if SocialWorkerReport.objects.filter(case=locked).exists():
        raise ValidationError(MESSAGE_REPORT_EXISTS)
    errors = {}
    if not family_situation.strip():
        errors["family_situation"] = MESSAGE_FAMILY
    if not alternatives.strip():
        errors["alternatives"] = MESSAGE_ALTERNATIVES
    if errors:
        raise ValidationError(errors)
    assessment = _latest_assessment(locked)
    report = SocialWorkerReport(
        case=locked,
        author=actor,
        filed_at=timezone.now(),
        family_situation=family_situation.strip(),
        assessment=assessment,
        risk_to_society=assessment.society_level if assessment else "",
        risk_to_child=assessment.child_level if assessment else "",
        alternatives=alternatives.strip(),
        recommendation=recommendation.strip(),
    )
    report.full_clean()
    report.save()
    record(
        actor=actor,
        action="court.report",
        subject=locked,
        changes={"report": (None, report.pk), "risk_to_society": ("", report.risk_to_society)},
        details={"assessment_id": assessment.pk if assessment else None},
    )
    return report


def _first_held(case: CourtCase) -> datetime.datetime:
    held = (
        case.hearings.filter(status=HearingStatus.HELD)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    if held is None:
        raise ValidationError(MESSAGE_NO_HEARING)
    return held


def _check_followed(case: CourtCase, followed: bool | None) -> bool | None:
    has_report = SocialWorkerReport.objects.filter(case=case).exists()
    if has_report and followed is None:
        raise ValidationError({"report_followed": MESSAGE_FOLLOWED})
    if not has_report and followed is not None:
        raise ValidationError({"report_followed": MESSAGE_NO_REPORT_TO_FOLLOW})
    return followed


def _check_other_outcome(
    case: CourtCase, decision: str, penalty: str, fine_amount: Decimal | None, day: datetime.date
) -> None:
    allowed = ADMINISTRATIVE_DECISIONS if case.kind == CaseKind.ADMINISTRATIVE else CIVIL_DECISIONS
    if decision not in allowed:
        raise ValidationError({"decision": MESSAGE_DECISION})
    if case.kind == CaseKind.CIVIL or decision != Decision.PENALTY:
        if penalty or fine_amount:
            raise ValidationError({"penalty": MESSAGE_NO_PENALTY})
        return
    rule = court_book().penalty(penalty, day)
    if rule is None:
        raise ValidationError({"penalty": MESSAGE_PENALTY})
    if rule["fine"] and not fine_amount:
        raise ValidationError({"fine_amount": MESSAGE_FINE})
    if not rule["fine"] and fine_amount:
        raise ValidationError({"fine_amount": MESSAGE_NO_PENALTY})


@transaction.atomic(durable=True)
def record_judgment(
    *,
    actor: User,
    case: CourtCase,
    decided_at: datetime.datetime,
    report_followed: bool | None = None,
    decision: str = "",
    penalty: str = "",
    fine_amount: Decimal | None = None,
    notes: str = "",
    **judgment: Any,
) -> CourtCase:
    """End the case. A criminal judgment is recorded once, as the proceeding's JUDGMENT event
    (verdict, punishment, term, conditional, deferred …), and the case points at it; an
    administrative or civil case records its decision here. Needs a hearing held."""
    case = case_for_judge(actor, case)
    require_undecided(case)
    if decided_at > timezone.now() + CLOCK_TOLERANCE:
        raise ValidationError({"decided_at": MESSAGE_FUTURE})
    held = _first_held(case)
    if decided_at < held:
        raise ValidationError({"decided_at": MESSAGE_BEFORE_HEARD % {"held": local(held)}})
    followed = _check_followed(case, report_followed)
    changes: dict[str, tuple[Any, Any]] = {"decided_at": (None, local(decided_at))}
    if case.kind == CaseKind.CRIMINAL:
        assert case.accused is not None
        token = _RECORDING.set(case.pk)
        try:
            event = record_event_within(
                actor=actor,
                accused=case.accused,
                kind=EventKind.JUDGMENT,
                started_at=decided_at,
                notes=notes,
                **judgment,
            )
        finally:
            _RECORDING.reset(token)
        case.judgment = event
        changes["judgment"] = (None, event.pk)
        changes["verdict"] = (None, event.verdict)
    else:
        _check_other_outcome(case, decision, penalty, fine_amount, timezone.localdate(decided_at))
        case.decision, case.penalty, case.fine_amount = decision, penalty, fine_amount
        case.outcome_notes = notes.strip()
        changes["decision"] = ("", decision)
        if penalty:
            changes["penalty"] = ("", penalty)
    case.decided_at = decided_at
    case.decided_by = actor
    case.report_followed = followed
    if followed is not None:
        changes["report_followed"] = (None, followed)
    case.full_clean()
    case.save()
    record(actor=actor, action="court.judgment", subject=case, changes=changes,
           details={"kind": case.kind})  # fmt: skip
    return case


def link_judgment(*, event: ProceduralEvent, actor: User) -> CourtCase | None:
    """Inside the event's transaction: a judgment recorded on the proceeding's own page
    becomes the outcome of the minor's court case, so it is recorded once and shown on both.

    The court's own path (`record_judgment`) links it itself and refuses a judgment with no
    hearing held; this one links what the proceeding recorded.
    """
    if event.kind != EventKind.JUDGMENT:
        return None
    case = CourtCase.objects.select_for_update().filter(accused_id=event.accused_id).first()
    if case is None or _RECORDING.get() == case.pk or case.judgment_id == event.pk:
        return None
    case.judgment = event
    case.decided_at = event.started_at
    case.decided_by = actor
    case.save(update_fields=["judgment", "decided_at", "decided_by", "updated_at"])
    record(
        actor=actor,
        action="court.judgment",
        subject=case,
        changes={"judgment": (None, event.pk), "decided_at": (None, local(event.started_at))},
        details={"kind": case.kind, "from_proceeding": True},
    )
    return case
