"""Who and what the demo shows: agencies of the pilot districts and other regions, one user per role."""

from qorgau.accounts.models import AgencyType, Role

TRAINING_PROVIDER = "Қазақстан Республикасы Бас прокуратурасының жанындағы Құқық қорғау академиясы"
DEMO_PASSWORD = "qorgau-demo-2026"  # noqa: S105 (printed on purpose: demo only)

AUEZOV = "751310000"
KARASAI = "195200000"
ALMATY_CITY = "750000000"
ALMATY_REGION = "190000000"
ASTANA = "710000000"
SHYMKENT = "790000000"
KARAGANDA = "350000000"

# (key, type, KATO code, kk, ru, en)
AGENCIES = [
    (
        "auezov_police",
        AgencyType.JUVENILE_POLICE,
        AUEZOV,
        "Әуезов АІБ кәмелетке толмағандар ісі жөніндегі бөлімше",
        "Отделение по делам несовершеннолетних УП Ауэзовского района",
        "Auezov District police, unit for minors' affairs",
    ),
    (
        "auezov_investigation",
        AgencyType.INVESTIGATION_UNIT,
        AUEZOV,
        "Әуезов АІБ тергеу бөлімі",
        "Следственное отделение УП Ауэзовского района",
        "Auezov District police, investigation unit",
    ),
    (
        "almaty_prosecutor",
        AgencyType.PROSECUTOR_OFFICE,
        ALMATY_CITY,
        "Алматы қаласының прокуратурасы",
        "Прокуратура города Алматы",
        "Almaty City Prosecutor's Office",
    ),
    (
        "almaty_bar",
        AgencyType.LEGAL_CONSULTATION,
        ALMATY_CITY,
        "Алматы қалалық адвокаттар алқасының кәмелетке толмағандар ісі жөніндегі заң консультациясы",
        "Юридическая консультация по делам несовершеннолетних Алматинской городской коллегии адвокатов",
        "Almaty City Bar, juvenile legal consultation",
    ),
    (
        "almaty_court",
        AgencyType.JUVENILE_COURT,
        ALMATY_CITY,
        "Алматы қаласының кәмелетке толмағандардың істері жөніндегі мамандандырылған ауданаралық соты",
        "Специализированный межрайонный суд по делам несовершеннолетних города Алматы",
        "Almaty City specialized inter-district juvenile court",
    ),
    (
        "auezov_probation",
        AgencyType.PROBATION,
        AUEZOV,
        "Әуезов ауданының пробация қызметі",
        "Служба пробации Ауэзовского района",
        "Auezov District probation service",
    ),
    (
        "almaty_child_rights",
        AgencyType.CHILD_RIGHTS_BODY,
        ALMATY_CITY,
        "Алматы қаласының бала құқықтарын қорғау басқармасы",
        "Управление по защите прав детей города Алматы",
        "Almaty City child-rights body",
    ),
    (
        "almaty_centre",
        AgencyType.CHILDREN_INSTITUTION,
        ALMATY_CITY,
        "Кәмелетке толмағандарды уақытша оқшаулау, бейімдеу және оңалту орталығы",
        "Центр временной изоляции, адаптации и реабилитации несовершеннолетних",
        "Centre for temporary isolation, adaptation and rehabilitation of minors",
    ),
    (
        "auezov_social",
        AgencyType.SOCIAL_SERVICE,
        AUEZOV,
        "Әуезов ауданының әлеуметтік қызметі",
        "Социальная служба Ауэзовского района",
        "Auezov District social service",
    ),
    (
        "karasai_police",
        AgencyType.JUVENILE_POLICE,
        KARASAI,
        "Қарасай АПБ кәмелетке толмағандар ісі жөніндегі бөлімше",
        "Отделение по делам несовершеннолетних ОП Карасайского района",
        "Karasai District police, unit for minors' affairs",
    ),
    (
        "karasai_investigation",
        AgencyType.INVESTIGATION_UNIT,
        KARASAI,
        "Қарасай АПБ тергеу бөлімі",
        "Следственное отделение ОП Карасайского района",
        "Karasai District police, investigation unit",
    ),
    (
        "almaty_region_prosecutor",
        AgencyType.PROSECUTOR_OFFICE,
        ALMATY_REGION,
        "Алматы облысының прокуратурасы",
        "Прокуратура Алматинской области",
        "Almaty Region Prosecutor's Office",
    ),
    (
        "astana_investigation",
        AgencyType.INVESTIGATION_UNIT,
        ASTANA,
        "Астана қаласы ПД тергеу басқармасы",
        "Следственное управление ДП города Астаны",
        "Astana City police, investigation department",
    ),
    (
        "astana_court",
        AgencyType.JUVENILE_COURT,
        ASTANA,
        "Астана қаласының кәмелетке толмағандардың істері жөніндегі мамандандырылған ауданаралық соты",
        "Специализированный межрайонный суд по делам несовершеннолетних города Астаны",
        "Astana City specialized inter-district juvenile court",
    ),
    (
        "shymkent_police",
        AgencyType.JUVENILE_POLICE,
        SHYMKENT,
        "Шымкент қаласы ПД кәмелетке толмағандар ісі жөніндегі басқарма",
        "Управление по делам несовершеннолетних ДП города Шымкента",
        "Shymkent City police, minors' affairs department",
    ),
    (
        "karasai_probation",
        AgencyType.PROBATION,
        KARASAI,
        "Қарасай ауданының пробация қызметі",
        "Служба пробации Карасайского района",
        "Karasai District probation service",
    ),
    (
        "karaganda_probation",
        AgencyType.PROBATION,
        KARAGANDA,
        "Қарағанды облысының пробация қызметі",
        "Служба пробации Карагандинской области",
        "Karaganda Region probation service",
    ),
]

# (login, role, agency key, surname, first name, patronymic, position)
STAFF = [
    (
        "investigator",
        Role.INVESTIGATOR,
        "auezov_investigation",
        "Ахметов",
        "Дәурен",
        "Серікұлы",
        "аға тергеуші",
    ),
    (
        "police",
        Role.JUVENILE_POLICE_INSPECTOR,
        "auezov_police",
        "Сұлтанова",
        "Әйгерім",
        "Бақытқызы",
        "ювеналдық полиция инспекторы",
    ),
    (
        "prosecutor",
        Role.PROSECUTOR,
        "almaty_prosecutor",
        "Жұмабеков",
        "Ерлан",
        "Асқарұлы",
        "прокурор",
    ),
    ("defender", Role.DEFENCE_LAWYER, "almaty_bar", "Ким", "Елена", "Викторовна", "адвокат"),
    (
        "psychologist",
        Role.SOCIAL_PSYCHOLOGIST,
        "almaty_bar",
        "Оспанова",
        "Гүлнар",
        "Маратқызы",
        "әлеуметтік психолог",
    ),
    # More members of the Almaty consultation, for its 24/7 duty roster (qorgau/demo/defence.py).
    ("defender2", Role.DEFENCE_LAWYER, "almaty_bar", "Ермекова", "Жанна", "Болатқызы", "адвокат"),
    (
        "psychologist2",
        Role.SOCIAL_PSYCHOLOGIST,
        "almaty_bar",
        "Лебедев",
        "Игорь",
        "Николаевич",
        "әлеуметтік психолог",
    ),
    (
        "intern",
        Role.PSYCHOLOGY_INTERN,
        "almaty_bar",
        "Қалиева",
        "Аружан",
        "Серікқызы",
        "психология факультетінің студенті, тағылымдамадан өтуші",
    ),
    ("judge", Role.JUDGE, "almaty_court", "Байжанов", "Қайрат", "Төлеуұлы", "судья"),
    ("judge2", Role.JUDGE, "almaty_court", "Сейітова", "Гүлнар", "Әбілқызы", "судья"),
    ("astana_judge", Role.JUDGE, "astana_court", "Ким", "Ольга", "Викторовна", "судья"),
    (
        "courtsocial",
        Role.COURT_SOCIAL_WORKER,
        "almaty_court",
        "Нұрланова",
        "Айнұр",
        "Ғалымқызы",
        "соттың әлеуметтік қызметкері",
    ),
    (
        "probation",
        Role.PROBATION_INSPECTOR,
        "auezov_probation",
        "Петров",
        "Андрей",
        "Сергеевич",
        "пробация инспекторы",
    ),
    (
        "probation2",
        Role.PROBATION_INSPECTOR,
        "karasai_probation",
        "Жақыпова",
        "Әйгерім",
        "Бауыржанқызы",
        "пробация инспекторы",
    ),
    (
        "institution",
        Role.INSTITUTION_STAFF,
        "almaty_centre",
        "Әбдірахманова",
        "Сәуле",
        "Жанқызы",
        "тәрбиеші",
    ),
    (
        "childrights",
        Role.CHILD_RIGHTS_SPECIALIST,
        "almaty_child_rights",
        "Тоқтарова",
        "Дина",
        "Ержанқызы",
        "бас маман",
    ),
    ("analyst", Role.ANALYST, "almaty_prosecutor", "Мұхамеджанов", "Тимур", "Ринатұлы", "талдаушы"),
    (
        "karasai",
        Role.INVESTIGATOR,
        "karasai_investigation",
        "Смағұлов",
        "Нұржан",
        "Әлиұлы",
        "тергеуші",
    ),
    (
        "prosecutor2",
        Role.PROSECUTOR,
        "almaty_region_prosecutor",
        "Серікбаева",
        "Ләззат",
        "Нұрланқызы",
        "прокурор",
    ),
    (
        "astana",
        Role.INVESTIGATOR,
        "astana_investigation",
        "Есенова",
        "Мадина",
        "Қанатқызы",
        "тергеуші",
    ),
]

# fmt: off
BOYS = ["Нұрлан", "Әлихан", "Ерасыл", "Арман", "Данияр", "Бекзат", "Ілияс", "Темірлан", "Руслан",
        "Санжар", "Нұрсұлтан", "Айбек", "Ержан", "Мирас", "Алдияр", "Дәурен", "Абылай", "Мұхаммед"]
GIRLS = ["Айгерім", "Әсем", "Жансая", "Мадина", "Дана", "Томирис", "Ұлжан", "Аружан", "Інжу",
         "Балнұр", "Гүлназ", "Ақбота"]
SURNAMES = ["Сейітов", "Омаров", "Жақыпов", "Қасымов", "Мұратов", "Төлегенов", "Әбенов", "Исаев",
            "Құрманов", "Ниязов", "Бекмұратов", "Нұрғалиев", "Сәрсенбаев", "Оспанов", "Жұмабаев",
            "Ысқақов", "Бейсенов", "Тоқтаров", "Әлиев", "Қуанышев"]
FATHERS = ["Қайрат", "Серік", "Болат", "Ержан", "Марат", "Асқар", "Ғалым", "Бақыт", "Нұрлан", "Тимур"]
# Russian-speaking families.
RUSSIAN_BOYS = ["Алексей", "Дмитрий", "Максим", "Артём", "Никита", "Владислав"]
RUSSIAN_GIRLS = ["Анна", "Виктория", "Дарья", "Полина"]
RUSSIAN_SURNAMES = ["Сидоров", "Ким", "Попов", "Васильев", "Пак", "Козлов"]
UNDECLINED_SURNAMES = ("Ким", "Пак")
# father's name: (son's patronymic, daughter's patronymic)
RUSSIAN_FATHERS = {"Сергей": ("Сергеевич", "Сергеевна"), "Олег": ("Олегович", "Олеговна"),
                   "Игорь": ("Игоревич", "Игоревна"), "Андрей": ("Андреевич", "Андреевна")}
# fmt: on
MOTHERS = ["Гүлмира", "Сәуле", "Жанар", "Айнұр", "Роза", "Динара", "Светлана", "Мәдина"]
STREETS = [
    "Абай даңғылы",
    "Төле би көшесі",
    "Жандосов көшесі",
    "Саин көшесі",
    "Момышұлы көшесі",
    "Райымбек даңғылы",
]
SCHOOLS = [
    "№ 52 мектеп-гимназия",
    "№ 119 жалпы білім беретін мектеп",
    "Алматы политехникалық колледжі",
    "№ 7 мектеп",
    "оқымайды",
]
