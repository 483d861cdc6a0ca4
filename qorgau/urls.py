from django.urls import include, path

from qorgau.api.api import api
from qorgau.web.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/", api.urls),
    path("", include("qorgau.web.urls")),
]
