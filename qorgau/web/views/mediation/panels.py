"""What this area shows beside a minor's timeline and on the Today page."""

from qorgau.accounts.models import User
from qorgau.proceedings.models import Accused, Proceeding
from qorgau.web.views.common import Panel


def case_panel(user: User, case: Proceeding, accused: Accused) -> Panel | None:
    return None


def home_panel(user: User) -> Panel | None:
    return None
