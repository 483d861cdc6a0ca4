"""How big the country is at a scale, where its children live, and each block's id ranges.

The work is cut into blocks of at most BLOCK cases of one region. A block's random numbers
come from its own generator, seeded by (seed, region, block number), and its ids from fixed
ranges: the output is the same however the blocks are run, resumed or split between workers.
"""

import dataclasses
import datetime
import math
from dataclasses import dataclass

# Measured at 1x national volume by the author (issue 11).
CASES_AT_1X = 60_017
JUVENILES_AT_1X = 100_048
EVENTS_AT_1X = 1_940_000
AUDIT_AT_1X = 2_600_000
VIOLATIONS_AT_1X = 18_941
MAX_SCALE = 100.0

BLOCK = 250  # cases per block
IIN_LANES = 4  # blocks are made in this many independent lanes (Block.lane; people.Iins)
YEARS_BACK = 3  # offences happen in the three years before the as-of day
# Ids a block may use per table (a block never needs more); block g uses
# g * STRIDE + 1 ... (g + 1) * STRIDE.
STRIDE = {
    "people_juvenile": 1_024,
    "people_relative": 4_096,
    "proceedings_proceeding": BLOCK,
    "proceedings_accused": 1_024,
    "proceedings_charge": 4_096,
    "proceedings_participant": 8_192,
    "proceedings_proceduralevent": 65_536,
    "proceedings_proceduralevent_attendees": 262_144,
    "defence_ondutyassignment": 1_024,
    "safeguards_violation": 8_192,
    "safeguards_violation_events": 16_384,
    "support_assessment": 1_024,
    "support_portrait": 1_024,
    "support_interview": 4_096,
    "support_collecteddocument": 1_024,
    "support_portraitreport": 1_024,
    "support_disclosure": 4_096,
    "support_supportplan": 1_024,
    "support_planneed": 4_096,
    "support_plantask": 8_192,
    "mediation_mediation": 1_024,
    "mediation_mediationsession": 4_096,
    "mediation_agreement": 1_024,
    "mediation_instalment": 4_096,
    "mediation_payment": 4_096,
    "probation_supervision": 1_024,
    "probation_checkin": 16_384,
    "probation_breach": 4_096,
    "probation_worklog": 16_384,
    "probation_reminder": 2_048,
    "audit_auditevent": 131_072,
}

# Children aged 0-17 by region (KATO code), thousands, 1 January 2024: estimates from the
# regions' published total population and child share (BNS). child-population.csv confirms
# only the national total (6,841,527), so these are scaled to it; replace with the regional
# figures when they are loaded.
CHILDREN_BY_REGION = {
    "100000000": 190,
    "110000000": 220,
    "150000000": 320,
    "190000000": 510,
    "230000000": 265,
    "270000000": 220,
    "310000000": 430,
    "330000000": 230,
    "350000000": 300,
    "390000000": 200,
    "430000000": 305,
    "470000000": 315,
    "550000000": 190,
    "590000000": 120,
    "610000000": 860,
    "620000000": 65,
    "630000000": 180,
    "710000000": 450,
    "750000000": 600,
    "790000000": 455,
}
NATIONAL_CHILDREN = 6_841_527
# Within a region: a city of regional significance or a city district counts this much more
# than a rural district.
CITY_WEIGHT = 2.5


class ScaleError(ValueError):
    pass


def parse_scale(raw: str) -> float:
    try:
        scale = float(raw)
    except (TypeError, ValueError):
        raise ScaleError(f"--scale must be a number, not {raw!r}.") from None
    if not math.isfinite(scale) or scale <= 0:
        raise ScaleError(f"--scale must be greater than 0 (got {raw}).")
    if scale > MAX_SCALE:
        raise ScaleError(f"--scale above {MAX_SCALE:g} is not supported (got {raw}).")
    if round(CASES_AT_1X * scale) < 1:
        raise ScaleError(f"--scale {raw} makes no case at all; use at least {1 / CASES_AT_1X:.6f}.")
    return scale


@dataclass(frozen=True)
class Area:
    """Where cases are registered: a district or city, or a region without districts."""

    territory_id: int
    kato: str
    region_kato: str
    weight: float


@dataclass(frozen=True)
class Block:
    number: int  # global, from 0: fixes the id ranges
    region_kato: str
    index: int  # within the region: seeds the random numbers
    cases: int

    @property
    def lane(self) -> int:
        """Blocks of one lane are made in order by one maker; lanes may run in parallel."""
        return self.number % IIN_LANES

    def first_id(self, table: str) -> int:
        return self.number * STRIDE[table] + 1


@dataclass
class Plan:
    seed: int
    scale: float
    as_of: datetime.date
    cases: int
    cases_by_region: dict[str, int]
    blocks: list[Block] = dataclasses.field(default_factory=list)


def region_shares(region_codes: list[str]) -> dict[str, float]:
    known = {code: CHILDREN_BY_REGION.get(code, 100) for code in region_codes}
    total = sum(known.values())
    return {code: value / total for code, value in known.items()}


def apportion(total: int, shares: dict[str, float]) -> dict[str, int]:
    """Split a whole number by shares, largest remainders first (ties by code)."""
    exact = {code: total * share for code, share in shares.items()}
    whole = {code: int(value) for code, value in exact.items()}
    rest = total - sum(whole.values())
    for code in sorted(exact, key=lambda c: (-(exact[c] - whole[c]), c))[:rest]:
        whole[code] += 1
    return whole


def cases_by_region(scale: float, region_codes: list[str]) -> dict[str, int]:
    cases = max(1, round(CASES_AT_1X * scale))
    return apportion(cases, region_shares(sorted(region_codes)))


def make_plan(
    seed: int, scale: float, as_of: datetime.date, region_codes: list[str], first_block: int
) -> Plan:
    """The blocks, numbered from `first_block` (the ids below are the setup's)."""
    by_region = cases_by_region(scale, region_codes)
    cases = sum(by_region.values())
    plan = Plan(seed=seed, scale=scale, as_of=as_of, cases=cases, cases_by_region=by_region)
    number = first_block
    for code in sorted(by_region):
        remaining, index = by_region[code], 0
        while remaining > 0:
            size = min(BLOCK, remaining)
            plan.blocks.append(Block(number, code, index, size))
            number, index, remaining = number + 1, index + 1, remaining - size
    return plan


def block_seed(seed: int, region_kato: str, index: int) -> str:
    # A string seed is hashed with SHA-512 by random.seed: stable across runs and platforms.
    return f"qorgau-national:{seed}:{region_kato}:{index}"
