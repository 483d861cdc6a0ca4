"""Territory, agencies and staff: the country the cases happen in.

Built from the reference data in the database (KATO territories, Criminal Code parts) and
the same seed, so a resumed run rebuilds exactly what the first run wrote.

Usernames are predictable: `<role>.<KATO code>.<n>` (n from 1), e.g.
`investigator.751310000.1` for the first investigator of Auezov District; the administrator
is `national.admin`. Every account's password is PASSWORD.
"""

import datetime
import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import translation

from qorgau.accounts.models import AgencyType, Role
from qorgau.core.models import CriminalArticle, Territory
from qorgau.demo.national import audit, names
from qorgau.demo.national.copywriter import Rows
from qorgau.demo.national.plan import CITY_WEIGHT, YEARS_BACK, Area, apportion
from qorgau.demo.national.roster import Roster, make_roster

PASSWORD = "qorgau-national-2026"  # noqa: S105 - synthetic accounts, documented
ADMIN_USERNAME = "national.admin"
UTC = datetime.UTC

AGENCY_NAMES = {
    AgencyType.INVESTIGATION_UNIT: ("тергеу бөлімі", "следственный отдел", "investigation unit"),
    AgencyType.JUVENILE_POLICE: (
        "кәмелетке толмағандар істері жөніндегі полиция бөлімшесі",
        "отделение ювенальной полиции",
        "juvenile police unit",
    ),
    AgencyType.PROSECUTOR_OFFICE: ("прокуратурасы", "прокуратура", "prosecutor's office"),
    AgencyType.JUVENILE_COURT: (
        "кәмелетке толмағандардың істері жөніндегі мамандандырылған ауданаралық соты",
        "специализированный межрайонный суд по делам несовершеннолетних",
        "specialized inter-district juvenile court",
    ),
    AgencyType.LEGAL_CONSULTATION: (
        "ювеналдық заң консультациясы",
        "ювенальная юридическая консультация",
        "juvenile legal consultation",
    ),
    AgencyType.PROBATION: ("пробация қызметі", "служба пробации", "probation service"),
    AgencyType.CHILD_RIGHTS_BODY: (
        "балалардың құқықтарын қорғау департаменті",
        "департамент по защите прав детей",
        "child-rights department",
    ),
    AgencyType.CHILDREN_INSTITUTION: (
        "балаларды бейімдеу орталығы",
        "центр адаптации несовершеннолетних",
        "children's adaptation centre",
    ),
}

# Regional agencies and their staff: role -> (minimum, cases per person).
REGIONAL: dict[str, dict[str, tuple[int, int]]] = {
    AgencyType.PROSECUTOR_OFFICE: {Role.PROSECUTOR: (1, 600)},
    AgencyType.JUVENILE_COURT: {Role.JUDGE: (1, 500), Role.COURT_SOCIAL_WORKER: (1, 1000)},
    AgencyType.LEGAL_CONSULTATION: {
        Role.DEFENCE_LAWYER: (2, 150),
        Role.SOCIAL_PSYCHOLOGIST: (2, 250),
        Role.PSYCHOLOGY_INTERN: (1, 750),
    },
    AgencyType.PROBATION: {Role.PROBATION_INSPECTOR: (1, 400)},
    AgencyType.CHILD_RIGHTS_BODY: {
        Role.CHILD_RIGHTS_SPECIALIST: (1, 2000),
        Role.ANALYST: (1, 10**9),
    },
    AgencyType.CHILDREN_INSTITUTION: {Role.INSTITUTION_STAFF: (2, 3000)},
}
# Agencies of each district (or of a region without districts in the reference data).
LOCAL: dict[str, dict[str, tuple[int, int]]] = {
    AgencyType.INVESTIGATION_UNIT: {Role.INVESTIGATOR: (1, 50)},
    AgencyType.JUVENILE_POLICE: {Role.JUVENILE_POLICE_INSPECTOR: (1, 120)},
}
TRAINED_ROLES = {Role.INVESTIGATOR, Role.PROSECUTOR, Role.JUDGE, Role.SOCIAL_PSYCHOLOGIST}
UNTRAINED_SHARE = 0.02  # officials without the specialization course (a safeguard flags them)


@dataclass
class Staff:
    id: int
    username: str
    role: str
    agency_id: int
    name: names.Name
    actor: audit.Actor
    trained: bool


@dataclass
class Agency:
    id: int
    kind: str
    territory_id: int
    kato: str
    name_kk: str
    staff: dict[str, list[Staff]] = field(default_factory=lambda: defaultdict(list))


@dataclass
class Region:
    kato: str
    territory_id: int
    areas: list[Area]
    agencies: dict[str, Agency] = field(default_factory=dict)
    local: dict[str, dict[str, Agency]] = field(default_factory=dict)  # area kato -> type -> agency
    roster: Roster | None = None


@dataclass
class Country:
    regions: dict[str, Region]
    articles: list[tuple[int, str, int, str, str]]  # (id, gravity, min age, citation, title)
    admin: Staff
    trained: set[int]
    rows: Rows  # the setup rows (agencies, staff, groups, trainings, their audit)
    audit_count: int = 0
    years: float = YEARS_BACK  # how far back offences go


def _areas(region: Territory, children: list[Territory]) -> list[Area]:
    if not children:
        return [Area(region.pk, region.kato_code, region.kato_code, 1.0)]
    return [
        Area(
            t.pk,
            t.kato_code,
            region.kato_code,
            CITY_WEIGHT if t.level == "city" or region.level == "city" else 1.0,
        )
        for t in children
    ]


def _count(cases: int, minimum: int, per_person: int) -> int:
    return max(minimum, math.ceil(cases / per_person))


def build(
    seed: int,
    cases_by_region: dict[str, int],
    as_of: datetime.date,
    years: float = YEARS_BACK,
) -> Country:
    """Every agency and staff account, with the rows that create them (written once)."""
    rng = random.Random(f"qorgau-national:{seed}:country")
    territories = list(Territory.objects.order_by("kato_code"))
    tops = [t for t in territories if t.parent_id is None]
    by_parent: dict[int, list[Territory]] = defaultdict(list)
    for t in territories:
        if t.parent_id is not None:
            by_parent[t.parent_id].append(t)
    groups = dict(Group.objects.values_list("name", "id"))
    rows = Rows()
    joined = datetime.datetime.combine(
        as_of - datetime.timedelta(days=4 * 365), datetime.time(4, 0), UTC
    )
    password = make_password(PASSWORD, salt="qorgaunational")  # computed once, shared
    counters = {"agency": 0, "user": 0, "group": 0, "training": 0, "shift": 0}

    def next_id(kind: str) -> int:
        counters[kind] += 1
        return counters[kind]

    admin = Staff(
        next_id("user"),
        ADMIN_USERNAME,
        Role.ADMINISTRATOR,
        0,
        names.Name("Әкімшісі", "Ұлттық", ""),
        audit.Actor(1, "Әкімшісі Ұлттық", "", "10.0.0.1"),
        False,
    )
    rows.add(
        "accounts_user",
        (
            admin.id,
            password,
            None,
            False,
            ADMIN_USERNAME,
            "Ұлттық",
            "Әкімшісі",
            "",
            False,
            True,
            joined,
            "",
            "",
            "",
            "kk",
            None,
            0,
        ),
    )
    rows.add("accounts_user_groups", (next_id("group"), admin.id, groups[Role.ADMINISTRATOR]))
    audit_rows: list[dict[str, Any]] = []

    def add_audit(**kwargs: Any) -> None:
        audit_rows.append(kwargs)  # ids are given once the setup's size is known

    add_audit(
        at=joined,
        actor=audit.SYSTEM,
        action="staff.create",
        channel="cli",
        subject=("accounts.user", admin.id, admin.name.full),
        changes={"username": (None, ADMIN_USERNAME), "roles": (None, Role.ADMINISTRATOR)},
    )
    trained: set[int] = set()
    regions: dict[str, Region] = {}
    moment = joined

    def make_agency(kind: str, territory: Territory) -> Agency:
        nonlocal moment
        moment += datetime.timedelta(minutes=3)
        kk, ru, en = AGENCY_NAMES[AgencyType(kind)]
        agency = Agency(
            next_id("agency"), kind, territory.pk, territory.kato_code, f"{territory.name_kk} {kk}"
        )
        values = {
            "name_kk": agency.name_kk,
            "name_ru": f"{ru} ({territory.name_ru})",
            "name_en": f"{territory.name_en} {en}",
            "agency_type": kind,
            "territory": territory.pk,
        }
        rows.add(
            "accounts_agency",
            (
                agency.id,
                moment,
                moment,
                values["name_kk"],
                values["name_ru"],
                values["name_en"],
                kind,
                names.address(rng),
                f"+7 7{rng.randint(10, 29)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
                True,
                territory.pk,
            ),
        )
        add_audit(
            at=moment,
            actor=admin.actor,
            action="agency.create",
            subject=("accounts.agency", agency.id, agency.name_kk),
            changes={k: (None, v) for k, v in values.items()},
        )
        return agency

    def make_staff(agency: Agency, role: str, count: int) -> None:
        nonlocal moment
        with translation.override("kk"):
            position = str(Role(role).label)
        for n in range(1, count + 1):
            moment += datetime.timedelta(minutes=1)
            person = names.person(rng)
            username = f"{role}.{agency.kato}.{n}"
            user_id = next_id("user")
            is_trained = role in TRAINED_ROLES and rng.random() >= UNTRAINED_SHARE
            staff = Staff(
                user_id,
                username,
                role,
                agency.id,
                person,
                audit.Actor(
                    user_id,
                    person.full,
                    agency.name_kk,
                    f"10.{rng.randint(1, 250)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
                ),
                is_trained,
            )
            agency.staff[role].append(staff)
            rows.add(
                "accounts_user",
                (
                    user_id,
                    password,
                    None,
                    False,
                    username,
                    person.first_name,
                    person.last_name,
                    "",
                    False,
                    True,
                    moment,
                    person.patronymic,
                    position,
                    "",
                    "ru" if rng.random() < 0.3 else "kk",
                    agency.id,
                    0,
                ),
            )
            rows.add("accounts_user_groups", (next_id("group"), user_id, groups[role]))
            add_audit(
                at=moment,
                actor=admin.actor,
                action="staff.create",
                subject=("accounts.user", user_id, person.full),
                changes={
                    "username": (None, username),
                    "agency": (None, agency.id),
                    "roles": (None, role),
                },
            )
            if is_trained:
                trained.add(user_id)
                done = (moment + datetime.timedelta(days=rng.randint(30, 700))).date()
                course = "Ювеналдық әділет: мамандандыру курсы"
                rows.add(
                    "accounts_training",
                    (
                        next_id("training"),
                        moment,
                        moment,
                        course,
                        "ҚР Құқық қорғау органдары академиясы",
                        done,
                        72,
                        f"ЮӘ-{user_id:06d}",
                        user_id,
                    ),
                )
                add_audit(
                    at=moment,
                    actor=admin.actor,
                    action="staff.training",
                    subject=("accounts.user", user_id, person.full),
                    changes={"training": (None, f"{course} ({done:%d.%m.%Y})")},
                )

    for region_t in tops:
        cases = cases_by_region.get(region_t.kato_code, 0)
        region = Region(region_t.kato_code, region_t.pk, _areas(region_t, by_parent[region_t.pk]))
        for kind, staffing in REGIONAL.items():
            agency = region.agencies[kind] = make_agency(kind, region_t)
            for role, (minimum, per) in staffing.items():
                make_staff(agency, role, _count(cases, minimum, per))
        region.roster = make_roster(
            rows,
            region_id=region_t.pk,
            region_kato=region_t.kato_code,
            consultation=region.agencies[AgencyType.LEGAL_CONSULTATION],
            first_day=as_of - datetime.timedelta(days=int(years * 365) + 3),
            last_day=as_of,
            next_id=lambda: next_id("shift"),
            add_audit=add_audit,
        )
        shares = {a.kato: a.weight for a in region.areas}
        total = sum(shares.values())
        area_cases = apportion(cases, {k: v / total for k, v in shares.items()})
        area_territories = {t.kato_code: t for t in [region_t, *by_parent[region_t.pk]]}
        for area in region.areas:
            region.local[area.kato] = {}
            for kind, staffing in LOCAL.items():
                agency = make_agency(kind, area_territories[area.kato])
                region.local[area.kato][kind] = agency
                for role, (minimum, per) in staffing.items():
                    make_staff(agency, role, _count(area_cases[area.kato], minimum, per))
        regions[region_t.kato_code] = region

    with translation.override("kk"):
        articles = [
            (a.pk, a.gravity, a.min_age, str(a.citation), a.title_kk)
            for a in CriminalArticle.objects.order_by("id")
        ]
    country = Country(regions, articles, admin, trained, rows, years=years)
    for number, kwargs in enumerate(sorted(audit_rows, key=lambda row: row["at"]), 1):
        rows.add("audit_auditevent", audit.row(id=number, rng=rng, **kwargs))
    country.audit_count = len(audit_rows)
    return country
