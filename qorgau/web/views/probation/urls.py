from django.urls import URLPattern, path

from qorgau.web.views.probation import pages, records

urlpatterns: list[URLPattern] = [
    path("probation/", pages.caseload, name="probation_caseload"),
    path("probation/<int:pk>/", pages.supervision_detail, name="supervision_detail"),
    path("probation/<int:pk>/register/", records.register, name="supervision_register"),
    path("probation/<int:pk>/plan/", records.plan, name="supervision_plan"),
    path("probation/<int:pk>/check-ins/new/", records.check_in, name="supervision_check_in"),
    path("probation/<int:pk>/breaches/new/", records.breach, name="supervision_breach"),
    path("probation/<int:pk>/hours/new/", records.hours, name="supervision_hours"),
    path("probation/<int:pk>/end/", records.end, name="supervision_end"),
    path("releases/", pages.release_list, name="release_list"),
    path("releases/new/", pages.release_create, name="release_create"),
    path("releases/<int:pk>/", pages.release_detail, name="release_detail"),
    path("releases/follow-ups/<int:pk>/", pages.follow_up_record, name="follow_up_record"),
]
