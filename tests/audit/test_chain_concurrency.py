"""Concurrent writers on PostgreSQL: none waits for another; the sealed chain is one line."""

import threading
import time

import psycopg
import pytest
from django.db import connection, connections, transaction

from qorgau.audit import sealer
from qorgau.audit.models import AuditEvent
from qorgau.audit.sealer import SEAL_LOCK, seal_all, seal_batch
from qorgau.audit.services import record
from qorgau.audit.verify import verify_chain
from tests import factories

WRITERS = 8
ROWS_EACH = 15

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("committed_trail"),
]


def chain_places() -> list[tuple[int, int]]:
    """(chain_seq, id) of every row, in chain order."""
    rows = AuditEvent.objects.order_by("chain_seq").values_list("chain_seq", "id")
    return [(seq, pk) for seq, pk in rows if seq is not None]


def test_concurrent_writers_give_one_intact_chain_after_sealing():
    actor = factories.staff("investigator")
    before = AuditEvent.objects.count()
    errors: list[BaseException] = []

    def writer(number: int) -> None:
        try:
            for step in range(ROWS_EACH):
                with transaction.atomic():
                    record(actor=actor, action="juvenile.search", details={"w": number, "s": step})
                    time.sleep(0.001)  # other work after the audit row, before the commit
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    total = before + WRITERS * ROWS_EACH
    assert AuditEvent.objects.count() == total
    # The sealings after commit took (nearly) all; a commit whose sealing found the lock
    # taken may leave its row to the next one: seal-audit takes what is left.
    left = AuditEvent.objects.filter(chain_seq__isnull=True).count()
    assert left <= 2 * WRITERS
    assert seal_all().rows == left
    result = verify_chain()
    assert result.broken is None
    assert (result.rows, result.unsealed.rows) == (total, 0)
    assert [seq for seq, _ in chain_places()] == list(range(1, total + 1))


def test_a_row_committed_late_gets_a_later_place_than_a_higher_id():
    inserted, go_on = threading.Event(), threading.Event()
    late: list[int] = []

    def slow_writer() -> None:
        try:
            with transaction.atomic():
                late.append(record(actor=None, action="juvenile.view").pk)
                inserted.set()
                go_on.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    assert inserted.wait(10)
    early = record(actor=None, action="juvenile.search").pk  # committed and sealed now
    assert late[0] < early
    assert chain_places() == [(1, early)]
    go_on.set()
    thread.join()
    assert chain_places() == [(1, early), (2, late[0])]
    assert verify_chain().broken is None


@pytest.fixture
def another_sealer():
    """A sealer in another session that holds the lock until the test lets it go."""
    settings = connection.settings_dict
    other = psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        autocommit=True,
    )
    other.execute("SELECT pg_advisory_lock(%s)", [SEAL_LOCK])
    yield other
    other.close()


def test_a_writer_does_not_wait_for_another_sealer(another_sealer, monkeypatch):
    outcomes: list[int | None] = []
    real = sealer.seal_batch

    def watched(limit: int = sealer.HOOK_BATCH, *, from_id: int = 0) -> int | None:
        outcomes.append(real(limit, from_id=from_id))
        return outcomes[-1]

    monkeypatch.setattr(sealer, "seal_batch", watched)
    started = time.monotonic()
    event = record(actor=None, action="juvenile.search")
    assert time.monotonic() - started < 1
    assert outcomes == [None]  # the lock was taken: it did nothing, at once
    assert seal_batch() is None
    assert AuditEvent.objects.get(pk=event.pk).chain_seq is None
    another_sealer.execute("SELECT pg_advisory_unlock(%s)", [SEAL_LOCK])
    record(actor=None, action="juvenile.view")  # the next commit seals both
    assert outcomes == [None, 2]
    assert verify_chain().unsealed.rows == 0
