"""The safeguards' presence rules applied to a court hearing, as to an interrogation.

The checks and their rules are the safeguards' own (safeguards/checks*.py and rules): the
hearing is put to them as a one-step track whose only step is the questioning of the minor,
with the people marked present. Nothing of the rules is restated here.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from qorgau.courts.models import Hearing, SummonedAs
from qorgau.courts.rulebook import court_book
from qorgau.proceedings.models import EventKind, ParticipantRole, ProceduralEvent
from qorgau.safeguards.checks import CHECKS
from qorgau.safeguards.rulebook import SafeguardRule, safeguard_book
from qorgau.safeguards.track import Track

# The role in the case each kind of person summoned stands in.
ROLE_OF = {
    SummonedAs.LEGAL_REPRESENTATIVE: ParticipantRole.LEGAL_REPRESENTATIVE,
    SummonedAs.DEFENDER: ParticipantRole.DEFENDER,
    SummonedAs.PEDAGOGUE: ParticipantRole.PEDAGOGUE,
    SummonedAs.PSYCHOLOGIST: ParticipantRole.SOCIAL_PSYCHOLOGIST,
}


@dataclass
class HearingTrack(Track):
    """A track of one step, the hearing, with the roles present read from the summonses."""

    present: set[str] = field(default_factory=set)

    def roles_present(self, event: ProceduralEvent) -> set[str]:
        return self.present


class _Minor:
    """What the checks read of the minor: `juvenile.age_on` and nothing of the case."""

    def __init__(self, hearing: Hearing) -> None:
        self.juvenile = hearing.case.juvenile
        self.pk = None
        self.stage = ""


def presence_rules(day: datetime.date) -> list[SafeguardRule]:
    wanted = court_book().presence_rule_ids(day)
    return [rule for rule in safeguard_book().rules if rule.id in wanted and rule.in_force(day)]


def evaluate(hearing: Hearing, present_roles: set[str]) -> list[dict[str, Any]]:
    """The presence rules the hearing breached: [{"rule": id, "facts": {...}}]."""
    day = timezone.localdate(hearing.starts_at)
    step = ProceduralEvent(
        kind=EventKind.INTERROGATION,
        started_at=hearing.starts_at,
        ended_at=hearing.ends_at,
        author=hearing.judge,
    )
    step.pk = hearing.pk
    track = HearingTrack(
        accused=_Minor(hearing),  # type: ignore[arg-type]
        events=[step],
        participants=[],
        now=timezone.now(),
        present=present_roles,
    )
    found = []
    for rule in presence_rules(day):
        for finding in CHECKS[rule.check].run(rule, track):
            found.append({"rule": rule.id, "facts": finding.facts})
    return found


def describe(findings: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Each breached rule as it reads for a hearing, in the active language, with its
    citation (the safeguard's own message speaks of an interrogation)."""
    rows = []
    for item in findings:
        rule = court_book().get("hearing_presence", item["rule"])
        if rule is not None:
            rows.append({"rule": rule.code, "text": rule.label, "citation": rule.citation})
    return rows


def roles_present(hearing: Hearing) -> set[str]:
    return {
        str(ROLE_OF[SummonedAs(s.summoned_as)])
        for s in hearing.summonses.all()
        if s.present and s.summoned_as in ROLE_OF
    }
