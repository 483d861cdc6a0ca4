"""Release from a closed institution: the re-socialization plan and its follow-ups.

The plan is the minor's individual support plan (qorgau.support): one need per area, to which
the team adds tasks and referrals there. A plan already active for the minor is built on, when
the probation service works in it; otherwise a new one is opened, led by the service.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.access import require
from qorgau.accounts.models import AgencyType, User
from qorgau.audit.services import record
from qorgau.people.models import Juvenile
from qorgau.probation.models import (
    AreaKind,
    FollowUp,
    FollowUpOutcome,
    InstitutionKind,
    Release,
)
from qorgau.probation.rulebook import probation_book
from qorgau.probation.services.common import (
    MESSAGE_CHOICE,
    MESSAGE_FUTURE_DAY,
    MESSAGE_NOT_PROBATION,
    add_months,
    short,
    today,
)
from qorgau.proceedings.models import Accused
from qorgau.support.models import NeedKind, SupportPlan
from qorgau.support.services.plan import add_need_within, open_plan_within, working_agency_ids

MESSAGE_INSTITUTION = _("Enter the name of the institution.")
MESSAGE_JUVENILE = _("Choose a juvenile whose record you may see.")
MESSAGE_ACCUSED = _("Choose a case of this minor.")
MESSAGE_AREAS = _("Describe what the minor needs in at least one area.")
MESSAGE_OTHER_PLAN = _(
    "The minor already has a support plan led by «%(agency)s», in which your service has no "
    "task. Ask its coordinator to refer a task to your service; the plan is then built on."
)
MESSAGE_NOT_FOLLOWING = _("Only the probation service that follows the minor up records this.")
MESSAGE_FOLLOW_UP_DONE = _("This follow-up is already recorded.")
MESSAGE_BEFORE_RELEASE = _("The date cannot be before the release (%(day)s).")

# Each area of re-socialization is one need of the support plan.
AREA_NEEDS = {
    AreaKind.HOUSING: NeedKind.SOCIAL,
    AreaKind.STUDY: NeedKind.STUDY,
    AreaKind.EMPLOYMENT: NeedKind.WORK,
    AreaKind.FAMILY: NeedKind.FAMILY,
    AreaKind.HEALTH: NeedKind.MEDICAL,
}


def _probation_agency(actor: User) -> None:
    agency = actor.agency
    if not actor.is_superuser and (agency is None or agency.agency_type != AgencyType.PROBATION):
        raise PermissionDenied(MESSAGE_NOT_PROBATION)


@transaction.atomic(durable=True)
def record_release(
    *,
    actor: User,
    juvenile: Juvenile,
    institution: str,
    institution_kind: str,
    released_on: datetime.date,
    basis: str,
    areas: dict[str, str],
    accused: Accused | None = None,
) -> Release:
    """Record a release and open the re-socialization plan with its follow-ups (rule data)."""
    require(actor, "probation.add_release")
    _probation_agency(actor)
    assert actor.agency is not None
    child = (
        Juvenile.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .filter(pk=juvenile.pk)
        .first()
    )
    if child is None:
        raise ValidationError({"juvenile": MESSAGE_JUVENILE})
    if accused is not None and accused.juvenile_id != child.pk:
        raise ValidationError({"accused": MESSAGE_ACCUSED})
    name = (institution or "").strip()
    if not name:
        raise ValidationError({"institution": MESSAGE_INSTITUTION})
    if institution_kind not in InstitutionKind.values:
        raise ValidationError({"institution_kind": MESSAGE_CHOICE})
    if released_on > today():
        raise ValidationError({"released_on": MESSAGE_FUTURE_DAY})
    book = probation_book()
    rule = book.get("release_bases", basis, released_on)
    if rule is None:
        raise ValidationError({"basis": MESSAGE_CHOICE})
    wanted = {
        AreaKind(area): text.strip()
        for area, text in areas.items()
        if area in AreaKind.values and (text or "").strip()
    }
    if not wanted:
        raise ValidationError({"areas": MESSAGE_AREAS})
    plan = SupportPlan.objects.select_for_update().filter(juvenile=child, status="active").first()
    if plan is not None and actor.agency_id not in working_agency_ids(plan):
        raise ValidationError(MESSAGE_OTHER_PLAN % {"agency": plan.lead_agency})
    if plan is None:
        plan = open_plan_within(
            actor=actor,
            juvenile=child,
            goal=str(
                _("Re-socialization after release from «%(institution)s».") % {"institution": name}
            ),
        )
    kinds = set(plan.needs.values_list("kind", flat=True))
    for area, text in wanted.items():
        if AREA_NEEDS[area] not in kinds:
            add_need_within(actor=actor, plan=plan, kind=AREA_NEEDS[area], description=text,
                            priority="high")  # fmt: skip
    release = Release(
        juvenile=child,
        accused=accused,
        institution=name,
        institution_kind=institution_kind,
        released_on=released_on,
        basis=basis,
        basis_citation=rule.citation,
        agency=actor.agency,
        plan=plan,
        recorded_by=actor,
    )
    release.full_clean()
    release.save()
    FollowUp.objects.bulk_create(
        FollowUp(
            release=release,
            agency=actor.agency,
            months=months,
            due_on=add_months(released_on, months),
        )
        for months in book.follow_up_months(released_on)
    )
    record(
        actor=actor,
        action="probation.release",
        subject=release,
        changes={
            "released_on": (None, released_on.isoformat()),
            "institution_kind": (None, institution_kind),
            "basis": (None, basis),
        },
        details={"plan": plan.pk, "areas": sorted(wanted)},
    )
    return release


@transaction.atomic(durable=True)
def record_follow_up(
    *,
    actor: User,
    follow_up: FollowUp,
    done_on: datetime.date,
    outcome: str,
    notes: str = "",
) -> FollowUp:
    """The follow-up's outcome, recorded by the probation service following the minor up."""
    require(actor, "probation.change_release")
    # Lock the follow-up: two inspectors recording it at once must not both find it open.
    found = (
        FollowUp.objects.select_for_update(of=("self",))
        .select_related("release")
        .filter(pk=follow_up.pk)
        .first()
    )
    if found is None or (not actor.is_superuser and found.agency_id != actor.agency_id):
        raise PermissionDenied(MESSAGE_NOT_FOLLOWING)
    if found.done_on is not None:
        raise ValidationError(MESSAGE_FOLLOW_UP_DONE)
    if outcome not in FollowUpOutcome.values:
        raise ValidationError({"outcome": MESSAGE_CHOICE})
    if done_on > today():
        raise ValidationError({"done_on": MESSAGE_FUTURE_DAY})
    if done_on < found.release.released_on:
        raise ValidationError(
            {"done_on": MESSAGE_BEFORE_RELEASE % {"day": short(found.release.released_on)}}
        )
    found.done_on = done_on
    found.outcome = outcome
    found.notes = (notes or "").strip()
    found.recorded_by = actor
    found.full_clean()
    found.save(update_fields=["done_on", "outcome", "notes", "recorded_by"])
    record(
        actor=actor,
        action="probation.follow_up",
        subject=found.release,
        changes={"months": (None, found.months), "outcome": (None, outcome)},
        details={"follow_up_id": found.pk},
    )
    return found


@transaction.atomic(durable=True)
def view_release(*, actor: User, pk: int) -> Release:
    """Open a release and its re-socialization plan for reading: audited."""
    release = Release.objects.visible_to(actor).get(pk=pk)
    record(actor=actor, action="probation.release_view", subject=release)
    return release
