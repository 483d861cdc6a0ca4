"""Opening a case and keeping its people and charges."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.access import require
from qorgau.accounts.models import Agency, AgencyType, Role, User
from qorgau.audit.services import record
from qorgau.core.models import CriminalArticle, Territory
from qorgau.core.versioning import check_version
from qorgau.people.models import Juvenile, Relative
from qorgau.people.services import record_search
from qorgau.proceedings import policy
from qorgau.proceedings.legal_rules import rule_book
from qorgau.proceedings.models import (
    Accused,
    AdultTrial,
    Charge,
    Participant,
    ParticipantRole,
    Proceeding,
    Stage,
)
from qorgau.proceedings.selectors import case_for_page
from qorgau.proceedings.services.common import (
    MESSAGE_FUTURE,
    check_times,
    local,
    refuse_stray,
    require_role,
    visible_case,
)

MESSAGE_NOT_A_MINOR = _(
    "%(name)s was %(age)s on the day of the offence: a juvenile case is only for persons "
    "under %(limit)s (%(citation)s)."
)
MESSAGE_UNDER_AGE = _(
    "%(name)s was %(age)s on the day of the offence: criminal responsibility under "
    "%(article)s starts at %(min_age)s (CC RK art. 15)."
)
MESSAGE_BORN_AFTER = _("%(name)s was born after the offence (%(birth)s).")
MESSAGE_ALREADY_ACCUSED = _("This minor is already accused in the case.")
MESSAGE_JUVENILE_NOT_VISIBLE = _("Choose a juvenile whose record you may see.")
MESSAGE_NO_ARTICLE = _("Choose at least one Criminal Code article part.")
MESSAGE_NOT_PROSECUTOR = _("Choose a prosecutor.")
MESSAGE_NOT_JUVENILE_COURT = _("Choose a juvenile court.")
MESSAGE_NAME_REQUIRED = _("Enter the person's name.")
MESSAGE_STAFF_ROLE = _("This staff member does not hold the role of a %(role)s.")
MESSAGE_WRONG_MINOR = _("This person does not belong to the case.")
MESSAGE_CHARGE_ENDED = _("This charge was already requalified.")
MESSAGE_SAME_ARTICLE = _("Choose a different article part than the current one.")
MESSAGE_REASON_REQUIRED = _("Give the reason for the requalification.")
MESSAGE_CLOSED_TRACK = _("The case of this minor is finished: nothing more can be changed.")
MESSAGE_REGISTERED_FUTURE = _("The registration date cannot be in the future.")
MESSAGE_NO_RULE = _("No rule on the age of minors is in force on the date of the offence.")
MESSAGE_NOT_REPRESENTATIVE = _(
    "Choose a parent or guardian recorded as the minor's legal representative."
)
MESSAGE_REGISTERED_BEFORE_OFFENCE = _("The case cannot be registered before the offence.")

FINISHED = {Stage.TERMINATED, Stage.CLOSED}


def _check_minor(juvenile: Juvenile, offence_day: datetime.date) -> None:
    limit = rule_book().get("minor_age", "minor_age", offence_day)
    if limit is None:
        raise ValidationError({"offence_at": MESSAGE_NO_RULE})
    if juvenile.birth_date > offence_day:
        birth = formats.date_format(juvenile.birth_date, "SHORT_DATE_FORMAT")
        raise ValidationError({"juvenile": MESSAGE_BORN_AFTER % {"name": juvenile, "birth": birth}})
    age = juvenile.age_on(offence_day)
    if age >= int(limit["value"]):
        raise ValidationError(
            {
                "juvenile": MESSAGE_NOT_A_MINOR
                % {
                    "name": juvenile,
                    "age": age,
                    "limit": limit["value"],
                    "citation": limit.citation,
                }
            }
        )


def _check_age_for(
    juvenile: Juvenile, article: CriminalArticle, offence_day: datetime.date, field: str
) -> None:
    age = juvenile.age_on(offence_day)
    if age < article.min_age:
        raise ValidationError(
            {
                field: MESSAGE_UNDER_AGE
                % {
                    "name": juvenile,
                    "age": age,
                    "article": article.citation,
                    "min_age": article.min_age,
                }
            }
        )


def _charge(
    actor: User,
    accused: Accused,
    article: CriminalArticle,
    at: datetime.datetime,
    field: str = "articles",
) -> Charge:
    offence_day = timezone.localdate(accused.proceeding.offence_at)
    _check_age_for(accused.juvenile, article, offence_day, field)
    charge = Charge(accused=accused, article=article, charged_at=at, charged_by=actor)
    charge.full_clean()
    charge.save()
    return charge


def _add_accused(
    actor: User, case: Proceeding, juvenile: Juvenile, articles: Iterable[CriminalArticle]
) -> Accused:
    articles = list(dict.fromkeys(articles))  # a part listed twice is charged once
    if not articles:
        raise ValidationError({"articles": MESSAGE_NO_ARTICLE})
    if not Juvenile.objects.visible_to(actor).filter(pk=juvenile.pk).exists():
        raise ValidationError({"juvenile": MESSAGE_JUVENILE_NOT_VISIBLE})
    if case.accused.filter(juvenile=juvenile).exists():
        raise ValidationError({"juvenile": MESSAGE_ALREADY_ACCUSED})
    _check_minor(juvenile, timezone.localdate(case.offence_at))
    accused = Accused.objects.create(proceeding=case, juvenile=juvenile)
    now = timezone.now()
    for article in articles:
        _charge(actor, accused, article, now)
    record(
        actor=actor,
        action="case.accused",
        subject=case,
        changes={
            "accused": (None, juvenile.pk),
            "charges": (None, ", ".join(str(a.citation) for a in articles)),
        },
    )
    return accused


def _check_prosecutor(prosecutor: User | None) -> None:
    if prosecutor is not None and not (
        prosecutor.is_active and prosecutor.has_role(Role.PROSECUTOR)
    ):
        raise ValidationError({"prosecutor": MESSAGE_NOT_PROSECUTOR})


@transaction.atomic(durable=True)
def open_case(
    *,
    actor: User,
    number: str,
    registered_on: datetime.date,
    offence_at: datetime.datetime,
    offence_place: str,
    territory: Territory,
    juvenile: Juvenile,
    articles: Iterable[CriminalArticle],
    prosecutor: User | None = None,
    summary: str = "",
) -> Proceeding:
    """Register a case against a minor; the investigator who opens it is in charge."""
    require(actor, "proceedings.add_proceeding")
    require_role(actor, set(policy.OPEN_CASE))
    errors = {}
    if offence_at > timezone.now():
        errors["offence_at"] = MESSAGE_FUTURE
    if registered_on > timezone.localdate():
        errors["registered_on"] = MESSAGE_REGISTERED_FUTURE
    elif registered_on < timezone.localdate(offence_at):
        errors["registered_on"] = MESSAGE_REGISTERED_BEFORE_OFFENCE
    if errors:
        raise ValidationError(errors)
    _check_prosecutor(prosecutor)
    case = Proceeding(
        number=number.strip(),
        registered_on=registered_on,
        registering_agency=actor.agency,
        offence_at=offence_at,
        offence_place=offence_place.strip(),
        territory=territory,
        investigator=actor,
        prosecutor=prosecutor,
        summary=summary,
    )
    case.full_clean()
    case.save()
    record(
        actor=actor,
        action="case.open",
        subject=case,
        changes={"number": (None, case.number), "offence_at": (None, local(offence_at))},
    )
    _add_accused(actor, case, juvenile, articles)
    return case


@transaction.atomic(durable=True)
def add_accused(
    *, actor: User, proceeding: Proceeding, juvenile: Juvenile, articles: Iterable[CriminalArticle]
) -> Accused:
    """Join another minor to the case with the article parts charged to them."""
    case = visible_case(actor, proceeding, lock=True)
    require_role(actor, set(policy.ADD_ACCUSED))
    return _add_accused(actor, case, juvenile, articles)


@transaction.atomic(durable=True)
def set_prosecutor(
    *, actor: User, proceeding: Proceeding, prosecutor: User, version: int | None = None
) -> Proceeding:
    """Name the supervising prosecutor (the investigator, or a prosecutor taking it over).

    `version` is the case's version the change was based on (None: not checked).
    """
    case = visible_case(actor, proceeding, lock=True)
    require_role(actor, set(policy.SET_PROSECUTOR))
    check_version(case, version, {"prosecutor": prosecutor})
    _check_prosecutor(prosecutor)
    old = case.prosecutor_id
    case.prosecutor = prosecutor
    case.save(update_fields=["prosecutor", "updated_at"])
    record(
        actor=actor,
        action="case.update",
        subject=case,
        changes={"prosecutor": (old, prosecutor.pk)},
    )
    return case


def add_participant_within(
    *,
    actor: User,
    proceeding: Proceeding,
    role: str,
    accused: Accused | None = None,
    user: User | None = None,
    relative: Relative | None = None,
    full_name: str = "",
    is_minor: bool = False,
    phone: str = "",
    tried_in: str = "",
    state_paid: bool = False,
    notes: str = "",
) -> Participant:
    """Record a person around the minor: representative, defender, psychologist, victim, adult.

    Runs in the caller's transaction (see `record_event_within`); `add_participant` is the
    service on its own.
    """
    case = visible_case(actor, proceeding)
    require_role(actor, set(policy.ADD_PARTICIPANT))
    # Name and minor apply to everyone; the other fields only to the roles that have them.
    given = {
        "user": user, "relative": relative, "is_minor": is_minor, "tried_in": tried_in,
        "state_paid": state_paid,
    }  # fmt: skip
    required, optional = policy.PARTICIPANT_FIELDS[ParticipantRole(role)]
    refuse_stray({name for name, value in given.items() if value}, {*required, *optional})
    if accused is not None and accused.proceeding_id != case.pk:
        raise ValidationError({"accused": MESSAGE_WRONG_MINOR})
    if relative is not None and (accused is None or relative.juvenile_id != accused.juvenile_id):
        raise ValidationError({"relative": MESSAGE_WRONG_MINOR})
    needed = policy.STAFF_ROLE_FOR.get(ParticipantRole(role))
    if user is not None and needed and not (user.is_active and user.has_role(needed)):
        raise ValidationError({"user": MESSAGE_STAFF_ROLE % {"role": Role(needed).label}})
    # Without a relative, the representative is named (the guardianship body's officer).
    if (
        role == ParticipantRole.LEGAL_REPRESENTATIVE
        and relative is not None
        and not relative.is_legal_representative
    ):
        raise ValidationError({"relative": MESSAGE_NOT_REPRESENTATIVE})
    name = full_name.strip() or (
        user.get_full_name() if user else relative.full_name if relative else ""
    )
    if not name:
        raise ValidationError({"full_name": MESSAGE_NAME_REQUIRED})
    if role != ParticipantRole.ADULT_COPARTICIPANT:
        tried_in = AdultTrial.UNDECIDED
    participant = Participant(
        proceeding=case,
        accused=accused,
        role=role,
        user=user,
        relative=relative,
        full_name=name,
        is_minor=is_minor,
        phone=phone.strip() or (relative.phone if relative else user.phone if user else ""),
        tried_in=tried_in,
        state_paid=state_paid,
        notes=notes,
    )
    participant.full_clean()
    participant.save()
    record(
        actor=actor,
        action="case.participant",
        subject=case,
        changes={"participant": (None, str(participant))},
        details={"participant_id": participant.pk, "role": role},
    )
    return participant


add_participant = transaction.atomic(durable=True)(add_participant_within)


@transaction.atomic(durable=True)
def requalify_charge(
    *, actor: User, charge: Charge, article: CriminalArticle, reason: str
) -> Charge:
    """Replace a charge with another article part, keeping from what, when, by whom and why."""
    case = visible_case(actor, charge.accused.proceeding)
    require_role(actor, set(policy.REQUALIFY))
    charge = (
        Charge.objects.select_for_update().select_related("accused__juvenile").get(pk=charge.pk)
    )
    if charge.accused.stage in FINISHED:
        raise ValidationError(MESSAGE_CLOSED_TRACK)
    if charge.ended_at is not None:
        raise ValidationError({"charge": MESSAGE_CHARGE_ENDED})
    if article.pk == charge.article_id:
        raise ValidationError({"article": MESSAGE_SAME_ARTICLE})
    if not reason.strip():
        raise ValidationError({"reason": MESSAGE_REASON_REQUIRED})
    now = timezone.now()
    check_times(case, now)
    charge.ended_at = now
    charge.save(update_fields=["ended_at"])
    new = _charge(actor, charge.accused, article, now, field="article")
    new.requalified_from = charge
    new.reason = reason.strip()
    new.save(update_fields=["requalified_from", "reason"])
    record(
        actor=actor,
        action="case.requalify",
        subject=case,
        changes={"charge": (str(charge.article.citation), str(article.citation))},
        details={"accused_id": charge.accused_id, "reason": new.reason},
    )
    return new


def juvenile_courts() -> list[Agency]:
    return list(Agency.objects.active().filter(agency_type=AgencyType.JUVENILE_COURT))


# Registration numbers of cases run to 15 digits; 12 digits or fewer may be (part of) an IIN.
CASE_SEARCH_IIN_DIGITS = 12


@transaction.atomic(durable=True)
def log_case_search(*, actor: User, query: str, result_count: int) -> None:
    """Record a search of the cases: by a number, a minor's name or IIN digits (as a digest)."""
    require(actor, "proceedings.view_proceeding")
    record_search(
        actor=actor,
        action="case.search",
        query=query,
        result_count=result_count,
        longest=CASE_SEARCH_IIN_DIGITS,
    )


@transaction.atomic(durable=True)
def view_case(*, actor: User, pk: int) -> Proceeding:
    """Open a case for reading (its minors' records are personal data): the reading is audited."""
    case = case_for_page(actor=actor, pk=pk)
    record(actor=actor, action="case.view", subject=case)
    return case
