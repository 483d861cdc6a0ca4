"""Kazakh and Russian names in Cyrillic, with the Latin forms the people services store.

A family shares a surname (the feminine form for women) and the child's patronymic comes
from the father's first name, as the registry writes them.
"""

import random
from dataclasses import dataclass

from qorgau.core.translit import search_key, to_latin

KAZAKH_MALE = [
    "Абай",
    "Айбек",
    "Айдар",
    "Айдос",
    "Алихан",
    "Алмас",
    "Әли",
    "Арман",
    "Арсен",
    "Асқар",
    "Ақжол",
    "Бауыржан",
    "Бекзат",
    "Бексұлтан",
    "Болат",
    "Дамир",
    "Данияр",
    "Диас",
    "Ерасыл",
    "Ербол",
    "Ерлан",
    "Ерназар",
    "Жандос",
    "Жанибек",
    "Жасұлан",
    "Ислам",
    "Қайрат",
    "Қуаныш",
    "Мағжан",
    "Мейіржан",
    "Мирас",
    "Нұрасыл",
    "Нұржан",
    "Нұрлан",
    "Нұрсұлтан",
    "Олжас",
    "Рауан",
    "Руслан",
    "Санжар",
    "Серік",
    "Сұлтан",
    "Талғат",
    "Темірлан",
    "Тимур",
    "Ұлан",
    "Шыңғыс",
    "Ілияс",
    "Әлішер",
    "Бахытжан",
    "Дәурен",
    "Ғалым",
    "Ерғали",
]
KAZAKH_FEMALE = [
    "Айару",
    "Айгерім",
    "Айдана",
    "Айжан",
    "Айзере",
    "Айым",
    "Ақбота",
    "Ақерке",
    "Әйгерім",
    "Әсем",
    "Балнұр",
    "Гүлнар",
    "Дана",
    "Дариға",
    "Дильназ",
    "Жанар",
    "Жансая",
    "Жұлдыз",
    "Зарина",
    "Инкар",
    "Камила",
    "Қарлығаш",
    "Ләззат",
    "Мадина",
    "Меруерт",
    "Мөлдір",
    "Нұрай",
    "Нұрсұлу",
    "Перизат",
    "Сабина",
    "Салтанат",
    "Сания",
    "Томирис",
    "Тоғжан",
    "Ұлжан",
    "Шұғыла",
    "Іңкәр",
    "Гүлмира",
    "Раушан",
]
RUSSIAN_MALE = [
    "Александр",
    "Алексей",
    "Андрей",
    "Артём",
    "Владимир",
    "Даниил",
    "Денис",
    "Дмитрий",
    "Евгений",
    "Егор",
    "Иван",
    "Игорь",
    "Илья",
    "Кирилл",
    "Максим",
    "Михаил",
    "Никита",
    "Николай",
    "Павел",
    "Роман",
    "Сергей",
    "Станислав",
    "Виктор",
    "Вадим",
    "Юрий",
]
RUSSIAN_FEMALE = [
    "Алина",
    "Анастасия",
    "Анна",
    "Валерия",
    "Виктория",
    "Дарья",
    "Екатерина",
    "Елена",
    "Ирина",
    "Ксения",
    "Мария",
    "Наталья",
    "Ольга",
    "Полина",
    "Светлана",
    "София",
    "Татьяна",
    "Юлия",
    "Вероника",
    "Кристина",
]
KAZAKH_SURNAME_ROOTS = [
    "Абдрахман",
    "Ахмет",
    "Әбдіраш",
    "Байжан",
    "Бекмұхамбет",
    "Дүйсен",
    "Жақсылық",
    "Жұмабай",
    "Ерғали",
    "Есенжол",
    "Жұмабек",
    "Исабек",
    "Қасым",
    "Қожахмет",
    "Құдайберген",
    "Мұқан",
    "Нұрғали",
    "Оспан",
    "Омар",
    "Рахым",
    "Сағынбай",
    "Сәрсенбай",
    "Сейіт",
    "Смағұл",
    "Сүлеймен",
    "Тоқтар",
    "Төлеген",
    "Шәріп",
    "Ыбырай",
    "Әбілқас",
    "Мұхаметжан",
    "Базарбай",
    "Ізбасар",
    "Серік",
    "Қали",
]
RUSSIAN_SURNAMES = [
    "Иванов",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Васильев",
    "Петров",
    "Соколов",
    "Михайлов",
    "Новиков",
    "Фёдоров",
    "Морозов",
    "Волков",
    "Алексеев",
    "Лебедев",
    "Семёнов",
    "Егоров",
    "Павлов",
    "Козлов",
    "Степанов",
    "Николаев",
    "Орлов",
    "Андреев",
    "Макаров",
    "Никитин",
    "Захаров",
    "Зайцев",
    "Соловьёв",
    "Борисов",
    "Яковлев",
    "Григорьев",
]
STREETS = [
    "Абай даңғылы",
    "Төле би көшесі",
    "Сәтбаев көшесі",
    "Жібек жолы даңғылы",
    "Республика даңғылы",
    "Абылай хан даңғылы",
    "Құрманғазы көшесі",
    "Бейбітшілік көшесі",
    "Тәуелсіздік көшесі",
    "Жамбыл көшесі",
]


@dataclass(frozen=True)
class Name:
    last_name: str
    first_name: str
    patronymic: str

    @property
    def full(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)

    @property
    def latin(self) -> str:
        return to_latin(self.full)

    @property
    def key(self) -> str:
        return search_key(self.full)


@dataclass(frozen=True)
class Family:
    """A surname root and a father's first name: what a child's name is built from."""

    kazakh: bool
    root: str
    father: str

    def surname(self, male: bool) -> str:
        if self.kazakh:
            return self.root + ("ов" if male else "ова")
        return self.root if male else self.root + "а"

    def child(self, rng: random.Random, male: bool) -> Name:
        return Name(self.surname(male), first_name(rng, self.kazakh, male), self.patronymic(male))

    def patronymic(self, male: bool) -> str:
        if self.kazakh:
            return self.father + (" ұлы" if male else " қызы")
        return _russian_patronymic(self.father, male)


def _russian_patronymic(father: str, male: bool) -> str:
    if father.endswith("й"):
        stem, male_end, female_end = father[:-1], "евич", "евна"
    elif father.endswith("а"):
        stem, male_end, female_end = father[:-1], "ич", "ична"
    else:
        stem, male_end, female_end = father, "ович", "овна"
    return stem + (male_end if male else female_end)


def first_name(rng: random.Random, kazakh: bool, male: bool) -> str:
    if kazakh:
        return rng.choice(KAZAKH_MALE if male else KAZAKH_FEMALE)
    return rng.choice(RUSSIAN_MALE if male else RUSSIAN_FEMALE)


def family(rng: random.Random, kazakh_share: float = 0.78) -> Family:
    kazakh = rng.random() < kazakh_share
    root = rng.choice(KAZAKH_SURNAME_ROOTS if kazakh else RUSSIAN_SURNAMES)
    return Family(kazakh, root, first_name(rng, kazakh, True))


def adult(rng: random.Random, fam: Family, male: bool, own_father: str = "") -> Name:
    """A parent: the father is the family's father; a mother keeps the family surname."""
    first = fam.father if male else first_name(rng, fam.kazakh, False)
    grandfather = own_father or first_name(rng, fam.kazakh, True)
    patronymic = (
        grandfather + (" ұлы" if male else " қызы")
        if fam.kazakh
        else _russian_patronymic(grandfather, male)
    )
    return Name(fam.surname(male), first, patronymic)


def person(rng: random.Random) -> Name:
    """Anyone: a victim, a pedagogue, a staff member."""
    fam = family(rng)
    male = rng.random() < 0.5
    return adult(rng, fam, male)


def address(rng: random.Random) -> str:
    return f"{rng.choice(STREETS)}, {rng.randint(1, 180)}, {rng.randint(1, 120)}"
