"""Input and output schemas of the safeguard endpoints (inputs *In, outputs *Out/*Row)."""

import datetime
from enum import StrEnum
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from qorgau.accounts.models import Agency, Role, User
from qorgau.api.case_schemas import RuleText, StaffRef
from qorgau.api.schemas import AgencyRef, InputSchema, PageFilter
from qorgau.proceedings.models import Accused, Proceeding
from qorgau.safeguards.models import UNRESOLVED, ActType, Severity, Violation
from qorgau.safeguards.models import Status as ViolationStatus
from qorgau.safeguards.rulebook import SafeguardRule

# The rule book


class SafeguardRuleOut(Schema):
    id: str = Field(description="What `rule` takes in GET /api/violations.")
    check: str = Field(description="The check in the code that evaluates the rule.")
    severity: Severity
    thresholds: dict[str, Any] = Field(
        description="The figures the check reads (`hours`, `minutes`, `age_under`, `allowed`…); "
        "changing one is a change of the rule file, not of the code."
    )
    citation: str = Field(description="The article of the code the rule rests on.")
    standard: str = Field(description="The international standard, if one applies.")
    confirmed: bool = Field(description="False while not yet read in an official text.")
    policy: bool = Field(
        description="True for an internal alert whose figure the law does not fix."
    )
    valid_from: datetime.date
    valid_to: datetime.date | None = Field(description="Null while in force.")
    label: str = Field(description="The title in the request's language.")
    title: RuleText
    message: RuleText = Field(
        description="The text of a violation, with `{placeholders}` for its facts."
    )

    @staticmethod
    def resolve_label(obj: SafeguardRule) -> str:
        return obj.label


class SafeguardBookOut(Schema):
    profile: str = Field(description="The jurisdiction profile, e.g. `kz`.")
    rules: list[SafeguardRuleOut]


# Violations


class StatusFilter(StrEnum):
    """A violation's status, or `unresolved`: open or acknowledged, not yet answered for good."""

    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    REMEDIED = "remedied"
    DISPUTED = "disputed"
    ACT_ISSUED = "act_issued"
    UNRESOLVED = "unresolved"


class ViolationFilters(PageFilter):
    status: StatusFilter | None = Field(
        None, description="A status, or `unresolved` for open and acknowledged ones."
    )
    rule: str = Field("", description="Rule id (GET /api/safeguards/rules).")
    severity: Severity | None = None
    case: int | None = Field(None, description="Id of the case.")
    region: str | None = Field(
        None, description="KATO code: violations in cases of this unit and its districts."
    )
    agency: int | None = Field(None, description="Agency id of the staff member responsible.")
    responsible: int | None = Field(None, description="User id of the staff member responsible.")
    detected_from: datetime.date | None = Field(None, description="Detected on or after.")
    detected_to: datetime.date | None = Field(None, description="Detected on or before.")


class CaseRef(Schema):
    id: int
    number: str


class ViolatedMinorRef(Schema):
    id: int = Field(description="Id of the minor's track in the case (the accused).")
    juvenile: int = Field(description="Id of the juvenile's record.")
    name: str

    @staticmethod
    def resolve_juvenile(obj: Accused) -> int:
        return obj.juvenile_id

    @staticmethod
    def resolve_name(obj: Accused) -> str:
        return obj.juvenile.full_name


class ViolationRow(Schema):
    id: int
    rule: str = Field(description="Rule id (GET /api/safeguards/rules).")
    title: str = Field(description="The rule's title in the request's language.")
    severity: Severity
    status: ViolationStatus
    case: CaseRef
    minor: ViolatedMinorRef
    responsible: StaffRef | None = Field(description="The staff member the record points to.")
    responsible_agency: AgencyRef | None = Field(description="Their agency when it was found.")
    detected_at: datetime.datetime
    description: str = Field(
        description="What the record shows, with its facts, in the request's language."
    )
    events: list[int] = Field(description="Ids of the procedural events that prove it.")
    act_type: ActType | None = Field(description="The prosecutor's act, once issued.")
    act_number: str
    act_date: datetime.date | None

    @staticmethod
    def resolve_rule(obj: Violation) -> str:
        return obj.rule_id

    @staticmethod
    def resolve_case(obj: Violation) -> Proceeding:
        return obj.proceeding

    @staticmethod
    def resolve_minor(obj: Violation) -> Accused:
        return obj.accused

    @staticmethod
    def resolve_responsible(obj: Violation) -> User | None:
        return obj.responsible

    @staticmethod
    def resolve_responsible_agency(obj: Violation) -> Agency | None:
        return obj.responsible_agency

    @staticmethod
    def resolve_events(obj: Violation) -> list[int]:
        return [event.pk for event in obj.events.all()]

    @staticmethod
    def resolve_act_type(obj: Violation) -> str | None:
        return obj.act_type or None


class ViolationPage(Schema):
    count: int
    page: int
    pages: int
    results: list[ViolationRow]


Answer = Literal["acknowledge", "remedy", "dispute", "act"]


def answers_for(user: User, violation: Violation) -> list[Answer]:
    """The answers the user may give now (as the services allow them): POST …/{answer}."""
    prosecutor = user.is_superuser or (
        user.has_perm("safeguards.change_violation") and user.has_role(Role.PROSECUTOR)
    )
    if not prosecutor or violation.status not in UNRESOLVED:
        return []
    first: list[Answer] = ["acknowledge"] if violation.status == ViolationStatus.OPEN else []
    return [*first, "remedy", "dispute", "act"]


class ViolationOut(ViolationRow):
    citation: str = Field(description="The article of the code the rule rests on.")
    standard: str = Field(description="The international standard, if one applies.")
    confirmed: bool = Field(description="False while the rule is not read in an official text.")
    policy: bool = Field(description="True for an internal alert the law gives no figure for.")
    status_changed_at: datetime.datetime | None
    status_changed_by: StaffRef | None = Field(description="The prosecutor who answered it.")
    note: str = Field(description="The note of a remedy, or the reason of a dispute.")
    answers: list[Answer] = Field(
        description="The answers the caller may give now (POST /api/violations/{id}/{answer}): "
        "a prosecutor's, while the violation is open or acknowledged."
    )

    @staticmethod
    def resolve_citation(obj: Violation) -> str:
        return obj.rule.citation if obj.rule else ""

    @staticmethod
    def resolve_standard(obj: Violation) -> str:
        return obj.rule.standard if obj.rule else ""

    @staticmethod
    def resolve_confirmed(obj: Violation) -> bool:
        return obj.rule.confirmed if obj.rule else False

    @staticmethod
    def resolve_policy(obj: Violation) -> bool:
        return obj.rule.policy if obj.rule else False

    @staticmethod
    def resolve_status_changed_by(obj: Violation) -> User | None:
        return obj.status_changed_by

    @staticmethod
    def resolve_answers(obj: Violation, context: dict[str, Any]) -> list[Answer]:
        return answers_for(context["request"].user, obj)


# The prosecutor's answers


class RemedyIn(InputSchema):
    note: str = Field("", description="How it was put right.")


class DisputeIn(InputSchema):
    reason: str = Field(description="Why the record is wrong or the rule does not apply.")


class ActIn(InputSchema):
    act_type: ActType
    act_number: str
    act_date: datetime.date = Field(description="Not in the future.")
