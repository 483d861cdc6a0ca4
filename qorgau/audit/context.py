"""Where the current request comes from, for the audit rows that services write."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Origin:
    channel: str  # web, api, cli, system
    ip_address: str | None = None
    user_agent: str = ""
    path: str = ""


SYSTEM = Origin(channel="system")
current_origin: ContextVar[Origin] = ContextVar("current_origin", default=SYSTEM)
