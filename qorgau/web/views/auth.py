from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from qorgau.accounts import services


class LoginView(auth_views.LoginView):
    template_name = "web/registration/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        context = super().get_context_data(**kwargs)
        form = context.get("form")
        context["has_errors"] = bool(form is not None and form.errors)
        return context


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; a signed-in user's choice is remembered on the account."""
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language:
        services.set_language(actor=request.user, language=language)
    return django_set_language(request)
