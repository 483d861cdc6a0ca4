from django.db.models import Q

from qorgau.accounts.models import User
from qorgau.people.models import Juvenile, JuvenileQuerySet


def juveniles_for_list(
    *, actor: User, query: str = "", region_id: int | None = None
) -> JuvenileQuerySet:
    """The register as the actor may see it, searched and filtered, with what a row shows."""
    # An IIN finds one child or a handful: each is checked on its own (an index probe) rather
    # than the set of every child the actor may see built first. A name can match thousands
    # across the country (2,186 for one surname at 1×), so it is looked for inside that set.
    digits = query.replace(" ", "")
    by_iin = bool(digits) and digits.isascii() and digits.isdigit()
    seen = Juvenile.objects.seen_by if by_iin else Juvenile.objects.visible_to
    qs = seen(actor).matching(query)
    if region_id:
        qs = qs.filter(
            Q(address_territory_id=region_id) | Q(address_territory__parent_id=region_id)
        )
    return qs.select_related("address_territory", "registered_by_agency")
