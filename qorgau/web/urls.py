from django.contrib.auth import views as auth_views
from django.urls import path

from qorgau.web.views import accounts, audit, auth, cases, home, juveniles, oversight, pages

urlpatterns = [
    path("", home.home, name="home"),
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", auth.set_language, name="set_language"),
    path("juveniles/", juveniles.juvenile_list, name="juvenile_list"),
    path("juveniles/new/", juveniles.juvenile_create, name="juvenile_create"),
    path("juveniles/<int:pk>/", juveniles.juvenile_detail, name="juvenile_detail"),
    path("juveniles/<int:pk>/edit/", juveniles.juvenile_edit, name="juvenile_edit"),
    path("juveniles/<int:pk>/relatives/new/", juveniles.relative_form, name="relative_create"),
    path(
        "juveniles/<int:pk>/relatives/<int:relative_pk>/",
        juveniles.relative_form,
        name="relative_edit",
    ),
    path("cases/", cases.case_list, name="case_list"),
    path("cases/new/", cases.case_create, name="case_create"),
    path("cases/<int:pk>/", cases.case_detail, name="case_detail"),
    path("cases/<int:pk>/minors/new/", cases.accused_add, name="accused_add"),
    path(
        "cases/<int:pk>/minors/<int:accused_pk>/events/new/",
        cases.event_choose,
        name="event_choose",
    ),
    path(
        "cases/<int:pk>/minors/<int:accused_pk>/events/<slug:kind>/",
        cases.event_form,
        name="event_form",
    ),
    path(
        "cases/<int:pk>/minors/<int:accused_pk>/charges/requalify/",
        cases.charge_requalify,
        name="charge_requalify",
    ),
    path("cases/<int:pk>/people/new/", cases.participant_choose, name="participant_choose"),
    path("cases/<int:pk>/people/new/<slug:role>/", cases.participant_form, name="participant_form"),
    path("cases/<int:pk>/prosecutor/", cases.prosecutor_set, name="prosecutor_set"),
    path("oversight/", oversight.dashboard, name="oversight"),
    path("oversight/violations/", oversight.violation_list, name="violation_list"),
    path("oversight/violations/<int:pk>/", oversight.violation_detail, name="violation_detail"),
    path(
        "oversight/violations/<int:pk>/<slug:answer>/",
        oversight.violation_answer,
        name="violation_answer",
    ),
    path("agencies/", accounts.agency_list, name="agency_list"),
    path("agencies/new/", accounts.agency_form, name="agency_create"),
    path("agencies/<int:pk>/", accounts.agency_form, name="agency_edit"),
    path("staff/", accounts.staff_list, name="staff_list"),
    path("staff/new/", accounts.staff_create, name="staff_create"),
    path("staff/<int:pk>/", accounts.staff_detail, name="staff_detail"),
    path("staff/<int:pk>/edit/", accounts.staff_edit, name="staff_edit"),
    path("staff/<int:pk>/trainings/new/", accounts.training_create, name="training_create"),
    path("audit/", audit.audit_list, name="audit_list"),
    path("help/", pages.help_page, name="help"),
    path("privacy/", pages.privacy_page, name="privacy"),
    path("accessibility/", pages.accessibility_page, name="accessibility"),
]
