"""Checks shared by the models and calculators: a bad input is refused by name, with its valid range.

NumPy turns NaN, infinity, a negative dose or a zero interval into a plausible-looking array without
complaint; these checks refuse such input before any arithmetic. ``True`` is not the number 1, and a
count or a seed must be a whole number.
"""

from __future__ import annotations

import math
import numbers

import numpy as np


class InputError(ValueError):
    """A model input is missing, not a number, not finite, or outside its valid range."""


def shown(value) -> str:
    """``repr(value)``, shortened if long (a 401-digit number would fill the message)."""
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:12]}...{text[-6:]} ({len(text)} characters)"


def finite(value) -> bool:
    """``math.isfinite``, except that an integer or fraction too large for a float is finite (and huge)."""
    try:
        return math.isfinite(value)
    except OverflowError:
        return True


def _range_text(low, high, low_open: bool, high_open: bool, unit: str) -> str:
    unit = f" {unit}" if unit else ""
    if low is not None and high is not None:
        return f"from {low}{' (exclusive)' if low_open else ''} to {high}{' (exclusive)' if high_open else ''}{unit}"
    if low is not None:
        return f"{'above' if low_open else 'at least'} {low}{unit}"
    if high is not None:
        return f"{'below' if high_open else 'at most'} {high}{unit}"
    return "any finite value"


def number(
    name: str,
    value,
    low: float | None = None,
    high: float | None = None,
    *,
    low_open: bool = False,
    high_open: bool = False,
    integer: bool = False,
    unit: str = "",
) -> float:
    """``value`` as a float (an int if ``integer``) if it is a finite number in range; otherwise ``InputError``."""
    kind = "a whole number" if integer else "a finite number"
    valid = f"valid: {kind} {_range_text(low, high, low_open, high_open, unit)}"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InputError(f"{name}={shown(value)} is not a number; {valid}")
    if not finite(value):
        raise InputError(f"{name}={value!r} is not finite; {valid}")
    if integer and value != int(value):
        raise InputError(f"{name}={value!r} is not a whole number; {valid}")
    too_low = low is not None and (value <= low if low_open else value < low)
    too_high = high is not None and (value >= high if high_open else value > high)
    if too_low or too_high:
        raise InputError(f"{name}={shown(value)} is out of range; {valid}")
    if integer:
        return int(value)
    try:
        return float(value)
    except OverflowError:  # an integer beyond the largest float, with no upper limit to stop it
        raise InputError(f"{name}={shown(value)} is too large for a float; {valid}") from None


def array(name: str, values, low: float | None = None, high: float | None = None, *, unit: str = "") -> np.ndarray:
    """``values`` as a float array if every element is finite and in range; otherwise ``InputError``."""
    valid = f"valid: finite numbers {_range_text(low, high, False, False, unit)}"
    if np.ma.is_masked(values):  # np.asarray would drop the mask and use the hidden values
        raise InputError(f"{name} has {int(np.ma.count_masked(values))} masked value(s); {valid}")
    try:
        raw = np.asarray(values)
        numeric = raw.dtype.kind in "iuf" or (
            raw.dtype.kind == "O" and all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in raw.flat)
        )  # True is not 1 hour, and "2" is text: neither is converted
        if not numeric:
            raise TypeError
        result = np.asarray(raw, dtype=float)
    except OverflowError:  # an integer beyond the largest float
        raise InputError(f"{name}={shown(values)} holds a number too large for a float; {valid}") from None
    except (TypeError, ValueError):
        raise InputError(f"{name}={shown(values)} is not numeric; {valid}") from None
    bad = ~np.isfinite(result)
    if low is not None:
        bad |= result < low
    if high is not None:
        bad |= result > high
    if bad.any():
        raise InputError(f"{name} has {int(bad.sum())} invalid value(s), e.g. {result[bad].flat[0]!r}; {valid}")
    return result
