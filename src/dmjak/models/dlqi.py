"""DLQI scoring: ten items scored 0-3 -> total 0-30, the Hongbo band, and whether a change is meaningful.

Items are identified by number and domain only (``data/dlqi_items.csv``); the questionnaire's wording is
copyright of its authors and is not reproduced. Bands and the MCID come from ``data/score_thresholds.csv``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from numbers import Integral, Real

from dmjak.models.thresholds import threshold

ITEMS = range(1, 11)
BANDS = [  # (upper bound threshold name, label), Hongbo2005
    ("band_no_effect_max", "no effect on the patient's life"),
    ("band_small_max", "small effect"),
    ("band_moderate_max", "moderate effect"),
    ("band_very_large_max", "very large effect"),
]


class DLQIError(ValueError):
    """A DLQI response set cannot be scored; the message names the item."""


def _as_mapping(scores) -> Mapping:
    if isinstance(scores, Mapping):
        return scores
    if isinstance(scores, Sequence) and not isinstance(scores, (str, bytes, bytearray)):
        if len(scores) != 10:
            raise DLQIError(f"expected 10 item scores, got {len(scores)}")
        return dict(zip(ITEMS, scores, strict=True))
    raise DLQIError(f"expected 10 item scores as a list or an item -> score mapping, got {type(scores).__name__}")


def validate(scores) -> dict[int, int]:
    """The ten item scores as {item: score}, or a DLQIError naming the first bad item."""
    mapping = _as_mapping(scores)
    unknown = sorted((k for k in mapping if isinstance(k, bool) or k not in ITEMS), key=repr)  # True is not item 1
    if unknown:
        raise DLQIError(f"unknown item number(s) {unknown}; DLQI items are numbered 1 to 10")
    clean = {}
    for item in ITEMS:
        if item not in mapping or mapping[item] is None:
            raise DLQIError(f"item {item} is missing: every one of the 10 items needs a score from 0 to 3")
        value = mapping[item]
        if isinstance(value, bool) or not isinstance(value, Integral):
            if isinstance(value, Real) and not isinstance(value, bool) and float(value).is_integer():
                value = int(value)  # 2.0, np.float32(2.0), Fraction(2): a whole score written as another number
            else:
                raise DLQIError(f"item {item} has the non-integer score {value!r}; allowed scores are 0, 1, 2, 3")
        if not 0 <= value <= 3:
            raise DLQIError(f"item {item} has the score {value}, outside 0 to 3")
        clean[item] = int(value)
    return clean


def total(scores) -> int:
    """DLQI total, 0 to 30."""
    return sum(validate(scores).values())


def band(score_total: int) -> str:
    """Hongbo 2005 meaning of a total (0-1, 2-5, 6-10, 11-20, 21-30)."""
    if isinstance(score_total, bool) or not isinstance(score_total, Integral) or not 0 <= score_total <= 30:
        raise DLQIError(f"a DLQI total is a whole number from 0 to 30, got {score_total!r}")
    for name, label in BANDS:
        if score_total <= threshold("dlqi", name):
            return label
    return "extremely large effect"


def change(before, after) -> dict:
    """Totals, bands, the direction of the change and whether it is at least the MCID of 4 points.

    Basra2015 derived the MCID from patients who felt a small change either way, so a rise of 4 or more
    is a meaningful worsening just as a fall of 4 or more is a meaningful improvement.
    """
    t0, t1 = total(before), total(after)
    mcid = threshold("dlqi", "mcid")
    return {
        "before": t0,
        "after": t1,
        "change": t1 - t0,
        "band_before": band(t0),
        "band_after": band(t1),
        "meaningful_improvement": t0 - t1 >= mcid,
        "meaningful_worsening": t1 - t0 >= mcid,
        "verdict": verdict(t0, t1),
        "mcid": mcid,
    }


def verdict(total_before: int, total_after: int) -> str:
    """A change in words: which way the quality of life moved and whether by the MCID (higher = worse)."""
    mcid = threshold("dlqi", "mcid")
    moved = total_after - total_before
    if moved == 0:
        return "no change"
    way = "improvement" if moved < 0 else "worsening"
    if abs(moved) >= mcid:
        return f"a meaningful {way} (at least the MCID of {mcid:g})"
    return f"a {way} smaller than the MCID of {mcid:g}: not a meaningful {way}"
