"""Shapes of the probation endpoints: what a client sends and what it gets back.

Codes are plain strings (named in each description): the OpenAPI schema names an enumeration
after its class, and `Status` and `Response` are taken (api/enums.py).
"""

import datetime

from ninja import Schema
from pydantic import Field

from qorgau.api.schemas import InputSchema


class RegisterIn(InputSchema):
    registered_on: datetime.date = Field(description="The day the minor reported.")
    inspector: int | None = Field(
        None, description="User id of an inspector of the service; the caller by default."
    )
    deferral_ground: str = Field(
        "", description="For a deferred sentence: pregnancy, young_child or other (rule file)."
    )


class PlanIn(InputSchema):
    report_every_days: int = Field(description="From 1 to 90.")
    first_check_in_on: datetime.date
    obligations: str = ""
    work_hours: int | None = Field(
        None, description="Hours of community or correctional work; required for community works."
    )


class CheckInIn(InputSchema):
    due_on: datetime.date
    attendance: str = Field(description="attended, missed or excused.")
    reason: str = Field("", description="Required when excused.")
    notes: str = ""


class BreachIn(InputSchema):
    occurred_on: datetime.date
    description: str
    response: str = Field(description="warning or submission (to the court).")


class HoursIn(InputSchema):
    worked_on: datetime.date
    hours: int = Field(description="More than 0; never beyond the hours left of the sentence.")
    place: str = ""


class EndIn(InputSchema):
    ended_on: datetime.date = Field(description="Not before the supervision began.")
    reason: str = Field(description="served, early_release, revoked or new_offence.")
    notes: str = ""
    new_proceeding: int | None = Field(
        None, description="For new_offence: id of the case of the new offence, same minor."
    )


class PersonRef(Schema):
    id: int
    name: str


class CheckInOut(Schema):
    id: int
    due_on: datetime.date
    attendance: str
    reason: str
    notes: str


class BreachOut(Schema):
    id: int
    occurred_on: datetime.date
    description: str
    response: str


class WorkOut(Schema):
    id: int
    worked_on: datetime.date
    hours: int
    place: str


class ReminderOut(Schema):
    kind: str = Field(description="not_reported, check_in_overdue or check_in_missed.")
    due_on: datetime.date


class SupervisionOut(Schema):
    id: int
    case: int
    accused: int
    juvenile: PersonRef
    agency: PersonRef
    inspector: PersonRef | None
    basis: str = Field(description="punishment, conditional or deferred.")
    punishment: str
    term_months: int
    deferral_ground: str
    changed_on_appeal: bool
    starts_on: datetime.date
    ends_on: datetime.date
    report_by: datetime.date = Field(description="The report deadline (rule file, CPC art. 398).")
    status: str = Field(description="awaiting, active or ended.")
    registered_on: datetime.date | None
    report_every_days: int | None
    next_check_in_on: datetime.date | None
    obligations: str
    work_hours: int | None
    hours_worked: int
    ended_on: datetime.date | None
    end_reason: str
    new_proceeding: int | None


class SupervisionDetailOut(SupervisionOut):
    check_ins: list[CheckInOut]
    breaches: list[BreachOut]
    work: list[WorkOut]
    reminders: list[ReminderOut] = Field(description="Open reminders.")


class ReleaseIn(InputSchema):
    juvenile: int = Field(description="Id of the juvenile's record.")
    accused: int | None = Field(None, description="Id of the minor's track the placement was for.")
    institution: str
    institution_kind: str = Field(
        description="educational_colony, medium_security or special_regime."
    )
    released_on: datetime.date
    basis: str = Field(description="A code of `release_bases` in GET /api/probation-rules.")
    areas: dict[str, str] = Field(
        description="What the minor needs, by area: housing, study, employment, family, health."
    )


class FollowUpIn(InputSchema):
    done_on: datetime.date
    outcome: str = Field(description="settled, difficulties, lost_contact or reoffended.")
    notes: str = ""


class FollowUpOut(Schema):
    id: int
    release: int
    juvenile: PersonRef
    months: int
    due_on: datetime.date
    done_on: datetime.date | None
    outcome: str
    notes: str


class NeedOut(Schema):
    kind: str
    description: str


class ReleaseOut(Schema):
    id: int
    juvenile: PersonRef
    accused: int | None
    institution: str
    institution_kind: str
    released_on: datetime.date
    basis: str
    legal_basis: str
    agency: PersonRef
    plan: int = Field(description="Id of the support plan (GET /api/plans/{id}).")
    needs: list[NeedOut]
    follow_ups: list[FollowUpOut]
    reoffending_cases: list[int] = Field(
        description="Ids of the minor's cases for an offence within the window after release."
    )
