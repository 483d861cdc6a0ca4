from django.urls import URLPattern, path

from qorgau.web.views.courts import pages, records

urlpatterns: list[URLPattern] = [
    path("court/", pages.calendar, name="court_calendar"),
    path("court/cases/", pages.case_list, name="court_cases"),
    path("court/cases/new/<slug:kind>/", records.register, name="court_register"),
    path("court/cases/<int:pk>/", pages.case_detail, name="court_case_detail"),
    path("court/cases/<int:pk>/hearings/new/", records.schedule, name="court_schedule"),
    path("court/cases/<int:pk>/report/", records.report, name="court_report"),
    path("court/cases/<int:pk>/judgment/", records.judgment, name="court_judgment"),
    path("court/hearings/<int:pk>/adjourn/", records.adjourn, name="court_adjourn"),
    path("court/hearings/<int:pk>/summon/", records.summon, name="court_summon"),
    path("court/hearings/<int:pk>/presence/", records.presence, name="court_presence"),
    path("court/reports/", pages.reports_due, name="court_reports"),
]
