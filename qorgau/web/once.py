"""One record per creating form: a double click or a resent POST creates nothing twice.

`once_per_form` wraps a view whose form creates a record. Each form shown carries a fresh
random token (`{% once_field %}`, web/templatetags/once.py). The first
POST with a token claims it (a row with a unique constraint, web/services.py); when the view
answers with a redirect, the redirect's address is kept with the token. A second POST with the
same token (the double click, the browser's "send again", the back button) runs nothing: it is
redirected to that address, the record the first one created, with a message saying so. A
sending that created nothing (the form came back with errors, or an error) gives the token
back, so the corrected form may be sent again.

A POST without a token (an old page, a script) is served as before, unprotected: every page
the application renders carries one.
"""

import functools
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.models import User
from qorgau.web import services
from qorgau.web.models import FormSubmission

FIELD = "_once"
TOKEN = re.compile(r"[0-9a-f]{32}")
# How long a repeated sending waits for the first one to finish before giving up.
WAIT_SECONDS = 5.0
POLL_SECONDS = 0.1
REDIRECTS = (301, 302, 303)

MESSAGE_ALREADY_SENT = _(
    "This form had already been sent, and the record was created then: it is shown here. "
    "Nothing was created a second time."
)
MESSAGE_STILL_SAVING = _(
    "This form is still being saved from when you first sent it. Nothing was created a second "
    "time: wait a moment and look for the record before you send the form again."
)


def new_token() -> str:
    return uuid.uuid4().hex


def _replay(request: HttpRequest, row: FormSubmission) -> HttpResponse | None:
    """The answer to a repeated sending; None when the first one gave the token back."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not row.location:
        if time.monotonic() >= deadline:
            messages.warning(request, MESSAGE_STILL_SAVING)
            return HttpResponseRedirect(request.get_full_path())
        time.sleep(POLL_SECONDS)
        found = FormSubmission.objects.filter(pk=row.pk).first()
        if found is None:
            return None
        row = found
    messages.info(request, MESSAGE_ALREADY_SENT)
    return HttpResponseRedirect(row.location)


def once_per_form[**P](view: Callable[P, HttpResponse]) -> Callable[P, HttpResponse]:
    """Let each showing of the view's form create at most one record."""

    @functools.wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        request = args[0]
        assert isinstance(request, HttpRequest)
        sent = request.POST.get(FIELD, "") if request.method == "POST" else ""
        user: Any = getattr(request, "user", None)
        if not TOKEN.fullmatch(sent) or not isinstance(user, User):
            return view(*args, **kwargs)
        while True:
            claim = services.claim_form(user=user, token=sent, path=request.path)
            if claim.is_new:
                break
            answer = _replay(request, claim.row)
            if answer is not None:
                return answer
        try:
            response = view(*args, **kwargs)
        except BaseException:
            services.release_form(row=claim.row)
            raise
        location = response.get("Location") if response.status_code in REDIRECTS else None
        if location:
            services.finish_form(row=claim.row, location=location)
        else:
            services.release_form(row=claim.row)
        return response

    return wrapper
