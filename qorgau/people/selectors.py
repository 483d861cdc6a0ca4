from django.db.models import Q

from qorgau.accounts.models import User
from qorgau.people.models import Juvenile, JuvenileQuerySet


def juveniles_for_list(
    *, actor: User, query: str = "", region_id: int | None = None
) -> JuvenileQuerySet:
    """The register as the actor may see it, searched and filtered, with what a row shows."""
    qs = Juvenile.objects.visible_to(actor).matching(query)
    if region_id:
        qs = qs.filter(
            Q(address_territory_id=region_id) | Q(address_territory__parent_id=region_id)
        )
    return qs.select_related("address_territory", "registered_by_agency")
