"""A progress line on stderr: share done, persons/s, rows/s and the time left."""

import sys
import time
from typing import TextIO


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}h{minutes:02d}m{seconds:02d}s" if hours else f"{minutes}m{seconds:02d}s"


class Progress:
    def __init__(self, total_cases: int, stream: TextIO | None = None, every: float = 0.5) -> None:
        self.total = max(total_cases, 1)
        self.stream = stream if stream is not None else sys.stderr
        self.every = every
        self.started = time.monotonic()
        self.shown = 0.0
        self.cases = self.persons = self.rows = 0
        self.skipped = 0  # cases of chunks done by an earlier, interrupted run

    def skip(self, cases: int) -> None:
        self.skipped += cases

    def add(self, cases: int, persons: int, rows: int) -> None:
        self.cases += cases
        self.persons += persons
        self.rows += rows
        now = time.monotonic()
        if now - self.shown >= self.every or self.cases + self.skipped >= self.total:
            self.shown = now
            self.show(now)

    def show(self, now: float) -> None:
        elapsed = max(now - self.started, 1e-6)
        done = self.cases + self.skipped
        rate = self.cases / elapsed
        left = (self.total - done) / rate if rate else 0.0
        width = 24
        filled = int(width * done / self.total)
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {100 * done / self.total:5.1f}% "
            f"{done:,}/{self.total:,} cases | {self.persons / elapsed:,.0f} persons/s | "
            f"{self.rows / elapsed:,.0f} rows/s | {_duration(elapsed)} spent, "
            f"{_duration(left)} left "
        )
        self.stream.flush()

    def note(self, what: str) -> None:
        """What the load does after the last block (no rate to show)."""
        if self.every == float("inf"):
            return
        self.stream.write(f"\n{what} ({_duration(self.elapsed)} spent)")
        self.stream.flush()

    def close(self) -> None:
        self.show(time.monotonic())
        self.stream.write("\n")
        self.stream.flush()

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started
