"""Input and output schemas of the defence endpoints: consultations, roster, on-duty assignment."""

import datetime

from ninja import Schema
from pydantic import Field

from qorgau.accounts.models import User
from qorgau.api.checked import CheckedSchema
from qorgau.api.schemas import (
    STEP_VERSION_DESCRIPTION,
    AgencyRef,
    InputSchema,
    PageFilter,
    TerritoryRef,
)
from qorgau.defence.models import Duty, DutyShift


class MemberOut(Schema):
    id: int
    full_name: str
    position: str
    phone: str

    @staticmethod
    def resolve_full_name(obj: User) -> str:
        return obj.get_full_name() or obj.username


class ConsultationOut(Schema):
    id: int
    name: str
    region: TerritoryRef
    address: str
    phone: str
    lawyers: list[MemberOut]
    psychologists: list[MemberOut]
    interns: list[MemberOut] = Field(description="Psychology-student interns: never on duty alone.")


class ShiftOut(Schema):
    id: int
    consultation: AgencyRef
    member: MemberOut
    duty: Duty
    intern: MemberOut | None
    territory: TerritoryRef = Field(description="The region or city of republican significance.")
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    cancelled_at: datetime.datetime | None
    cancel_reason: str
    version: int = Field(description=STEP_VERSION_DESCRIPTION)

    @staticmethod
    def resolve_consultation(obj: DutyShift) -> dict[str, object]:
        return {"id": obj.consultation_id, "name": obj.consultation.name}


class GapOut(Schema):
    duty: Duty
    starts_at: datetime.datetime
    ends_at: datetime.datetime


class RosterOut(Schema):
    region: TerritoryRef
    week_start: datetime.date
    shifts: list[ShiftOut]
    gaps: list[GapOut] = Field(description="Hours of the week with nobody of a duty on duty.")


class RosterFilters(CheckedSchema):
    region: str | None = Field(None, description="KATO code of a region or city; default: yours.")
    week: datetime.date | None = Field(None, description="A day of the week wanted; default: now.")


class ShiftIn(InputSchema):
    consultation: int = Field(description="Id of the legal consultation.")
    member: int = Field(description="User id of the lawyer or social psychologist on duty.")
    duty: Duty
    starts_at: datetime.datetime = Field(description="With its UTC offset.")
    ends_at: datetime.datetime = Field(description="With its UTC offset.")
    territory: str | None = Field(None, description="KATO code; default: the consultation's.")
    intern: int | None = Field(None, description="User id of an intern (psychologist's shift).")


class CancelIn(InputSchema):
    reason: str


class OnDutyOut(Schema):
    region: TerritoryRef
    at: datetime.datetime
    defenders: list[ShiftOut]
    psychologists: list[ShiftOut]
    detained_at: datetime.datetime | None = Field(description="The minor's latest detention.")
    has_defender: bool
    has_psychologist: bool


class AssignIn(InputSchema):
    defender: int = Field(description="User id of a defender on duty now in the case's region.")
    psychologist: int | None = Field(None, description="User id of a psychologist on duty now.")
    state_paid: bool = Field(description="Whether the state pays the defence (CPC art. 68).")


class WithinOut(Schema):
    hours: int
    number: int
    share: float | None


class IntervalOut(Schema):
    count: int
    measured: int = Field(description="Assignments with this interval recorded.")
    median_minutes: float | None
    within: list[WithinOut]


class SummaryOut(Schema):
    label: str
    count: int
    state_paid: int
    state_paid_share: float | None
    to_assignment: IntervalOut
    to_defender: IntervalOut
    to_psychologist: IntervalOut


class AssignmentOut(Schema):
    id: int
    case: int
    accused: int
    region: TerritoryRef
    detained_at: datetime.datetime
    assigned_at: datetime.datetime
    defender: int = Field(description="Participant id of the defender.")
    psychologist: int | None = Field(description="Participant id of the psychologist.")
    state_paid: bool
    defender_arrived_at: datetime.datetime | None
    psychologist_arrived_at: datetime.datetime | None
    minutes_to_assignment: float
    minutes_to_defender: float | None
    minutes_to_psychologist: float | None


class ResponseTimesOut(Schema):
    start: datetime.date
    end: datetime.date
    targets: list[int] = Field(description="Target hours (policy, rules/kz.yaml).")
    total: SummaryOut
    by_region: list[SummaryOut]
    page: int
    pages: int = Field(description="Pages of `assignments`: the figures count them all.")
    assignments: list[AssignmentOut] = Field(
        description="One page of the period's assignments (25), newest first."
    )


class PeriodFilters(PageFilter):
    region: str | None = Field(None, description="KATO code of a region or city.")
    start: datetime.date | None = Field(None, description="Assigned on or after; default 90 days.")
    end: datetime.date | None = Field(None, description="Assigned on or before; default today.")
