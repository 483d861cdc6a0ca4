from django.contrib.auth import views as auth_views
from django.urls import path

from qorgau.web.views import accounts, audit, auth, home, juveniles, pages

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
