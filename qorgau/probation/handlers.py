from typing import Any

from qorgau.accounts.models import User
from qorgau.probation.services import receive_sentence
from qorgau.proceedings.models import ProceduralEvent


def on_event_recorded(sender: Any, event: ProceduralEvent, actor: User, **kwargs: Any) -> None:
    """A judgment taking effect hands the minor to probation, in the event's transaction."""
    receive_sentence(event=event, actor=actor)
