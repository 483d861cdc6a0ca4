"""Input and output schemas of the safeguard endpoints (inputs *In, outputs *Out/*Row)."""

import datetime
from enum import StrEnum
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from qorgau.accounts.models import Agency, Role, User
from qorgau.api.case_schemas import RuleText, StaffRef
from qorgau.api.checked import CheckedSchema
from qorgau.api.enums import ViolationStatus
from qorgau.api.schemas import AgencyRef, InputSchema, PageFilter, TerritoryRef
from qorgau.core.models import Territory
from qorgau.proceedings.models import Accused, Proceeding
from qorgau.safeguards.models import UNRESOLVED, ActType, Severity, Violation
from qorgau.safeguards.rulebook import SafeguardRule
from qorgau.safeguards.selectors import CaseFlags, Comparison, GroupRow, Overview

# The rule book


class SafeguardRuleOut(Schema):
    id: str = Field(description="What `rule` takes in GET /api/violations.")
    check: str = Field(description="The check in the code that evaluates the rule.")
    severity: Severity
    thresholds: dict[str, Any] = Field(
        description="The figures the check reads (`hours`, `minutes`, `age_under`, `allowed`…); "
        "changing one is a change of the rule file, not of the code."
    )
    citation: str = Field(
        description="The article of the code the rule rests on, in the request's language."
    )
    citations: RuleText = Field(description="The citation in each language.")
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

    @staticmethod
    def resolve_citations(obj: SafeguardRule) -> dict[str, str]:
        return obj.cite.texts


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


class OversightFilters(CheckedSchema):
    """The filters of the oversight summary; the list of violations takes them too."""

    status: StatusFilter | None = Field(
        None, description="A status, or `unresolved` for open and acknowledged ones."
    )
    rule: str = Field("", description="Rule id (GET /api/safeguards/rules).")
    severity: Severity | None = None
    region: str | None = Field(
        None, description="KATO code: violations in cases of this unit and its districts."
    )
    agency: int | None = Field(None, description="Agency id of the staff member responsible.")
    responsible: int | None = Field(None, description="User id of the staff member responsible.")
    detected_from: datetime.date | None = Field(None, description="Detected on or after.")
    detected_to: datetime.date | None = Field(None, description="Detected on or before.")


class ViolationFilters(OversightFilters, PageFilter):
    case: int | None = Field(None, description="Id of the case.")


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
    more: bool = Field(description="More rows than `count`: counting stops at QORGAU_COUNT_CAP.")
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


# "Today": the red flags


class RedFlagRow(Schema):
    id: int
    rule: str = Field(description="Rule id (GET /api/safeguards/rules).")
    title: str = Field(description="The rule's title in the request's language.")
    severity: Severity
    status: ViolationStatus = Field(description="`open` or `acknowledged`.")
    case: CaseRef
    minor: ViolatedMinorRef
    detected_at: datetime.datetime
    description: str = Field(
        description="What the record shows, with its facts, in the request's language."
    )

    @staticmethod
    def resolve_rule(obj: Violation) -> str:
        return obj.rule_id

    @staticmethod
    def resolve_case(obj: Violation) -> Proceeding:
        return obj.proceeding

    @staticmethod
    def resolve_minor(obj: Violation) -> Accused:
        return obj.accused


class RedFlagsOut(Schema):
    count: int = Field(
        description="Every violation not yet answered (open or acknowledged) the caller sees."
    )
    results: list[RedFlagRow] = Field(description="The first 10: the gravest, then the newest.")


# The oversight summary


class PeriodOut(Schema):
    start: datetime.date
    end: datetime.date
    days: int


class CountFigure(Schema):
    current: int = Field(description="In the period (or at its end).")
    previous: int = Field(description="In the previous period of the same length (or at its end).")
    change: int = Field(description="`current` minus `previous`.")

    @staticmethod
    def resolve_current(obj: Comparison) -> int:
        return int(obj.current or 0)

    @staticmethod
    def resolve_previous(obj: Comparison) -> int:
        return int(obj.previous or 0)

    @staticmethod
    def resolve_change(obj: Comparison) -> int:
        return int(obj.current or 0) - int(obj.previous or 0)


class HoursFigure(Schema):
    current: float | None = Field(description="Null when nothing found in the period is answered.")
    previous: float | None = Field(description="Null when nothing of the previous period is.")
    change: float | None = Field(description="`current` minus `previous`; null without both.")

    @staticmethod
    def resolve_change(obj: Comparison) -> float | None:
        if obj.current is None or obj.previous is None:
            return None
        return float(obj.current) - float(obj.previous)


class KeyFigures(Schema):
    unresolved: CountFigure = Field(
        description="Violations not yet answered at the end of the period (now, when it ends "
        "today) and at the end of the previous period, whenever they were found."
    )
    new: CountFigure = Field(description="Violations found in each period.")
    reaction_hours: HoursFigure = Field(
        description="The median time, in hours, from finding a violation to the prosecutor's "
        "answer, over the answered violations found in each period."
    )

    @staticmethod
    def resolve_unresolved(obj: Overview) -> Comparison:
        return obj.open


class GroupRowOut(Schema):
    """A row of a table of the summary (a selector's GroupRow)."""

    name: str = Field(description="In the request's language; empty when not recorded.")
    unresolved: int = Field(description="Not yet answered now, whenever found.")
    detected: int = Field(description="Found in the period.")
    detected_before: int = Field(description="Found in the previous period.")
    change: int = Field(description="`detected` minus `detected_before`.")
    median_hours: float | None = Field(
        description="Median hours from finding to answer, over those found in the period and "
        "answered; null when none is."
    )

    @staticmethod
    def resolve_name(obj: GroupRow) -> str:
        return obj.label

    @staticmethod
    def resolve_unresolved(obj: GroupRow) -> int:
        return obj.open_now

    @staticmethod
    def resolve_change(obj: GroupRow) -> int:
        return obj.detected - obj.detected_before


class RegionRowOut(GroupRowOut):
    kato_code: str = Field(
        description="The region (or city of republican significance) of the case's unit: what "
        "`region` takes."
    )

    @staticmethod
    def resolve_kato_code(obj: GroupRow) -> str:
        return str(obj.key)


class AgencyRowOut(GroupRowOut):
    id: int | None = Field(
        description="Id of the agency responsible (what `agency` takes); null when not recorded."
    )

    @staticmethod
    def resolve_id(obj: GroupRow) -> int | None:
        return int(obj.key) if obj.key is not None else None


class RuleRowOut(GroupRowOut):
    id: str = Field(description="Rule id (what `rule` takes).")
    citation: str = Field(description="The article of the code the rule rests on.")

    @staticmethod
    def resolve_id(obj: GroupRow) -> str:
        return str(obj.key)

    @staticmethod
    def resolve_citation(obj: GroupRow) -> str:
        return obj.detail


class StaffRowOut(GroupRowOut):
    id: int | None = Field(
        description="User id of the staff member responsible (what `responsible` takes); null "
        "when not recorded."
    )
    agency: str = Field(description="The name of their agency.")

    @staticmethod
    def resolve_id(obj: GroupRow) -> int | None:
        return int(obj.key) if obj.key is not None else None

    @staticmethod
    def resolve_agency(obj: GroupRow) -> str:
        return obj.detail


class MonthOut(Schema):
    month: datetime.date = Field(description="Its first day.")
    detected: int = Field(description="Found in the month.")
    unresolved: int = Field(description="Of them, not yet answered now.")


class RedCaseOut(Schema):
    case: CaseRef
    territory: TerritoryRef = Field(description="The case's region or district.")
    minors: list[ViolatedMinorRef]
    investigator: StaffRef = Field(description="The investigator in charge.")
    high: int = Field(description="High-severity violations not yet answered.")
    total: int = Field(description="All violations not yet answered.")

    @staticmethod
    def resolve_territory(obj: CaseFlags) -> Territory:
        return obj.case.territory

    @staticmethod
    def resolve_minors(obj: CaseFlags) -> list[Accused]:
        return list(obj.case.accused.all())

    @staticmethod
    def resolve_investigator(obj: CaseFlags) -> User:
        return obj.case.investigator


class OversightSummaryOut(Schema):
    period: PeriodOut = Field(
        description="The period of detection: the filters' dates, by default the last 30 days "
        "up to today, or up to today from `detected_from`."
    )
    previous: PeriodOut = Field(description="The period of the same length just before it.")
    figures: KeyFigures
    by_region: list[RegionRowOut] = Field(
        description="Each table holds the groups with a violation found in either period or "
        "not yet answered; most not yet answered first, then most found."
    )
    by_agency: list[AgencyRowOut] = Field(description="By the agency responsible.")
    by_rule: list[RuleRowOut]
    by_staff: list[StaffRowOut] = Field(description="By the staff member responsible.")
    trend: list[MonthOut] = Field(
        description="The last 12 months, oldest first, by the month a violation was found on "
        "Kazakhstan's clocks; every filter but the period applies."
    )
    red_cases: list[RedCaseOut] = Field(
        description="Up to 15 cases with violations not yet answered (whenever found): the most "
        "high-severity ones first, then the most in all."
    )
    red_case_count: int = Field(description="All cases with a violation not yet answered.")

    @staticmethod
    def resolve_figures(obj: Overview) -> Overview:
        return obj
