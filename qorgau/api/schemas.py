"""Input and output schemas of the JSON API. Inputs are named *In/*Patch, outputs *Out/*Row."""

import datetime
from typing import Annotated, Any

from ninja import Schema
from pydantic import ConfigDict, Field, StringConstraints

from qorgau.accounts.models import AgencyType, Role, Training, User
from qorgau.api.checked import CheckedSchema
from qorgau.audit.models import AuditEvent
from qorgau.core.models import Gravity, Territory, TerritoryLevel
from qorgau.people.models import Citizenship, Juvenile, NoIINReason, Relation, Sex


class InputSchema(CheckedSchema):
    # Text is stripped as Django forms strip it, so a surname of spaces counts as empty.
    model_config = ConfigDict(use_enum_values=True, str_strip_whitespace=True, extra="forbid")


VERSION_DESCRIPTION = 'The record\'s version: send `W/"<version>"` in If-Match to change it.'
# Records changed only by state-changing POSTs (whose state machines refuse a repeat).
STEP_VERSION_DESCRIPTION = (
    "The record's version, also in the ETag: every change moves it on by one, so a client "
    "sees whether the record changed since its last reading."
)


class PageFilter(CheckedSchema):
    page: int = Field(1, ge=1, description="Page number, from 1; a page holds 25 rows.")


# Errors


class FieldError(Schema):
    field: str = Field(description="The input field at fault, or `__all__` for the whole request.")
    message: str = Field(description="What is wrong, in the request's language.")


class ErrorOut(Schema):
    detail: list[FieldError]


class StaleOut(ErrorOut):
    """412: the record changed since the version the client sent in If-Match."""

    version: int | None = Field(description="The version stored now (null: the record is gone).")
    current: dict[str, Any] = Field(
        description="Each field the refused change would have overwritten, with its value now."
    )


# Reference data


class TerritoryRef(Schema):
    kato_code: str
    name: str


class TerritoryOut(Schema):
    kato_code: str
    level: TerritoryLevel
    parent: str | None = Field(description="KATO code of the region the unit belongs to.")
    name_kk: str
    name_ru: str
    name_en: str

    @staticmethod
    def resolve_parent(obj: Territory) -> str | None:
        return obj.parent.kato_code if obj.parent is not None else None


class ArticleFilters(CheckedSchema):
    gravity: Gravity | None = Field(None, description="Only parts of this gravity category.")


class ArticleOut(Schema):
    id: int
    article: str
    part: str
    title_kk: str
    title_ru: str
    title_en: str
    gravity: Gravity
    min_age: int


# Agencies and staff


class AgencyRef(Schema):
    id: int
    name: str


class AgencyOut(Schema):
    id: int
    version: int = Field(description=VERSION_DESCRIPTION)
    name: str
    name_kk: str
    name_ru: str
    name_en: str
    agency_type: AgencyType
    territory: TerritoryRef
    address: str
    phone: str
    is_active: bool


class AgencyIn(InputSchema):
    name_kk: str
    name_ru: str
    name_en: str
    agency_type: AgencyType
    territory: str = Field(description="KATO code of the region or district the agency serves.")
    address: str = ""
    phone: str = ""
    is_active: bool = True


class AgencyPatch(InputSchema):
    name_kk: str | None = None
    name_ru: str | None = None
    name_en: str | None = None
    agency_type: AgencyType | None = None
    territory: str | None = Field(None, description="KATO code of the region or district.")
    address: str | None = None
    phone: str | None = None
    is_active: bool | None = None


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    agency: AgencyRef | None
    roles: list[Role]
    language: str

    @staticmethod
    def resolve_full_name(obj: User) -> str:
        return obj.get_full_name()


class TrainingOut(Schema):
    id: int
    course: str
    provider: str
    completed_on: datetime.date
    hours: int
    certificate_number: str


class TrainingIn(InputSchema):
    course: str
    completed_on: datetime.date
    hours: int
    provider: str = ""
    certificate_number: str = ""


class StaffOut(Schema):
    id: int
    version: int = Field(description=VERSION_DESCRIPTION)
    username: str
    full_name: str
    last_name: str
    first_name: str
    patronymic: str
    email: str
    agency: AgencyRef | None
    position: str
    phone: str
    language: str
    is_active: bool
    roles: list[Role]
    trainings: list[TrainingOut]
    last_login: datetime.datetime | None

    @staticmethod
    def resolve_full_name(obj: User) -> str:
        return obj.get_full_name()

    @staticmethod
    def resolve_trainings(obj: User) -> list[Training]:
        return list(obj.trainings.all())


class StaffPage(Schema):
    count: int
    more: bool = Field(description="More rows than `count`: counting stops at QORGAU_COUNT_CAP.")
    page: int
    pages: int
    results: list[StaffOut]


class StaffIn(InputSchema):
    username: str
    # A password keeps its spaces: they are part of it.
    password: Annotated[str, StringConstraints(strip_whitespace=False)]
    roles: list[Role]
    agency: int | None = Field(None, description="Agency id; only an administrator may have none.")
    first_name: str
    last_name: str
    patronymic: str = ""
    email: str = ""
    position: str = ""
    phone: str = ""
    language: str = Field("kk", description="Interface language: kk, ru or en.")


class StaffPatch(InputSchema):
    first_name: str | None = None
    last_name: str | None = None
    patronymic: str | None = None
    email: str | None = None
    agency: int | None = Field(None, description="Agency id.")
    position: str | None = None
    phone: str | None = None
    language: str | None = None
    is_active: bool | None = None


class RolesIn(InputSchema):
    roles: list[Role]


# Juveniles and the people around them


class RelativeOut(Schema):
    id: int
    version: int = Field(description=VERSION_DESCRIPTION)
    last_name: str
    first_name: str
    patronymic: str
    full_name: str
    relation: Relation
    is_legal_representative: bool
    lives_with_child: bool
    iin: str
    birth_date: datetime.date | None
    phone: str
    email: str
    address: str
    occupation: str
    notes: str


class RelativeIn(InputSchema):
    last_name: str
    first_name: str
    patronymic: str = ""
    relation: Relation
    is_legal_representative: bool = False
    lives_with_child: bool = False
    iin: str = ""
    birth_date: datetime.date | None = None
    phone: str = ""
    email: str = ""
    address: str = ""
    occupation: str = ""
    notes: str = ""


class RelativePatch(InputSchema):
    last_name: str | None = None
    first_name: str | None = None
    patronymic: str | None = None
    relation: Relation | None = None
    is_legal_representative: bool | None = None
    lives_with_child: bool | None = None
    iin: str | None = None
    birth_date: datetime.date | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    occupation: str | None = None
    notes: str | None = None


class JuvenileFilters(PageFilter):
    q: str = Field("", description="IIN digits (from the start) or a name in Cyrillic or Latin.")
    region: str | None = Field(None, description="KATO code: residents of this unit and its parts.")


class JuvenileRow(Schema):
    id: int
    full_name: str
    name_latin: str
    iin_masked: str = Field(
        description="The last four digits of the IIN, the rest masked (`••••••••0123`); empty "
        "without one. The whole number is in the record (GET /api/juveniles/{id})."
    )
    birth_date: datetime.date
    age: int
    sex: Sex
    address_territory: TerritoryRef | None


class JuvenilePage(Schema):
    count: int
    more: bool = Field(description="More rows than `count`: counting stops at QORGAU_COUNT_CAP.")
    page: int
    pages: int
    results: list[JuvenileRow]


class FamilyProfileOut(Schema):
    incomplete_family: bool
    low_income_family: bool
    large_family: bool
    asocial_family: bool
    family_notes: str
    risk_factors: list[str] = Field(
        description="The risk factors, named in the request's language."
    )


class JuvenileOut(Schema):
    id: int
    version: int = Field(description=VERSION_DESCRIPTION)
    last_name: str
    first_name: str
    patronymic: str
    full_name: str
    name_latin: str
    iin: str | None
    no_iin_reason: str
    birth_date: datetime.date
    age: int
    sex: Sex
    citizenship: Citizenship
    citizenship_country: str
    address_territory: TerritoryRef | None
    address: str
    school: str
    family: FamilyProfileOut
    registered_by_agency: AgencyRef
    relatives: list[RelativeOut]
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_family(obj: Juvenile) -> Juvenile:
        return obj

    @staticmethod
    def resolve_relatives(obj: Juvenile) -> list[object]:
        return list(obj.relatives.all())


class JuvenileIn(InputSchema):
    last_name: str
    first_name: str
    patronymic: str = ""
    iin: str | None = Field(None, description="12 digits; birth date and sex are read from it.")
    no_iin_reason: NoIINReason | None = Field(None, description="Required when there is no IIN.")
    birth_date: datetime.date | None = None
    sex: Sex | None = None
    citizenship: Citizenship = Citizenship.KAZAKHSTAN
    citizenship_country: str = ""
    address_territory: str | None = Field(None, description="KATO code of the place of residence.")
    address: str = ""
    school: str = ""
    incomplete_family: bool = False
    low_income_family: bool = False
    large_family: bool = False
    asocial_family: bool = False
    family_notes: str = ""


class JuvenilePatch(InputSchema):
    last_name: str | None = None
    first_name: str | None = None
    patronymic: str | None = None
    iin: str | None = None
    no_iin_reason: NoIINReason | None = None
    birth_date: datetime.date | None = None
    sex: Sex | None = None
    citizenship: Citizenship | None = None
    citizenship_country: str | None = None
    address_territory: str | None = Field(None, description="KATO code of the place of residence.")
    address: str | None = None
    school: str | None = None
    incomplete_family: bool | None = None
    low_income_family: bool | None = None
    large_family: bool | None = None
    asocial_family: bool | None = None
    family_notes: str | None = None


# Audit trail


class AuditFilters(PageFilter):
    actor: int | None = Field(None, description="Id of the user who acted.")
    action: str = Field("", description="Event code, e.g. `juvenile.view`.")
    subject_type: str = Field("", description="Record type, e.g. `people.juvenile`.")
    subject_id: str = Field("", description="Id of the record.")


class AuditEventOut(Schema):
    id: int
    at: datetime.datetime
    actor: int | None = Field(description="Id of the user who acted; null for the system.")
    actor_name: str
    actor_agency: str
    action: str
    action_label: str
    subject_type: str
    subject_id: str
    subject_label: str
    fields: list[str]
    changes: dict[str, list[object]]
    details: dict[str, object]
    channel: str
    ip_address: str | None
    chain_seq: int | None = Field(
        description="Place in the hash chain; null until the event is sealed (seconds after)."
    )
    prev_hash: str | None = Field(
        description="Hash of the event before it in the chain; null until sealed."
    )
    row_hash: str | None = Field(
        description="Hash of this event: `qorgau verify-audit` checks both; null until sealed."
    )

    @staticmethod
    def resolve_actor(obj: AuditEvent) -> int | None:
        return obj.actor_id


class AuditPage(Schema):
    count: int
    more: bool = Field(description="More rows than `count`: counting stops at QORGAU_COUNT_CAP.")
    page: int
    pages: int
    results: list[AuditEventOut]
