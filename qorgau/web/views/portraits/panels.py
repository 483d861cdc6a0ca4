"""What this area shows beside a minor's timeline and on the Today page."""

from django.urls import reverse

from qorgau.accounts.models import Role, User
from qorgau.proceedings.models import Accused, Proceeding
from qorgau.support.models import Portrait
from qorgau.support.selectors import portrait as selectors
from qorgau.web.views.common import Panel
from qorgau.web.views.portraits.common import size_label


def case_panel(user: User, case: Proceeding, accused: Accused) -> Panel | None:
    """The consultation sees the portrait's progress; other participants its issued reports."""
    if not user.has_perm("support.view_portrait"):
        return None
    url = reverse("portrait", args=[case.pk, accused.pk])
    portrait = selectors.portrait_of(user, accused)
    if portrait is None:
        if user.has_role(Role.SOCIAL_PSYCHOLOGIST) and user.has_perm("support.add_portrait"):
            return Panel("web/portraits/_case_panel.html", {"url": url, "portrait": None})
        return None
    member = Portrait.objects.kept_by(user).filter(pk=portrait.pk).exists()
    versions = [
        {
            "report": report,
            "size": size_label(report.pdf_size),
            "pdf_url": reverse("portrait_pdf", args=[case.pk, accused.pk, report.version]),
            "preview_url": reverse("portrait_preview", args=[case.pk, accused.pk, report.version]),
        }
        for report in selectors.reports_for(user, portrait)
        if report.is_signed
    ]
    return Panel(
        "web/portraits/_case_panel.html",
        {
            "url": url,
            "portrait": portrait,
            "member": member,
            "progress": selectors.progress(portrait) if member else None,
            "versions": versions,
        },
    )


def home_panel(user: User) -> Panel | None:
    """The psychologist's portraits still in progress."""
    # Only the consultation's psychologists and interns record interviews (no extra query:
    # the permissions are already read for the page).
    if not user.has_perm("support.add_interview"):
        return None
    portraits = selectors.in_progress_for(user)
    progress = selectors.progress_of(portraits)
    rows = [
        {
            "portrait": portrait,
            "url": reverse("portrait", args=[portrait.accused.proceeding_id, portrait.accused_id]),
            "progress": progress[portrait.pk],
        }
        for portrait in portraits
    ]
    return Panel("web/portraits/_home_panel.html", {"rows": rows})
