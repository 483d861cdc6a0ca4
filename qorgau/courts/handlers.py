from typing import Any

from qorgau.accounts.models import User
from qorgau.courts.services import link_judgment, open_criminal_case
from qorgau.proceedings.models import ProceduralEvent


def on_event_recorded(sender: Any, event: ProceduralEvent, actor: User, **kwargs: Any) -> None:
    """In the event's transaction: an approved indictment brings the minor's track into the
    court as its case; a judgment becomes that case's outcome."""
    open_criminal_case(event=event, actor=actor)
    link_judgment(event=event, actor=actor)
