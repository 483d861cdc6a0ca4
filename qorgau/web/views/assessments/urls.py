from django.urls import URLPattern, path

from qorgau.web.views.assessments import pages

urlpatterns: list[URLPattern] = [
    path(
        "juveniles/<int:juvenile_pk>/assessments/",
        pages.assessment_list,
        name="assessment_list",
    ),
    path(
        "juveniles/<int:juvenile_pk>/assessments/new/",
        pages.assessment_start,
        name="assessment_start",
    ),
    path("assessments/<int:pk>/", pages.assessment_detail, name="assessment_detail"),
    path("assessments/<int:pk>/check/", pages.assessment_check, name="assessment_check"),
    path("assessments/<int:pk>/reassess/", pages.assessment_reassess, name="assessment_reassess"),
    path(
        "assessments/<int:pk>/sections/<slug:domain_id>/",
        pages.assessment_domain,
        name="assessment_domain",
    ),
]
