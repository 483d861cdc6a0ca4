"""Test data built through the services, as users would build it."""

import datetime
import itertools

from qorgau.accounts import services as account_services
from qorgau.accounts.models import Agency, AgencyType, Role, User
from qorgau.core.iin import make_iin
from qorgau.core.models import Territory
from qorgau.people import services as people_services
from qorgau.people.models import Juvenile

PASSWORD = "correct-horse-battery-staple-42"
_serial = itertools.count(1)


def territory(kato_code: str) -> Territory:
    return Territory.objects.get(kato_code=kato_code)


ALMATY_CITY = "750000000"
AUEZOV = "751310000"
KARASAI = "195200000"
ASTANA = "710000000"


def superuser() -> User:
    user, _ = User.objects.get_or_create(
        username="root", defaults={"is_superuser": True, "is_staff": True, "last_name": "Root"}
    )
    return user


def agency(
    agency_type: str = AgencyType.INVESTIGATION_UNIT,
    kato_code: str = AUEZOV,
    name: str | None = None,
) -> Agency:
    label = name or f"{agency_type} {kato_code} {next(_serial)}"
    return account_services.create_agency(
        actor=superuser(),
        name_kk=label,
        name_ru=label,
        name_en=label,
        agency_type=agency_type,
        territory=territory(kato_code),
    )


def staff(role: str, agency_obj: Agency | None = None, username: str | None = None) -> User:
    number = next(_serial)
    if agency_obj is None and role != Role.ADMINISTRATOR:
        agency_obj = agency()
    return account_services.create_staff(
        actor=superuser(),
        username=username or f"{role}{number}",
        password=PASSWORD,
        roles=[role],
        agency=agency_obj,
        first_name=f"Аты{number}",
        last_name="Тегі",
    )


def valid_iin(birth_date: datetime.date, sex: str = "male") -> str:
    while True:
        iin = make_iin(birth_date, sex, next(_serial))
        if iin:
            return iin


def juvenile(actor: User, **fields: object) -> Juvenile:
    birth_date = fields.pop("birth_date", datetime.date(2010, 3, 5))
    sex = fields.pop("sex", "male")
    data: dict[str, object] = {
        "last_name": "Сейітов",
        "first_name": "Нұрлан",
        "patronymic": "Қайратұлы",
        "iin": valid_iin(birth_date, sex),  # type: ignore[arg-type]
        "birth_date": birth_date,
        "sex": sex,
        "address_territory": territory(AUEZOV),
    }
    data.update(fields)
    return people_services.register_juvenile(actor=actor, **data)
