"""Loading a synthetic country: the refusals, the chunks with their ledger, the sequences.

Each chunk (the agencies and staff first, then one block of cases) is one transaction that
also writes its ledger row (demo.GeneratorChunk): an interrupted load keeps whole chunks
only, and `--resume` makes the missing ones (the same rows: the plan is deterministic).
"""

import datetime
import math
import multiprocessing
import queue
import signal
import threading
import time
import traceback
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.utils import timezone

from qorgau.accounts.models import Agency, User
from qorgau.audit.models import AuditEvent
from qorgau.audit.sealer import head as chain_head
from qorgau.core.models import Territory
from qorgau.demo.models import GeneratorRun
from qorgau.demo.national import country as country_module
from qorgau.demo.national import indexes
from qorgau.demo.national.block import make_block
from qorgau.demo.national.people import Iins, lane_of
from qorgau.demo.national.plan import (
    IIN_LANES,
    STRIDE,
    YEARS_BACK,
    Block,
    cases_by_region,
    make_plan,
)
from qorgau.demo.national.progress import Progress
from qorgau.demo.national.safeguards import check_mirrors
from qorgau.demo.national.tables import TABLES
from qorgau.people.models import Juvenile
from qorgau.proceedings.models import Proceeding

ALMATY = ZoneInfo("Asia/Almaty")


class Refusal(Exception):
    """The database or the options do not allow a load; nothing was written."""


@dataclass
class Result:
    run_id: int
    blocks: int
    done_before: int
    cases: int
    persons: int
    rows: int
    seconds: float
    counts: dict[str, int] = field(default_factory=dict)
    index_seconds: float = 0.0
    timing: dict[str, float] = field(default_factory=dict)  # where the wall-clock time went


def _refuse_unless_loadable(
    seed: int, scale: float, as_of: datetime.date, years: float, resume: bool
) -> GeneratorRun | None:
    if connection.vendor != "postgresql":
        raise Refusal(
            f"The national generator needs PostgreSQL; DATABASE_URL points at {connection.vendor}."
        )
    runs = list(GeneratorRun.objects.order_by("id"))
    if not runs:
        found = [
            label
            for label, model in (
                ("juveniles", Juvenile),
                ("cases", Proceeding),
                ("agencies", Agency),
                ("staff accounts", User),
                ("audit rows", AuditEvent),
            )
            if model.objects.exists()
        ]
        if found:
            raise Refusal(
                "This database already holds data the generator did not make ("
                + ", ".join(found)
                + "): use an empty, migrated database."
            )
        if resume:
            raise Refusal("There is no interrupted run to resume in this database.")
        return None
    run = runs[-1]
    if run.finished_at is not None:
        raise Refusal(
            f"This database already holds a generated country ({run}): use an empty database."
        )
    if not resume:
        down = f", and {len(run.indexes_down)} indexes are down" if run.indexes_down else ""
        raise Refusal(f"A run was interrupted here ({run}){down}: add --resume to finish it.")
    if (run.seed, run.scale, run.as_of, run.years) != (seed, scale, as_of, years):
        raise Refusal(
            f"The interrupted run was made with seed {run.seed}, scale {run.scale:g} and as-of "
            f"{run.as_of:%Y-%m-%d} over {run.years:g} years: resume it with the same values."
        )
    return run


def _as_of_moment(as_of: datetime.date) -> datetime.datetime:
    """The local midnight that starts the as-of day, in UTC: nothing happens after it."""
    return datetime.datetime.combine(as_of, datetime.time(), ALMATY).astimezone(datetime.UTC)


def _write(
    raw: Any, rows: Any, run_id: int, number: int, replica: bool, counts: dict[str, int]
) -> None:
    """One chunk and its ledger row in one transaction.

    A crash may lose the last commits, never half of one: the ledger row goes with its
    rows, and --resume redoes what is missing.
    """
    with transaction.atomic(), raw.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        if replica:  # the FK triggers are skipped (indexes.py)
            cursor.execute("SET LOCAL session_replication_role = replica")
        rows.copy_into(cursor)
        _insert_chunk(cursor, run_id, number, rows.total)
    for table, count in rows.counts.items():
        counts[table] += count


def _insert_chunk(cursor: Any, run_id: int, number: int, rows: int) -> None:
    cursor.execute(
        "INSERT INTO demo_generatorchunk (run_id, number, rows, done_at) VALUES (%s, %s, %s, %s)",
        (run_id, number, rows, timezone.now()),
    )


def _reset_sequences(cursor: Any) -> None:
    for table in TABLES:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 - our names
            f"GREATEST((SELECT max(id) FROM {table}), 1))"
        )


def _lane_pools(lanes: set[int], taken: set[str]) -> dict[int, Iins]:
    pools = {lane: Iins(lane) for lane in lanes}
    for iin in taken:
        if lane_of(iin) in pools:
            pools[lane_of(iin)].taken.add(iin)
    return pools


class _Maker(threading.Thread):
    """Makes the blocks' rows in order while the caller writes the previous block (one lane
    after another, in this thread: `--workers 1`).

    COPY waits on the server with the GIL released, so making and writing overlap. The
    thread touches no database; what it makes depends only on the plan and the seed.
    """

    def __init__(
        self, blocks: list[Block], country: Any, now: datetime.datetime, seed: int, taken: set[str]
    ) -> None:
        super().__init__(name="national-generator", daemon=True)
        self.blocks, self.country, self.now, self.seed = blocks, country, now, seed
        self.pools = _lane_pools(set(range(IIN_LANES)), taken)
        self.queue: queue.Queue[Any] = queue.Queue(maxsize=2)
        self.stopping = threading.Event()

    def run(self) -> None:
        try:
            for block in self.blocks:
                if self.stopping.is_set():
                    return
                made = make_block(block, self.country, self.now, self.seed, self.pools[block.lane])
                self._put((block, *made))
            self._put(None)
        except BaseException as error:  # handed to the writer, which raises it
            self._put(error)

    def _put(self, item: Any) -> None:
        while not self.stopping.is_set():
            try:
                self.queue.put(item, timeout=0.2)
                return
            except queue.Full:
                continue

    def take(self) -> tuple[Block, Any, Any] | None:
        item = self.queue.get()
        if isinstance(item, BaseException):
            raise item
        return item  # type: ignore[no-any-return]

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=5)


def _make_in_process(
    blocks: list[Block], country: Any, now: datetime.datetime, seed: int, pools: Any, out: Any
) -> None:
    """A maker process: its lanes' blocks, in order, onto its queue (touches no database)."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # stop() terminates it: no cleanup to do
    try:
        for block in blocks:
            rows, stats = make_block(block, country, now, seed, pools[block.lane])
            out.put((block.number, rows.freeze(), stats))
        out.put(None)
    except BaseException:  # the writer raises it; the traceback as text pickles
        out.put(RuntimeError(f"maker process failed:\n{traceback.format_exc()}"))


class _Makers:
    """`workers` maker processes (forked: they share the country and the plan), each making
    the blocks of its lanes; the writer takes the blocks back in their global order, so the
    audit chain and the ledger go on in id order. Same rows as one maker: a block depends
    only on the seed, its number and its lane's earlier blocks."""

    def __init__(
        self,
        blocks: list[Block],
        country: Any,
        now: datetime.datetime,
        seed: int,
        taken: set[str],
        workers: int,
    ) -> None:
        context = multiprocessing.get_context("fork")
        self.blocks, self.workers, self.next = blocks, workers, 0
        self.queues = [context.Queue(maxsize=2) for _ in range(workers)]
        self.processes = []
        for worker in range(workers):
            lanes = {lane for lane in range(IIN_LANES) if lane % workers == worker}
            mine = [b for b in blocks if b.lane in lanes]
            process = context.Process(
                target=_make_in_process,
                args=(mine, country, now, seed, _lane_pools(lanes, taken), self.queues[worker]),
                name=f"national-maker-{worker}",
                daemon=True,
            )
            process.start()
            self.processes.append(process)

    def take(self) -> tuple[Block, Any, Any] | None:
        if self.next >= len(self.blocks):
            return None
        block = self.blocks[self.next]
        worker = block.lane % self.workers
        while True:
            try:
                item = self.queues[worker].get(timeout=1)
                break
            except queue.Empty:
                if not self.processes[worker].is_alive():
                    code = self.processes[worker].exitcode
                    raise RuntimeError(f"maker process {worker} ended (exit code {code})") from None
        if isinstance(item, BaseException):
            raise item
        number, rows, stats = item
        if number != block.number:
            raise RuntimeError(f"maker {worker} sent block {number}, expected {block.number}")
        self.next += 1
        return block, rows, stats

    def start(self) -> None:
        pass

    def stop(self) -> None:
        for process in self.processes:
            if process.is_alive():
                process.terminate()
        for process in self.processes:
            process.join(timeout=5)


def generate(
    *,
    seed: int,
    scale: float,
    as_of: datetime.date,
    resume: bool = False,
    years: float = YEARS_BACK,
    stream: TextIO | None = None,
    progress_every: float = 0.5,
    workers: int = 1,
) -> Result:
    """Load the country; raises Refusal (nothing written) when the database does not allow it."""
    if as_of > timezone.localdate():
        raise Refusal(f"--as-of {as_of:%Y-%m-%d} is in the future.")
    check_mirrors()
    run = _refuse_unless_loadable(seed, scale, as_of, years, resume)
    regions = list(
        Territory.objects.filter(parent=None)
        .order_by("kato_code")
        .values_list("kato_code", flat=True)
    )
    by_region = cases_by_region(scale, regions)
    country = country_module.build(seed, by_region, as_of, years)
    first_block = math.ceil((country.audit_count + 1) / STRIDE["audit_auditevent"])
    plan = make_plan(seed, scale, as_of, regions, first_block)
    now = _as_of_moment(as_of)
    progress = Progress(plan.cases, stream, progress_every)
    connection.ensure_connection()
    raw = connection.connection
    with transaction.atomic():
        if run is None:
            run = GeneratorRun(
                years=years,
                seed=seed,
                scale=scale,
                as_of=as_of,
                blocks=len(plan.blocks),
                started_at=timezone.now(),
            )
            with raw.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO demo_generatorrun "
                    "(seed, scale, as_of, years, blocks, started_at, indexes_down) "
                    "VALUES (%s, %s, %s, %s, %s, %s, '[]') RETURNING id",
                    (seed, scale, as_of, years, run.blocks, run.started_at),
                )
                run.pk = cursor.fetchone()[0]
    done = set(run.chunks.values_list("number", flat=True))
    taken: set[str] = set()
    if done:
        iins = Juvenile.objects.exclude(iin=None).values_list("iin", flat=True)
        taken = {iin for iin in iins if iin}
    head = chain_head()  # the rows come sealed: the chain goes on from its head
    with transaction.atomic(), raw.cursor() as cursor:
        indexes.take_down(cursor, run.pk)
        replica = indexes.superuser(cursor)
    counts: dict[str, int] = defaultdict(int)
    timing: dict[str, float] = defaultdict(float)
    maker: _Maker | _Makers | None = None
    try:
        if 0 not in done:
            head = country.rows.chain(head)
            _write(raw, country.rows, run.pk, 0, replica, counts)
            progress.rows += country.rows.total
        done_before = len(done)
        todo = []
        for block in plan.blocks:
            if block.number - first_block + 1 in done:
                progress.skip(block.cases)
            else:
                todo.append(block)
        if workers > 1:
            maker = _Makers(todo, country, now, seed, taken, workers)
        else:
            maker = _Maker(todo, country, now, seed, taken)
            maker.start()
        while True:
            waited = time.monotonic()
            item = maker.take()
            writing = time.monotonic()
            timing["waiting for the makers"] += writing - waited
            if item is None:
                break
            block, rows, stats = item
            head = rows.chain(head)
            _write(raw, rows, run.pk, block.number - first_block + 1, replica, counts)
            timing["writing (COPY and commit)"] += time.monotonic() - writing
            progress.add(block.cases, stats.juveniles, stats.rows)
    finally:
        if maker is not None:
            maker.stop()
        progress.note("building the indexes again")
        with transaction.atomic(), raw.cursor() as cursor:
            rebuilt = indexes.build_again(cursor, run.pk)
        timing["building the indexes"] = rebuilt
    with transaction.atomic(), raw.cursor() as cursor:
        _reset_sequences(cursor)
        cursor.execute(
            "UPDATE demo_generatorrun SET finished_at = %s WHERE id = %s", (timezone.now(), run.pk)
        )
    progress.note("analysing the tables")
    analysed = time.monotonic()
    with raw.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"ANALYZE {table}")  # fresh statistics for the benchmarks
            if done_before:  # this run wrote only some of the rows: count them all
                cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - our names
                counts[table] = cursor.fetchone()[0]
    timing["analysing"] = time.monotonic() - analysed
    progress.close()
    return Result(
        run.pk,
        len(plan.blocks),
        done_before,
        plan.cases,
        progress.persons,
        progress.rows,
        progress.elapsed,
        {table: counts.get(table, 0) for table in TABLES},
        rebuilt,
        dict(timing),
    )
