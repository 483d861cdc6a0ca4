"""Signing in: the password, the lockout after repeated failures, the code after the password."""

from typing import Any

import django_otp
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from qorgau.accounts import services
from qorgau.accounts.signin import HAS_DEVICE, has_second_factor, second_factor_required
from qorgau.accounts.signin_services import verify_second_factor
from qorgau.web.forms.fields import add_service_errors
from qorgau.web.forms.signin import CodeForm
from qorgau.web.views.common import AuthedRequest

MESSAGE_LOCKED = _(
    "Signing in with this login from your address is locked after %(limit)s wrong passwords "
    "in a row. Try again in %(minutes)s minutes, or ask your agency's administrator to unlock it."
)


class LoginView(auth_views.LoginView):
    template_name = "web/registration/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        context = super().get_context_data(**kwargs)
        form = context.get("form")
        context["has_errors"] = bool(form is not None and form.errors)
        return context


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return str(MESSAGE_LOCKED % {"limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes})


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any
) -> HttpResponse:
    """What django-axes answers to a locked sign-in: the sign-in page, or JSON for the API."""
    message = lockout_message()
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": [{"field": "__all__", "message": message}]},
            status=429,
            json_dumps_params={"ensure_ascii": False},
        )
    username = request.POST.get("username", "")[:150]
    form = AuthenticationForm(request, initial={"username": username})
    context = {
        "form": form,
        "lockout_message": message,
        "has_errors": True,
        "next": request.POST.get("next", ""),
    }
    return render(request, "web/registration/login.html", context, status=429)


def safe_next(request: HttpRequest, default: str = "home") -> str:
    """The page asked for in `next`, when it is on this site; otherwise `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


@login_required
def otp_verify(request: AuthedRequest) -> HttpResponse:
    """The second step of signing in: a code from the app or a recovery code."""
    user = request.user
    if user.is_verified():  # type: ignore[attr-defined]
        return redirect(safe_next(request))
    if not has_second_factor(user):
        request.session.pop(HAS_DEVICE, None)
        if second_factor_required(user):
            return redirect("otp_setup")
        return redirect(safe_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = verify_second_factor(actor=user, token=form.cleaned_data["token"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # A higher level of trust gets a new session key.
            request.session.cycle_key()
            django_otp.login(request, device)
            return redirect(safe_next(request))
    context = {
        "form": form,
        "has_errors": bool(form.errors),
        "next": request.POST.get("next") or request.GET.get("next", ""),
    }
    return render(request, "web/registration/verify.html", context)


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; a signed-in user's choice is remembered on the account."""
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language:
        services.set_language(actor=request.user, language=language)
    return django_set_language(request)
