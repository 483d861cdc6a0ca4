from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qorgau.audit.verify import CHUNK, Result, verify_chain

WHAT = {
    "content": "its values do not give its hash (the row was changed)",
    "link": (
        "its link does not hold: prev_hash is not the hash of the row before it "
        "(a row before it was removed, inserted or changed together with its hash)"
    ),
    "sequence": (
        "its place in the chain does not follow the row before it "
        "(rows were removed and the chain after them hashed anew)"
    ),
}


def _age(result: Result) -> str:
    age = result.unsealed.oldest_age
    return "-" if age is None else f"{max(age.total_seconds(), 0):,.0f} s"


class Command(BaseCommand):
    help = (
        "Check the hash chain of the audit trail row by row in chain order (chain_seq), then "
        "count the rows not sealed yet. Exits 0 with the count and the head hash when the chain "
        "holds and no row waits for its seal longer than QORGAU_AUDIT_SEAL_MAX_DELAY; otherwise "
        "non-zero, naming the first broken row or the oldest unsealed one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--chunk", type=int, default=CHUNK, help="rows read per query (default %(default)s)"
        )
        parser.add_argument(
            "--progress", action="store_true", help="print the count and rate after each chunk"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        chunk = options["chunk"]
        if chunk < 1:
            raise CommandError("--chunk must be a positive number")

        def progress(rows: int, seconds: float) -> None:
            rate = rows / seconds if seconds else rows
            self.stdout.write(f"  {rows} rows checked, {rate:,.0f} rows/s")

        result = verify_chain(chunk=chunk, progress=progress if options["progress"] else None)
        rate = f"{result.rows_per_second:,.0f} rows/s"
        unsealed = result.unsealed
        waiting = (
            f"{unsealed.rows} rows not sealed yet, the oldest waiting {_age(result)} "
            f"(allowed {unsealed.max_age.total_seconds():,.0f} s)"
        )
        if result.broken is not None:
            broken = result.broken
            raise CommandError(
                f"verify-audit: the chain is broken at row {broken.id} "
                f"({broken.at.isoformat()}): {WHAT[broken.kind]}. "
                f"Expected {broken.expected}, found {broken.found}. "
                f"{result.rows} rows before it hold ({rate}). {waiting}."
            )
        holds = (
            f"the chain holds: {result.rows} rows in {result.seconds:.2f} s "
            f"({rate}); head: row {result.head_id or '-'}, hash {result.head_hash}"
        )
        if unsealed.overdue:
            raise CommandError(
                f"verify-audit: {holds}; but {waiting}: the sealer has stopped. "
                "Run `qorgau seal-audit` and find out why the sealing after commit did not run."
            )
        self.stdout.write(f"verify-audit: {holds}; {waiting}.")
