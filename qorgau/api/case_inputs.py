"""Input schemas of the criminal-case endpoints (re-exported by case_schemas)."""

import datetime
from decimal import Decimal

from pydantic import Field

from qorgau.api.schemas import InputSchema
from qorgau.proceedings.models import (
    AdultTrial,
    AppealOutcome,
    EventKind,
    NotificationMethod,
    ParticipantRole,
    Verdict,
)


class ArticlePartIn(InputSchema):
    article: str = Field(description="Article number as the Code writes it: `188`, `108-1`.")
    part: str = Field(description="Part of the article: `1`, `2`, `3-1`.")


class CaseIn(InputSchema):
    number: str = Field(description="Registration number in the unified register (ЕРДР).")
    registered_on: datetime.date
    offence_at: datetime.datetime = Field(
        description="ISO 8601 with the UTC offset: `2026-03-01T21:30:00+05:00`."
    )
    offence_place: str
    territory: str = Field(description="KATO code of the region or district.")
    juvenile: int = Field(description="Id of the juvenile's record (GET /api/juveniles).")
    articles: list[ArticlePartIn] = Field(
        description='Charged article parts, each `{"article": "188", "part": "2"}`.'
    )
    prosecutor: int | None = Field(None, description="User id of the supervising prosecutor.")
    summary: str = ""


class MinorIn(InputSchema):
    juvenile: int = Field(description="Id of the juvenile's record (GET /api/juveniles).")
    articles: list[ArticlePartIn] = Field(
        description='Charged article parts, each `{"article": "188", "part": "2"}`.'
    )


class ParticipantIn(InputSchema):
    role: ParticipantRole
    accused: int | None = Field(None, description="Id of the minor's track the person is for.")
    user: int | None = Field(None, description="User id, for a defender or psychologist on staff.")
    relative: int | None = Field(
        None, description="Id of a family member in that minor's record (needs `accused`)."
    )
    full_name: str = Field("", description="Required unless taken from `user` or `relative`.")
    is_minor: bool = False
    phone: str = ""
    tried_in: AdultTrial | None = Field(None, description="Adult co-participants only.")
    state_paid: bool = False
    notes: str = ""


class ProsecutorIn(InputSchema):
    prosecutor: int = Field(description="User id of a staff member with the prosecutor role.")


class RequalificationIn(InputSchema):
    article: ArticlePartIn = Field(description='The new article part: `{"article", "part"}`.')
    reason: str


class BreakIn(InputSchema):
    start: datetime.datetime
    end: datetime.datetime


class EventIn(InputSchema):
    kind: EventKind
    started_at: datetime.datetime = Field(
        description="When it happened (for a detention, the moment of actual detention); "
        "ISO 8601 with the UTC offset."
    )
    attendees: list[int] = Field(
        [], description="Ids of the case's participants present (detention, interrogation)."
    )
    ended_at: datetime.datetime | None = Field(None, description="With the UTC offset.")
    place: str = ""
    performed_by: str = Field("", description="Who carried it out (detention, appeal: who filed).")
    held_separately: bool | None = Field(None, description="Detention: held apart from adults.")
    method: NotificationMethod | None = None
    participant: int | None = Field(None, description="Id of the participant concerned.")
    breaks: list[BreakIn] = Field([], description="Interrogation breaks, within it.")
    measure: str = Field("", description="Preventive measure code (GET /api/rules).")
    term_days: int | None = Field(None, ge=1)
    court_sanctioned: bool | None = None
    ground: str = Field("", description="Termination ground code (GET /api/rules).")
    verdict: Verdict | None = None
    punishment: str = Field("", description="Punishment code (GET /api/rules).")
    term_months: int | None = Field(None, ge=1)
    fine_amount: Decimal | None = Field(None, ge=1, description="In tenge.")
    conditional: bool = False
    probation_months: int | None = Field(None, ge=1)
    deferred: bool = False
    deferral_months: int | None = Field(None, ge=1)
    appeal_outcome: AppealOutcome | None = None
    document_number: str = ""
    notes: str = ""
    court: int | None = Field(None, description="Agency id of the juvenile court (referral).")
