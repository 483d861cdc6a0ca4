"""From a completed risk and needs assessment to the needs a support plan should answer.

The Concept (seed 4.7) says the accompaniment plan answers the minor's needs; the assessment
is where those needs are found. This is the ONE place that says which kind of plan need
(`NeedKind`) answers which domain of the instrument. It is code, not instrument data: released
instrument versions are frozen with their checksums and know nothing of plans, while
`NeedKind` is a model choice of this app. A new instrument version with a new risk domain must
add it here (tests/support/test_crosslink.py fails for a risk domain left unmapped).

A domain "points to" needs when the assessment names it among the reasons of one of its two
levels (the instrument's own rule: the domains that added most points, each at least
`min_points`). Protective factors point to no need.
"""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from qorgau.accounts.models import User
from qorgau.people.models import Juvenile
from qorgau.support.instrument import SCALES, Domain
from qorgau.support.models.assessment import Assessment, RiskLevel
from qorgau.support.models.plan import NeedKind, Priority
from qorgau.support.selectors.assessment import latest_completed

DOMAIN_NEEDS: dict[str, tuple[NeedKind, ...]] = {
    "family": (NeedKind.FAMILY,),
    "education_employment": (NeedKind.STUDY, NeedKind.WORK),
    "leisure": (NeedKind.LEISURE,),
    "substance_use": (NeedKind.MEDICAL, NeedKind.PREVENTION),
    "psychological": (NeedKind.PSYCHOLOGICAL,),
    # Gaps in schooling are made up at school and with the parents who let them happen.
    "pedagogical_neglect": (NeedKind.STUDY, NeedKind.FAMILY),
    "attitudes_behaviour": (NeedKind.PREVENTION,),
    "prior_offending": (NeedKind.PREVENTION,),
    # Time with antisocial peers is replaced by organised leisure and prevention work.
    "peers": (NeedKind.LEISURE, NeedKind.PREVENTION),
}

# A need pointed to by a domain that is a reason of a high or very high level is urgent.
URGENT_LEVELS = (RiskLevel.HIGH, RiskLevel.VERY_HIGH)


@dataclass
class Suggestion:
    """One kind of need, with the domains of the assessment that point to it."""

    kind: NeedKind
    domains: list[Domain] = field(default_factory=list)
    priority: str = Priority.NORMAL

    @property
    def label(self) -> str:
        return str(self.kind.label)

    @property
    def domain_titles(self) -> str:
        return ", ".join(domain.title for domain in self.domains)


def high_domains(assessment: Assessment) -> list[tuple[Domain, bool]]:
    """The risk domains named as reasons of the levels, in the instrument's order, each with
    whether it is a reason of a high or very high level."""
    instrument = assessment.instrument
    levels = {"society": assessment.society_level, "child": assessment.child_level}
    named: dict[str, bool] = {}
    for scale in SCALES:
        for entry in (assessment.reasons.get(scale) or {}).get("domains", []):
            urgent = levels[scale] in URGENT_LEVELS
            named[entry["domain"]] = named.get(entry["domain"], False) or urgent
    return [
        (domain, named[domain.id])
        for domain in instrument.domains
        if domain.id in named and not domain.protective
    ]


def suggested_needs(assessment: Assessment, taken: set[str] | None = None) -> list[Suggestion]:
    """The needs the assessment points to that the plan does not have yet, in NeedKind order."""
    taken = taken or set()
    found: dict[str, Suggestion] = {}
    for domain, urgent in high_domains(assessment):
        for kind in DOMAIN_NEEDS.get(domain.id, ()):
            if kind in taken:
                continue
            suggestion = found.setdefault(kind, Suggestion(kind=kind))
            suggestion.domains.append(domain)
            if urgent:
                suggestion.priority = Priority.HIGH
    order = list(NeedKind)
    return sorted(found.values(), key=lambda s: order.index(s.kind))


@dataclass
class PlanSuggestions:
    """What the plan pages offer: the assessment and the needs it points to."""

    assessment: Assessment
    needs: list[Suggestion]


def suggestions_for(actor: User, juvenile: Juvenile, taken: set[str]) -> PlanSuggestions | None:
    """The needs the minor's latest completed assessment the actor may see points to, less the
    kinds the plan already has; None without such an assessment or when nothing is left."""
    assessment = latest_completed(actor, juvenile)
    if assessment is None:
        return None
    needs = suggested_needs(assessment, taken)
    return PlanSuggestions(assessment, needs) if needs else None


def suggested_description(suggestion: Suggestion, assessment: Assessment) -> str:
    """The description of a need added in one click, in the actor's language."""
    assert assessment.completed_at is not None
    return _("Suggested by the risk and needs assessment of %(day)s: %(domains)s.") % {
        "day": timezone.localtime(assessment.completed_at).strftime("%d.%m.%Y"),
        "domains": suggestion.domain_titles,
    }
