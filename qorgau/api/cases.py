"""Criminal cases against minors: the list, the case with each minor's timeline, and its steps.

Every write goes through qorgau.proceedings.services, which checks the caller's role and agency,
the stage of the minor's case and the times, writes in one transaction and audits; the API
turns ids and KATO codes into records first, and answers 422 naming the field when one is
unknown. A case outside the caller's scope answers 404, as on the case pages.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Status

from qorgau.accounts.models import User
from qorgau.api import case_lookups as lookups
from qorgau.api.case_fields import fields_doc as _fields_doc
from qorgau.api.case_fields import refuse_stray as _refuse_stray
from qorgau.api.case_lookups import MESSAGE_NO_OFFSET as MESSAGE_NO_OFFSET  # re-exported
from qorgau.api.case_lookups import (
    MESSAGE_UNKNOWN_ACCUSED as MESSAGE_UNKNOWN_ACCUSED,  # re-exported
)
from qorgau.api.case_lookups import (
    MESSAGE_UNKNOWN_ARTICLE as MESSAGE_UNKNOWN_ARTICLE,  # re-exported
)
from qorgau.api.case_lookups import (
    MESSAGE_UNKNOWN_JUVENILE as MESSAGE_UNKNOWN_JUVENILE,  # re-exported
)
from qorgau.api.case_lookups import (
    MESSAGE_UNKNOWN_PARTICIPANT as MESSAGE_UNKNOWN_PARTICIPANT,  # re-exported
)
from qorgau.api.case_lookups import (
    MESSAGE_UNKNOWN_RELATIVE as MESSAGE_UNKNOWN_RELATIVE,  # re-exported
)
from qorgau.api.case_lookups import MESSAGE_UNKNOWN_STAFF as MESSAGE_UNKNOWN_STAFF  # re-exported
from qorgau.api.case_schemas import (
    CaseHeaderOut,
    CaseIn,
    CaseListFilters,
    CaseOut,
    CasePage,
    ChargeOut,
    EventIn,
    EventOut,
    MinorIn,
    MinorOut,
    ParticipantIn,
    ParticipantOut,
    ProsecutorIn,
    RequalificationIn,
    RuleBookOut,
)
from qorgau.api.common import acting_user, agency_by_id, paginate, responses, territory_by_code
from qorgau.api.versions import IF_MATCH_DESCRIPTION, IfMatch, expected_version, with_etag
from qorgau.proceedings import policy, selectors, services
from qorgau.proceedings.legal_rules import SECTIONS, rule_book
from qorgau.proceedings.models import (
    Accused,
    Charge,
    Participant,
    ProceduralEvent,
    Proceeding,
    ProceedingQuerySet,
)
from qorgau.proceedings.services.cases import MESSAGE_WRONG_MINOR
from qorgau.proceedings.services.common import require_role

router = Router(tags=["cases"])

MESSAGE_NOT_FOR_KIND = _("A step of this kind does not record this field.")
MESSAGE_NOT_FOR_ROLE = _("This field is not recorded for a person in this role.")
MESSAGE_NOT_REPRESENTATIVE = _(
    "This family member is not marked as a legal representative in the juvenile's record."
)
# Django's own text, so its translations apply.
MESSAGE_REQUIRED = _("This field is required.")

READERS = (
    "Staff whose role reads criminal cases (the `proceedings.view_proceeding` permission: "
    "investigators, juvenile police inspectors, prosecutors, defence lawyers, social "
    "psychologists, judges, court social workers, probation inspectors and child-rights "
    "specialists); others get 403."
)
SCOPE = (
    "A case is seen by every agency taking part in it (the registering body, the "
    "investigator's, the supervising prosecutor's, the court's, and the agencies of staff "
    "recorded as its participants) and by no other: a case outside that scope answers 404, as "
    "if it did not exist."
)
REFERENCES = (
    "An id or code in the body that names nothing the caller may see answers 422 naming the "
    "field; every refusal of the procedure (stage, times, ages, roles) carries the same "
    "translated message as the case pages."
)

# What each step and each person records comes from the policy the services enforce; the API
# also refuses a stray field up front, so a client learns of it before anything else.
EVERY_EVENT = {"kind", "started_at", *policy.EVERY_EVENT}
EVERY_PARTICIPANT = {"role", *policy.EVERY_PARTICIPANT}
# Text codes the model keeps as "" when absent.
BLANK_CODES = ("method", "verdict", "appeal_outcome")


# Look-ups of what a body names


def _visible_cases(user: User) -> ProceedingQuerySet:
    return Proceeding.objects.visible_to(user)


def _case(user: User, case_id: int) -> Proceeding:
    return _visible_cases(user).get(pk=case_id)


# Reads


@router.get(
    "/cases",
    response=responses({200: CasePage}, 401, 403, 422),
    summary="List criminal cases",
    description=(
        "25 cases a page, newest registration first, each with its minors and the stage of each. "
        "Filters: `q` (part of the registration number, or IIN digits from the start), `region` "
        "(KATO code: the unit and its districts), `stage` (a minor at that stage), `investigator` "
        "(user id), `gravity` (a current charge of that category), `registered_from` and "
        "`registered_to` (dates, inclusive). Every search with a non-empty `q` is written to "
        "the audit trail (IIN digits as a keyed digest, not in clear). " + READERS + " " + SCOPE
    ),
)
def list_cases(request: HttpRequest, filters: Query[CaseListFilters]) -> dict[str, Any]:
    user = acting_user(request, "proceedings.view_proceeding")
    region = territory_by_code("region", filters.region or None)
    cases = selectors.cases_for_list(
        actor=user,
        filters=selectors.CaseFilters(
            region_id=region.pk if region else None,
            stage=filters.stage or "",
            investigator_id=filters.investigator,
            gravity=filters.gravity or "",
            registered_from=filters.registered_from,
            registered_to=filters.registered_to,
            query=filters.q.strip(),
        ),
    )
    page = paginate(cases, filters.page)
    if filters.q.strip():
        services.log_case_search(actor=user, query=filters.q.strip(), result_count=page["count"])
    return page


@router.get(
    "/cases/{case_id}",
    response=responses({200: CaseOut}, 401, 403, 404),
    summary="Read a criminal case",
    description=(
        "The case with its people and, for each minor: the current charges, the requalifications "
        "(from which article part to which, when, by whom, why), the stage and any decision "
        "awaiting approval, the timeline of procedural events newest first (every recorded "
        "field, the duration computed from the times, the ids of those present, the author with "
        "the role they acted in and their agency), `actions`: the kinds of step the caller may "
        "record now, and `violations`: the safeguards the record shows were not kept (GET "
        "/api/violations/{id} for each one's proof and legal basis). Every reading is written "
        "to the audit trail. " + READERS + " " + SCOPE
    ),
)
@with_etag
def read_case(request: HttpRequest, case_id: int) -> Proceeding:
    user = acting_user(request, "proceedings.view_proceeding")
    case = services.view_case(actor=user, pk=case_id)
    # Roles of the caller (for `actions`) and of each author, in one query each.
    authors = [event.author for minor in case.accused.all() for event in minor.events.all()]
    prefetch_related_objects([user, *authors], "groups")
    # Each minor's violations and the ids of their proof, in one query each (MinorOut puts
    # them in order).
    proof = Prefetch("violations__events", queryset=ProceduralEvent.objects.only("id"))
    prefetch_related_objects(list(case.accused.all()), proof)
    return case


@router.get(
    "/rules",
    response=responses({200: RuleBookOut}, 401),
    summary="The rule book of the procedure",
    tags=["reference"],
    description=(
        "The figures the law fixes for proceedings against minors, from the configured "
        "jurisdiction profile: the age of a minor, the preventive measures, the grounds for "
        "terminating prosecution and the punishments for minors. Each rule has its code (what "
        "`measure`, `ground` and `punishment` take), its text in Kazakh, Russian and English, "
        "its legal basis, whether it has been confirmed in an official text, the dates it is in "
        "force (a step is judged by the rule in force on its date) and its other figures. Any "
        "signed-in staff member may call it; the book is the same for everyone."
    ),
)
def read_rules(request: HttpRequest) -> dict[str, Any]:
    acting_user(request)
    book = rule_book()
    sections = [{"name": name, "rules": list(book.rules[name])} for name in SECTIONS]
    return {"profile": book.profile, "sections": sections}


# Writes


@router.post(
    "/cases",
    response=responses({201: CaseOut}, 400, 401, 403, 422),
    summary="Register a criminal case",
    description=(
        "Registers a case against a minor with the article parts charged; the investigator who "
        "registers it is in charge and their agency is the registering body. `territory` is a "
        "KATO code, `juvenile` the id of a record the caller may see, `articles` a list of "
        '`{"article": "188", "part": "2"}` (GET /api/articles), `prosecutor` the user id of a '
        "prosecutor. Refused: an offence in the future, a registration before the offence or in "
        "the future, a person 18 or older on the day of the offence, a charge below the "
        "article's minimum age. Investigators only (the `proceedings.add_proceeding` "
        "permission); others get 403. " + REFERENCES
    ),
)
def open_case(request: HttpRequest, payload: CaseIn) -> Status[Proceeding]:
    user = acting_user(request, "proceedings.add_proceeding")
    lookups.aware("offence_at", payload.offence_at)
    case = services.open_case(
        actor=user,
        number=payload.number,
        registered_on=payload.registered_on,
        offence_at=payload.offence_at,
        offence_place=payload.offence_place,
        territory=lookups.territory("territory", payload.territory),
        juvenile=lookups.juvenile(user, "juvenile", payload.juvenile),
        articles=lookups.articles("articles", payload.articles),
        prosecutor=lookups.staff("prosecutor", payload.prosecutor),
        summary=payload.summary,
    )
    return Status(201, selectors.case_for_page(actor=user, pk=case.pk))


@router.post(
    "/cases/{case_id}/minors",
    response=responses({201: MinorOut}, 400, 401, 403, 404, 422),
    summary="Join another minor to a case",
    description=(
        "Adds a minor accused in the case with the article parts charged "
        '(`{"article": "188", "part": "2"}`); the same age guards as registration apply. '
        "Investigators only; others get 403. " + SCOPE + " " + REFERENCES
    ),
)
def add_minor(request: HttpRequest, case_id: int, payload: MinorIn) -> Status[Accused]:
    user = acting_user(request)
    case = _case(user, case_id)
    accused = services.add_accused(
        actor=user,
        proceeding=case,
        juvenile=lookups.juvenile(user, "juvenile", payload.juvenile),
        articles=lookups.articles("articles", payload.articles),
    )
    full = selectors.case_for_page(actor=user, pk=case.pk)
    return Status(201, next(a for a in full.accused.all() if a.pk == accused.pk))


@router.post(
    "/cases/{case_id}/participants",
    response=responses({201: ParticipantOut}, 400, 401, 403, 404, 422),
    summary="Add a participant to a case",
    description=(
        "Records a person around the minor, with the fields the case page asks for each role "
        "(required in bold; `phone` and `notes` for every role; a field of another role is "
        "refused):\n\n"
        + _fields_doc(policy.PARTICIPANT_FIELDS, roles=False)
        + "\n\n`relative` is a family member marked as legal representative in the record of a "
        "minor of the case, whose track the person then stands for; `user` a staff member with "
        "the role (defence lawyer, social psychologist), whose agency then sees the case; "
        "`accused` the minor's track the person is for (with a single minor in the case, a "
        "representative, defender, psychologist or pedagogue stands for that minor). "
        "Investigators and judges only; others get 403. " + SCOPE + " " + REFERENCES
    ),
)
def add_participant(
    request: HttpRequest, case_id: int, payload: ParticipantIn
) -> Status[Participant]:
    user = acting_user(request)
    case = _case(user, case_id)
    required, optional = policy.PARTICIPANT_FIELDS[payload.role]
    accepted = EVERY_PARTICIPANT | {*required, *optional}
    _refuse_stray(payload, accepted, MESSAGE_NOT_FOR_ROLE, ParticipantIn.model_fields)
    missing = {
        name: MESSAGE_REQUIRED
        for name in set(required) - {"full_name"}
        if not getattr(payload, name)
    }
    if missing:
        raise ValidationError(missing)
    accused = lookups.accused(case, "accused", payload.accused)
    relative = lookups.relative(user, "relative", payload.relative)
    if relative is not None:
        if not relative.is_legal_representative:
            raise ValidationError({"relative": MESSAGE_NOT_REPRESENTATIVE})
        if accused is None:
            accused = case.accused.filter(juvenile_id=relative.juvenile_id).first()
            if accused is None:
                raise ValidationError({"relative": MESSAGE_WRONG_MINOR})
    elif accused is None and payload.role in policy.FOR_A_MINOR:
        minors = list(case.accused.all()[:2])
        accused = minors[0] if len(minors) == 1 else None
    participant = services.add_participant(
        actor=user,
        proceeding=case,
        role=payload.role,
        accused=accused,
        user=lookups.staff("user", payload.user),
        relative=relative,
        full_name=payload.full_name,
        is_minor=payload.is_minor,
        phone=payload.phone,
        tried_in=payload.tried_in or "",
        state_paid=payload.state_paid,
        notes=payload.notes,
    )
    return Status(201, participant)


@router.put(
    "/cases/{case_id}/prosecutor",
    response=responses({200: CaseHeaderOut}, 400, 401, 403, 404, 412, 422, 428),
    summary="Name the supervising prosecutor",
    description=(
        "Sets the case's supervising prosecutor (a user with the prosecutor role); their office "
        "then sees the case. Investigators and prosecutors only; others get 403. "
        + IF_MATCH_DESCRIPTION
        + " "
        + SCOPE
        + " "
        + REFERENCES
    ),
)
@with_etag
def set_prosecutor(
    request: HttpRequest, case_id: int, payload: ProsecutorIn, if_match: IfMatch = None
) -> Proceeding:
    user = acting_user(request)
    case = _case(user, case_id)
    require_role(user, set(policy.SET_PROSECUTOR))  # the role first, as the service does
    version = expected_version(if_match)
    prosecutor = lookups.staff("prosecutor", payload.prosecutor)
    assert prosecutor is not None
    return services.set_prosecutor(
        actor=user, proceeding=case, prosecutor=prosecutor, version=version
    )


@router.post(
    "/charges/{charge_id}/requalify",
    response=responses({201: ChargeOut}, 400, 401, 403, 404, 422),
    summary="Requalify a charge",
    description=(
        "Ends a current charge and charges the new article part "
        '(`{"article": "188", "part": "3"}`) in its place, keeping from which, when, by whom '
        "and `reason` why. Refused for a charge already requalified, the same article part, a "
        "minor below the new article's minimum age, or a minor whose case is finished. "
        "Investigators, prosecutors and judges only; others get 403. The charge is found "
        "through its case: " + SCOPE + " " + REFERENCES
    ),
)
def requalify_charge(
    request: HttpRequest, charge_id: int, payload: RequalificationIn
) -> Status[Charge]:
    user = acting_user(request)
    charge = Charge.objects.filter(accused__proceeding__in=_visible_cases(user)).get(pk=charge_id)
    article = lookups.articles("article", [payload.article])[0]
    new = services.requalify_charge(
        actor=user, charge=charge, article=article, reason=payload.reason
    )
    return Status(201, new)


@router.post(
    "/cases/{case_id}/minors/{accused_id}/events",
    response=responses({200: EventOut, 201: EventOut}, 400, 401, 403, 404, 422),
    summary="Record a procedural step for a minor",
    description=(
        "Records one step on the minor's timeline with the times it happened (ISO 8601 with the "
        "UTC offset; durations are computed, never typed) and moves the minor's case to its next "
        "stage. `attendees` and `participant` are ids of the case's participants; `court` the "
        "agency id of a juvenile court. Refused with 422: a step the stage does not allow (a "
        "judgment before referral to court), a time in the future or before the offence, an end "
        "before the start, a missing required field, a code not in force on the day (GET "
        "/api/rules), or a field the kind does not record, or a step the record contradicts "
        "(an approval dated before its decision, a release before its detention, two "
        "interrogations of one minor at once, a decision before the registration). The same "
        "submission again (same kind, times and content: a retry) records nothing and answers "
        "200 with the step recorded the first time. The step keeps the role and agency the "
        "caller acted in. The roles each kind takes (others "
        "get 403), then its fields besides `document_number` and `notes`, required in bold:\n\n"
        + _fields_doc(policy.EVENT_FIELDS, roles=True)
        + "\n\nBefore the court the investigator's agency records, approvals are the "
        "supervising prosecutor's office's, and in court the court's; a defence lawyer and a "
        "psychologist record their own presence. `actions` in GET /api/cases/{case_id} lists "
        "what the caller may record now. " + SCOPE + " " + REFERENCES
    ),
)
def record_event(
    request: HttpRequest, case_id: int, accused_id: int, payload: EventIn
) -> Status[ProceduralEvent]:
    user = acting_user(request)
    case = _case(user, case_id)
    accused = Accused.objects.filter(proceeding=case).get(pk=accused_id)
    require_role(user, policy.roles_for(payload.kind))  # the role first, as the service does
    required, optional = policy.EVENT_FIELDS[payload.kind]
    accepted = EVERY_EVENT | {*required, *optional}
    _refuse_stray(payload, accepted, MESSAGE_NOT_FOR_KIND, EventIn.model_fields)
    data = payload.model_dump(exclude={"kind", "started_at", "attendees", "court", "participant"})
    lookups.aware("started_at", payload.started_at)
    lookups.aware("ended_at", payload.ended_at)
    for item in payload.breaks:
        lookups.aware("breaks", item.start)
        lookups.aware("breaks", item.end)
    for name in BLANK_CODES:
        data[name] = data[name] or ""
    participant = None
    if payload.participant is not None:
        participant = lookups.participants(case, "participant", [payload.participant])[0]
    event = services.record_event(
        actor=user,
        accused=accused,
        kind=payload.kind,
        started_at=payload.started_at,
        attendees=lookups.participants(case, "attendees", payload.attendees),
        court=agency_by_id("court", payload.court),
        participant=participant,
        **data,
    )
    return Status(200 if event.already_recorded else 201, event)
