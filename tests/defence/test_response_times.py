import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from qorgau.defence import selectors
from qorgau.defence.models import Duty
from qorgau.proceedings.models import EventKind
from tests.defence.conftest import shift
from tests.defence.test_assign import assign

ALMATY = ZoneInfo("Asia/Almaty")
H = datetime.timedelta(hours=1)
M = datetime.timedelta(minutes=1)


@pytest.fixture
def assigned(detained, night_shifts, bar_psychologist):
    """Detention at offence + 1 h; assignment exactly 1 h later."""
    return assign(detained, psychologist=bar_psychologist)


def test_times_are_measured_from_the_detention(detained, assigned, lawyer, bar_psychologist):
    (row,) = selectors.measure([assigned])
    assert row.to_assignment == H
    assert row.to_defender is None and row.to_psychologist is None
    detained.record(
        EventKind.DEFENDER_ARRIVED, actor=lawyer, at=detained.offence + 4 * H,
        participant=assigned.defender,
    )  # fmt: skip
    detained.record(
        EventKind.PSYCHOLOGIST_PRESENT, actor=bar_psychologist,
        at=detained.offence + 4 * H + M, participant=assigned.psychologist,
    )  # fmt: skip
    assigned.refresh_from_db()  # the assignment keeps the first arrivals as they are recorded
    (row,) = selectors.measure([assigned])
    assert row.to_defender == 3 * H
    assert row.to_psychologist == 3 * H + M


def test_a_target_is_met_at_exactly_its_length(detained, assigned, lawyer, analyst):
    detained.record(
        EventKind.DEFENDER_ARRIVED, actor=lawyer, at=detained.offence + 4 * H,
        participant=assigned.defender,
    )  # fmt: skip
    day = timezone.localdate(assigned.assigned_at)
    report = selectors.response_times(actor=analyst, start=day, end=day)
    total = report.total
    assert total.count == 1 and total.state_paid_share == 1
    # 60 minutes to assignment: within 1 h and 3 h.
    assert total.to_assignment.within == [(1, 1, 1.0), (3, 1, 1.0)]
    assert total.to_assignment.median_minutes == 60
    # 180 minutes to arrival: not within 1 h, within 3 h.
    assert total.to_defender.within == [(1, 0, 0.0), (3, 1, 1.0)]
    # The psychologist has not arrived: measured for none, counted against both targets.
    assert total.to_psychologist.measured == 0
    assert total.to_psychologist.within == [(1, 0, 0.0), (3, 0, 0.0)]
    assert [s.label for s in report.by_region] == [assigned.region.name]


def test_one_minute_over_misses_the_target():
    interval = selectors._interval([61, 181, None], [1, 3])
    assert interval.within == [(1, 0, 0.0), (3, 1, pytest.approx(1 / 3))]
    assert interval.median_minutes == pytest.approx((61 + 181) / 2)
    assert interval.count == 3 and interval.measured == 2
    interval = selectors._interval([60, 180], [1, 3])
    assert interval.within == [(1, 1, 0.5), (3, 2, 1.0)]


def test_the_period_is_by_local_assignment_date(detained, assigned, analyst):
    day = timezone.localdate(assigned.assigned_at)
    before = selectors.response_times(actor=analyst, start=day - 7 * datetime.timedelta(1),
                                      end=day - datetime.timedelta(1))  # fmt: skip
    assert before.total.count == 0 and before.total.state_paid_share is None


def test_who_sees_which_assignments(assigned, analyst, prosecutor, lawyer, investigator, outsider,
                                    psychologist):  # fmt: skip
    from qorgau.defence.models import OnDutyAssignment

    def sees(user):
        return OnDutyAssignment.objects.visible_to(user).exists()

    assert sees(analyst) and sees(prosecutor) and sees(lawyer) and sees(investigator)
    assert not sees(outsider)
    assert not sees(psychologist)  # another consultation, not in the case


def test_awaiting_arrival_lists_the_members_assignments(detained, assigned, lawyer):
    assert [r.assignment for r in selectors.awaiting_arrival(lawyer)] == [assigned]
    detained.record(
        EventKind.DEFENDER_ARRIVED, actor=lawyer, at=detained.offence + 3 * H,
        participant=assigned.defender,
    )  # fmt: skip
    assert selectors.awaiting_arrival(lawyer) == []


def test_gaps_in_cover_are_split_at_midnight(lawyer, bar_psychologist):
    start = datetime.datetime(2026, 12, 7, tzinfo=ALMATY)
    first = shift(lawyer, lawyer, Duty.DEFENDER, start + 8 * H, hours=12)  # 08:00–20:00
    gaps = selectors.coverage_gaps([first], Duty.DEFENDER, start, start + 48 * H)
    spans = [(timezone.localtime(g.starts_at).strftime("%d %H"),
              timezone.localtime(g.ends_at).strftime("%d %H")) for g in gaps]  # fmt: skip
    assert spans == [("07 00", "07 08"), ("07 20", "08 00"), ("08 00", "09 00")]
    assert selectors.coverage_gaps([first], Duty.PSYCHOLOGIST, start, start + H)[0].duty == (
        Duty.PSYCHOLOGIST
    )


def test_the_roster_week(lawyer, bar):
    monday = datetime.date(2026, 12, 7)
    start = datetime.datetime(2026, 12, 7, 20, tzinfo=ALMATY)
    shift(lawyer, lawyer, Duty.DEFENDER, start, hours=12)  # Monday night into Tuesday
    roster = selectors.roster_week(bar.territory, monday + datetime.timedelta(days=3))
    assert roster.start == monday
    assert [len(d.defenders) for d in roster.days] == [1, 1, 0, 0, 0, 0, 0]
    assert roster.gaps[0].ends_at == start
