"""A child's record and family, as people.services.register_juvenile and add_relative write them."""

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from qorgau.core.iin import make_iin
from qorgau.demo.national import audit, names
from qorgau.demo.national.copywriter import Rows
from qorgau.demo.national.plan import IIN_LANES

FOREIGN = 0.01  # children without an IIN: foreign citizens
COUNTRIES = ("Өзбекстан", "Қырғызстан", "Ресей", "Тәжікстан")
SCHOOLS = ("№{} мектеп-гимназиясы", "№{} жалпы білім беретін мектеп", "№{} колледж")


@dataclass
class Child:
    id: int
    name: names.Name
    birth_date: datetime.date
    male: bool
    representative: tuple[int, names.Name, str]  # (relative id, name, phone)
    flags: dict[str, bool]
    relatives: list[tuple[str, names.Name]]  # (relation, name)


LANE_SERIALS = 10_000 // IIN_LANES


class Iins:
    """The children's IINs of one lane: unique because each lane draws the serial numbers
    (the four digits after the century digit) of its own quarter and remembers what it
    issued, so lanes can be made in separate processes and still never clash."""

    def __init__(self, lane: int) -> None:
        self.first = lane * LANE_SERIALS
        self.taken: set[str] = set()

    def draw(self, rng: random.Random, birth: datetime.date, male: bool) -> str:
        sex = "male" if male else "female"
        while True:
            iin = make_iin(birth, sex, self.first + rng.randrange(LANE_SERIALS))
            if iin is not None and iin not in self.taken:
                self.taken.add(iin)
                return iin


def lane_of(iin: str) -> int:
    """The lane that issued a child's IIN (a resumed run gives each lane its IINs back)."""
    return int(iin[7:11]) // LANE_SERIALS


def _iin(rng: random.Random, birth: datetime.date, male: bool) -> str:
    """A relative's IIN (valid; relatives are not kept unique across the country)."""
    sex = "male" if male else "female"
    while True:
        iin = make_iin(birth, sex, rng.randrange(10_000))
        if iin is not None:
            return iin


def _phone(rng: random.Random) -> str:
    operator = f"7{rng.choice('0157')}{rng.randint(0, 9)}"
    return f"+7 {operator} {rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}"


def make_child(
    rng: random.Random,
    rows: Rows,
    *,
    child_id: int,
    next_relative: Callable[[], int],
    next_audit: Callable[[], int],
    birth: datetime.date,
    male: bool,
    area: Any,
    agency_id: int,
    registrar: Any,
    at: datetime.datetime,
    iins: Iins,
) -> Child:
    fam = names.family(rng)
    name = fam.child(rng, male)
    foreign = rng.random() < FOREIGN
    iin = None if foreign else iins.draw(rng, birth, male)
    has_mother, has_father = rng.random() < 0.93, rng.random() < 0.72
    flags = {
        "incomplete_family": not (has_mother and has_father),
        "low_income_family": rng.random() < 0.27,
        "large_family": rng.random() < 0.22,
        "asocial_family": rng.random() < 0.06,
    }
    home = names.address(rng)
    data: dict[str, Any] = {
        "last_name": name.last_name,
        "first_name": name.first_name,
        "patronymic": name.patronymic,
        "iin": iin,
        "no_iin_reason": "foreigner" if foreign else "",
        "birth_date": birth,
        "sex": "male" if male else "female",
        "citizenship": "foreign" if foreign else "KZ",
        "address_territory": area.territory_id,
        "address": home,
        "school": rng.choice(SCHOOLS).format(rng.randint(1, 180)),
        **flags,
    }
    if foreign:
        data["citizenship_country"] = rng.choice(COUNTRIES)
    rows.add(
        "people_juvenile",
        (
            child_id,
            at,
            at,
            name.last_name,
            name.first_name,
            name.patronymic,
            name.latin,
            name.key,
            iin,
            data["no_iin_reason"],
            birth,
            data["sex"],
            data["citizenship"],
            data.get("citizenship_country", ""),
            home,
            data["school"],
            flags["incomplete_family"],
            flags["low_income_family"],
            flags["large_family"],
            flags["asocial_family"],
            "",
            area.territory_id,
            agency_id,
            None,
        ),
    )
    subject = ("people.juvenile", child_id, name.full)
    rows.add(
        "audit_auditevent",
        audit.row(
            id=next_audit(),
            at=at,
            actor=registrar.actor,
            action="juvenile.create",
            subject=subject,
            changes={k: (None, data[k]) for k in sorted(data)},
            rng=rng,
        ),
    )
    parents = []
    if has_mother:
        parents.append(("mother", names.adult(rng, fam, False), False))
    if has_father:
        parents.append(("father", names.adult(rng, fam, True), True))
    if not parents:
        parents.append(("guardian", names.person(rng), rng.random() < 0.4))
    if rng.random() < 0.08:
        parents.append(("grandparent", names.adult(rng, fam, rng.random() < 0.4), False))
    representative: tuple[int, names.Name, str] | None = None
    moment = at
    for number, (relation, person, is_male) in enumerate(parents):
        moment += datetime.timedelta(minutes=rng.randint(1, 6))
        relative_id = next_relative()
        is_rep = number == 0
        years = rng.randint(22, 45) if relation != "grandparent" else rng.randint(50, 70)
        born = birth - datetime.timedelta(days=years * 365 + rng.randint(0, 364))
        phone = _phone(rng)
        fields: dict[str, Any] = {
            "last_name": person.last_name,
            "first_name": person.first_name,
            "patronymic": person.patronymic,
            "relation": relation,
            "is_legal_representative": is_rep,
            "lives_with_child": relation != "grandparent",
            "iin": _iin(rng, born, is_male),
            "birth_date": born,
            "phone": phone,
            "address": home,
        }
        rows.add(
            "people_relative",
            (
                relative_id,
                moment,
                moment,
                person.last_name,
                person.first_name,
                person.patronymic,
                relation,
                is_rep,
                fields["lives_with_child"],
                fields["iin"],
                born,
                phone,
                "",
                home,
                "",
                "",
                child_id,
            ),
        )
        rows.add(
            "audit_auditevent",
            audit.row(
                id=next_audit(),
                at=moment,
                actor=registrar.actor,
                action="relative.create",
                subject=subject,
                changes={f"relative.{k}": (None, fields[k]) for k in sorted(fields)},
                details={"relative_id": relative_id},
                rng=rng,
            ),
        )
        if is_rep:
            representative = (relative_id, person, phone)
    assert representative is not None
    relatives = [(relation, person) for relation, person, _male in parents]
    return Child(child_id, name, birth, male, representative, flags, relatives)
