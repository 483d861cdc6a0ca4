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
    return assessments_of(actor, juvenile).filter(status=AssessmentStatus.DRAFT, author=actor).first()
