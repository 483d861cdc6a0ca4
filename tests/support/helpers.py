"""Answer sets for the risk-needs instrument."""

from qorgau.support.instrument import library


def instrument():
    found = library().current("risk-needs")
    assert found is not None
    return found


def lowest(**overrides: str) -> dict[str, str]:
    """Every item answered with its lowest score, then the overrides (item id -> option id)."""
    answers = {item.id: item.options[0].id for item in instrument().items}
    answers.update(overrides)
    return answers


def highest(**overrides: str) -> dict[str, str]:
    answers = {item.id: item.options[-1].id for item in instrument().items}
    answers.update(overrides)
    return answers
