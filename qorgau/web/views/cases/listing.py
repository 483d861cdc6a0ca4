"""The list of cases with its filters, and opening a new case."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext as _

from qorgau.accounts.models import User
from qorgau.core.models import Gravity
from qorgau.proceedings import services
from qorgau.proceedings.models import Proceeding, Stage
from qorgau.proceedings.selectors import CaseFilters, cases_for_list
from qorgau.web.forms.cases import CaseFilterForm, CaseForm
from qorgau.web.forms.fields import add_service_errors
from qorgau.web.once import once_per_form
from qorgau.web.views.cases.common import STAGE_COLOURS, case_url
from qorgau.web.views.common import AuthedRequest, paginate, query_without_page

DATE_FILTERS = ("registered_from", "registered_to")


@dataclass(frozen=True)
class ChosenFilter:
    """A filter in use, shown as a tag that removes it."""

    label: str
    remove_url: str


@login_required
@permission_required("proceedings.view_proceeding", raise_exception=True)
def case_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    investigators = (
        User.objects.filter(pk__in=Proceeding.objects.visible_to(user).values("investigator"))
        .select_related("agency")
        .order_by("last_name", "first_name", "id")
    )
    form = CaseFilterForm(request.GET or None, investigators=investigators)
    form.is_valid()  # an unbound form filters nothing; a wrong date drops only that filter
    chosen: dict[str, Any] = getattr(form, "cleaned_data", {})
    filters = CaseFilters(
        query=(chosen.get("q") or "").strip(),
        region_id=chosen["region"].pk if chosen.get("region") else None,
        stage=chosen.get("stage") or "",
        investigator_id=chosen["investigator"].pk if chosen.get("investigator") else None,
        gravity=chosen.get("gravity") or "",
        registered_from=chosen.get("registered_from"),
        registered_to=chosen.get("registered_to"),
    )
    page = paginate(request, cases_for_list(actor=user, filters=filters))
    if filters.query:
        services.log_case_search(actor=user, query=filters.query, result_count=page.paginator.count)
    context = {
        "form": form,
        "page_obj": page,
        "rows": [_row(case) for case in page],
        "chosen_filters": _chosen_filters(request, form, chosen),
        "querystring": query_without_page(request),
        "has_errors": bool(form.errors),
    }
    template = "web/cases/_results.html" if request.htmx else "web/cases/list.html"
    return render(request, template, context)


def _row(case: Proceeding) -> dict[str, Any]:
    return {
        "case": case,
        "minors": [
            {
                "name": accused.juvenile.full_name,
                "stage": accused.get_stage_display(),
                "colour": STAGE_COLOURS[Stage(accused.stage)],
            }
            for accused in case.accused.all()
        ],
    }


def _chosen_filters(
    request: AuthedRequest, form: CaseFilterForm, chosen: dict[str, Any]
) -> list[ChosenFilter]:
    result = []
    for name, field in form.fields.items():
        value = chosen.get(name)
        if value in (None, ""):
            continue
        if name == "stage":
            shown = str(Stage(value).label)
        elif name == "gravity":
            shown = str(Gravity(value).label)
        elif isinstance(value, datetime.date):
            shown = formats.date_format(value, "SHORT_DATE_FORMAT")
        elif isinstance(value, User):
            shown = value.get_full_name() or value.username
        else:
            shown = str(value)
        params = request.GET.copy()
        keys = [f"{name}_{part}" for part in ("day", "month", "year")]
        for key in [name, "page", *(keys if name in DATE_FILTERS else [])]:
            params.pop(key, None)
        label = _("%(filter)s: %(value)s") % {"filter": field.label, "value": shown}
        result.append(ChosenFilter(label=label, remove_url=f"?{params.urlencode()}"))
    return result


@login_required
@permission_required("proceedings.add_proceeding", raise_exception=True)
@once_per_form
def case_create(request: AuthedRequest) -> HttpResponse:
    user = request.user
    juvenile = request.GET.get("juvenile", "")
    initial = {"juvenile": int(juvenile)} if juvenile.isdigit() else None
    form = CaseForm(request.POST if request.method == "POST" else None, actor=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.open_case(actor=user, **form.service_kwargs())
        except ValidationError as error:
            add_service_errors(form, error, CaseForm.ALIASES)
        else:
            messages.success(request, _("The case was opened."))
            return redirect(case_url(case))
    return render(request, "web/cases/form.html", {"form": form, "has_errors": bool(form.errors)})
