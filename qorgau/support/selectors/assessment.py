"""Read queries of risk and needs assessments; each starts from Assessment.visible_to."""

from qorgau.accounts.models import User
from qorgau.people.models import Juvenile
from qorgau.support.models.assessment import Assessment, AssessmentQuerySet, AssessmentStatus


def assessments_of(actor: User, juvenile: Juvenile) -> AssessmentQuerySet:
    """The child's assessments the actor may see (completed ones and their own drafts)."""
    return (
        Assessment.objects.visible_to(actor)
        .filter(juvenile=juvenile)
        .select_related("author", "author_agency", "accused__proceeding")
    )


def latest_completed(actor: User, juvenile: Juvenile) -> Assessment | None:
    return (
        assessments_of(actor, juvenile)
        .filter(status=AssessmentStatus.COMPLETED)
        .order_by("-completed_at", "-id")
        .first()
    )


def own_draft(actor: User, juvenile: Juvenile) -> Assessment | None:
    return (
        assessments_of(actor, juvenile).filter(status=AssessmentStatus.DRAFT, author=actor).first()
    )


def draft_of_author(actor: User, pk: int) -> Assessment | None:
    """The actor's own draft (the pages that edit it), or None."""
    return (
        Assessment.objects.visible_to(actor)
        .select_related("juvenile", "accused__proceeding")
        .filter(pk=pk, author=actor, status=AssessmentStatus.DRAFT)
        .first()
    )


def visible(actor: User, pk: int) -> Assessment | None:
    """An assessment the actor may see, without reading it (no audit row): for actions on it."""
    return Assessment.objects.visible_to(actor).filter(pk=pk).first()
