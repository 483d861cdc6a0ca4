"""Demo data of the mediation part of the accompaniment, built through its services."""

import random

from qorgau.accounts.models import User


def load(staff: dict[str, User], rng: random.Random) -> None:
    """Called once the demo cases exist; `staff` maps each demo login to its user."""
