"""Procedural safeguards: the rule book, the violations the record shows, the prosecutor's answers.

Violations are found by qorgau.safeguards on every recorded event and by the `check-deadlines`
sweep; the API only reads them and passes the prosecutor's answers to
qorgau.safeguards.services, which checks the role, the status and the input, writes in one
transaction and audits. A violation is seen by whoever sees its case; one outside the caller's
scope answers 404, as if it did not exist. The oversight summary and the red flags are the
reads of qorgau.safeguards.selectors that the web dashboard and "Today" show.
"""

import dataclasses
import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router

from qorgau.accounts.access import MESSAGE_NOT_ALLOWED
from qorgau.accounts.models import Role, User
from qorgau.api.common import acting_user, agency_by_id, paginate, responses, territory_by_code
from qorgau.api.safeguard_schemas import (
    ActIn,
    DisputeIn,
    OversightFilters,
    OversightSummaryOut,
    RedFlagsOut,
    RemedyIn,
    SafeguardBookOut,
    StatusFilter,
    ViolationFilters,
    ViolationOut,
    ViolationPage,
)
from qorgau.core.models import Territory
from qorgau.proceedings.models import ProceduralEvent
from qorgau.safeguards import selectors, services
from qorgau.safeguards.models import Violation, ViolationQuerySet
from qorgau.safeguards.rulebook import safeguard_book

router = Router(tags=["safeguards"])

# Django's own text, so its translations apply (as for the filters that take a fixed choice).
MESSAGE_CHOICE = _("Select a valid choice. That choice is not one of the available choices.")
# The text of the web dashboard's filters, so its translations apply.
MESSAGE_PERIOD = _("The end of the period must be the same as or after its start.")
RED_FLAG_ROWS = 10

READERS = (
    "Staff whose role reads criminal cases (the `safeguards.view_violation` permission: "
    "investigators, juvenile police inspectors, prosecutors, defence lawyers, social "
    "psychologists, judges, court social workers, probation inspectors and child-rights "
    "specialists); others get 403."
)
SCOPE = (
    "A violation is seen by whoever sees its case: every agency taking part in it (the "
    "registering body, the investigator's, the supervising prosecutor's, the court's, and the "
    "agencies of staff recorded as its participants) and no other, so an investigator sees the "
    "flags on his own cases; a violation outside that scope answers 404, as if it did not exist."
)
OVERSEERS = (
    "Prosecutors only, as on the web dashboard (the `safeguards.change_violation` permission "
    "and the prosecutor role); others get 403."
)
ANSWERERS = (
    "Prosecutors only (the `safeguards.change_violation` permission and the prosecutor role); "
    "others who see the violation get 403. A violation already remedied, disputed or answered "
    "with an act cannot change (422). The answer is written to the audit trail with the old "
    "and new status."
)


def _violations(user: User) -> ViolationQuerySet:
    """The violations the user may see, with what a row shows, in a fixed number of queries."""
    proof = ProceduralEvent.objects.only("id").order_by("started_at", "id")
    return (
        Violation.objects.visible_to(user)
        .select_related(
            "proceeding",
            "accused__juvenile",
            "responsible",
            "responsible_agency",
            "status_changed_by",
        )
        .prefetch_related(Prefetch("events", queryset=proof))
    )


def _midnight(day: datetime.date) -> datetime.datetime:
    """The start of the day on Kazakhstan's clocks (a range the index on detected_at serves)."""
    start = datetime.datetime.combine(day, datetime.time())
    return timezone.make_aware(start, timezone.get_default_timezone())


def _violation(user: User, violation_id: int) -> Violation:
    return _violations(user).get(pk=violation_id)


def _overseer(request: HttpRequest) -> User:
    """The signed-in prosecutor who watches over the violations (as the web dashboard asks)."""
    user = acting_user(request, "safeguards.change_violation")
    if not user.is_superuser and not user.has_role(Role.PROSECUTOR):
        raise PermissionDenied(MESSAGE_NOT_ALLOWED)
    return user


def _rule(rule: str) -> str:
    """The rule id of a filter, refused (422) unless the rule book has it."""
    rule = rule.strip()
    if rule and safeguard_book().get(rule) is None:
        raise ValidationError({"rule": MESSAGE_CHOICE})
    return rule


def _selector_filters(filters: OversightFilters) -> selectors.ViolationFilters:
    """The filters as the selectors take them; an unknown rule, region or agency, or a period
    ending before it starts, is refused (422) naming the filter."""
    rule = _rule(filters.rule)
    region = territory_by_code("region", filters.region or None)
    agency = agency_by_id("agency", filters.agency)
    start, end = filters.detected_from, filters.detected_to
    if start and end and end < start:
        raise ValidationError({"detected_to": MESSAGE_PERIOD})
    return selectors.ViolationFilters(
        detected_from=start,
        detected_to=end,
        region_id=region.pk if region is not None else None,
        agency_id=agency.pk if agency is not None else None,
        rule_id=rule,
        status=filters.status.value if filters.status else "",
        severity=str(filters.severity or ""),
        responsible_id=filters.responsible,
    )


# Reads


@router.get(
    "/safeguards/rules",
    response=responses({200: SafeguardBookOut}, 401),
    summary="The safeguard rules",
    tags=["reference"],
    description=(
        "The procedural safeguards the system checks on every recorded step and in the periodic "
        "sweep, from the rule file of the configured jurisdiction profile, in the file's order: "
        "each rule's id, the check that evaluates it, its severity, its thresholds (hours, "
        "minutes, ages, gravity categories), the article of the code and the international "
        "standard behind it, whether it has been confirmed in an official text, whether it is "
        "an internal alert (`policy`) rather than a figure of the law, the dates it is in force, "
        "and its title and message in Kazakh, Russian and English. Any signed-in staff member "
        "may call it (an administrator checks the source and value of every rule here); the "
        "book is the same for everyone."
    ),
)
def read_safeguard_rules(request: HttpRequest) -> dict[str, Any]:
    acting_user(request)
    book = safeguard_book()
    return {"profile": book.profile, "rules": list(book.rules)}


@router.get(
    "/violations",
    response=responses({200: ViolationPage}, 401, 403, 422),
    summary="List violations of safeguards",
    description=(
        "25 violations a page, newest found first, each with its rule, severity, status, case, "
        "minor, the staff member and agency responsible, what happened (in the request's "
        "language), the ids of the events that prove it and the prosecutor's act, if one. "
        "Filters: `status` (or `unresolved`: open and acknowledged), `rule` (id from GET "
        "/api/safeguards/rules), `severity`, `case` (case id), `region` (KATO code of the case's "
        "unit: the unit and its districts), `agency` (the responsible agency's id), "
        "`responsible` (the responsible staff member's user id), `detected_from` and "
        "`detected_to` (dates, inclusive, on Kazakhstan's clocks). " + READERS + " " + SCOPE
    ),
)
def list_violations(request: HttpRequest, filters: Query[ViolationFilters]) -> dict[str, Any]:
    user = acting_user(request, "safeguards.view_violation")
    rule = _rule(filters.rule)
    region = territory_by_code("region", filters.region or None)
    agency = agency_by_id("agency", filters.agency)
    violations = _violations(user)
    if filters.status == StatusFilter.UNRESOLVED:
        violations = violations.unresolved()
    elif filters.status:
        violations = violations.filter(status=filters.status)
    if rule:
        violations = violations.filter(rule_id=rule)
    if filters.severity:
        violations = violations.filter(severity=filters.severity)
    if filters.case is not None:
        violations = violations.filter(proceeding_id=filters.case)
    if region is not None:
        violations = violations.filter(
            Q(proceeding__territory=region) | Q(proceeding__territory__parent=region)
        )
    if agency is not None:
        violations = violations.filter(responsible_agency=agency)
    if filters.responsible is not None:
        violations = violations.filter(responsible_id=filters.responsible)
    if filters.detected_from:
        violations = violations.filter(detected_at__gte=_midnight(filters.detected_from))
    if filters.detected_to:
        next_day = filters.detected_to + datetime.timedelta(days=1)
        violations = violations.filter(detected_at__lt=_midnight(next_day))
    return paginate(violations.order_by("-detected_at", "-id"), filters.page)


@router.get(
    "/violations/red-flags",
    response=responses({200: RedFlagsOut}, 401, 403),
    summary="The red flags of Today",
    description=(
        'What the web\'s "Today" page shows first: how many violations are not yet answered '
        "(open or acknowledged) in the cases the caller sees, and the first 10 of them, the "
        "gravest first, then the newest, each with its rule, severity, status, case, minor and "
        "what happened in the request's language. Takes no parameters. " + READERS + " " + SCOPE
    ),
)
def list_red_flags(request: HttpRequest) -> dict[str, Any]:
    user = acting_user(request, "safeguards.view_violation")
    count, violations = selectors.red_flags(actor=user, limit=RED_FLAG_ROWS)
    return {"count": count, "results": violations}


@router.get(
    "/violations/{violation_id}",
    response=responses({200: ViolationOut}, 401, 403, 404),
    summary="Read a violation",
    description=(
        "The violation as listed, with the rule's legal citation and international standard, "
        "whether the rule is confirmed and whether it is an internal alert, and the status "
        "fields: when and by whom it was last answered, and the note of a remedy or the reason "
        "of a dispute. " + READERS + " " + SCOPE
    ),
)
def read_violation(request: HttpRequest, violation_id: int) -> Violation:
    user = acting_user(request, "safeguards.view_violation")
    return services.view_violation(actor=user, pk=violation_id)


@router.get(
    "/oversight/summary",
    response=responses({200: OversightSummaryOut}, 401, 403, 422),
    summary="The prosecutor's oversight summary",
    description=(
        "The web oversight dashboard as data. Key figures, each with the previous period of the "
        "same length: violations not yet answered at the end of the period, violations found "
        "in it, and the median hours from finding to answer. Tables by region, by the agency "
        "and by the staff member responsible, and by rule: what is not yet answered now, what "
        "was found in the period and in the previous one, the change and the median time to "
        "react. The trend of the last 12 months, and the cases with the most high-severity "
        "violations not yet answered first. The period is that of detection: `detected_from` "
        "and `detected_to` (dates, inclusive, on Kazakhstan's clocks), by default the last 30 "
        "days; what is not yet answered counts whenever it was found. The other filters apply "
        "to everything: `status` (or `unresolved`), `rule`, `severity`, `region` (KATO code), "
        "`agency` and `responsible` (user id), as in GET /api/violations; an unknown rule, "
        "region or agency, or a period ending before it starts, is refused with 422. "
        + OVERSEERS
        + " The figures count the violations of the cases the prosecutor's office takes part "
        "in, as GET /api/violations lists them."
    ),
)
def read_oversight_summary(
    request: HttpRequest, filters: Query[OversightFilters]
) -> selectors.Overview:
    user = _overseer(request)
    data = selectors.overview(
        actor=user, filters=_selector_filters(filters), today=timezone.localdate()
    )
    # The API names territories by their KATO code, the key the `region` filter takes.
    codes = dict(
        Territory.objects.filter(pk__in=[row.key for row in data.by_region]).values_list(
            "pk", "kato_code"
        )
    )
    by_region = [dataclasses.replace(row, key=codes[row.key]) for row in data.by_region]
    return dataclasses.replace(data, by_region=by_region)


# The prosecutor's answers


@router.post(
    "/violations/{violation_id}/acknowledge",
    response=responses({200: ViolationOut}, 400, 401, 403, 404, 422),
    summary="Mark a violation as seen",
    description=(
        "The prosecutor has seen the violation: `open` becomes `acknowledged`. Takes no body. "
        "Refused (422) unless the violation is open. " + ANSWERERS + " " + SCOPE
    ),
)
def acknowledge_violation(request: HttpRequest, violation_id: int) -> Violation:
    user = acting_user(request)
    violation = _violation(user, violation_id)
    services.acknowledge(actor=user, violation=violation)
    return _violation(user, violation_id)


@router.post(
    "/violations/{violation_id}/remedy",
    response=responses({200: ViolationOut}, 400, 401, 403, 404, 422),
    summary="Mark a violation as remedied",
    description=(
        "The violation was put right (the child released, the defender brought in): an open or "
        "acknowledged violation becomes `remedied`, with an optional `note` of how. "
        + ANSWERERS
        + " "
        + SCOPE
    ),
)
def remedy_violation(request: HttpRequest, violation_id: int, payload: RemedyIn) -> Violation:
    user = acting_user(request)
    violation = _violation(user, violation_id)
    services.remedy(actor=user, violation=violation, note=payload.note)
    return _violation(user, violation_id)


@router.post(
    "/violations/{violation_id}/dispute",
    response=responses({200: ViolationOut}, 400, 401, 403, 404, 422),
    summary="Dispute a violation",
    description=(
        "The record is wrong or the rule does not apply here: an open or acknowledged "
        "violation becomes `disputed`, keeping the `reason` (required, not blank) as its note. "
        + ANSWERERS
        + " "
        + SCOPE
    ),
)
def dispute_violation(request: HttpRequest, violation_id: int, payload: DisputeIn) -> Violation:
    user = acting_user(request)
    violation = _violation(user, violation_id)
    services.dispute(actor=user, violation=violation, reason=payload.reason)
    return _violation(user, violation_id)


@router.post(
    "/violations/{violation_id}/act",
    response=responses({200: ViolationOut}, 400, 401, 403, 404, 422),
    summary="Record the prosecutor's act on a violation",
    description=(
        "The prosecutor answered with an act of supervision: an open or acknowledged violation "
        "becomes `act_issued`, with the `act_type` (`protest`, `representation` or `order`), "
        "the `act_number` (not blank) and the `act_date` (not in the future). "
        + ANSWERERS
        + " "
        + SCOPE
    ),
)
def issue_violation_act(request: HttpRequest, violation_id: int, payload: ActIn) -> Violation:
    user = acting_user(request)
    violation = _violation(user, violation_id)
    services.issue_act(
        actor=user,
        violation=violation,
        act_type=payload.act_type,
        act_number=payload.act_number,
        act_date=payload.act_date,
    )
    return _violation(user, violation_id)
