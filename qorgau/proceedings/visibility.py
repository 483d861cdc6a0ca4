"""Who sees a case, asked of one row: the per-row form of `Proceeding.objects.visible_to`.

`visible_to` is a set (`case_ids_of_agency`: every case the agency takes part in), right for a
list of the agency's cases. `x IN (that set)` makes PostgreSQL build the whole set even when a
page shows one case or one minor; these checks ask the same question of the one case a row
names, with an index probe per row, so such a page costs the same whatever the country's size.
The rule is the same (registering body, court, investigator, prosecutor, participant):
tests/support/test_visibility.py and tests/people/test_visibility_forms.py check they agree.
"""

from django.db.models import Exists, OuterRef, Q

from qorgau.accounts.models import User
from qorgau.proceedings.models import Participant, Proceeding

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
