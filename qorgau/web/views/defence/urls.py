from django.urls import path

from qorgau.web.views.defence import assign, roster, times

urlpatterns = [
    path("duty/", roster.roster, name="duty_roster"),
    path("duty/consultations/", roster.consultation_list, name="consultation_list"),
    path("duty/consultations/<int:pk>/", roster.consultation_detail, name="consultation_detail"),
    path("duty/shifts/new/", roster.shift_create, name="shift_create"),
    path("duty/shifts/<int:pk>/cancel/", roster.shift_cancel, name="shift_cancel"),
    path("duty/response-times/", times.response_times, name="response_times"),
    path(
        "cases/<int:pk>/minors/<int:accused_pk>/on-duty/",
        assign.assign_on_duty,
        name="assign_on_duty",
    ),
]
