"""Schemas of the social-psychological portrait endpoints (inputs *In, outputs *Out)."""

import datetime
from typing import Any

from ninja import Schema
from pydantic import Field

from qorgau.accounts.models import User
from qorgau.api.schemas import AgencyRef, InputSchema
from qorgau.support.models import (
    DisclosureKind,
    DocumentKind,
    InterviewWith,
    IssuedTo,
    PortraitReport,
    ReportLanguage,
    ReportStatus,
)


class PersonRef(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(obj: User) -> str:
        return obj.get_full_name() or obj.username


class RequirementOut(Schema):
    code: str
    text: str = Field(description="What is missing, in the request's language.")
    citation: str


class ReportRow(Schema):
    id: int
    version: int = Field(description="The number of this version of the report (1, 2, ...).")
    revision: int = Field(
        description='The draft\'s edit revision: send `W/"<revision>"` in If-Match to change it.'
    )
    status: ReportStatus
    language: ReportLanguage
    issued_to: IssuedTo
    signed_by: PersonRef | None
    signed_at: datetime.datetime | None
    pdf_size: int | None
    pdf_sha256: str


class PortraitOut(Schema):
    id: int
    case: int = Field(description="Id of the case.")
    accused: int = Field(description="Id of the minor's track in the case.")
    agency: AgencyRef = Field(description="The consultation keeping the portrait.")
    lead: PersonRef
    created_at: datetime.datetime
    member: bool = Field(description="Whether the caller works in the keeping consultation.")
    missing_interviews: list[RequirementOut] = Field(
        description="The interviews the rules require and the record lacks (consultation only)."
    )
    reports: list[ReportRow] = Field(
        description="All versions to the consultation; the signed ones to other participants."
    )


class InterviewIn(InputSchema):
    with_whom: InterviewWith
    name: str = Field(max_length=255)
    held_at: datetime.datetime = Field(description="ISO 8601 with the UTC offset.")
    place: str = Field("", max_length=255)
    summary: str


class InterviewOut(Schema):
    id: int
    with_whom: InterviewWith
    name: str
    held_at: datetime.datetime
    place: str
    summary: str
    recorded_by: PersonRef


class DocumentIn(InputSchema):
    kind: DocumentKind
    title: str = Field(max_length=255)
    source: str = Field(max_length=255)
    received_on: datetime.date
    summary: str = ""


class DocumentOut(Schema):
    id: int
    kind: DocumentKind
    title: str
    source: str
    received_on: datetime.date
    summary: str
    recorded_by: PersonRef


class NoteIn(InputSchema):
    text: str


class NoteOut(Schema):
    id: int
    text: str
    author: PersonRef
    created_at: datetime.datetime


class DisclosureIn(InputSchema):
    recipient_name: str = Field(max_length=255)
    details: str
    purpose: str = Field(max_length=255)
    at: datetime.datetime | None = Field(None, description="When; now if not given.")


class DisclosureOut(Schema):
    id: int
    kind: DisclosureKind
    report_version: int | None
    recipient_agency: AgencyRef | None
    recipient: PersonRef | None
    recipient_name: str
    by: PersonRef | None
    at: datetime.datetime
    details: str
    purpose: str

    @staticmethod
    def resolve_report_version(obj: Any) -> int | None:
        return obj.report.version if obj.report_id else None


class ReportIn(InputSchema):
    language: ReportLanguage | None = None
    issued_to: IssuedTo | None = None


class ReportPatch(InputSchema):
    sections: dict[str, str] = Field(
        default_factory=dict, description="Section name to its text: " + ", ".join(
            ["grounds", "family", "development", "education", "influences", "personality",
             "risks", "conclusions", "recommendations"]
        ) + ".",
    )  # fmt: skip
    completed: dict[str, bool] = Field(
        default_factory=dict, description="Section name to whether it is completed."
    )
    language: ReportLanguage | None = None
    issued_to: IssuedTo | None = None
    alternatives: list[str] | None = Field(
        None,
        description="Codes of non-custodial punishments, measures or grounds (GET /api/rules).",
    )


class SignIn(InputSchema):
    declaration: bool = Field(description="The psychologist's declaration; must be true.")


class SectionOut(Schema):
    name: str
    title: str
    text: str
    status: str = Field(description="not_started, in_progress or completed.")


class ReportOut(ReportRow):
    portrait: int
    alternatives: list[str]
    sections: list[SectionOut]

    @staticmethod
    def resolve_portrait(obj: PortraitReport) -> int:
        return obj.portrait_id

    @staticmethod
    def resolve_sections(obj: PortraitReport) -> list[dict[str, Any]]:
        from qorgau.support.selectors.portrait import sections_of

        return [
            {**row, "title": str(row["title"]), "text": obj.section_text(row["name"])}
            for row in sections_of(obj)
        ]
