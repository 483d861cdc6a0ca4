"""Administrators manage agencies, staff accounts, roles and trainings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qorgau.accounts import services, signin_services
from qorgau.accounts.models import Agency, User
from qorgau.accounts.signin import active_lockouts, has_second_factor, second_factor_required
from qorgau.core.versioning import StaleVersion
from qorgau.web.forms.accounts import AgencyForm, EditStaffForm, NewStaffForm, TrainingForm
from qorgau.web.forms.fields import add_service_errors
from qorgau.web.forms.versions import VersionedEdit
from qorgau.web.once import once_per_form
from qorgau.web.views.common import AuthedRequest, paginate, query_without_page

STAFF_FIELDS = [
    "last_name",
    "first_name",
    "patronymic",
    "agency",
    "position",
    "phone",
    "email",
    "language",
]


@login_required
@permission_required("accounts.change_agency", raise_exception=True)
def agency_list(request: AuthedRequest) -> HttpResponse:
    agencies = Agency.objects.select_related("territory__parent").order_by(
        "territory__kato_code", "name_kk"
    )
    return render(
        request,
        "web/accounts/agency_list.html",
        {"page_obj": paginate(request, agencies, 50), "querystring": query_without_page(request)},
    )


@login_required
@permission_required("accounts.change_agency", raise_exception=True)
@once_per_form
def agency_form(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    agency = get_object_or_404(Agency, pk=pk) if pk else None
    edit = VersionedEdit(request, agency, AgencyForm, _agency_initial) if agency else None
    form = AgencyForm(request.POST or None, initial=edit.initial if edit else None)
    if edit is not None and edit.submitted and edit.version is None:
        form = AgencyForm(initial=edit.reopen())
    elif request.method == "POST" and form.is_valid():
        try:
            if agency is None:
                services.create_agency(actor=request.user, **form.cleaned_data)
            else:
                version = edit.version if edit is not None else None
                services.update_agency(
                    actor=request.user, agency=agency, version=version, **form.cleaned_data
                )
        except StaleVersion:
            assert edit is not None
            form = AgencyForm(initial=edit.reopen(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The agency was saved."))
            return redirect("agency_list")
    return render(
        request,
        "web/accounts/agency_form.html",
        {
            "form": form,
            "agency": agency,
            "edit": edit,
            "has_errors": bool(form.errors) or bool(edit and edit.stale),
        },
    )


def _agency_initial(agency: Agency) -> dict[str, object]:
    return {name: getattr(agency, name) for name in AgencyForm.base_fields}


@login_required
@permission_required("accounts.change_user", raise_exception=True)
def staff_list(request: AuthedRequest) -> HttpResponse:
    staff = User.objects.select_related("agency__territory").prefetch_related("groups")
    agency_id = request.GET.get("agency", "")
    if agency_id.isdigit():
        staff = staff.filter(agency_id=int(agency_id))
    return render(
        request,
        "web/accounts/staff_list.html",
        {"page_obj": paginate(request, staff, 50), "querystring": query_without_page(request)},
    )


@login_required
@permission_required("accounts.change_user", raise_exception=True)
def staff_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(
        User.objects.select_related("agency__territory").prefetch_related(
            "groups", Prefetch("trainings")
        ),
        pk=pk,
    )
    signin = {
        "lockouts": active_lockouts(member),
        "has_second_factor": has_second_factor(member),
        "second_factor_required": second_factor_required(member),
    }
    return render(request, "web/accounts/staff_detail.html", {"member": member, "signin": signin})


@login_required
@permission_required("accounts.add_user", raise_exception=True)
@once_per_form
def staff_create(request: AuthedRequest) -> HttpResponse:
    form = NewStaffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.create_staff(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The staff account was created."))
            return redirect("staff_detail", pk=member.pk)
    return render(
        request, "web/accounts/staff_form.html", {"form": form, "has_errors": bool(form.errors)}
    )


@login_required
@permission_required("accounts.change_user", raise_exception=True)
def staff_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(User.objects.prefetch_related("groups"), pk=pk)
    edit = VersionedEdit(request, member, EditStaffForm, _staff_initial)
    form = EditStaffForm(edit.data, initial=edit.initial)
    if edit.submitted and edit.version is None:
        form = EditStaffForm(initial=edit.reopen())
    elif edit.submitted and form.is_valid():
        try:
            services.update_staff(
                actor=request.user, user=member, version=edit.version, **form.cleaned_data
            )
        except StaleVersion:
            form = EditStaffForm(initial=edit.reopen(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("staff_detail", pk=member.pk)
    return render(
        request,
        "web/accounts/staff_form.html",
        {
            "form": form,
            "member": member,
            "edit": edit,
            "has_errors": bool(form.errors) or edit.stale,
        },
    )


def _staff_initial(member: User) -> dict[str, object]:
    initial: dict[str, object] = {name: getattr(member, name) for name in STAFF_FIELDS}
    initial["is_active"] = member.is_active
    initial["roles"] = member.roles
    return initial


@login_required
@permission_required("accounts.add_training", raise_exception=True)
@once_per_form
def training_create(request: AuthedRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(User, pk=pk)
    form = TrainingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_training(actor=request.user, user=member, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The training was recorded."))
            return redirect("staff_detail", pk=member.pk)
    return render(
        request,
        "web/accounts/training_form.html",
        {"form": form, "member": member, "has_errors": bool(form.errors)},
    )


def _signin_action(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    member = get_object_or_404(User, pk=pk)
    done = {
        "unlock": _("Signing in is unlocked."),
        "reset_second_factor": _(
            "The authenticator app and recovery codes were removed; the staff member's "
            "sessions ended."
        ),
        "sign_out": _("Every session of the staff member has ended."),
    }
    try:
        if action == "unlock":
            signin_services.unlock_sign_in(actor=request.user, user=member)
        elif action == "reset_second_factor":
            signin_services.reset_second_factor(actor=request.user, user=member)
        else:
            signin_services.sign_out_everywhere(actor=request.user, user=member)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done[action])
    return redirect("staff_detail", pk=member.pk)


@login_required
@permission_required("accounts.change_user", raise_exception=True)
@require_POST
def staff_unlock(request: AuthedRequest, pk: int) -> HttpResponse:
    return _signin_action(request, pk, "unlock")


@login_required
@permission_required("accounts.change_user", raise_exception=True)
@require_POST
def staff_reset_second_factor(request: AuthedRequest, pk: int) -> HttpResponse:
    return _signin_action(request, pk, "reset_second_factor")


@login_required
@permission_required("accounts.change_user", raise_exception=True)
@require_POST
def staff_sign_out(request: AuthedRequest, pk: int) -> HttpResponse:
    return _signin_action(request, pk, "sign_out")
