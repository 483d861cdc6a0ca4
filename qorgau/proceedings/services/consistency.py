"""Steps that contradict the record: refused, with the field named and nothing written.

Only what is certainly wrong is refused here: an approval dated before the decision it
approves, a release before its detention, two interrogations of the same minor at once, a
decision before the case was registered. (A step before the offence or in the future is
refused with the times, services/common.py; a minor born after the offence is never added to
a case, so no step is ever before the minor's birth.) What may be true
but shows a bad practice (a defender listed at an interrogation they reached late) is not
refused: the record says what happened and the safeguards flag it.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.models import Role
from qorgau.proceedings import policy
from qorgau.proceedings.legal_rules import rule_book
from qorgau.proceedings.models import Accused, EventKind, ProceduralEvent, Proceeding
from qorgau.proceedings.services.common import local

K = EventKind
MESSAGE_BEFORE_DECISION = _(
    "The approval cannot be dated before the decision it approves (%(step)s, %(time)s)."
)
MESSAGE_BEFORE_PREVIOUS = _(
    "This step cannot be dated before the step it follows (%(step)s, %(time)s)."
)
MESSAGE_COURT_BEFORE_REFERRAL = _(
    "The court cannot act before the case was referred to it (%(time)s)."
)
MESSAGE_RELEASE_BEFORE_DETENTION = _(
    "The release cannot be dated before the detention or custody it ends (%(time)s)."
)
MESSAGE_DETENTION_AFTER_RELEASE = _(
    "A release is recorded at %(time)s with nothing before it to release from: date this "
    "detention before that release."
)
MESSAGE_OVERLAP = _(
    "Another interrogation of this minor is recorded from %(start)s to %(end)s: interrogations "
    "of one minor cannot overlap."
)
MESSAGE_BEFORE_REGISTRATION = _(
    "A decision cannot be dated before the case was registered (%(date)s)."
)

# The step each decision follows; it cannot be dated before the latest of them.
APPROVES = {K.TERMINATION_APPROVED: K.TERMINATION, K.INDICTMENT_APPROVED: K.INDICTMENT}
FOLLOWS = {
    K.JUDGMENT: (K.INDICTMENT_APPROVED, K.APPEAL_DECISION),
    K.APPEAL: (K.JUDGMENT,),
    K.APPEAL_DECISION: (K.APPEAL,),
    K.JUDGMENT_IN_FORCE: (K.JUDGMENT,),
    K.CLOSED: (K.JUDGMENT_IN_FORCE, K.APPEAL_DECISION),
}


def _latest(accused: Accused, *kinds: str) -> ProceduralEvent | None:
    """The step of these kinds recorded last: the one the stage machine moved on from."""
    return accused.events.filter(kind__in=kinds).order_by("-id").first()


def _refuse(message: str) -> None:
    raise ValidationError({"started_at": message})


def _check_order(accused: Accused, kind: str, started_at: datetime.datetime, role: str) -> None:
    if kind in APPROVES:
        decision = _latest(accused, APPROVES[K(kind)])
        if decision is not None and started_at < decision.started_at:
            _refuse(
                MESSAGE_BEFORE_DECISION
                % {"step": decision.get_kind_display(), "time": local(decision.started_at)}
            )
    if kind in FOLLOWS:
        previous = _latest(accused, *FOLLOWS[K(kind)])
        if previous is not None and started_at < previous.started_at:
            _refuse(
                MESSAGE_BEFORE_PREVIOUS
                % {"step": previous.get_kind_display(), "time": local(previous.started_at)}
            )
    if role == Role.JUDGE:
        referral = _latest(accused, K.INDICTMENT_APPROVED)
        if referral is not None and started_at < referral.started_at:
            _refuse(MESSAGE_COURT_BEFORE_REFERRAL % {"time": local(referral.started_at)})


def _holds(event: ProceduralEvent) -> bool:
    """A detention, or a measure that keeps the minor held (custody, house arrest)."""
    if event.kind == K.DETENTION:
        return True
    if event.kind != K.PREVENTIVE_MEASURE:
        return False
    rule = rule_book().get("preventive_measures", event.measure)
    return bool(rule is not None and rule.attributes.get("custodial"))


def _check_release(accused: Accused, kind: str, started_at: datetime.datetime) -> None:
    """A release ends a detention or custody recorded before it, never one after it."""
    steps = list(
        accused.events.filter(kind__in=(K.DETENTION, K.PREVENTIVE_MEASURE, K.RELEASE)).order_by(
            "started_at", "id"
        )
    )
    if kind == K.RELEASE:
        held_before = any(_holds(e) and e.started_at <= started_at for e in steps)
        held_after = [e for e in steps if _holds(e) and e.started_at > started_at]
        if not held_before and held_after:
            _refuse(MESSAGE_RELEASE_BEFORE_DETENTION % {"time": local(held_after[0].started_at)})
    elif kind == K.DETENTION:
        # A release with nothing held before it, that this detention would come after.
        for release in (e for e in steps if e.kind == K.RELEASE and e.started_at < started_at):
            if not any(_holds(e) and e.started_at <= release.started_at for e in steps):
                _refuse(MESSAGE_DETENTION_AFTER_RELEASE % {"time": local(release.started_at)})


def _check_overlap(
    accused: Accused, kind: str, started_at: datetime.datetime, ended_at: datetime.datetime | None
) -> None:
    if kind != K.INTERROGATION or ended_at is None:
        return
    other = (
        accused.events.filter(
            kind=K.INTERROGATION, started_at__lt=ended_at, ended_at__gt=started_at
        )
        .order_by("started_at")
        .first()
    )
    if other is not None and other.ended_at is not None:
        _refuse(MESSAGE_OVERLAP % {"start": local(other.started_at), "end": local(other.ended_at)})


def _check_dates(case: Proceeding, kind: str, day: datetime.date) -> None:
    # Urgent steps (a detention, an interrogation) may come before the registration; a
    # decision on the case may not.
    if kind not in policy.INVESTIGATIVE and day < case.registered_on:
        registered = formats.date_format(case.registered_on, "SHORT_DATE_FORMAT")
        _refuse(MESSAGE_BEFORE_REGISTRATION % {"date": registered})


def check_consistency(
    *,
    case: Proceeding,
    accused: Accused,
    kind: str,
    role: str,
    started_at: datetime.datetime,
    ended_at: datetime.datetime | None,
) -> None:
    """Refuse a step the record already contradicts (ValidationError on `started_at`)."""
    _check_dates(case, kind, timezone.localdate(started_at))
    _check_order(accused, kind, started_at, role)
    _check_release(accused, kind, started_at)
    _check_overlap(accused, kind, started_at, ended_at)
