"""The analysts' figures by region: counted by `qorgau count-register`, read with their time."""

import datetime

from django.core.management import call_command

from qorgau.accounts.models import User
from qorgau.people import services, tallies
from qorgau.people.models import RegionTally
from tests import factories


def test_figures_are_live_until_counted_then_read_from_the_tallies(investigator):
    almaty = factories.territory(factories.ALMATY_CITY)
    factories.juvenile(investigator, birth_date=datetime.date(2011, 2, 3))
    rows, as_at = tallies.by_region()
    assert as_at is None
    live = {row.region.pk: row.count for row in rows}
    assert sum(live.values()) == 1

    call_command("count_register")
    rows, as_at = tallies.by_region()
    assert as_at is not None
    assert {row.region.pk: row.count for row in rows} == live
    assert RegionTally.objects.get(region=almaty).juveniles == live[almaty.pk]

    # A child registered after the count shows at the next count, not before.
    factories.juvenile(investigator, birth_date=datetime.date(2012, 4, 5))
    assert sum(row.count for row in tallies.by_region()[0]) == 1
    services.count_register()
    assert sum(row.count for row in tallies.by_region()[0]) == 2


def test_the_analyst_sees_when_the_figures_were_counted(analyst, client):
    User.objects.filter(pk=analyst.pk).update(language="en")
    client.force_login(analyst)
    page = client.get("/").content.decode()
    assert "Juveniles registered, by region of residence" in page
    assert "as at" not in page
    services.count_register()
    assert "as at" in client.get("/").content.decode()
