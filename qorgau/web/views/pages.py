from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def help_page(request: HttpRequest) -> HttpResponse:
    return render(request, "web/pages/help.html")


def privacy_page(request: HttpRequest) -> HttpResponse:
    return render(request, "web/pages/privacy.html")


def accessibility_page(request: HttpRequest) -> HttpResponse:
    return render(request, "web/pages/accessibility.html")
