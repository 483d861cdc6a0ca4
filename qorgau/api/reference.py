"""Reference data every signed-in user reads: territories (KATO) and Criminal Code article parts."""

from django.http import HttpRequest
from ninja import Query, Router

from qorgau.api.common import acting_user, responses
from qorgau.api.schemas import ArticleFilters, ArticleOut, TerritoryOut
from qorgau.core.models import CriminalArticle, Territory

router = Router(tags=["reference"])


@router.get(
    "/territories",
    response=responses({200: list[TerritoryOut]}, 401),
    summary="List territories",
    description=(
        "Every administrative unit of the KATO classifier the system knows: regions, cities of "
        "republican significance and their districts, with names in Kazakh, Russian and English. "
        "Any signed-in staff member may call it; the list is the same for everyone."
    ),
)
def list_territories(request: HttpRequest) -> list[Territory]:
    acting_user(request)
    return list(Territory.objects.select_related("parent"))


@router.get(
    "/articles",
    response=responses({200: list[ArticleOut]}, 401, 422),
    summary="List Criminal Code article parts",
    description=(
        "The parts of articles of the Criminal Code of the Republic of Kazakhstan the system "
        "records, with their gravity category (CC RK arts. 10 and 11) and the minimum age of "
        "criminal responsibility (CC RK art. 15). Optional filter `gravity`. Any signed-in staff "
        "member may call it; the list is the same for everyone."
    ),
)
def list_articles(request: HttpRequest, filters: Query[ArticleFilters]) -> list[CriminalArticle]:
    acting_user(request)
    articles = CriminalArticle.objects.all()
    if filters.gravity is not None:
        articles = articles.filter(gravity=filters.gravity)
    return list(articles)
