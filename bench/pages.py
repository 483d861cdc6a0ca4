"""Every page and API operation the benchmark measures: one line each.

A page names the actor it is opened as (a key of `Picks.users`), builds its URL from the
picks, lists the picks it needs (it is skipped, and said so, when the data has none) and
carries the p95 target of issue 11 where the issue sets one.
"""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from bench.picks import Picks
from bench.urls import BARE_URL
from qorgau.core.translit import to_latin

# p95 targets in milliseconds (issue 11).
CASE_PAGE = 100.0
SEARCH = 50.0
LIST = 150.0
API_DETAIL = 50.0
PDF = 1000.0


@dataclass(frozen=True)
class Page:
    name: str
    actor: str
    url: Callable[[Picks], str]
    needs: tuple[str, ...] = ()
    target_p95: float | None = None

    @property
    def key(self) -> str:
        return f"{self.name} ({self.actor})"


def q(path: str, text: str) -> str:
    return f"{path}?{urlencode({'q': text})}"


def iin(p: Picks) -> str:
    return (p.juvenile.iin or "") if p.juvenile else ""


def surname(p: Picks) -> str:
    return p.juvenile.last_name if p.juvenile else ""


def portrait_args(p: Picks, report: str) -> list[int]:
    found = getattr(p, report)
    accused = found.portrait.accused
    return [accused.proceeding_id, accused.pk, found.version]


def case(p: Picks) -> int:
    return p.case.pk if p.case else 0


def obj(p: Picks, name: str) -> int:
    return int(getattr(p, name).pk)


FLOOR = Page("bare view (floor)", "investigator", lambda p: BARE_URL)

PAGES: list[Page] = [
    FLOOR,
    # Today, as each role first sees it.
    Page("Today", "investigator", lambda p: "/", target_p95=LIST),
    Page("Today", "prosecutor", lambda p: "/", target_p95=LIST),
    Page("Today", "defender", lambda p: "/", target_p95=LIST),
    Page("Today", "psychologist", lambda p: "/", target_p95=LIST),
    Page("Today", "analyst", lambda p: "/", target_p95=LIST),
    # The juveniles' register.
    Page("juveniles list", "investigator", lambda p: "/juveniles/", target_p95=LIST),
    Page(
        "search by IIN",
        "investigator",
        lambda p: q("/juveniles/", iin(p)),
        ("juvenile",),
        SEARCH,
    ),
    Page(
        "search by surname, Cyrillic",
        "investigator",
        lambda p: q("/juveniles/", surname(p)),
        ("juvenile",),
        SEARCH,
    ),
    Page(
        "search by surname, Latin",
        "investigator",
        lambda p: q("/juveniles/", to_latin(surname(p))),
        ("juvenile",),
        SEARCH,
    ),
    Page(
        "juvenile page",
        "investigator",
        lambda p: reverse("juvenile_detail", args=[obj(p, "juvenile")]),
        ("juvenile",),
        CASE_PAGE,
    ),
    Page(
        "who saw this record",
        "prosecutor",
        lambda p: reverse("juvenile_trail", args=[obj(p, "juvenile")]),
        ("juvenile",),
        LIST,
    ),
    Page(
        "API who saw this record",
        "prosecutor",
        lambda p: f"/api/juveniles/{obj(p, 'juvenile')}/audit",
        ("juvenile",),
        API_DETAIL,
    ),
    Page(
        "child's own record (export)",
        "investigator",
        lambda p: reverse("juvenile_export", args=[obj(p, "juvenile")]),
        ("juvenile",),
        CASE_PAGE,
    ),
    # Cases and oversight.
    Page("case list", "prosecutor", lambda p: "/cases/", target_p95=LIST),
    Page("case list", "investigator", lambda p: "/cases/", target_p95=LIST),
    Page("case page", "investigator", lambda p: f"/cases/{case(p)}/", ("case",), CASE_PAGE),
    Page("case page", "prosecutor", lambda p: f"/cases/{case(p)}/", ("case",), CASE_PAGE),
    Page("case page", "defender", lambda p: f"/cases/{case(p)}/", ("case",), CASE_PAGE),
    Page("oversight dashboard", "prosecutor", lambda p: "/oversight/", target_p95=LIST),
    Page("violations list", "prosecutor", lambda p: "/oversight/violations/", target_p95=LIST),
    Page(
        "violation page",
        "prosecutor",
        lambda p: reverse("violation_detail", args=[obj(p, "violation")]),
        ("violation",),
        CASE_PAGE,
    ),
    # Defence: the duty roster and the response times.
    Page("duty roster", "defender", lambda p: "/duty/", target_p95=LIST),
    Page("response times", "prosecutor", lambda p: "/duty/response-times/", target_p95=LIST),
    Page("response times", "analyst", lambda p: "/duty/response-times/", target_p95=LIST),
    # Accompaniment and mediation.
    Page(
        "assessment page",
        "assessor",
        lambda p: reverse("assessment_detail", args=[obj(p, "assessment")]),
        ("assessment",),
        CASE_PAGE,
    ),
    Page(
        "plan page",
        "coordinator",
        lambda p: reverse("plan_detail", args=[obj(p, "plan")]),
        ("plan",),
        CASE_PAGE,
    ),
    Page("plan tasks", "coordinator", lambda p: "/tasks/", ("plan",), LIST),
    Page(
        "mediation page",
        "mediator",
        lambda p: reverse("mediation_detail", args=[obj(p, "mediation")]),
        ("mediation",),
        CASE_PAGE,
    ),
    # Sentence execution by probation and re-socialization.
    Page("Today", "inspector", lambda p: "/", ("supervision",), LIST),
    Page("supervision caseload", "inspector", lambda p: "/probation/", ("supervision",), LIST),
    Page(
        "supervision page",
        "inspector",
        lambda p: reverse("supervision_detail", args=[obj(p, "supervision")]),
        ("supervision",),
        CASE_PAGE,
    ),
    Page("releases and follow-ups", "inspector", lambda p: "/releases/", ("supervision",), LIST),
    Page(
        "release page",
        "inspector",
        lambda p: reverse("release_detail", args=[obj(p, "release")]),
        ("release", "supervision"),
        CASE_PAGE,
    ),
    Page(
        "portrait page",
        "portrait_lead",
        lambda p: reverse("portrait", args=portrait_args(p, "draft_report")[:2]),
        ("draft_report",),
        CASE_PAGE,
    ),
    Page(
        "portrait PDF, signed",
        "report_reader",
        lambda p: reverse("portrait_pdf", args=portrait_args(p, "signed_report")),
        ("signed_report",),
        PDF,
    ),
    Page(
        "portrait PDF, draft rendered",
        "portrait_lead",
        lambda p: reverse("portrait_pdf", args=portrait_args(p, "draft_report")),
        ("draft_report",),
        PDF,
    ),
    # The JSON API.
    Page("API juveniles list", "investigator", lambda p: "/api/juveniles", target_p95=LIST),
    Page(
        "API search by IIN",
        "investigator",
        lambda p: q("/api/juveniles", iin(p)),
        ("juvenile",),
        SEARCH,
    ),
    Page(
        "API search by surname",
        "investigator",
        lambda p: q("/api/juveniles", surname(p)),
        ("juvenile",),
        SEARCH,
    ),
    Page(
        "API juvenile detail",
        "investigator",
        lambda p: f"/api/juveniles/{obj(p, 'juvenile')}",
        ("juvenile",),
        API_DETAIL,
    ),
    Page("API case list", "prosecutor", lambda p: "/api/cases", target_p95=LIST),
    Page(
        "API case detail",
        "investigator",
        lambda p: f"/api/cases/{case(p)}",
        ("case",),
        API_DETAIL,
    ),
    Page("API violations list", "prosecutor", lambda p: "/api/violations", target_p95=LIST),
    Page(
        "API oversight summary", "prosecutor", lambda p: "/api/oversight/summary", target_p95=LIST
    ),
    Page("API duty roster", "defender", lambda p: "/api/duty-shifts", target_p95=LIST),
    Page("API response times", "prosecutor", lambda p: "/api/response-times", target_p95=LIST),
    Page(
        "API assessment",
        "assessor",
        lambda p: f"/api/assessments/{obj(p, 'assessment')}",
        ("assessment",),
        API_DETAIL,
    ),
    Page(
        "API plan",
        "coordinator",
        lambda p: f"/api/plans/{obj(p, 'plan')}",
        ("plan",),
        API_DETAIL,
    ),
    Page(
        "API mediation",
        "mediator",
        lambda p: f"/api/mediations/{obj(p, 'mediation')}",
        ("mediation",),
        API_DETAIL,
    ),
    Page(
        "API probation caseload",
        "inspector",
        lambda p: "/api/probation/caseload",
        ("supervision",),
        LIST,
    ),
    Page(
        "API supervision",
        "inspector",
        lambda p: f"/api/supervisions/{obj(p, 'supervision')}",
        ("supervision",),
        API_DETAIL,
    ),
    Page(
        "API follow-ups due",
        "inspector",
        lambda p: "/api/probation/follow-ups",
        ("supervision",),
        LIST,
    ),
    Page(
        "API release",
        "inspector",
        lambda p: f"/api/releases/{obj(p, 'release')}",
        ("release", "supervision"),
        API_DETAIL,
    ),
    Page(
        "API portrait PDF",
        "report_reader",
        lambda p: f"/api/portrait-reports/{obj(p, 'signed_report')}/pdf",
        ("signed_report",),
        PDF,
    ),
]


# The most queries each page may run, whatever the size of the data: today's count at 1×, and
# three more for the panels a richer record shows. A page over its ceiling has grown a query
# per row somewhere; `bench.run` marks it, and tests/bench checks every page on the demo data.
MAX_QUERIES: dict[str, int] = {
    "bare view (floor) (investigator)": 5,
    "Today (investigator)": 17,
    "Today (prosecutor)": 19,
    "Today (defender)": 20,
    "Today (psychologist)": 34,
    "Today (analyst)": 13,
    "juveniles list (investigator)": 14,
    "search by IIN (investigator)": 21,
    "search by surname, Cyrillic (investigator)": 21,
    "search by surname, Latin (investigator)": 21,
    "juvenile page (investigator)": 19,
    "who saw this record (prosecutor)": 31,
    "API who saw this record (prosecutor)": 31,
    "child's own record (export) (investigator)": 29,
    "case list (prosecutor)": 14,
    "case list (investigator)": 14,
    "case page (investigator)": 35,
    "case page (prosecutor)": 35,
    "case page (defender)": 35,
    "oversight dashboard (prosecutor)": 23,
    "violations list (prosecutor)": 15,
    "violation page (prosecutor)": 27,
    "duty roster (defender)": 15,
    "response times (prosecutor)": 16,
    "response times (analyst)": 12,
    "assessment page (assessor)": 20,
    "plan page (coordinator)": 19,
    "plan tasks (coordinator)": 11,
    "mediation page (mediator)": 22,
    "portrait page (portrait_lead)": 31,
    "portrait PDF, signed (report_reader)": 26,
    "portrait PDF, draft rendered (portrait_lead)": 33,
    "API juveniles list (investigator)": 13,
    "API search by IIN (investigator)": 20,
    "API search by surname (investigator)": 20,
    "API juvenile detail (investigator)": 19,
    "API case list (prosecutor)": 12,
    "API case detail (investigator)": 25,
    "API violations list (prosecutor)": 12,
    "API oversight summary (prosecutor)": 21,
    "API duty roster (defender)": 10,
    "API response times (prosecutor)": 17,
    "API assessment (assessor)": 16,
    "API plan (coordinator)": 22,
    "API mediation (mediator)": 21,
    "API portrait PDF (report_reader)": 27,
    "Today (inspector)": 20,
    "supervision caseload (inspector)": 7,
    "supervision page (inspector)": 17,
    "releases and follow-ups (inspector)": 8,
    "release page (inspector)": 18,
    "API probation caseload (inspector)": 5,
    "API supervision (inspector)": 16,
    "API follow-ups due (inspector)": 5,
    "API release (inspector)": 17,
}
