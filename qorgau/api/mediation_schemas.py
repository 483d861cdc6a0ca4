"""Shapes of the mediation endpoints: what a client sends and what it gets back."""

import datetime
from decimal import Decimal

from ninja import Schema
from pydantic import Field

from qorgau.api.enums import MediationStatus
from qorgau.api.schemas import STEP_VERSION_DESCRIPTION, InputSchema
from qorgau.mediation.models import (
    ApologyForm,
    PaymentMethod,
    SessionKind,
    Side,
    Source,
)


class ReferIn(InputSchema):
    accused: int = Field(description="Id of the accused minor's track in the case.")
    victim: int = Field(description="Id of a participant of the case recorded as a victim.")
    source: Source = Field(description="Who asked for the mediation.")
    mediator: int = Field(description="User id of an active social psychologist.")
    referred_at: datetime.datetime = Field(description="With its offset from UTC.")
    professional_name: str = ""
    professional_registry_number: str = ""
    condition_confirmed: bool = Field(
        False,
        description="The referrer confirms the condition the law sets for the charge's gravity "
        "(GET /api/mediation-rules): no death; for a grave crime, the minor's first.",
    )


class ConsentIn(InputSchema):
    side: Side
    given: bool = Field(description="false records a refusal, which ends the mediation.")
    at: datetime.datetime
    representative: int | None = Field(
        None, description="For the minor's side: id of the legal representative participant."
    )
    victim_representative: str = Field("", description="Required when the victim is a minor.")
    reason: str = Field("", description="Never required.")


class WithdrawIn(InputSchema):
    side: Side
    at: datetime.datetime
    reason: str = Field("", description="Never required: nobody may be compelled to mediate.")


class SessionIn(InputSchema):
    kind: SessionKind
    held_at: datetime.datetime
    duration_minutes: int
    present: str
    notes: str = Field("", description="Confidential to the mediator's agency.")


class InstalmentIn(InputSchema):
    due_on: datetime.date
    amount: Decimal


class AgreementIn(InputSchema):
    signed_on: datetime.date
    apology: ApologyForm = Field(description='"" for no apology.')
    compensation: Decimal = Field(description="Tenge; 0 for no money compensation.")
    instalments: list[InstalmentIn] = Field(description="Must add up to the compensation.")
    undertakings: str = ""
    deadline: datetime.date


class PaymentIn(InputSchema):
    paid_on: datetime.date
    amount: Decimal
    method: PaymentMethod


class PersonOut(Schema):
    id: int
    name: str


class SessionOut(Schema):
    id: int
    kind: SessionKind
    held_at: datetime.datetime
    duration_minutes: int
    present: str
    notes: str | None = Field(description="null unless the caller is of the mediator's agency.")


class InstalmentOut(Schema):
    due_on: datetime.date
    amount: Decimal
    due_so_far: Decimal
    state: str = Field(description="paid, partly_paid, overdue or due.")


class PaymentOut(Schema):
    id: int
    paid_on: datetime.date
    amount: Decimal
    method: PaymentMethod


class AgreementOut(Schema):
    signed_on: datetime.date
    apology: ApologyForm
    compensation: Decimal
    paid: Decimal
    outstanding: Decimal
    undertakings: str
    undertakings_done_on: datetime.date | None
    deadline: datetime.date
    schedule: list[InstalmentOut]
    payments: list[PaymentOut]
    version: int = Field(description=STEP_VERSION_DESCRIPTION)


class MediationOut(Schema):
    id: int
    case: int
    accused: int
    victim: PersonOut
    source: Source
    status: MediationStatus
    referred_at: datetime.datetime
    referred_by: PersonOut
    mediator: PersonOut
    professional_name: str
    professional_registry_number: str
    gravity: str
    legal_basis: str
    accused_consent_at: datetime.datetime | None
    accused_representative: PersonOut | None
    victim_consent_at: datetime.datetime | None
    victim_representative: str
    ended_at: datetime.datetime | None
    ended_side: Side | None
    ended_reason: str
    termination: int | None = Field(description="Id of the termination event it led to.")
    sessions: list[SessionOut]
    agreement: AgreementOut | None
    version: int = Field(description=STEP_VERSION_DESCRIPTION)
