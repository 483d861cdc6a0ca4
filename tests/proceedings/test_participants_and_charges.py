"""The people around the minor, more minors in the case, the supervisor, and requalification."""

import pytest
from django.core.exceptions import ValidationError

from qorgau.accounts.models import Role
from qorgau.people.services import add_relative
from qorgau.proceedings.models import AdultTrial, Charge, Participant, ParticipantRole
from qorgau.proceedings.models import Stage as S
from qorgau.proceedings.services import (
    add_accused,
    add_participant,
    requalify_charge,
    set_prosecutor,
)
from qorgau.proceedings.services.cases import (
    MESSAGE_ALREADY_ACCUSED,
    MESSAGE_CHARGE_ENDED,
    MESSAGE_CLOSED_TRACK,
    MESSAGE_NAME_REQUIRED,
    MESSAGE_NO_ARTICLE,
    MESSAGE_NOT_PROSECUTOR,
    MESSAGE_REASON_REQUIRED,
    MESSAGE_SAME_ARTICLE,
    MESSAGE_STAFF_ROLE,
    MESSAGE_UNDER_AGE,
    MESSAGE_WRONG_MINOR,
)
from qorgau.proceedings.services.common import MESSAGE_NOT_FOR_THIS_STEP
from tests import factories as base
from tests.proceedings import factories
from tests.proceedings.factories import article, born_years_before, last_audit, minor, refusal


def mother_of(juvenile, investigator):
    return add_relative(
        actor=investigator,
        juvenile=juvenile,
        last_name="Сейітова",
        first_name="Айгүл",
        relation="mother",
        is_legal_representative=True,
        phone="+7 701 111 22 33",
    )


# People around the minor


def test_adds_the_defender_with_the_name_and_phone_of_their_account(bare, investigator, defender):
    participant = add_participant(
        actor=investigator,
        proceeding=bare.case,
        role=ParticipantRole.DEFENDER,
        accused=bare.accused,
        user=defender,
        state_paid=True,
    )
    stored = Participant.objects.get(pk=participant.pk)
    assert (stored.full_name, stored.user, stored.state_paid) == (
        defender.get_full_name(),
        defender,
        True,
    )
    assert (stored.proceeding, stored.accused) == (bare.case, bare.accused)
    audit = last_audit("case.participant")
    assert audit.actor == investigator
    assert audit.details == {"participant_id": participant.pk, "role": ParticipantRole.DEFENDER}
    assert audit.changes == {"participant": [None, str(participant)]}


def test_adds_a_parent_as_legal_representative_from_the_childs_record(bare, investigator, juvenile):
    mother = mother_of(juvenile, investigator)
    participant = add_participant(
        actor=investigator,
        proceeding=bare.case,
        role=ParticipantRole.LEGAL_REPRESENTATIVE,
        accused=bare.accused,
        relative=mother,
    )
    assert (participant.relative, participant.full_name, participant.phone) == (
        mother,
        mother.full_name,
        "+7 701 111 22 33",
    )


def test_refuses_a_relative_of_another_child(bare, investigator, offence_day):
    stranger_mother = mother_of(minor(investigator, offence_day, 15), investigator)
    errors = refusal(
        add_participant,
        actor=investigator,
        proceeding=bare.case,
        role=ParticipantRole.LEGAL_REPRESENTATIVE,
        accused=bare.accused,
        relative=stranger_mother,
    )
    assert errors == {"relative": [MESSAGE_WRONG_MINOR]}


def test_refuses_a_relative_not_tied_to_a_minor_of_the_case(bare, investigator, juvenile):
    errors = refusal(
        add_participant,
        actor=investigator,
        proceeding=bare.case,
        role=ParticipantRole.LEGAL_REPRESENTATIVE,
        relative=mother_of(juvenile, investigator),
    )
    assert errors == {"relative": [MESSAGE_WRONG_MINOR]}


def test_refuses_a_minor_of_another_case(bare, team, investigator, offence_day):
    elsewhere = factories.open_case(team, minor(investigator, offence_day, 15))
    errors = refusal(
        add_participant,
        actor=investigator,
        proceeding=bare.case,
        role=ParticipantRole.VICTIM,
        accused=elsewhere.accused.get(),
        full_name="Иванов Пётр",
    )
    assert errors == {"accused": [MESSAGE_WRONG_MINOR]}


@pytest.mark.parametrize(
    ("role", "needed"),
    [
        (ParticipantRole.DEFENDER, Role.DEFENCE_LAWYER),
        (ParticipantRole.SOCIAL_PSYCHOLOGIST, Role.SOCIAL_PSYCHOLOGIST),
    ],
)
def test_refuses_staff_who_do_not_hold_the_role(bare, investigator, prosecutor, role, needed):
    errors = refusal(
        add_participant,
        actor=investigator,
        proceeding=bare.case,
        role=role,
        accused=bare.accused,
        user=prosecutor,
    )
    assert errors == {"user": [MESSAGE_STAFF_ROLE % {"role": needed.label}]}


def test_refuses_a_person_without_a_name(bare, investigator):
    errors = refusal(
        add_participant,
        actor=investigator,
        proceeding=bare.case,
        role=ParticipantRole.VICTIM,
        full_name="   ",
    )
    assert errors == {"full_name": [MESSAGE_NAME_REQUIRED]}


def test_keeps_where_an_adult_co_participant_is_tried(bare, investigator):
    adult = add_participant(
        actor=investigator,
        proceeding=bare.case,
        role=ParticipantRole.ADULT_COPARTICIPANT,
        full_name="Серіков Дәурен",
        tried_in=AdultTrial.GENERAL_COURT,
    )
    victim = add_participant(
        actor=investigator,
        proceeding=bare.case,
        role=ParticipantRole.VICTIM,
        full_name="Иванов Пётр",
        is_minor=True,
    )
    assert adult.tried_in == AdultTrial.GENERAL_COURT
    assert (victim.tried_in, victim.is_minor) == (AdultTrial.UNDECIDED, True)


def test_refuses_where_a_victim_is_tried(bare, investigator):
    with pytest.raises(ValidationError) as caught:
        add_participant(
            actor=investigator,
            proceeding=bare.case,
            role=ParticipantRole.VICTIM,
            full_name="Иванов Пётр",
            tried_in=AdultTrial.GENERAL_COURT,
        )
    assert caught.value.message_dict == {"tried_in": [str(MESSAGE_NOT_FOR_THIS_STEP)]}


def test_the_judge_adds_people_to_a_case_in_court(file, judge):
    file.drive(S.IN_COURT)
    witness = add_participant(
        actor=judge, proceeding=file.case, role=ParticipantRole.PEDAGOGUE, full_name="Омарова Д."
    )
    assert witness.proceeding == file.case


# More minors in the case


def test_joins_another_minor_with_their_charges_and_audits_it(case, investigator, offence_day):
    second = minor(investigator, offence_day, 15, first_name="Ерлан")
    accused = add_accused(
        actor=investigator, proceeding=case, juvenile=second, articles=[article("191/2")]
    )
    assert (accused.juvenile, accused.stage) == (second, S.REGISTERED)
    assert [c.article for c in accused.charges.all()] == [article("191/2")]
    audit = last_audit("case.accused")
    assert audit.changes["accused"] == [None, second.pk]
    assert case.accused.count() == 2


def test_refuses_to_join_a_minor_already_accused_in_the_case(case, investigator, juvenile):
    errors = refusal(
        add_accused,
        actor=investigator,
        proceeding=case,
        juvenile=juvenile,
        articles=[article("191/2")],
    )
    assert errors == {"juvenile": [MESSAGE_ALREADY_ACCUSED]}


def test_refuses_to_join_a_minor_without_an_article(case, investigator, offence_day):
    errors = refusal(
        add_accused,
        actor=investigator,
        proceeding=case,
        juvenile=minor(investigator, offence_day, 15),
        articles=[],
    )
    assert errors == {"articles": [MESSAGE_NO_ARTICLE]}


# The supervising prosecutor


def test_names_a_new_supervising_prosecutor_and_audits_it(case, investigator, prosecutor):
    successor = base.staff(Role.PROSECUTOR, prosecutor.agency)
    set_prosecutor(actor=investigator, proceeding=case, prosecutor=successor)
    case.refresh_from_db()
    assert case.prosecutor == successor
    assert last_audit("case.update").changes == {"prosecutor": [prosecutor.pk, successor.pk]}


def test_refuses_a_supervisor_who_is_not_a_prosecutor(case, investigator, judge):
    errors = refusal(set_prosecutor, actor=investigator, proceeding=case, prosecutor=judge)
    assert errors == {"prosecutor": [MESSAGE_NOT_PROSECUTOR]}


# Requalification


@pytest.fixture
def charge(case) -> Charge:
    return Charge.objects.get(accused__proceeding=case)


def test_requalification_ends_the_charge_and_starts_one_that_remembers_it(charge, prosecutor):
    new = requalify_charge(
        actor=prosecutor, charge=charge, article=article("188/3"), reason="Бірнеше рет жасалған."
    )
    charge.refresh_from_db()
    assert charge.is_current is False
    assert (new.requalified_from, new.article, new.charged_by) == (
        charge,
        article("188/3"),
        prosecutor,
    )
    assert (new.reason, new.is_current, new.charged_at) == (
        "Бірнеше рет жасалған.",
        True,
        charge.ended_at,
    )
    audit = last_audit("case.requalify")
    assert audit.actor == prosecutor
    assert audit.changes == {
        "charge": [str(article("188/2").citation), str(article("188/3").citation)]
    }
    assert audit.details == {"accused_id": charge.accused_id, "reason": "Бірнеше рет жасалған."}


def test_requalification_history_is_a_chain(charge, investigator, judge, file):
    second = requalify_charge(
        actor=investigator, charge=charge, article=article("188/3"), reason="Бірінші."
    )
    file.drive(S.IN_COURT)
    third = requalify_charge(actor=judge, charge=second, article=article("188/2"), reason="Сот.")
    assert third.requalified_from.requalified_from == charge
    assert list(Charge.objects.filter(accused=charge.accused, ended_at=None)) == [third]


def test_refuses_a_requalification_to_the_same_article(charge, investigator):
    errors = refusal(
        requalify_charge, actor=investigator, charge=charge, article=charge.article, reason="Иә."
    )
    assert errors == {"article": [MESSAGE_SAME_ARTICLE]}


@pytest.mark.parametrize("reason", ["", "   "])
def test_refuses_a_requalification_without_a_reason(charge, investigator, reason):
    errors = refusal(
        requalify_charge,
        actor=investigator,
        charge=charge,
        article=article("188/3"),
        reason=reason,
    )
    assert errors == {"reason": [MESSAGE_REASON_REQUIRED]}


def test_refuses_to_requalify_a_charge_already_requalified(charge, investigator):
    requalify_charge(actor=investigator, charge=charge, article=article("188/3"), reason="Бір.")
    errors = refusal(
        requalify_charge,
        actor=investigator,
        charge=charge,
        article=article("191/2"),
        reason="Екі.",
    )
    assert errors == {"charge": [MESSAGE_CHARGE_ENDED]}


@pytest.mark.parametrize("finished", [S.TERMINATED, S.CLOSED])
def test_refuses_to_requalify_when_the_minors_case_is_finished(file, investigator, finished):
    file.drive(finished)
    errors = refusal(
        requalify_charge,
        actor=base.superuser(),
        charge=file.accused.charges.get(),
        article=article("188/3"),
        reason="Кеш.",
    )
    assert errors == {"__all__": [MESSAGE_CLOSED_TRACK]}


def test_refuses_to_requalify_to_an_article_the_child_is_too_young_for(
    team, investigator, offence_at, offence_day
):
    child = base.juvenile(investigator, birth_date=born_years_before(offence_day, 15))
    case = factories.open_case(team, child, offence_at=offence_at, articles=("188/2",))
    theft = case.accused.get().charges.get()
    errors = refusal(
        requalify_charge,
        actor=investigator,
        charge=theft,
        article=article("188/1"),
        reason="Зиян аз.",
    )
    assert errors == {
        "article": [
            MESSAGE_UNDER_AGE
            % {"name": child, "age": 15, "article": article("188/1").citation, "min_age": 16}
        ]
    }
