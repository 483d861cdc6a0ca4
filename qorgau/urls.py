from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from qorgau.api.api import api
from qorgau.web.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", RedirectView.as_view(url=static("qorgau/favicon.svg"), permanent=True)),
    path("api/", api.urls),
    path("", include("qorgau.web.urls")),
]

handler400 = "qorgau.web.errors.bad_request"
handler403 = "qorgau.web.errors.permission_denied"
handler404 = "qorgau.web.errors.page_not_found"
handler500 = "qorgau.web.errors.server_error"
