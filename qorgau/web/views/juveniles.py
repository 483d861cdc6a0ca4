from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from qorgau.core.models import Territory
from qorgau.core.versioning import StaleVersion
from qorgau.people import services
from qorgau.people.models import Juvenile, Relative
from qorgau.people.selectors import juveniles_for_list
from qorgau.web.forms.fields import add_service_errors
from qorgau.web.forms.people import JuvenileForm, RelativeForm
from qorgau.web.forms.versions import VersionedEdit
from qorgau.web.once import once_per_form
from qorgau.web.views.common import AuthedRequest, paginate, query_without_page


@login_required
@permission_required("people.view_juvenile", raise_exception=True)
def juvenile_list(request: AuthedRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    region_raw = request.GET.get("region", "")
    region_id = int(region_raw) if region_raw.isdigit() else None
    juveniles = juveniles_for_list(actor=request.user, query=query, region_id=region_id)
    page = paginate(request, juveniles)
    if query:
        services.log_search(actor=request.user, query=query, result_count=page.paginator.count)
    context = {
        "page_obj": page,
        "query": query,
        "region_id": region_id,
        "regions": Territory.objects.filter(parent=None).order_by("kato_code"),
        "querystring": query_without_page(request),
    }
    template = "web/juveniles/_results.html" if request.htmx else "web/juveniles/list.html"
    return render(request, template, context)


@login_required
def juvenile_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    try:
        juvenile = services.view_juvenile(actor=request.user, juvenile_id=pk)
    except Juvenile.DoesNotExist:
        raise Http404 from None
    can_change = request.user.has_perm("people.change_juvenile")
    return render(
        request,
        "web/juveniles/detail.html",
        {
            "juvenile": juvenile,
            "relatives": juvenile.relatives.all(),
            "can_change": can_change,
            "can_export": request.user.has_perm("people.export_juvenile"),
        },
    )


@login_required
@permission_required("people.add_juvenile", raise_exception=True)
@once_per_form
def juvenile_create(request: AuthedRequest) -> HttpResponse:
    form = JuvenileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            juvenile = services.register_juvenile(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The juvenile's record was registered."))
            return redirect("juvenile_detail", pk=juvenile.pk)
    return render(
        request, "web/juveniles/form.html", {"form": form, "has_errors": bool(form.errors)}
    )


def _visible_juvenile(request: AuthedRequest, pk: int) -> Juvenile:
    try:
        return Juvenile.objects.visible_to(request.user).get(pk=pk)
    except Juvenile.DoesNotExist:
        raise Http404 from None


@login_required
@permission_required("people.change_juvenile", raise_exception=True)
def juvenile_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    juvenile = _visible_juvenile(request, pk)
    edit = VersionedEdit(request, juvenile, JuvenileForm, JuvenileForm.initial_from)
    form = JuvenileForm(edit.data, initial=edit.initial)
    if edit.submitted and edit.version is None:
        form = JuvenileForm(initial=edit.reopen())
    elif edit.submitted and form.is_valid():
        try:
            services.update_juvenile(
                actor=request.user, juvenile=juvenile, version=edit.version, **form.cleaned_data
            )
        except StaleVersion:
            form = JuvenileForm(initial=edit.reopen(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("juvenile_detail", pk=juvenile.pk)
    return render(
        request,
        "web/juveniles/form.html",
        {
            "form": form,
            "juvenile": juvenile,
            "edit": edit,
            "has_errors": bool(form.errors) or edit.stale,
        },
    )


@login_required
@permission_required("people.change_juvenile", raise_exception=True)
@once_per_form
def relative_form(request: AuthedRequest, pk: int, relative_pk: int | None = None) -> HttpResponse:
    juvenile = _visible_juvenile(request, pk)
    relative = None
    if relative_pk is not None:
        relative = Relative.objects.filter(juvenile=juvenile, pk=relative_pk).first()
        if relative is None:
            raise Http404
    edit = None
    if relative is not None:
        edit = VersionedEdit(request, relative, RelativeForm, _relative_initial)
    form = RelativeForm(request.POST or None, instance=relative)
    if edit is not None and edit.submitted and edit.version is None:
        form = RelativeForm(instance=edit.instance, initial=edit.reopen())
    elif request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in RelativeForm.Meta.fields}
        try:
            if relative is None:
                services.add_relative(actor=request.user, juvenile=juvenile, **data)
            else:
                version = edit.version if edit is not None else None
                services.update_relative(
                    actor=request.user, relative=relative, version=version, **data
                )
        except StaleVersion:
            assert edit is not None
            initial = edit.reopen(form)
            form = RelativeForm(instance=edit.instance, initial=initial)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The family member or representative was saved."))
            return redirect("juvenile_detail", pk=juvenile.pk)
    return render(
        request,
        "web/juveniles/relative_form.html",
        {
            "form": form,
            "juvenile": juvenile,
            "relative": relative,
            "edit": edit,
            "has_errors": bool(form.errors) or bool(edit and edit.stale),
        },
    )


def _relative_initial(relative: Relative) -> dict[str, object]:
    return model_to_dict(relative, fields=RelativeForm.Meta.fields)
