from typing import Any

from qorgau.proceedings.models import ProceduralEvent
from qorgau.safeguards.services import evaluate


def on_event_recorded(sender: Any, event: ProceduralEvent, **kwargs: Any) -> None:
    """Check the minor's safeguards in the same transaction as the event: none is ever missed."""
    evaluate(event.accused)
