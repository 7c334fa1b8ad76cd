"""Checks for papermill parameters, so a wrong value fails with the list of valid ones."""

from __future__ import annotations

from collections.abc import Iterable


class ParameterError(ValueError):
    """A notebook parameter has a value the notebook cannot use."""


def check_choice(name: str, value, valid: Iterable) -> object:
    """Return ``value`` if it is one of ``valid``; otherwise raise naming all valid values."""
    options = list(valid)
    if value not in options:
        raise ParameterError(f"Parameter {name}={value!r} is not valid; valid values: {options}")
    return value


def check_range(name: str, value: float, low: float, high: float) -> float:
    """Return ``value`` if ``low <= value <= high``; otherwise raise naming the range."""
    if not isinstance(value, int | float) or not low <= value <= high:
        raise ParameterError(f"Parameter {name}={value!r} is not valid; valid range: {low} to {high}")
    return value
