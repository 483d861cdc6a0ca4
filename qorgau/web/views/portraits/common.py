"""What the portrait pages share: finding the minor's portrait the user may see, and URLs."""

from dataclasses import dataclass

from django.http import Http404
from django.urls import reverse

from qorgau.accounts.models import Role, User
from qorgau.proceedings.models import Accused, Proceeding
from qorgau.support.models import Portrait, PortraitReport
from qorgau.support.selectors import portrait as selectors
from qorgau.web.views.cases.common import case_minor, visible_case, with_roles

# A tag colour for each section status; the word is the status.
STATUS_TAGS = {
    selectors.NOT_STARTED: "grey",
    selectors.IN_PROGRESS: "",
    selectors.COMPLETED: "green",
}


@dataclass
class Place:
    """The case, the minor, and the portrait (None until it is started) the page is about."""

    user: User
    case: Proceeding
    accused: Accused
    portrait: Portrait | None
    member: bool

    @property
    def kept_portrait(self) -> Portrait:
        """The portrait of a page only its consultation reaches (see `kept`)."""
        assert self.portrait is not None
        return self.portrait

    def url(self, name: str, *args: object) -> str:
        return reverse(name, args=[self.case.pk, self.accused.pk, *args])


def place(user: User, pk: int, accused_pk: int) -> Place:
    user = with_roles(user)
    case = visible_case(user, pk)
    accused = case_minor(case, accused_pk)
    portrait = selectors.portrait_of(user, accused)
    member = portrait is not None and Portrait.objects.kept_by(user).filter(pk=portrait.pk).exists()
    return Place(user, case, accused, portrait, member)


def kept(user: User, pk: int, accused_pk: int) -> Place:
    """The page of the consultation's own working material: 404 for everybody else."""
    found = place(user, pk, accused_pk)
    if found.portrait is None or not found.member:
        raise Http404
    return found


def may_write_report(user: User) -> bool:
    return user.has_role(Role.SOCIAL_PSYCHOLOGIST) and user.has_perm(
        "support.change_portraitreport"
    )


def version_of(found: Place, version: int) -> PortraitReport:
    assert found.portrait is not None
    report = (
        PortraitReport.objects.visible_to(found.user)
        .filter(portrait=found.portrait, version=version)
        .select_related("signed_by", "created_by")
        .first()
    )
    if report is None:
        raise Http404
    return report


def size_label(size: int | None) -> str:
    """120 KB, as the download link says it."""
    if not size:
        return ""
    return f"{max(1, round(size / 1024))} KB"
