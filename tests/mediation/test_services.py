"""The mediation services: gravity rule, consent, meetings, agreement, payments, outcome."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from qorgau.audit.models import AuditEvent
from qorgau.mediation import services
from qorgau.mediation.models import Agreement, Instalment, Mediation, Payment, Status
from qorgau.mediation.rulebook import load_mediation_book, mediation_book
from qorgau.proceedings import services as proceedings
from qorgau.proceedings.legal_rules import RuleFileError
from tests.mediation.conftest import D, consent_both, hold_joint, refer, sign, signed_day
from tests.proceedings.factories import article

pytestmark = pytest.mark.django_db


def state() -> tuple:
    """Everything a refused call must leave as it was."""
    return (
        list(Mediation.objects.values_list("pk", "status", "termination_id", "ended_side")),
        Agreement.objects.count(),
        Instalment.objects.count(),
        Payment.objects.count(),
        AuditEvent.objects.count(),
    )


def refused(call, **kwargs) -> dict[str, list[str]]:
    before = state()
    with pytest.raises(ValidationError) as info:
        call(**kwargs)
    assert state() == before
    error = info.value
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}


def denied(call, **kwargs) -> str:
    before = state()
    with pytest.raises(PermissionDenied) as info:
        call(**kwargs)
    assert state() == before
    return str(info.value)


def last(action: str) -> AuditEvent:
    event = AuditEvent.objects.filter(action=action).order_by("-id").first()
    assert event is not None
    return event


# --- The law as data --------------------------------------------------------------------


def test_the_rule_file_names_every_gravity_with_its_citation():
    book = mediation_book()
    today = timezone.localdate()
    assert {r.code for r in book.rules["gravities"]} >= {"misdemeanour", "especially_grave"}
    assert book.gravity("medium", today)["admitted"] is True
    assert book.gravity("especially_grave", today)["admitted"] is False
    assert "68" in book.gravity("grave", today).citation
    assert book.termination_ground == "reconciliation"


def test_a_broken_rule_file_fails_loudly(tmp_path):
    path = tmp_path / "kz.yaml"
    path.write_text("gravities:\n  - code: minor\n    admitted: true\n", encoding="utf-8")
    with pytest.raises(RuleFileError, match="citation"):
        load_mediation_book(path)


# --- Referral -----------------------------------------------------------------------------


def test_the_investigator_refers_and_it_is_audited(file, victim):
    mediation = refer(file, victim)
    assert mediation.status == Status.REFERRED
    assert mediation.gravity == "medium"
    assert "68" in mediation.rule_citation
    audit = last("mediation.refer")
    assert audit.subject_id == str(mediation.pk)
    assert audit.changes["status"] == [None, "referred"]


def test_an_especially_grave_charge_is_refused_citing_the_rule(file, victim):
    proceedings.requalify_charge(
        actor=file.team.investigator,
        charge=file.accused.charges.get(),
        article=article("99/1"),
        reason="Жәбірленуші қайтыс болды.",
    )
    errors = refused(services.refer, **_referral(file, victim))
    message = errors["__all__"][0]
    assert "especially grave" in message
    assert "Mediation is not admitted for an especially grave crime." in message
    assert "No. 401-IV" in message


def test_a_grave_charge_needs_the_condition_confirmed(file, victim):
    proceedings.requalify_charge(
        actor=file.team.investigator,
        charge=file.accused.charges.get(),
        article=article("191/2"),
        reason="Ашық түрде.",
    )
    errors = refused(services.refer, **_referral(file, victim, condition_confirmed=False))
    assert "for the first time" in errors["condition_confirmed"][0]
    mediation = refer(file, victim, condition_confirmed=True)
    assert mediation.gravity == "grave"


def _referral(file, victim, /, **overrides):
    data = {
        "actor": file.team.investigator,
        "accused": file.accused,
        "victim": victim,
        "source": "investigator",
        "mediator": file.team.psychologist,
        "referred_at": file.offence + 2 * D,
        "condition_confirmed": True,
    }
    data.update(overrides)
    return data


def test_referral_refusals_name_the_field(file, victim, investigator):
    not_victim = file.defender
    assert "victim" in refused(services.refer, **_referral(file, victim, victim=not_victim))
    assert "mediator" in refused(services.refer, **_referral(file, victim, mediator=investigator))
    assert "source" in refused(services.refer, **_referral(file, victim, source="court"))
    future = timezone.now() + D
    assert "referred_at" in refused(services.refer, **_referral(file, victim, referred_at=future))
    assert "professional_registry_number" in refused(
        services.refer, **_referral(file, victim, professional_name="Омаров Б.")
    )


def test_one_mediation_in_progress_per_minor(file, victim, mediation):
    errors = refused(services.refer, **_referral(file, victim))
    assert errors["__all__"] == ["This minor already has a mediation in progress."]


def test_the_defender_records_the_minor_sides_request_only(file, victim):
    defender = file.team.defender
    errors = refused(services.refer, **_referral(file, victim, actor=defender))
    assert errors["source"] == ["Your role cannot record a request from this side."]
    mediation = refer(file, victim, actor=defender, source="accused_side")
    assert mediation.source == "accused_side"


def test_who_may_not_refer(file, victim, outsider, prosecutor, psychologist, judge):
    assert denied(services.refer, **_referral(file, victim, actor=outsider))
    assert denied(services.refer, **_referral(file, victim, actor=prosecutor))
    assert denied(services.refer, **_referral(file, victim, actor=psychologist))
    # The judge refers only once the case is in the judge's court.
    assert denied(services.refer, **_referral(file, victim, actor=judge, source="court"))


def test_the_judge_refers_in_court(file, victim, judge):
    file.drive("in_court")
    mediation = refer(file, victim, actor=judge, source="court", referred_at=timezone.now())
    assert mediation.source == "court"


# --- Consent and withdrawal ---------------------------------------------------------------


def test_consent_of_both_sides(file, mediation):
    consent_both(file, mediation)
    mediation.refresh_from_db()
    assert mediation.status == Status.CONSENTED
    assert mediation.accused_representative == file.representative
    assert last("mediation.consent").details == {"side": "victim", "given": True}


def test_the_minor_consents_only_with_a_legal_representative(file, mediation):
    errors = refused(
        services.record_consent, actor=file.team.psychologist, mediation=mediation,
        side="accused", given=True, at=file.offence + 3 * D, representative=file.defender,
    )  # fmt: skip
    assert "legal representative" in errors["representative"][0]


def test_a_minor_victim_consents_through_a_representative(file, mediation):
    mediation.victim.is_minor = True
    mediation.victim.save()
    errors = refused(
        services.record_consent, actor=file.team.psychologist, mediation=mediation,
        side="victim", given=True, at=file.offence + 3 * D,
    )  # fmt: skip
    assert errors["victim_representative"] == [
        "The victim is a minor: enter the representative who consented."
    ]


def test_consent_before_the_referral_is_refused(file, mediation):
    errors = refused(
        services.record_consent, actor=file.team.psychologist, mediation=mediation,
        side="victim", given=True, at=file.offence + D,
    )  # fmt: skip
    assert "before the referral" in errors["at"][0]


def test_a_refusal_ends_the_mediation_without_a_reason(file, mediation):
    services.record_consent(
        actor=file.team.psychologist, mediation=mediation, side="victim", given=False,
        at=file.offence + 3 * D,
    )  # fmt: skip
    mediation.refresh_from_db()
    assert (mediation.status, mediation.ended_side, mediation.ended_reason) == (
        Status.REFUSED, "victim", "",
    )  # fmt: skip


def test_either_side_withdraws_without_giving_a_reason(file, consented):
    services.withdraw_consent(
        actor=file.team.psychologist, mediation=consented, side="victim", at=file.offence + 4 * D
    )
    consented.refresh_from_db()
    assert consented.status == Status.WITHDRAWN
    assert consented.ended_side == "victim"
    assert last("mediation.withdraw").changes["status"] == ["consented", "withdrawn"]


def test_the_defender_may_record_the_minor_sides_withdrawal(file, consented):
    assert denied(
        services.withdraw_consent, actor=file.team.defender, mediation=consented, side="victim",
        at=file.offence + 4 * D,
    )  # fmt: skip
    services.withdraw_consent(
        actor=file.team.defender, mediation=consented, side="accused", at=file.offence + 4 * D,
        reason="Ата-анасы қарсы.",
    )  # fmt: skip
    consented.refresh_from_db()
    assert consented.ended_reason == "Ата-анасы қарсы."


def test_withdrawal_needs_consent_given_first(file, mediation):
    errors = refused(
        services.withdraw_consent, actor=file.team.psychologist, mediation=mediation,
        side="victim", at=file.offence + 4 * D,
    )  # fmt: skip
    assert "has not consented yet" in errors["side"][0]


# --- Meetings -----------------------------------------------------------------------------


def test_a_joint_meeting_needs_both_consents(file, mediation):
    errors = refused(
        services.record_session, actor=file.team.psychologist, mediation=mediation,
        kind="joint", held_at=file.offence + 4 * D, duration_minutes=60, present="барлығы",
    )  # fmt: skip
    assert errors["kind"] == ["A joint meeting needs the consent of both sides first."]


def test_meetings_move_the_status_and_keep_notes_out_of_the_audit(file, consented):
    hold_joint(file, consented)
    consented.refresh_from_db()
    assert consented.status == Status.SESSIONS
    audit = last("mediation.session")
    assert audit.details["notes"] is True
    assert "кешірім" not in str(audit.changes) + str(audit.details)


def test_only_the_mediators_agency_records_meetings(file, consented, investigator, outsider):
    for actor in (investigator, outsider, file.team.defender):
        denied(
            services.record_session, actor=actor, mediation=consented, kind="joint",
            held_at=file.offence + 4 * D, duration_minutes=60, present="барлығы",
        )  # fmt: skip


# --- Agreement ----------------------------------------------------------------------------


def test_the_agreement_needs_a_joint_meeting(file, consented):
    errors = refused(sign, file=file, mediation=consented)
    assert errors["__all__"] == ["Record the joint meeting first: the agreement is reached at it."]


def test_a_schedule_that_does_not_add_up_names_the_difference_and_writes_nothing(file, met):
    day = signed_day(file)
    short = [(day + D, Decimal("40000")), (day + 40 * D, Decimal("50000"))]
    errors = refused(sign, file=file, mediation=met, instalments=short)
    assert errors["instalments"] == [
        "The instalments add up to 90\xa0000 tenge: 10\xa0000 tenge less than the compensation "
        "of 100\xa0000 tenge. Change the instalments or the amount."
    ]
    over = [(day + D, Decimal("40000")), (day + 40 * D, Decimal("60000.50"))]
    errors = refused(sign, file=file, mediation=met, instalments=over)
    assert "0,50 tenge more than the compensation" in errors["instalments"][0]


def test_the_schedule_error_is_translated(file, met):
    from django.utils import translation

    day = signed_day(file)
    with translation.override("ru"):
        errors = refused(sign, file=file, mediation=met, instalments=[(day, Decimal("1000"))])
    assert "99\xa0000" in errors["instalments"][0]
    assert "tenge" not in errors["instalments"][0]


def test_instalments_fall_due_within_the_term(file, met):
    day = signed_day(file)
    late = [(day + 90 * D, Decimal("100000"))]
    errors = refused(sign, file=file, mediation=met, instalments=late)
    assert "between the signing" in errors["instalments"][0]


def test_the_agreement_is_signed_and_audited(file, met):
    agreement = sign(file, met)
    met.refresh_from_db()
    assert met.status == Status.AGREEMENT
    assert agreement.instalments.count() == 2
    assert last("mediation.agreement").changes["compensation"] == [None, "100000"]


def test_an_apology_alone_is_fulfilled_at_signing(file, met):
    sign(file, met, compensation=Decimal("0"), instalments=[], undertakings="")
    met.refresh_from_db()
    assert met.status == Status.FULFILLED


# --- Payments and fulfilment --------------------------------------------------------------


def test_payments_outstanding_and_overdue(file, agreed):
    agreement = agreed.agreement
    assert [row.state for row in agreement.schedule()] == ["overdue", "due"]
    services.record_payment(
        actor=file.team.psychologist, mediation=agreed, paid_on=timezone.localdate(),
        amount=Decimal("30000"), method="cash",
    )  # fmt: skip
    agreement = Agreement.objects.get(pk=agreement.pk)
    assert agreement.paid_total == Decimal("30000")
    assert agreement.outstanding == Decimal("70000")
    # 30 000 paid of the 40 000 already due: the first instalment is still overdue.
    assert [row.state for row in agreement.schedule()] == ["overdue", "due"]
    services.record_payment(
        actor=file.team.psychologist, mediation=agreed, paid_on=timezone.localdate(),
        amount=Decimal("15000"), method="bank",
    )  # fmt: skip
    agreement = Agreement.objects.get(pk=agreement.pk)
    assert [row.state for row in agreement.schedule()] == ["paid", "partly_paid"]
    assert last("mediation.payment").details["amount"] == "15000"


def test_a_payment_over_the_outstanding_amount_is_refused(file, agreed):
    errors = refused(
        services.record_payment, actor=file.team.psychologist, mediation=agreed,
        paid_on=timezone.localdate(), amount=Decimal("100001"), method="cash",
    )  # fmt: skip
    assert errors["amount"] == ["The payment is more than what is outstanding (100\xa0000 tenge)."]


def test_payment_refusals(file, agreed, investigator):
    future = timezone.localdate() + D
    kwargs = {"actor": file.team.psychologist, "mediation": agreed, "method": "cash"}
    errors = refused(services.record_payment, **kwargs, paid_on=future, amount=Decimal("1"))
    assert errors["paid_on"] == ["The date cannot be in the future."]
    errors = refused(
        services.record_payment, **kwargs, paid_on=timezone.localdate(), amount=Decimal("0")
    )
    assert "amount" in errors
    kwargs["actor"] = investigator
    denied(services.record_payment, **kwargs, paid_on=timezone.localdate(), amount=Decimal("1"))


def test_fulfilled_when_paid_in_full_and_undertakings_done(file, agreed):
    mediator = file.team.psychologist
    services.record_payment(
        actor=mediator, mediation=agreed, paid_on=timezone.localdate(),
        amount=Decimal("100000"), method="cash",
    )  # fmt: skip
    agreed.refresh_from_db()
    assert agreed.status == Status.AGREEMENT  # the undertakings are not yet done
    services.confirm_undertakings(actor=mediator, mediation=agreed, done_on=timezone.localdate())
    agreed.refresh_from_db()
    assert agreed.status == Status.FULFILLED
    assert last("mediation.undertakings").changes["status"] == ["agreement", "fulfilled"]


def test_a_failed_mediation_needs_a_reason(file, agreed):
    kwargs = {"actor": file.team.psychologist, "mediation": agreed, "at": timezone.now()}
    assert "reason" in refused(services.record_failure, **kwargs, reason=" ")
    services.record_failure(**kwargs, reason="Төлем кестесі орындалмады.")
    agreed.refresh_from_db()
    assert agreed.status == Status.FAILED


# --- The outcome feeds the proceeding ----------------------------------------------------


def _terminate(file, ground="reconciliation"):
    file.record("detention")
    return file.record(
        "termination", ground=ground, at=timezone.now() - datetime.timedelta(hours=1)
    )


def test_a_termination_on_reconciliation_links_the_agreement(file, victim):
    file.record("detention")
    mediation = refer(file, victim)
    consent_both(file, mediation)
    hold_joint(file, mediation)
    sign(file, mediation)
    event = file.record("termination", ground="reconciliation", at=timezone.now())
    mediation.refresh_from_db()
    assert mediation.termination == event
    audit = last("mediation.termination")
    assert audit.changes == {"termination": [None, event.pk]}
    assert audit.actor == file.team.investigator


def test_no_link_without_a_signed_agreement(file, victim):
    file.record("detention")
    mediation = refer(file, victim)
    consent_both(file, mediation)
    file.record("termination", ground="reconciliation", at=timezone.now())
    mediation.refresh_from_db()
    assert mediation.termination is None
    assert not AuditEvent.objects.filter(action="mediation.termination").exists()


def test_no_link_for_another_ground(file, victim):
    file.record("detention")
    mediation = refer(file, victim)
    consent_both(file, mediation)
    hold_joint(file, mediation)
    sign(file, mediation)
    file.record("termination", ground="educational_measures", at=timezone.now())
    mediation.refresh_from_db()
    assert mediation.termination is None


# --- Reading ------------------------------------------------------------------------------


def test_visibility(file, mediation, outsider, prosecutor, analyst):
    assert Mediation.objects.visible_to(prosecutor).filter(pk=mediation.pk).exists()
    assert not Mediation.objects.visible_to(outsider).exists()
    assert not Mediation.objects.visible_to(analyst).exists()
    assert services.may_read_notes(file.team.psychologist, mediation)
    assert not services.may_read_notes(file.team.investigator, mediation)


def test_a_defender_of_the_mediators_agency_does_not_read_the_notes(file, mediation):
    from qorgau.accounts.models import Role
    from tests import factories

    colleague = factories.staff(Role.DEFENCE_LAWYER, file.team.psychologist.agency)
    assert Mediation.objects.visible_to(colleague).filter(pk=mediation.pk).exists()
    assert not services.may_read_notes(colleague, mediation)


def test_reading_a_mediation_is_audited(file, mediation, outsider):
    services.view_mediation(actor=file.team.investigator, pk=mediation.pk)
    assert last("mediation.view").subject_id == str(mediation.pk)
    with pytest.raises(Mediation.DoesNotExist):
        services.view_mediation(actor=outsider, pk=mediation.pk)
