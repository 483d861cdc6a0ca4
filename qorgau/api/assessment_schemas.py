"""Input and output schemas of the risk and needs assessment endpoints."""

import datetime
from typing import Any

from ninja import Schema
from pydantic import Field

from qorgau.api.case_schemas import RuleText, StaffRef
from qorgau.api.schemas import AgencyRef, InputSchema
from qorgau.support.assessment_scoring import explain, unanswered
from qorgau.support.instrument import Domain, Instrument, Item
from qorgau.support.models import Assessment, AssessmentStatus, RiskLevel

# The instrument


class OptionOut(Schema):
    id: str = Field(description="What an answer to the item takes.")
    score: int
    label: RuleText


class ItemOut(Schema):
    id: str = Field(description="The key of the item in `answers`.")
    required: bool = Field(description="True: the assessment cannot be completed without it.")
    text: RuleText
    hint: RuleText | None
    options: list[OptionOut]

    @staticmethod
    def resolve_text(obj: Item) -> dict[str, str]:
        return obj.text_

    @staticmethod
    def resolve_hint(obj: Item) -> dict[str, str] | None:
        return obj.hint_


class DomainOut(Schema):
    id: str
    kind: str = Field(description="`risk`, or `protective`: its weighted points are subtracted.")
    title: RuleText
    weights: dict[str, int] = Field(description="Multipliers of the points for each scale.")
    items: list[ItemOut]

    @staticmethod
    def resolve_title(obj: Domain) -> dict[str, str]:
        return obj.title_


class InstrumentOut(Schema):
    code: str
    version: int
    valid_from: datetime.date
    title: RuleText
    basis: RuleText = Field(description="Where the instrument comes from and its limits.")
    cutoffs: dict[str, dict[str, int]] = Field(
        description="Per scale (`society`, `child`): the lowest total of each level."
    )
    top_domains: int = Field(description="At most this many domains are given as reasons.")
    min_points: int = Field(description="A domain adding fewer weighted points is no reason.")
    domains: list[DomainOut]

    @staticmethod
    def resolve_title(obj: Instrument) -> dict[str, str]:
        return obj.title_

    @staticmethod
    def resolve_basis(obj: Instrument) -> dict[str, str]:
        return obj.basis_

    @staticmethod
    def resolve_cutoffs(obj: Instrument) -> dict[str, dict[str, int]]:
        levels = [level.value for level in RiskLevel]
        cutoffs = obj.cutoffs.items()
        return {scale: dict(zip(levels, lowest, strict=True)) for scale, lowest in cutoffs}


# Assessments


class AssessmentIn(InputSchema):
    accused: int | None = Field(
        None, description="The id of the minor's track in a case (`minors[].id` of a case)."
    )
    answers: dict[str, str | None] = Field(
        default_factory=dict, description="Item id -> option id; may be partial."
    )
    notes: str = ""


class AnswersIn(InputSchema):
    answers: dict[str, str | None] = Field(
        default_factory=dict,
        description="Item id -> option id, or null to clear an answer; other answers stay.",
    )
    notes: str | None = Field(None, description="Replaces the notes when given.")


class ReasonOut(Schema):
    title: str
    points: int
    answers: list[str] = Field(description="The items that scored, with the answer given.")


class ScaleOut(Schema):
    scale: str
    total: int | None
    level: RiskLevel | None
    level_label: str
    domains: list[ReasonOut] = Field(description="The domains that added most points.")
    protection: ReasonOut | None = Field(description="Protective factors and points taken off.")
    lowered: str = Field(description="Says when protective factors lowered the level.")


class AssessmentOut(Schema):
    id: int
    version: int = Field(description='The draft\'s version: send `W/"<version>"` in If-Match.')
    juvenile: int
    accused: int | None
    case_number: str | None
    author: StaffRef
    author_agency: AgencyRef
    instrument_code: str
    instrument_version: int = Field(description="The version used, and read against, forever.")
    status: AssessmentStatus
    answers: dict[str, str]
    unanswered: list[str] = Field(description="Required items without an answer (drafts).")
    domain_scores: dict[str, dict[str, int]] = Field(
        description="Per domain: `points`, and weighted `society` and `child`."
    )
    scales: list[ScaleOut] = Field(description="Both levels with their reasons in words.")
    reasons: dict[str, Any] = Field(description="The reasons as stored (ids and numbers).")
    created_at: datetime.datetime
    completed_at: datetime.datetime | None
    supersedes: int | None = Field(description="The assessment this one reassesses.")
    notes: str

    @staticmethod
    def resolve_juvenile(obj: Assessment) -> int:
        return obj.juvenile_id

    @staticmethod
    def resolve_accused(obj: Assessment) -> int | None:
        return obj.accused_id

    @staticmethod
    def resolve_case_number(obj: Assessment) -> str | None:
        return obj.accused.proceeding.number if obj.accused else None

    @staticmethod
    def resolve_supersedes(obj: Assessment) -> int | None:
        return obj.supersedes_id

    @staticmethod
    def resolve_unanswered(obj: Assessment) -> list[str]:
        return unanswered(obj.instrument, obj.answers) if obj.is_draft else []

    @staticmethod
    def resolve_scales(obj: Assessment) -> list[dict[str, Any]]:
        if obj.is_draft:
            return []
        levels = {"society": obj.society_level, "child": obj.child_level}
        totals = {"society": obj.society_score, "child": obj.child_score}
        return [
            {
                "scale": scale.scale,
                "total": totals[scale.scale],
                "level": levels[scale.scale],
                "level_label": str(RiskLevel(levels[scale.scale]).label),
                "domains": scale.domains,
                "protection": scale.protection,
                "lowered": scale.lowered,
            }
            for scale in explain(obj.instrument, obj.answers, obj.reasons, levels)
        ]
