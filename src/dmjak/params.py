"""Checks for papermill parameters, so a wrong value fails with the list of valid ones."""

from __future__ import annotations

from collections.abc import Iterable


class ParameterError(ValueError):
    """A notebook parameter has a value the notebook cannot use."""


def check_choice(name: str, value, valid: Iterable) -> None:
    """Raise, naming all valid values, unless ``value`` is one of ``valid``.

    Returns nothing, so a check on a notebook's last line prints nothing under it.
    """
    options = list(valid)
    if value not in options:
        raise ParameterError(f"Parameter {name}={value!r} is not valid; valid values: {options}")


def check_range(name: str, value: float, low: float, high: float) -> None:
    """Raise, naming the range, unless ``low <= value <= high`` (returns nothing, like ``check_choice``)."""
    if not isinstance(value, int | float) or not low <= value <= high:
        raise ParameterError(f"Parameter {name}={value!r} is not valid; valid range: {low} to {high}")
