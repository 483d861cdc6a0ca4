from typing import Any

from qorgau.accounts.models import User
from qorgau.mediation.services import link_termination
from qorgau.proceedings.models import ProceduralEvent


def on_event_recorded(sender: Any, event: ProceduralEvent, actor: User, **kwargs: Any) -> None:
    """A termination on reconciliation links the minor's signed agreement, in its transaction."""
    link_termination(event=event, actor=actor)
