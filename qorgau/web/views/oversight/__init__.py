"""The prosecutor's oversight workspace: the dashboard, the violations and their answers."""

from qorgau.web.views.oversight.dashboard import dashboard
from qorgau.web.views.oversight.violations import (
    violation_answer,
    violation_detail,
    violation_list,
)

__all__ = ["dashboard", "violation_answer", "violation_detail", "violation_list"]
