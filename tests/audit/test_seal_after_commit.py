"""The sealer runs after the commit of every transaction that wrote audit rows (both databases)."""

import logging

import pytest
from django.db import DatabaseError, transaction

from qorgau.audit import sealer
from qorgau.audit.models import AuditEvent
from qorgau.audit.services import record
from qorgau.audit.verify import verify_chain

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("committed_trail"),
]


def unsealed() -> int:
    return AuditEvent.objects.filter(chain_seq__isnull=True).count()


@pytest.fixture
def batches(monkeypatch):
    """The sealings that ran: the number of rows each one sealed."""
    sealed: list[int | None] = []
    real = sealer.seal_batch

    def counting(limit: int = sealer.HOOK_BATCH, *, from_id: int = 0) -> int | None:
        sealed.append(real(limit, from_id=from_id))
        return sealed[-1]

    monkeypatch.setattr(sealer, "seal_batch", counting)
    return sealed


def test_rows_are_sealed_right_after_their_transaction_commits(batches):
    with transaction.atomic():
        rows = [record(actor=None, action="juvenile.search", details={"n": n}) for n in range(3)]
        assert batches == []  # nothing is sealed before the commit
    assert batches == [3]  # once for the transaction, however many rows it wrote
    record(actor=None, action="auth.login_failed")  # its own transaction
    assert batches == [3, 1]
    assert unsealed() == 0
    places = AuditEvent.objects.filter(pk__in=[row.pk for row in rows]).values_list(
        "chain_seq", flat=True
    )
    assert sorted(places) == [1, 2, 3]
    result = verify_chain()
    assert (result.broken, result.rows, result.unsealed.rows) == (None, 4, 0)


def test_a_rolled_back_transaction_leaves_no_row_and_no_sealing(batches):
    with pytest.raises(RuntimeError), transaction.atomic():
        record(actor=None, action="juvenile.search")
        raise RuntimeError("the caller's work failed")
    assert AuditEvent.objects.count() == 0
    assert batches == []
    with transaction.atomic():
        try:
            with transaction.atomic():
                record(actor=None, action="juvenile.search")
                raise RuntimeError("a savepoint rolled back")
        except RuntimeError:
            pass
        kept = record(actor=None, action="juvenile.view")
    assert batches == [1]
    assert list(AuditEvent.objects.values_list("pk", "chain_seq")) == [(kept.pk, 1)]


def test_a_failed_sealing_does_not_fail_the_writer(monkeypatch, caplog):
    def broken(limit: int = sealer.HOOK_BATCH, *, from_id: int = 0) -> int | None:
        raise DatabaseError("the sealer's transaction failed")

    monkeypatch.setattr(sealer, "seal_batch", broken)
    with caplog.at_level(logging.WARNING, logger="qorgau.audit.sealer"):
        event = record(actor=None, action="juvenile.search")
    assert AuditEvent.objects.filter(pk=event.pk, chain_seq__isnull=True).exists()
    assert "Audit rows were not sealed now" in caplog.text
    monkeypatch.undo()
    record(actor=None, action="juvenile.search")  # the next commit seals both
    assert unsealed() == 0
    assert verify_chain().rows == 2


def test_an_unexpected_error_of_the_sealing_does_not_fail_the_writer(monkeypatch, caplog):
    def buggy(limit: int = sealer.HOOK_BATCH, *, from_id: int = 0) -> int | None:
        raise RuntimeError("a bug in the sealer")

    monkeypatch.setattr(sealer, "seal_batch", buggy)
    with caplog.at_level(logging.ERROR):
        event = record(actor=None, action="juvenile.search")
    assert AuditEvent.objects.filter(pk=event.pk, chain_seq__isnull=True).exists()
    assert "a bug in the sealer" in caplog.text
