"""A case arrives at the court: a criminal one from the proceeding, the others registered."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from qorgau.accounts.access import require
from qorgau.accounts.models import Agency, User
from qorgau.audit.services import record
from qorgau.courts.models import (
    CaseKind,
    CaseParty,
    CivilMatter,
    CourtCase,
    Courtroom,
    PartyRole,
)
from qorgau.courts.rulebook import court_book
from qorgau.courts.services.common import (
    MESSAGE_ARTICLE,
    MESSAGE_COURTROOM_EXISTS,
    MESSAGE_COURTROOM_NAME,
    MESSAGE_CRIMINAL,
    MESSAGE_FOREIGN_ONLY_ADOPTION,
    MESSAGE_FUTURE,
    MESSAGE_MATTER,
    MESSAGE_NO_CHILD,
    MESSAGE_NOT_COURT_STAFF,
    MESSAGE_PARTY_NAME,
    MESSAGE_PARTY_ROLE,
    active,
    is_judge_of,
    judge_of_court,
    require_court,
)
from qorgau.people.models import Juvenile
from qorgau.proceedings.models import EventKind, ProceduralEvent
from qorgau.proceedings.services.common import CLOCK_TOLERANCE, local

# The number's first figure by kind, as the courts number their registers.
PREFIX = {CaseKind.CRIMINAL: "1", CaseKind.CIVIL: "2", CaseKind.ADMINISTRATIVE: "5"}


def _number(court: Agency, kind: str, year: int) -> str:
    """The next number of this kind in the court's register for the year: 1-<court>-26-0007.

    The court's row is locked by the caller's transaction first, so two cases registered at
    once never take the same number.
    """
    Agency.objects.select_for_update().filter(pk=court.pk).first()
    prefix = f"{PREFIX[CaseKind(kind)]}-{court.pk}-{year % 100:02d}-"
    last = (
        CourtCase.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    following = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{following:04d}"


def open_criminal_case(*, event: ProceduralEvent, actor: User) -> CourtCase | None:
    """Inside the approval's transaction: the minor's track enters the court as its case.

    The case is the proceeding's court stage for that minor, not a copy: it points at the
    track, and the proceeding's own court is the court it is in.
    """
    if event.kind != EventKind.INDICTMENT_APPROVED:
        return None
    accused = event.accused
    existing = CourtCase.objects.filter(accused=accused).first()
    case = event.proceeding
    court = require_court(case.court)
    if existing is not None:
        return existing  # a retrial after the judgment was quashed stays the same case
    year = timezone.localdate(event.started_at).year
    court_case = CourtCase(
        kind=CaseKind.CRIMINAL,
        number=_number(court, CaseKind.CRIMINAL, year),
        court=court,
        juvenile_id=accused.juvenile_id,
        received_at=event.started_at,
        proceeding=case,
        accused=accused,
    )
    court_case.full_clean()
    court_case.save()
    record(
        actor=actor,
        action="court.receive",
        subject=court_case,
        changes={"number": (None, court_case.number), "court": (None, court.pk)},
        details={"case_id": case.pk, "accused_id": accused.pk, "event_id": event.pk},
    )
    return court_case


def _check_parties(parties: Iterable[dict[str, Any]]) -> list[CaseParty]:
    rows = []
    for party in parties:
        if party.get("role") not in PartyRole.values:
            raise ValidationError({"parties": MESSAGE_PARTY_ROLE})
        agency = party.get("agency")
        relative = party.get("relative")
        name = str(party.get("full_name") or "").strip()
        name = name or (str(agency) if agency else "") or (str(relative) if relative else "")
        if not name:
            raise ValidationError({"parties": MESSAGE_PARTY_NAME})
        rows.append(CaseParty(role=party["role"], full_name=name, agency=agency, relative=relative))
    return rows


@transaction.atomic(durable=True)
def register_case(
    *,
    actor: User,
    court: Agency,
    kind: str,
    juvenile: Juvenile | None,
    received_at: datetime.datetime,
    judge: User | None = None,
    article: str = "",
    matter: str = "",
    foreign_adoption: bool = False,
    summary: str = "",
    parties: Iterable[dict[str, Any]] = (),
) -> CourtCase:
    """Register an administrative-offence or civil case about a child with its parties."""
    active(actor)
    require(actor, "courts.add_courtcase")
    court = require_court(court)
    if not is_judge_of(actor, court.pk):
        raise PermissionDenied(MESSAGE_NOT_COURT_STAFF)
    if kind == CaseKind.CRIMINAL:
        raise ValidationError({"kind": MESSAGE_CRIMINAL})
    if kind not in CaseKind.values:
        raise ValidationError({"kind": MESSAGE_MATTER})
    errors: dict[str, Any] = {}
    if juvenile is None:
        errors["juvenile"] = MESSAGE_NO_CHILD
    if received_at > timezone.now() + CLOCK_TOLERANCE:
        errors["received_at"] = MESSAGE_FUTURE
    day = timezone.localdate(received_at)
    if kind == CaseKind.ADMINISTRATIVE:
        if court_book().article(article, day) is None:
            errors["article"] = MESSAGE_ARTICLE
        matter, foreign_adoption = "", False
    else:
        article = ""
        if matter not in CivilMatter.values:
            errors["matter"] = MESSAGE_MATTER
        elif foreign_adoption and matter != CivilMatter.ADOPTION:
            errors["foreign_adoption"] = MESSAGE_FOREIGN_ONLY_ADOPTION
    if errors:
        raise ValidationError(errors)
    rows = _check_parties(parties)
    if judge is not None:
        judge = judge_of_court(judge, court.pk)
    case = CourtCase(
        kind=kind,
        number=_number(court, kind, day.year),
        court=court,
        judge=judge,
        juvenile=juvenile,
        received_at=received_at,
        article=article,
        matter=matter,
        foreign_adoption=foreign_adoption,
        summary=summary.strip(),
    )
    case.full_clean()
    case.save()
    for row in rows:
        row.case = case
    CaseParty.objects.bulk_create(rows)
    record(
        actor=actor,
        action="court.register",
        subject=case,
        changes={
            "kind": (None, kind),
            "number": (None, case.number),
            "received_at": (None, local(received_at)),
            **({"judge": (None, judge.pk)} if judge else {}),
        },
        details={"juvenile_id": case.juvenile_id, "parties": len(rows)},
    )
    return case


@transaction.atomic(durable=True)
def add_courtroom(*, actor: User, court: Agency, name: str) -> Courtroom:
    """A courtroom of a juvenile court: added by its judges or an administrator."""
    active(actor)
    court = require_court(court)
    if not (is_judge_of(actor, court.pk) or actor.has_perm("accounts.change_agency")):
        raise PermissionDenied(MESSAGE_NOT_COURT_STAFF)
    name = name.strip()
    if not name:
        raise ValidationError({"name": MESSAGE_COURTROOM_NAME})
    if Courtroom.objects.filter(court=court, name=name).exists():
        raise ValidationError({"name": MESSAGE_COURTROOM_EXISTS})
    room = Courtroom(court=court, name=name)
    room.full_clean()
    room.save()
    record(actor=actor, action="court.courtroom", subject=room,
           changes={"name": (None, name)}, details={"court_id": court.pk})  # fmt: skip
    return room


@transaction.atomic(durable=True)
def view_case(*, actor: User, pk: int) -> CourtCase:
    """One court case the actor may see; the reading is written to the audit trail."""
    require(actor, "courts.view_courtcase")
    case = (
        CourtCase.objects.visible_to(actor)
        .select_related("court", "judge", "juvenile", "proceeding", "accused", "judgment")
        .get(pk=pk)
    )
    record(actor=actor, action="court.view", subject=case, details={"kind": case.kind})
    return case
