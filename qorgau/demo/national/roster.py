"""The 24/7 duty roster of each region's juvenile legal consultation (defence.add_shift).

One defender and one social psychologist on duty per region around the clock, in 24-hour
shifts from 04:00 UTC, the members taking turns; the on-duty pair is assigned to a detained
minor (defence.assign_on_duty) from the shifts running at that moment.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import translation

from qorgau.defence.models import Duty
from qorgau.demo.national.audit import local_time
from qorgau.demo.national.copywriter import Rows

SHIFT = datetime.timedelta(hours=24)


@dataclass
class Roster:
    first_start: datetime.datetime
    days: int
    # duty -> first shift id; shift i of a duty has id first + i and member members[i % n]
    first_id: dict[str, int]
    members: dict[str, list[Any]]

    def on_duty(self, duty: str, at: datetime.datetime) -> tuple[int, Any]:
        """(shift id, staff member) of the shift of this duty running at `at`."""
        index = int((at - self.first_start) / SHIFT)
        if not 0 <= index < self.days:
            raise ValueError(f"No {duty} shift at {at}")
        people = self.members[duty]
        return self.first_id[duty] + index, people[index % len(people)]


def make_roster(
    rows: Rows,
    *,
    region_id: int,
    region_kato: str,
    consultation: Any,
    first_day: datetime.date,
    last_day: datetime.date,
    next_id: Callable[[], int],
    add_audit: Callable[..., None],
) -> Roster:
    first_start = datetime.datetime.combine(first_day, datetime.time(4), datetime.UTC)
    days = (last_day - first_day).days + 1
    members = {
        Duty.DEFENDER.value: consultation.staff["defence_lawyer"],
        Duty.PSYCHOLOGIST.value: consultation.staff["social_psychologist"],
    }
    head = members[Duty.DEFENDER.value][0]
    with translation.override("kk"):
        labels = {duty.value: str(duty.label) for duty in Duty}
    roster = Roster(first_start, days, {}, members)
    for duty, people in members.items():
        for index in range(days):
            shift_id = next_id()
            if index == 0:
                roster.first_id[duty] = shift_id
            member = people[index % len(people)]
            starts = first_start + index * SHIFT
            ends = starts + SHIFT
            added = starts - datetime.timedelta(days=7, hours=-2)
            rows.add(
                "defence_dutyshift",
                (
                    shift_id,
                    added,
                    added,
                    duty,
                    starts,
                    ends,
                    None,
                    "",
                    None,
                    consultation.id,
                    head.id,
                    None,
                    member.id,
                    region_id,
                ),
            )
            label = f"{member.name.full} ({labels[duty]}) {local_time(starts, '%Y-%m-%d %H:%M')}"
            add_audit(
                at=added,
                actor=head.actor,
                action="duty.shift_add",
                subject=("defence.dutyshift", shift_id, label),
                changes={
                    "member": (None, member.id),
                    "duty": (None, duty),
                    "starts_at": (None, local_time(starts)),
                    "ends_at": (None, local_time(ends)),
                    "territory": (None, region_kato),
                },
            )
    return roster
