"""The signed-in user's own account: authenticator app, recovery codes, signing out everywhere."""

from base64 import b32encode
from binascii import unhexlify
from urllib.parse import urlencode

import django_otp
import segno
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from qorgau.accounts.signin import HAS_DEVICE, second_factor_required
from qorgau.accounts.signin_services import (
    enrol_totp,
    new_totp_key,
    regenerate_recovery_codes,
    sign_out_everywhere,
)
from qorgau.web.forms.fields import add_service_errors
from qorgau.web.forms.signin import EnrolForm
from qorgau.web.views.auth import safe_next
from qorgau.web.views.common import AuthedRequest

# Session keys: the key being set up (until confirmed) and the codes to show once.
SETUP_KEY = "qorgau_totp_setup_key"
NEW_CODES = "qorgau_new_recovery_codes"


@login_required
def account(request: AuthedRequest) -> HttpResponse:
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    codes_left = StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
    context = {
        "device": device,
        "codes_left": codes_left,
        "required": second_factor_required(user),
    }
    return render(request, "web/account/detail.html", context)


def _grouped(text: str) -> str:
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@login_required
def otp_setup(request: AuthedRequest) -> HttpResponse:
    """Set up an authenticator app: the key as a QR code and as text, then a code to confirm."""
    user = request.user
    has_app = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    # Replacing an app needs a confirmed sign-in: a password alone must not swap the phone.
    if has_app and not user.is_verified():  # type: ignore[attr-defined]
        return redirect("otp_verify")
    key = request.session.get(SETUP_KEY) or new_totp_key()
    request.session[SETUP_KEY] = key
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = enrol_totp(actor=user, key=key, token=form.cleaned_data["token"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            request.session.cycle_key()
            django_otp.login(request, device)
            request.session.pop(SETUP_KEY, None)
            request.session[HAS_DEVICE] = True
            request.session[NEW_CODES] = codes
            query = urlencode({"next": safe_next(request)})
            return redirect(f"{reverse('recovery_codes')}?{query}")
    secret = b32encode(unhexlify(key.encode())).decode()
    # An unsaved device only spells the otpauth:// address the app reads from the QR code.
    uri = TOTPDevice(user=user, key=key).config_url
    qr = segno.make(uri, error="m")
    svg = qr.svg_inline(
        scale=5, border=4, dark="#0b0c0c", light="#ffffff", title=_("QR code of the key")
    )
    context = {
        "form": form,
        "has_errors": bool(form.errors),
        "secret": _grouped(secret),
        "qr_svg": svg,
        "replacing": has_app,
        "required": second_factor_required(user),
        "next": request.POST.get("next") or request.GET.get("next", ""),
    }
    return render(request, "web/account/two_factor.html", context)


@login_required
def recovery_codes(request: AuthedRequest) -> HttpResponse:
    """Shows new recovery codes once (GET), or makes new ones (POST)."""
    if request.method == "POST":
        try:
            codes = regenerate_recovery_codes(actor=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("account")
        request.session[NEW_CODES] = codes
        return redirect("recovery_codes")
    codes = request.session.pop(NEW_CODES, None)
    if not codes:
        messages.info(request, _("Recovery codes are shown only once. Make new ones if needed."))
        return redirect("account")
    context = {"codes": codes, "next": safe_next(request, default="account")}
    return render(request, "web/account/recovery_codes.html", context)


@login_required
@require_POST
def sign_out_everywhere_view(request: AuthedRequest) -> HttpResponse:
    sign_out_everywhere(actor=request.user, user=request.user)
    logout(request)
    messages.success(request, _("You were signed out on every computer and phone."))
    return redirect("login")
