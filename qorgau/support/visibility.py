"""Per-row checks of who sees a case, for the visible_to of the accompaniment and mediation.

`Proceeding.objects.visible_to(user)` is the set of every case the user's agency takes part
in; `x IN (that set)` makes PostgreSQL build the whole set (thousands of cases, ten times more
at ten times the country) even when the page shows one minor. These checks ask the same
question of one case, the one a row names, with an index probe per row: a page filtered by a
minor, a case, a pk or the agency's own rows then costs the same whatever the country's size.

The rule is Proceeding.visible_to's (case_ids_of_agency: registering body, investigator,
prosecutor, court, participant); tests/support/test_visibility.py checks they agree.
"""

from django.db.models import Exists, OuterRef, Q

from qorgau.accounts.models import User
from qorgau.proceedings.models import Accused, Participant, Proceeding

# A condition no row meets; Django drops it from an OR and empties an AND.
NOTHING = Q(pk__in=[])


def agency_sees_case(agency: int, case_ref: str) -> Q:
    """Whether the agency takes part in the case whose id the outer query's `case_ref` holds."""
    staff = Participant.objects.filter(proceeding_id=OuterRef("pk"), user__agency_id=agency)
    takes_part = (
        Q(registering_agency_id=agency)
        | Q(court_id=agency)
        | Q(investigator__agency_id=agency)
        | Q(prosecutor__agency_id=agency)
        | Q(Exists(staff))
    )
    return Q(Exists(Proceeding.objects.filter(takes_part, pk=OuterRef(case_ref))))


def case_seen_by(user: User, case_ref: str) -> Q:
    """The row's case (its id in `case_ref`) is one `Proceeding.objects.visible_to(user)` holds."""
    if not user.is_active:
        return NOTHING
    if user.is_superuser:
        return Q()
    if user.agency is None or not user.agency.is_active:
        return NOTHING
    if not user.has_perm("proceedings.view_proceeding"):
        return NOTHING
    return agency_sees_case(user.agency.pk, case_ref)


def minor_seen_by(user: User, juvenile_ref: str) -> Q:
    """The row's juvenile (its id in `juvenile_ref`) is accused in a case the user may see."""
    seen = case_seen_by(user, "proceeding_id")
    if seen is NOTHING:
        return NOTHING
    accused = Accused.objects.filter(seen, juvenile_id=OuterRef(juvenile_ref))
    return Q(Exists(accused))
