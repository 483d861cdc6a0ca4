"""Settings for the test suite and type checking: the real settings with QORGAU_TESTING on."""

import os

os.environ["QORGAU_TESTING"] = "true"

from qorgau.settings import *  # noqa: F403
