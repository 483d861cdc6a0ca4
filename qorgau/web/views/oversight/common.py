"""What the oversight pages share: who answers violations, the tags, the filters and links."""

import datetime
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.urls import reverse
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qorgau.accounts.models import Role, User
from qorgau.safeguards import selectors
from qorgau.safeguards.models import Severity, Status, Violation
from qorgau.safeguards.selectors import NOT_ANSWERED
from qorgau.web.forms.oversight import ViolationFilterForm
from qorgau.web.views.cases.common import with_roles
from qorgau.web.views.common import AuthedRequest

# The status is the word; the colour only supports it (ui.md, principle 6).
STATUS_COLOURS = {
    Status.OPEN: "orange",
    Status.ACKNOWLEDGED: "",
    Status.REMEDIED: "green",
    Status.DISPUTED: "grey",
    Status.ACT_ISSUED: "purple",
}
SEVERITY_COLOURS = {Severity.HIGH: "red", Severity.MEDIUM: "yellow", Severity.LOW: "grey"}
# "High" beside "Open" would be ambiguous: the severity tag names itself.
SEVERITY_WORDS = {
    Severity.HIGH: gettext_lazy("High severity"),
    Severity.MEDIUM: gettext_lazy("Medium severity"),
    Severity.LOW: gettext_lazy("Low severity"),
}
DATE_FILTERS = ("detected_from", "detected_to")
DATE_KEYS = [f"{name}_{part}" for name in DATE_FILTERS for part in ("day", "month", "year")]


def may_answer(user: User) -> bool:
    """Only prosecutors answer violations and watch over them all (as the services require)."""
    if user.is_superuser:
        return True
    return user.has_perm("safeguards.change_violation") and user.has_role(Role.PROSECUTOR)


def require_overseer(request: AuthedRequest) -> User:
    user = with_roles(request.user)
    if not may_answer(user):
        raise PermissionDenied
    return user


@dataclass(frozen=True)
class Tag:
    text: str
    colour: str


def status_tag(violation: Violation) -> Tag:
    status = Status(violation.status)
    return Tag(str(capfirst(status.label)), STATUS_COLOURS[status])


def severity_tag(violation: Violation) -> Tag:
    severity = Severity(violation.severity)
    return Tag(str(SEVERITY_WORDS[severity]), SEVERITY_COLOURS[severity])


def filter_form(request: AuthedRequest, user: User) -> ViolationFilterForm:
    form = ViolationFilterForm(
        request.GET or None, agencies=selectors.agencies_with_violations(user)
    )
    form.is_valid()  # an unbound form filters nothing; a wrong field drops only that filter
    return form


@dataclass(frozen=True)
class ChosenFilter:
    """A filter in use, shown as a tag that removes it."""

    label: str
    remove_url: str


def chosen_filters(request: AuthedRequest, form: ViolationFilterForm) -> list[ChosenFilter]:
    chosen: dict[str, Any] = getattr(form, "cleaned_data", {})
    result = []
    for name, field in form.fields.items():
        value = chosen.get(name)
        if value in (None, ""):
            continue
        if isinstance(value, datetime.date):
            shown = formats.date_format(value, "SHORT_DATE_FORMAT")
        elif isinstance(value, User):
            shown = value.get_full_name() or value.username
        elif isinstance(field, forms.ModelChoiceField):
            shown = str(value.name)
        elif isinstance(field, forms.ChoiceField):
            choices = cast(list[tuple[str, Any]], field.choices)
            shown = str(dict(choices).get(value, value))
        else:
            shown = str(value)
        params = request.GET.copy()
        keys = [f"{name}_{part}" for part in ("day", "month", "year")]
        for key in [name, "page", *(keys if name in DATE_FILTERS else [])]:
            params.pop(key, None)
        label = _("%(filter)s: %(value)s") % {"filter": field.label, "value": shown}
        result.append(ChosenFilter(label=label, remove_url=f"?{params.urlencode()}"))
    return result


def list_link(
    base: QueryDict,
    *,
    period: selectors.Period | None = None,
    not_answered: bool = False,
    **chosen: Any,
) -> str:
    """The violation list with the page's filters, a period or "not yet answered", and more."""
    params = base.copy()
    for key in ["page", *DATE_KEYS]:
        params.pop(key, None)
    if period is not None:
        for name, day in (("detected_from", period.start), ("detected_to", period.end)):
            params[f"{name}_day"] = str(day.day)
            params[f"{name}_month"] = str(day.month)
            params[f"{name}_year"] = str(day.year)
    if not_answered:
        params["status"] = NOT_ANSWERED
    for name, value in chosen.items():
        params[name] = str(value)
    return f"{reverse('violation_list')}?{params.urlencode()}"
