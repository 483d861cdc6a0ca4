"""Which record a refused request was after, read from its URL, and why it was refused.

Every page and API operation that answers 403 or 404 to a signed-in user leaves an
`access.refused` row (the middleware writes it), so a new page needs nothing to be covered.
The record is named from the URL's arguments: API operations name them after the record
(`juvenile_id`, `case_id`), web pages call the first one `pk` and the table below says what
a `pk` is under each path. A URL whose arguments are not listed still leaves its row, with
the path and the arguments in the details but no record named.
"""

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404
from django.utils import translation

# Argument name -> model label, most telling first: a refusal under /cases/{case_id}/minors/
# {accused_id} is filed under the case, which the child's page gathers.
SUBJECT_KWARGS: list[tuple[str, str]] = [
    ("juvenile_id", "people.juvenile"),
    ("juvenile_pk", "people.juvenile"),
    ("relative_id", "people.relative"),
    ("case_id", "proceedings.proceeding"),
    ("accused_id", "proceedings.accused"),
    ("charge_id", "proceedings.charge"),
    ("violation_id", "safeguards.violation"),
    ("assessment_id", "support.assessment"),
    ("portrait_id", "support.portrait"),
    ("report_id", "support.portraitreport"),
    ("plan_id", "support.supportplan"),
    ("task_id", "support.plantask"),
    ("mediation_id", "mediation.mediation"),
    ("shift_id", "defence.dutyshift"),
    ("agency_id", "accounts.agency"),
    ("user_id", "accounts.user"),
]
# What `pk` is on the web pages, by the start of the URL pattern; longest prefix first.
PK_BY_ROUTE: list[tuple[str, str]] = [
    ("juveniles/", "people.juvenile"),
    ("cases/", "proceedings.proceeding"),
    ("assessments/", "support.assessment"),
    ("plans/tasks/", "support.plantask"),
    ("plans/", "support.supportplan"),
    ("mediation/", "mediation.mediation"),
    ("oversight/violations/", "safeguards.violation"),
    ("duty/shifts/", "defence.dutyshift"),
    ("duty/consultations/", "accounts.agency"),
    ("agencies/", "accounts.agency"),
    ("staff/", "accounts.user"),
]

REASON_NOT_FOUND = "not found, or outside what the user's role and agency may see"
REASON_FORBIDDEN = "refused"


def register_subject_kwarg(kwarg: str, label: str) -> None:
    """A higher app names the record behind a new URL argument (from its AppConfig.ready())."""
    if all(name != kwarg for name, _ in SUBJECT_KWARGS):
        SUBJECT_KWARGS.append((kwarg, label))


def subject_of(route: str, kwargs: dict[str, Any]) -> tuple[str, str]:
    """(model label, id) of the record a URL is about, or ("", "") when it names none."""
    for name, label in SUBJECT_KWARGS:
        if kwargs.get(name) not in (None, ""):
            return label, str(kwargs[name])[:64]
    if kwargs.get("pk") not in (None, ""):
        for prefix, label in PK_BY_ROUTE:
            if route.startswith(prefix):
                return label, str(kwargs["pk"])[:64]
    return "", ""


def reason_of(exception: BaseException | None, status: int) -> str:
    """Why, in English (the trail keeps one language; pages translate the action label)."""
    if isinstance(exception, Http404) and isinstance(exception.__context__, ObjectDoesNotExist):
        exception = exception.__context__  # a view's `raise Http404 from None` keeps it here
    if isinstance(exception, ObjectDoesNotExist):
        return f"{REASON_NOT_FOUND} ({type(exception).__qualname__})"
    if isinstance(exception, Http404) or (exception is None and status == 404):
        return REASON_NOT_FOUND
    if isinstance(exception, PermissionDenied) and exception.args:
        with translation.override("en"):
            return str(exception.args[0])[:500]
    return REASON_FORBIDDEN
