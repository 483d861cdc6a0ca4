"""The project's URLs plus the bare view: the floor every page is compared with.

Used only by the benchmark runner (it overrides ROOT_URLCONF); production URLs never contain it.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path

BARE_URL = "/__bench__/bare/"


@login_required
def bare(request: HttpRequest) -> HttpResponse:
    """The middleware stack, the session and the signed-in user: what every page pays."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns: list[URLPattern | URLResolver] = [
    path(BARE_URL.strip("/") + "/", bare, name="bench_bare"),
    path("", include("qorgau.urls")),
]
