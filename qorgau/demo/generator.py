"""The demo data set, built through the services exactly as users would build it."""

import datetime
import random
from dataclasses import dataclass, field

from qorgau.accounts import services as accounts
from qorgau.accounts.models import Agency, Role, User
from qorgau.core.iin import make_iin
from qorgau.core.models import Territory
from qorgau.demo import (
    assessments,
    courts,
    data,
    defence,
    mediation,
    plans,
    portraits,
    probation,
)
from qorgau.demo.cases import load_cases
from qorgau.people import services as people
from qorgau.people.models import Citizenship, NoIINReason, Relation

JUVENILES = 48


@dataclass
class DemoResult:
    created: bool
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (login, role, agency)


def load_demo(seed: int = 2026) -> DemoResult:
    """Create the demo installation once; later calls change nothing and list the logins."""
    if User.objects.filter(username="admin").exists():
        return DemoResult(created=False, logins=_logins())
    rng = random.Random(seed)
    admin = accounts.create_first_administrator(
        username="admin", password=data.DEMO_PASSWORD, first_name="Жүйе", last_name="Әкімшісі"
    )
    agencies = _create_agencies(admin)
    staff = _create_staff(admin, agencies, rng)
    territories = {t.kato_code: t for t in Territory.objects.all()}
    registrars = [staff["police"], staff["investigator"], staff["karasai"], staff["astana"]]
    for number in range(JUVENILES):
        _create_juvenile(rng, registrars[number % len(registrars)], territories, number)
    load_cases(staff, rng)
    # The accompaniment around the demo cases, in the order it happens.
    for area in (defence, assessments, portraits, plans, mediation, courts, probation):
        area.load(staff, rng)
    return DemoResult(created=True, logins=_logins())


def _logins() -> list[tuple[str, str, str]]:
    users = User.objects.select_related("agency").prefetch_related("groups").order_by("id")
    return [(u.username, ", ".join(u.role_labels), str(u.agency or "—")) for u in users]


def _create_agencies(admin: User) -> dict[str, Agency]:
    territories = {t.kato_code: t for t in Territory.objects.all()}
    return {
        key: accounts.create_agency(
            actor=admin,
            agency_type=kind,
            territory=territories[code],
            name_kk=kk,
            name_ru=ru,
            name_en=en,
        )
        for key, kind, code, kk, ru, en in data.AGENCIES
    }


def _create_staff(admin: User, agencies: dict[str, Agency], rng: random.Random) -> dict[str, User]:
    staff = {}
    for login, role, agency_key, surname, first, patronymic, position in data.STAFF:
        user = accounts.create_staff(
            actor=admin,
            username=login,
            password=data.DEMO_PASSWORD,
            roles=[role],
            agency=agencies[agency_key],
            first_name=first,
            last_name=surname,
            patronymic=patronymic,
            position=position,
            language="ru" if role == Role.DEFENCE_LAWYER else "kk",
        )
        # Most staff of the pilot took the juvenile-justice course; the rest show as gaps.
        if rng.random() < 0.7:
            accounts.add_training(
                actor=admin,
                user=user,
                course="Ювеналдық юстиция негіздері",
                provider=data.TRAINING_PROVIDER,
                completed_on=datetime.date(2025, rng.randint(1, 12), rng.randint(1, 28)),
                hours=rng.choice([36, 72]),
                certificate_number=f"ЮЮ-{rng.randint(1000, 9999)}",
            )
        staff[login] = user
    return staff


def _create_juvenile(
    rng: random.Random, registrar: User, territories: dict[str, Territory], number: int
) -> None:
    sex = rng.choice(
        ["male", "male", "male", "female"]
    )  # most minors in conflict with the law are boys
    russian = rng.random() < 0.15
    if russian:
        father = rng.choice(list(data.RUSSIAN_FATHERS))
        surname = rng.choice(data.RUSSIAN_SURNAMES)
        first = rng.choice(data.RUSSIAN_BOYS if sex == "male" else data.RUSSIAN_GIRLS)
        patronymic = data.RUSSIAN_FATHERS[father][0 if sex == "male" else 1]
    else:
        father = rng.choice(data.FATHERS)
        surname = rng.choice(data.SURNAMES)
        first = rng.choice(data.BOYS if sex == "male" else data.GIRLS)
        patronymic = father + ("ұлы" if sex == "male" else "қызы")
    last_name = surname if sex == "male" or surname in data.UNDECLINED_SURNAMES else surname + "а"
    birth_date = datetime.date(2008, 1, 1) + datetime.timedelta(days=rng.randint(0, 365 * 5))
    territory = _territory_for(registrar, territories, rng)
    fields: dict[str, object] = {
        "last_name": last_name,
        "first_name": first,
        "patronymic": patronymic,
        "birth_date": birth_date,
        "sex": sex,
        "address_territory": territory,
        "address": f"{rng.choice(data.STREETS)}, {rng.randint(1, 200)}",
        "school": rng.choice(data.SCHOOLS),
        "incomplete_family": rng.random() < 0.45,
        "low_income_family": rng.random() < 0.5,
        "large_family": rng.random() < 0.3,
        "asocial_family": rng.random() < 0.15,
    }
    if number % 16 == 7:
        fields.update(
            citizenship=Citizenship.FOREIGN,
            citizenship_country="Қырғызстан",
            no_iin_reason=NoIINReason.FOREIGNER,
        )
    else:
        fields["iin"] = _iin(birth_date, sex, rng)
    juvenile = people.register_juvenile(actor=registrar, **fields)
    mother_surname = surname if surname in data.UNDECLINED_SURNAMES else surname + "а"
    people.add_relative(
        actor=registrar,
        juvenile=juvenile,
        relation=Relation.MOTHER,
        is_legal_representative=True,
        lives_with_child=True,
        last_name=mother_surname,
        first_name=rng.choice(data.MOTHERS),
        patronymic="",
        phone=_phone(rng, f"70{rng.randint(0, 8)}"),
    )
    if not fields["incomplete_family"]:
        people.add_relative(
            actor=registrar,
            juvenile=juvenile,
            relation=Relation.FATHER,
            is_legal_representative=True,
            lives_with_child=True,
            last_name=surname,
            first_name=father,
            phone=_phone(rng, "777"),
        )


def _territory_for(
    registrar: User, territories: dict[str, Territory], rng: random.Random
) -> Territory:
    """Mostly the agency's own district; some children live elsewhere in the same region."""
    agency_territory = registrar.agency.territory  # type: ignore[union-attr]
    region_pk = agency_territory.parent_id or agency_territory.pk
    districts = [t for t in territories.values() if t.parent_id == region_pk]
    if agency_territory.parent_id is not None and rng.random() < 0.7:
        return agency_territory
    return rng.choice(districts) if districts else agency_territory


def _iin(birth_date: datetime.date, sex: str, rng: random.Random) -> str:
    while True:
        iin = make_iin(birth_date, sex, rng.randint(1, 9999))
        if iin:
            return iin


def _phone(rng: random.Random, operator: str) -> str:
    return f"+7 {operator} {rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
