"""Input and output schemas of the criminal-case endpoints (inputs *In, outputs *Out/*Row)."""

import datetime
from decimal import Decimal
from typing import Any

from ninja import Schema
from pydantic import Field

from qorgau.accounts.models import Role, User
from qorgau.api.case_inputs import (  # re-exported: the inputs live in case_inputs
    ArticlePartIn as ArticlePartIn,
)
from qorgau.api.case_inputs import BreakIn as BreakIn
from qorgau.api.case_inputs import CaseIn as CaseIn
from qorgau.api.case_inputs import EventIn as EventIn
from qorgau.api.case_inputs import MinorIn as MinorIn
from qorgau.api.case_inputs import ParticipantIn as ParticipantIn
from qorgau.api.case_inputs import ProsecutorIn as ProsecutorIn
from qorgau.api.case_inputs import RequalificationIn as RequalificationIn
from qorgau.api.enums import ViolationStatus
from qorgau.api.schemas import AgencyRef, PageFilter, TerritoryRef
from qorgau.core.models import Gravity
from qorgau.proceedings import policy, selectors
from qorgau.proceedings.legal_rules import LegalRule
from qorgau.proceedings.models import (
    Accused,
    AdultTrial,
    AppealOutcome,
    Charge,
    EventKind,
    NotificationMethod,
    Participant,
    ParticipantRole,
    Pending,
    ProceduralEvent,
    Proceeding,
    Stage,
    Verdict,
)
from qorgau.safeguards.models import Severity, Violation

# References


class StaffRef(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(obj: User) -> str:
        return obj.get_full_name() or obj.username


class ArticleRef(Schema):
    id: int
    article: str
    part: str
    citation: str = Field(description="`art. 188 part 2`, in the request's language.")
    title: str = Field(description="The article's title in the request's language.")
    gravity: Gravity
    min_age: int


class JuvenileRef(Schema):
    id: int
    full_name: str
    iin: str | None
    birth_date: datetime.date


IIN_MASKED = (
    "The last four digits of the IIN, the rest masked (`••••••••0123`); empty without one. "
    "The whole number is in the record (GET /api/juveniles/{id})."
)


class JuvenileBrief(Schema):
    """A child named in a list or beside other records: no full IIN there."""

    id: int
    full_name: str
    iin_masked: str = Field(description=IIN_MASKED)
    birth_date: datetime.date


# The case list


class CaseListFilters(PageFilter):
    q: str = Field("", description="Part of the registration number, or IIN digits (from start).")
    region: str | None = Field(None, description="KATO code: cases of this unit and its districts.")
    stage: Stage | None = Field(None, description="Cases with a minor at this stage.")
    investigator: int | None = Field(None, description="User id of the investigator in charge.")
    gravity: Gravity | None = Field(
        None, description="Cases with a current charge of this category."
    )
    registered_from: datetime.date | None = Field(None, description="Registered on or after.")
    registered_to: datetime.date | None = Field(None, description="Registered on or before.")


class MinorRow(Schema):
    id: int = Field(description="Id of the minor's track in the case (the accused).")
    juvenile: int = Field(description="Id of the juvenile's record.")
    name: str
    stage: Stage
    pending: Pending = Field(description="A decision awaiting the prosecutor's approval, if any.")

    @staticmethod
    def resolve_juvenile(obj: Accused) -> int:
        return obj.juvenile_id

    @staticmethod
    def resolve_name(obj: Accused) -> str:
        return obj.juvenile.full_name


class CaseRow(Schema):
    id: int
    number: str
    registered_on: datetime.date
    territory: TerritoryRef
    investigator: StaffRef
    minors: list[MinorRow]

    @staticmethod
    def resolve_minors(obj: Proceeding) -> list[Accused]:
        return list(obj.accused.all())


class CasePage(Schema):
    count: int
    more: bool = Field(description="More rows than `count`: counting stops at QORGAU_COUNT_CAP.")
    page: int
    pages: int
    results: list[CaseRow]


# One case


class ChargeRef(Schema):
    id: int
    article: ArticleRef


class ChargeOut(Schema):
    id: int
    article: ArticleRef
    charged_at: datetime.datetime
    charged_by: StaffRef
    requalified_from: ChargeRef | None = Field(description="The charge this one replaced.")
    reason: str = Field(description="Why the charge was requalified; empty for a first charge.")


class RequalificationOut(Schema):
    charge: int = Field(description="Id of the charge the requalification started.")
    from_article: ArticleRef
    to_article: ArticleRef
    at: datetime.datetime
    by: StaffRef
    reason: str

    @staticmethod
    def resolve_charge(obj: Charge) -> int:
        return obj.pk

    @staticmethod
    def resolve_from_article(obj: Charge) -> Any:
        assert obj.requalified_from is not None
        return obj.requalified_from.article

    @staticmethod
    def resolve_to_article(obj: Charge) -> Any:
        return obj.article

    @staticmethod
    def resolve_at(obj: Charge) -> datetime.datetime:
        return obj.charged_at

    @staticmethod
    def resolve_by(obj: Charge) -> User:
        return obj.charged_by


class AuthorOut(Schema):
    id: int
    name: str
    role: Role | None = Field(
        description="The role in which the step was recorded, kept with the step."
    )
    agency: str = Field(
        description="The agency on whose behalf it was recorded (kept with the step), in the "
        "request's language."
    )


class BreakOut(Schema):
    start: datetime.datetime
    end: datetime.datetime


def acting_role(user: User, kind: str) -> str | None:
    """The author's role that records this kind of step (as the service chose it)."""
    allowed = policy.roles_for(kind)
    return next((role for role in user.roles if role in allowed), None)


class EventOut(Schema):
    id: int
    accused: int = Field(description="Id of the minor's track the step belongs to.")
    kind: EventKind
    started_at: datetime.datetime
    ended_at: datetime.datetime | None
    duration_minutes: int | None = Field(description="Computed from the recorded times.")
    recorded_at: datetime.datetime
    author: AuthorOut
    attendees: list[int] = Field(description="Ids of the case's participants present.")
    place: str
    performed_by: str
    held_separately: bool | None
    method: NotificationMethod | None
    participant: int | None = Field(description="Id of the participant the step concerns.")
    breaks: list[BreakOut]
    measure: str = Field(description="Preventive measure code (GET /api/rules).")
    term_days: int | None
    court_sanctioned: bool | None
    ground: str = Field(description="Termination ground code (GET /api/rules).")
    verdict: Verdict | None
    punishment: str = Field(description="Punishment code (GET /api/rules).")
    term_months: int | None
    fine_amount: Decimal | None
    conditional: bool
    probation_months: int | None
    deferred: bool
    deferral_months: int | None
    appeal_outcome: AppealOutcome | None
    document_number: str
    notes: str

    @staticmethod
    def resolve_accused(obj: ProceduralEvent) -> int:
        return obj.accused_id

    @staticmethod
    def resolve_author(obj: ProceduralEvent) -> dict[str, Any]:
        author = obj.author
        # As kept on the step when it was recorded (older steps: as the author is now).
        agency = obj.acting_agency or author.agency
        return {
            "id": author.pk,
            "name": author.get_full_name() or author.username,
            "role": obj.acting_role or acting_role(author, obj.kind),
            "agency": str(agency) if agency else "",
        }

    @staticmethod
    def resolve_attendees(obj: ProceduralEvent) -> list[int]:
        return [attendee.pk for attendee in obj.attendees.all()]

    @staticmethod
    def resolve_participant(obj: ProceduralEvent) -> int | None:
        return obj.participant_id

    @staticmethod
    def resolve_method(obj: ProceduralEvent) -> str | None:
        return obj.method or None

    @staticmethod
    def resolve_verdict(obj: ProceduralEvent) -> str | None:
        return obj.verdict or None

    @staticmethod
    def resolve_appeal_outcome(obj: ProceduralEvent) -> str | None:
        return obj.appeal_outcome or None


SEVERITY_RANK = {severity: rank for rank, severity in enumerate(Severity.values)}


class ViolationFlagOut(Schema):
    id: int = Field(description="GET /api/violations/{id} for the proof and the legal basis.")
    rule: str = Field(description="Rule id (GET /api/safeguards/rules).")
    title: str = Field(description="The rule's title in the request's language.")
    severity: Severity
    status: ViolationStatus
    description: str = Field(description="What the record shows, in the request's language.")
    events: list[int] = Field(description="Ids of the events on the timeline that prove it.")

    @staticmethod
    def resolve_rule(obj: Violation) -> str:
        return obj.rule_id

    @staticmethod
    def resolve_events(obj: Violation) -> list[int]:
        return [event.pk for event in obj.events.all()]


class MinorOut(Schema):
    id: int = Field(description="Id of the minor's track in the case (the accused).")
    juvenile: JuvenileRef
    stage: Stage
    pending: Pending = Field(description="A decision awaiting the prosecutor's approval, if any.")
    added_at: datetime.datetime
    charges: list[ChargeOut] = Field(description="The current charges.")
    requalifications: list[RequalificationOut] = Field(description="Oldest first.")
    timeline: list[EventOut] = Field(description="The minor's procedural events, newest first.")
    actions: list[EventKind] = Field(
        description="The steps the caller may record now for this minor (POST …/events)."
    )
    violations: list[ViolationFlagOut] = Field(
        description="The safeguards the record shows were not kept for this minor, whatever "
        "their status: those not yet answered first, then the gravest, then the newest found."
    )

    @staticmethod
    def resolve_charges(obj: Accused) -> list[Charge]:
        return [charge for charge in obj.charges.all() if charge.ended_at is None]

    @staticmethod
    def resolve_requalifications(obj: Accused) -> list[Charge]:
        return [charge for charge in obj.charges.all() if charge.requalified_from_id is not None]

    @staticmethod
    def resolve_timeline(obj: Accused) -> list[ProceduralEvent]:
        return list(obj.events.all())

    @staticmethod
    def resolve_actions(obj: Accused, context: dict[str, Any]) -> list[str]:
        return selectors.actions_for(context["request"].user, obj)

    @staticmethod
    def resolve_violations(obj: Accused, context: dict[str, Any]) -> list[Violation]:
        if not context["request"].user.has_perm("safeguards.view_violation"):
            return []
        return sorted(
            obj.violations.all(),
            key=lambda v: (
                not v.is_unresolved,
                SEVERITY_RANK.get(v.severity, len(SEVERITY_RANK)),
                -v.detected_at.timestamp(),
                -v.pk,
            ),
        )


class ParticipantOut(Schema):
    id: int
    role: ParticipantRole
    accused: int | None = Field(description="The minor's track this person stands for, if one.")
    user: int | None = Field(description="Id of the staff member, when the person is one.")
    relative: int | None = Field(description="Id of the family member in the juvenile's record.")
    full_name: str
    is_minor: bool
    phone: str
    tried_in: AdultTrial | None = Field(description="For an adult co-participant: where tried.")
    state_paid: bool
    notes: str

    @staticmethod
    def resolve_accused(obj: Participant) -> int | None:
        return obj.accused_id

    @staticmethod
    def resolve_user(obj: Participant) -> int | None:
        return obj.user_id

    @staticmethod
    def resolve_relative(obj: Participant) -> int | None:
        return obj.relative_id

    @staticmethod
    def resolve_tried_in(obj: Participant) -> str | None:
        return obj.tried_in or None


class CaseHeaderOut(Schema):
    id: int
    version: int = Field(description='The case\'s version: send `W/"<version>"` in If-Match.')
    number: str
    registered_on: datetime.date
    registering_agency: AgencyRef
    offence_at: datetime.datetime
    offence_place: str
    territory: TerritoryRef
    investigator: StaffRef
    prosecutor: StaffRef | None
    court: AgencyRef | None
    judge: StaffRef | None
    summary: str
    created_at: datetime.datetime
    updated_at: datetime.datetime


class CaseOut(CaseHeaderOut):
    minors: list[MinorOut]
    participants: list[ParticipantOut]

    @staticmethod
    def resolve_minors(obj: Proceeding) -> list[Accused]:
        return list(obj.accused.all())

    @staticmethod
    def resolve_participants(obj: Proceeding) -> list[Participant]:
        return list(obj.participants.all())


# The rule book


class RuleText(Schema):
    kk: str
    ru: str
    en: str


class RuleOut(Schema):
    code: str
    label: str = Field(description="The text in the request's language.")
    text: RuleText
    citation: str = Field(description="The legal basis, in the request's language.")
    citations: RuleText = Field(description="The legal basis in each language.")
    confirmed: bool = Field(description="False while not yet read in an official text.")
    valid_from: datetime.date
    valid_to: datetime.date | None = Field(description="Null while in force.")
    attributes: dict[str, Any] = Field(
        description="The rule's other figures: `value`, `custodial`, `executed_by`, `max_years`…"
    )

    @staticmethod
    def resolve_citations(obj: LegalRule) -> dict[str, str]:
        return obj.cite.texts


class RuleSectionOut(Schema):
    name: str = Field(
        description="`minor_age`, `preventive_measures`, `termination_grounds` or `punishments`."
    )
    rules: list[RuleOut]


class RuleBookOut(Schema):
    profile: str = Field(description="The jurisdiction profile, e.g. `kz`.")
    sections: list[RuleSectionOut]
