"""Audit rows shaped as `qorgau.audit.services.record` writes them.

The one place that builds an audit row: a change to the audit table (a hash chain, a new
column) is made here and in the table's column list in tables.TABLES.
"""

import datetime
import random
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from qorgau.audit.events import EVENTS

ALMATY = ZoneInfo("Asia/Almaty")

USER_AGENTS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0.0.0 YaBrowser/24.12 Safari/537.36",
)


@dataclass(frozen=True)
class Actor:
    """A staff member as the audit row names them (or the system, id None)."""

    id: int | None
    name: str
    agency: str  # the agency's name as str(agency) gives it in Kazakh
    ip: str | None = None


SYSTEM = Actor(None, "system", "")


def local_time(moment: datetime.datetime, pattern: str = "%d.%m.%Y %H:%M") -> str:
    """proceedings.services.common.local with the kk formats (d.m.Y H:i)."""
    return moment.astimezone(ALMATY).strftime(pattern)


def plain(value: Any) -> Any:
    """As audit.services._plain: ids for records, JSON scalars as they are, else text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def row(
    *,
    id: int,
    at: datetime.datetime,
    actor: Actor,
    action: str,
    subject: tuple[str, Any, str] | None = None,
    changes: dict[str, tuple[Any, Any]] | None = None,
    details: dict[str, Any] | None = None,
    channel: str = "web",
    rng: random.Random | None = None,
) -> tuple[Any, ...]:
    """One audit_auditevent row; `subject` is (label_lower of the model, pk, str(record))."""
    if action not in EVENTS:
        raise ValueError(f"Unknown audit event code {action!r}")
    changes = changes or {}
    subject_type, subject_id, label = subject if subject else ("", "", "")
    web = channel in ("web", "api")
    user_agent = (rng.choice(USER_AGENTS) if rng else USER_AGENTS[0]) if channel == "web" else ""
    return (
        id,
        at,
        actor.name,
        actor.agency,
        action,
        subject_type,
        str(subject_id),
        str(label)[:255],
        sorted(changes),
        {name: [plain(old), plain(new)] for name, (old, new) in changes.items()},
        details or {},
        channel,
        actor.ip if web else None,
        user_agent if web else "",
        actor.id,
    )


def local_day(moment: datetime.datetime) -> datetime.date:
    """The day in Kazakhstan (Asia/Almaty) a moment falls on."""
    return moment.astimezone(ALMATY).date()
