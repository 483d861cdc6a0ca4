"""What an API body names, turned into records: each unknown id or code a 422 naming the field."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.models import User
from qorgau.api.case_inputs import ArticlePartIn
from qorgau.api.common import territory_by_code
from qorgau.core.models import CriminalArticle, Territory
from qorgau.people.models import Juvenile, Relative
from qorgau.proceedings.models import Accused, Participant, Proceeding

MESSAGE_UNKNOWN_JUVENILE = _("There is no juvenile with the number %(id)s.")
MESSAGE_UNKNOWN_ARTICLE = _(
    "There is no part %(part)s of article %(article)s of the Criminal Code."
)
MESSAGE_UNKNOWN_STAFF = _("There is no active staff member with the number %(id)s.")
MESSAGE_UNKNOWN_ACCUSED = _("There is no accused minor with the number %(id)s in this case.")
MESSAGE_UNKNOWN_PARTICIPANT = _("There is no participant with the number %(id)s in this case.")
MESSAGE_UNKNOWN_RELATIVE = _("There is no family member with the number %(id)s.")
MESSAGE_NO_OFFSET = _(
    "Give the time with its offset from UTC, for example 2026-03-01T21:30:00+05:00."
)


def aware(field: str, moment: datetime.datetime | None) -> None:
    if moment is not None and timezone.is_naive(moment):
        raise ValidationError({field: MESSAGE_NO_OFFSET})


def juvenile(user: User, field: str, juvenile_id: int) -> Juvenile:
    juvenile = Juvenile.objects.visible_to(user).filter(pk=juvenile_id).first()
    if juvenile is None:
        raise ValidationError({field: MESSAGE_UNKNOWN_JUVENILE % {"id": juvenile_id}})
    return juvenile


def articles(field: str, parts: Iterable[ArticlePartIn]) -> list[CriminalArticle]:
    """The article parts named, in the order given, each once."""
    wanted = list(dict.fromkeys((part.article, part.part) for part in parts))
    if not wanted:
        return []
    condition = Q()
    for article, part in wanted:
        condition |= Q(article=article, part=part)
    found = {(a.article, a.part): a for a in CriminalArticle.objects.filter(condition)}
    for article, part in wanted:
        if (article, part) not in found:
            message = MESSAGE_UNKNOWN_ARTICLE % {"article": article, "part": part}
            raise ValidationError({field: message})
    return [found[key] for key in wanted]


def staff(field: str, user_id: int | None) -> User | None:
    if user_id is None:
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise ValidationError({field: MESSAGE_UNKNOWN_STAFF % {"id": user_id}})
    return user


def accused(case: Proceeding, field: str, accused_id: int | None) -> Accused | None:
    if accused_id is None:
        return None
    accused = Accused.objects.filter(proceeding=case, pk=accused_id).first()
    if accused is None:
        raise ValidationError({field: MESSAGE_UNKNOWN_ACCUSED % {"id": accused_id}})
    return accused


def relative(user: User, field: str, relative_id: int | None) -> Relative | None:
    if relative_id is None:
        return None
    visible = Juvenile.objects.visible_to(user)
    relative = Relative.objects.filter(juvenile__in=visible, pk=relative_id).first()
    if relative is None:
        raise ValidationError({field: MESSAGE_UNKNOWN_RELATIVE % {"id": relative_id}})
    return relative


def participants(case: Proceeding, field: str, ids: Iterable[int]) -> list[Participant]:
    wanted = list(dict.fromkeys(ids))
    found = {p.pk: p for p in Participant.objects.filter(proceeding=case, pk__in=wanted)}
    for participant_id in wanted:
        if participant_id not in found:
            message = MESSAGE_UNKNOWN_PARTICIPANT % {"id": participant_id}
            raise ValidationError({field: message})
    return [found[pk] for pk in wanted]


def territory(field: str, code: str) -> Territory:
    territory = territory_by_code(field, code)
    assert territory is not None
    return territory
