from django.urls import URLPattern, path

from qorgau.web.views.mediation import pages, records

urlpatterns: list[URLPattern] = [
    path(
        "cases/<int:pk>/minors/<int:accused_pk>/mediation/",
        pages.refer_source,
        name="mediation_refer_source",
    ),
    path(
        "cases/<int:pk>/minors/<int:accused_pk>/mediation/refer/",
        pages.refer_form,
        name="mediation_refer",
    ),
    path("mediation/<int:pk>/", pages.mediation_detail, name="mediation_detail"),
    path("mediation/<int:pk>/consent/<slug:side>/", records.consent, name="mediation_consent"),
    path("mediation/<int:pk>/withdraw/", records.withdraw, name="mediation_withdraw"),
    path("mediation/<int:pk>/meetings/new/", records.session, name="mediation_session"),
    path("mediation/<int:pk>/agreement/", records.agreement, name="mediation_agreement"),
    path(
        "mediation/<int:pk>/agreement/check/",
        records.agreement_check,
        name="mediation_agreement_check",
    ),
    path("mediation/<int:pk>/payments/new/", records.payment, name="mediation_payment"),
    path("mediation/<int:pk>/undertakings/", records.undertakings, name="mediation_undertakings"),
    path("mediation/<int:pk>/outcome/", records.fail, name="mediation_fail"),
]
