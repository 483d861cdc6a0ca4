"""Per-row checks of who sees a case, for the visible_to of the accompaniment and mediation.

The case rule itself is the proceedings' (`qorgau/proceedings/visibility.py`); this adds the
check of a minor accused in a case the user sees.

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
from qorgau.proceedings.models import Accused
from qorgau.proceedings.visibility import NOTHING, case_seen_by


def minor_seen_by(user: User, juvenile_ref: str) -> Q:
    """The row's juvenile (its id in `juvenile_ref`) is accused in a case the user may see."""
    seen = case_seen_by(user, "proceeding_id")
    if seen is NOTHING:
        return NOTHING
    accused = Accused.objects.filter(seen, juvenile_id=OuterRef(juvenile_ref))
    return Q(Exists(accused))
