"""Shapes of the court endpoints: what a client sends and what it gets back."""

import datetime
from decimal import Decimal
from typing import Any

from ninja import Schema
from pydantic import Field

from qorgau.api.schemas import STEP_VERSION_DESCRIPTION, InputSchema
from qorgau.courts.models import (
    CaseKind,
    CivilMatter,
    Decision,
    HearingStatus,
    PartyRole,
    SummonedAs,
    SummonsMethod,
)


class PersonRef(Schema):
    id: int
    name: str


class PartyOut(Schema):
    role: PartyRole
    name: str
    agency: int | None


class SummonsOut(Schema):
    id: int
    summoned_as: SummonedAs
    name: str
    participant: int | None
    method: SummonsMethod
    sent_on: datetime.date
    present: bool | None = Field(description="null until presence is recorded.")


class BreachOut(Schema):
    rule: str = Field(description="The safeguard rule's id (GET /api/safeguard-rules).")
    text: str
    citation: str


class HearingOut(Schema):
    id: int
    case: int
    case_number: str
    courtroom: PersonRef
    judge: PersonRef
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    status: HearingStatus
    adjournment_reason: str
    next_hearing: int | None
    summonses: list[SummonsOut]
    safeguards_breached: list[BreachOut] = Field(
        description="The presence rules (as at an interrogation) the hearing breached."
    )


class ReportOut(Schema):
    author: PersonRef
    filed_at: datetime.datetime
    family_situation: str
    risk_to_society: str
    risk_to_child: str
    assessment: int | None
    alternatives: str
    recommendation: str


class JudgmentOut(Schema):
    event: int = Field(description="The proceeding's JUDGMENT event: the judgment itself.")
    verdict: str
    punishment: str
    term_months: int | None
    fine_amount: Decimal | None
    conditional: bool
    probation_months: int | None
    deferred: bool
    deferral_months: int | None


class CourtCaseOut(Schema):
    id: int
    kind: CaseKind
    number: str
    court: PersonRef
    judge: PersonRef | None
    juvenile: PersonRef
    received_at: datetime.datetime
    proceeding: int | None
    accused: int | None
    article: str
    matter: str
    foreign_adoption: bool
    summary: str
    parties: list[PartyOut]
    hearings: list[HearingOut]
    report: ReportOut | None
    judgment: JudgmentOut | None
    decision: str
    penalty: str
    fine_amount: Decimal | None
    decided_at: datetime.datetime | None
    report_followed: bool | None
    days_to_judgment: int = Field(
        description="Days from the court's receipt to the judgment (to now while undecided)."
    )
    version: int = Field(description=STEP_VERSION_DESCRIPTION)


class CourtCaseRow(Schema):
    id: int
    kind: CaseKind
    number: str
    juvenile: PersonRef
    judge: PersonRef | None
    received_at: datetime.datetime
    decided_at: datetime.datetime | None


class CourtCasePage(Schema):
    count: int
    more: bool
    page: int
    pages: int
    results: list[CourtCaseRow]


class PartyIn(InputSchema):
    role: PartyRole
    full_name: str = ""
    agency: int | None = Field(
        None, description="Id of an agency that is a party: its staff see the case."
    )


class RegisterIn(InputSchema):
    kind: CaseKind = Field(
        description="administrative or civil (criminal cases come from the proceeding)."
    )
    juvenile: int | None = Field(description="Id of the child the case concerns: required.")
    received_at: datetime.datetime
    judge: int | None = None
    article: str = Field("", description="Administrative: an article code of GET /api/court-rules.")
    matter: CivilMatter | None = None
    foreign_adoption: bool = False
    summary: str = ""
    parties: list[PartyIn] = []


class ScheduleIn(InputSchema):
    courtroom: int
    starts_at: datetime.datetime
    minutes: int = Field(description="Length of the hearing, 10 to 600 minutes.")
    judge: int | None = Field(
        None, description="A judge of the court; the case's judge if omitted."
    )


class AdjournIn(InputSchema):
    reason: str
    next_starts_at: datetime.datetime | None = None
    next_minutes: int | None = None


class SummonIn(InputSchema):
    summoned_as: SummonedAs
    full_name: str = ""
    participant: int | None = Field(
        None, description="Criminal cases: a participant of the proceeding."
    )
    method: SummonsMethod
    sent_on: datetime.date


class PresenceIn(InputSchema):
    present: dict[int, bool] = Field(description="Summons id → whether the person came.")


class ReportIn(InputSchema):
    family_situation: str
    alternatives: str
    recommendation: str = ""


class JudgmentIn(InputSchema):
    decided_at: datetime.datetime
    report_followed: bool | None = Field(
        None, description="Required when a social worker's report is filed, otherwise omitted."
    )
    notes: str = ""
    # Criminal: the proceeding's judgment fields.
    verdict: str = ""
    punishment: str = ""
    term_months: int | None = None
    fine_amount: Decimal | None = None
    conditional: bool = False
    probation_months: int | None = None
    deferred: bool = False
    deferral_months: int | None = None
    # Administrative and civil.
    decision: Decision | None = None
    penalty: str = ""

    def criminal(self) -> dict[str, Any]:
        return {
            name: getattr(self, name)
            for name in (
                "verdict", "punishment", "term_months", "fine_amount", "conditional",
                "probation_months", "deferred", "deferral_months",
            )
            if getattr(self, name) not in (None, "", False)
        }  # fmt: skip
