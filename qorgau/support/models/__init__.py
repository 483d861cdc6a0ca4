"""Social-psychological accompaniment: one module per part, re-exported here for Django."""

from qorgau.support.models.assessment import *  # noqa: F403
from qorgau.support.models.plan import *  # noqa: F403
from qorgau.support.models.portrait import *  # noqa: F403
