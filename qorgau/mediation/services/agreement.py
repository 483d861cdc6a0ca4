"""The agreement, its compensation schedule, payments, undertakings and failure."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from qorgau.accounts.models import User
from qorgau.audit.services import record
from qorgau.mediation.models import (
    ACTIVE,
    ZERO,
    Agreement,
    ApologyForm,
    Instalment,
    Mediation,
    Payment,
    PaymentMethod,
    SessionKind,
    Status,
)
from qorgau.mediation.services.common import (
    MESSAGE_AMOUNT,
    MESSAGE_CHOICE,
    MESSAGE_DAY_BEFORE_SIGNING,
    MESSAGE_DEADLINE,
    MESSAGE_FUTURE_DAY,
    MESSAGE_INSTALMENT_AMOUNT,
    MESSAGE_INSTALMENT_DAY,
    MESSAGE_NO_AGREEMENT,
    MESSAGE_NO_JOINT,
    MESSAGE_NO_UNDERTAKINGS,
    MESSAGE_OVERPAID,
    MESSAGE_PAYMENT_AMOUNT,
    MESSAGE_REASON,
    MESSAGE_SCHEDULE_OVER,
    MESSAGE_SCHEDULE_SHORT,
    MESSAGE_UNDERTAKINGS_DONE,
    _check_day,
    _check_moment,
    _day,
    _end,
    _now_day,
    _require_mediator,
    _require_status,
    tenge,
)

# Agreement


def check_schedule(
    *,
    compensation: Decimal,
    instalments: list[tuple[datetime.date, Decimal]],
    signed_on: datetime.date,
    deadline: datetime.date,
) -> None:
    """The schedule must add up to the compensation, each instalment due within the term."""
    for due_on, amount in instalments:
        if amount is None or amount <= 0:
            raise ValidationError({"instalments": MESSAGE_INSTALMENT_AMOUNT})
        if due_on < signed_on or due_on > deadline:
            days = {"signed": _day(signed_on), "deadline": _day(deadline)}
            raise ValidationError({"instalments": MESSAGE_INSTALMENT_DAY % days})
    total = sum((amount for _day_, amount in instalments), ZERO)
    if total != compensation:
        message = MESSAGE_SCHEDULE_SHORT if total < compensation else MESSAGE_SCHEDULE_OVER
        values: dict[str, str] = {
            "total": tenge(total),
            "difference": tenge(abs(compensation - total)),
            "amount": tenge(compensation),
        }
        raise ValidationError({"instalments": message % values})


def _settle(
    mediation: Mediation, agreement: Agreement, changes: dict[str, tuple[Any, Any]]
) -> None:
    """Fulfilled once the compensation is paid in full and the undertakings are done."""
    if mediation.status == Status.AGREEMENT and agreement.is_fulfilled:
        changes["status"] = (mediation.status, Status.FULFILLED)
        mediation.status = Status.FULFILLED
        mediation.save(update_fields=["status", "updated_at"])


@transaction.atomic(durable=True)
def sign_agreement(
    *,
    actor: User,
    mediation: Mediation,
    signed_on: datetime.date,
    apology: str,
    compensation: Decimal,
    instalments: list[tuple[datetime.date, Decimal]],
    undertakings: str,
    deadline: datetime.date,
) -> Agreement:
    """The agreement reached at the joint meeting; nothing is written if the schedule is wrong."""
    mediation = _require_mediator(actor, mediation)
    _require_status(mediation, (Status.CONSENTED, Status.SESSIONS))
    if not mediation.sessions.filter(kind=SessionKind.JOINT).exists():
        raise ValidationError(MESSAGE_NO_JOINT)
    if apology not in ApologyForm.values:
        raise ValidationError({"apology": MESSAGE_CHOICE})
    _check_day(mediation, signed_on, "signed_on")
    if deadline < signed_on:
        raise ValidationError({"deadline": MESSAGE_DEADLINE})
    if compensation is None or compensation < 0:
        raise ValidationError({"compensation": MESSAGE_AMOUNT})
    instalments = sorted(instalments)
    check_schedule(
        compensation=compensation, instalments=instalments, signed_on=signed_on, deadline=deadline
    )
    agreement = Agreement(
        mediation=mediation,
        signed_on=signed_on,
        apology=apology,
        compensation=compensation,
        undertakings=undertakings.strip(),
        deadline=deadline,
        recorded_by=actor,
    )
    agreement.full_clean()
    agreement.save()
    for due_on, amount in instalments:
        row = Instalment(agreement=agreement, due_on=due_on, amount=amount)
        row.full_clean()
        row.save()
    changes: dict[str, tuple[Any, Any]] = {
        "status": (mediation.status, Status.AGREEMENT),
        "signed_on": (None, signed_on.isoformat()),
        "compensation": (None, str(compensation)),
        "instalments": (None, len(instalments)),
        "deadline": (None, deadline.isoformat()),
    }
    mediation.status = Status.AGREEMENT
    mediation.save(update_fields=["status", "updated_at"])
    _settle(mediation, agreement, changes)
    record(actor=actor, action="mediation.agreement", subject=mediation, changes=changes,
           details={"agreement_id": agreement.pk})  # fmt: skip
    return agreement


def _signed_agreement(mediation: Mediation) -> Agreement:
    _require_status(mediation, (Status.AGREEMENT,))
    agreement = Agreement.objects.filter(mediation=mediation).first()
    if agreement is None:
        raise ValidationError(MESSAGE_NO_AGREEMENT)
    return agreement


@transaction.atomic(durable=True)
def record_payment(
    *, actor: User, mediation: Mediation, paid_on: datetime.date, amount: Decimal, method: str
) -> Payment:
    """A payment of compensation; never more than what is outstanding."""
    mediation = _require_mediator(actor, mediation)
    agreement = _signed_agreement(mediation)
    if method not in PaymentMethod.values:
        raise ValidationError({"method": MESSAGE_CHOICE})
    if paid_on > _now_day():
        raise ValidationError({"paid_on": MESSAGE_FUTURE_DAY})
    if paid_on < agreement.signed_on:
        raise ValidationError(
            {"paid_on": MESSAGE_DAY_BEFORE_SIGNING % {"signed": _day(agreement.signed_on)}}
        )
    if amount is None or amount <= 0:
        raise ValidationError({"amount": MESSAGE_PAYMENT_AMOUNT})
    outstanding = agreement.outstanding
    if amount > outstanding:
        raise ValidationError({"amount": MESSAGE_OVERPAID % {"outstanding": tenge(outstanding)}})
    payment = Payment(
        agreement=agreement, paid_on=paid_on, amount=amount, method=method, recorded_by=actor
    )
    payment.full_clean()
    payment.save()
    changes: dict[str, tuple[Any, Any]] = {
        "paid": (str(outstanding), str(agreement.outstanding)),
    }
    _settle(mediation, agreement, changes)
    details = {"payment_id": payment.pk, "amount": str(amount), "paid_on": paid_on.isoformat()}
    record(actor=actor, action="mediation.payment", subject=mediation, changes=changes,
           details=details)  # fmt: skip
    return payment


@transaction.atomic(durable=True)
def confirm_undertakings(*, actor: User, mediation: Mediation, done_on: datetime.date) -> Agreement:
    """The undertakings besides compensation are done."""
    mediation = _require_mediator(actor, mediation)
    agreement = _signed_agreement(mediation)
    if not agreement.undertakings:
        raise ValidationError(MESSAGE_NO_UNDERTAKINGS)
    if agreement.undertakings_done_on is not None:
        raise ValidationError(MESSAGE_UNDERTAKINGS_DONE)
    if done_on > _now_day():
        raise ValidationError({"done_on": MESSAGE_FUTURE_DAY})
    if done_on < agreement.signed_on:
        raise ValidationError(
            {"done_on": MESSAGE_DAY_BEFORE_SIGNING % {"signed": _day(agreement.signed_on)}}
        )
    agreement.undertakings_done_on = done_on
    agreement.save(update_fields=["undertakings_done_on"])
    changes: dict[str, tuple[Any, Any]] = {"undertakings_done_on": (None, done_on.isoformat())}
    _settle(mediation, agreement, changes)
    record(actor=actor, action="mediation.undertakings", subject=mediation, changes=changes)
    return agreement


@transaction.atomic(durable=True)
def record_failure(
    *, actor: User, mediation: Mediation, at: datetime.datetime, reason: str
) -> Mediation:
    """The mediation ended without reconciliation, or the agreement was not fulfilled.

    This must not worsen the minor's position: the record says so where it is shown.
    """
    mediation = _require_mediator(actor, mediation)
    _require_status(mediation, ACTIVE)
    if not reason.strip():
        raise ValidationError({"reason": MESSAGE_REASON})
    _check_moment(mediation, at, "at")
    changes = _end(mediation, Status.FAILED, "", at, reason)
    mediation.full_clean()
    mediation.save()
    record(actor=actor, action="mediation.fail", subject=mediation, changes=changes)
    return mediation
