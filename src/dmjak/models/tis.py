"""ACR/EULAR total improvement score (TIS) for adult DM and PM: read a score as a response category.

The TIS sums weighted improvements in six core set measures to a score from 0 to 100; 20, 40 and 60
points mark minimal, moderate and major improvement [Aggarwal2017]. The per-measure weights are in the
full paper, which the course has not read, so the course does not compute a TIS from the six measures:
it only reads a published or given TIS against the thresholds in ``data/score_thresholds.csv``.
"""

from __future__ import annotations

from numbers import Real

from dmjak.models.inputs import shown
from dmjak.models.thresholds import threshold

SCORE_RANGE = (0, 100)
CORE_SET_MEASURES = (
    "physician global activity",
    "patient global activity",
    "extramuscular global activity",
    "muscle strength (manual muscle testing)",
    "physical function (Health Assessment Questionnaire)",
    "muscle enzyme levels",
)
CATEGORIES = [  # (threshold name in score_thresholds.csv, category), highest first
    ("major_min", "major improvement"),
    ("moderate_min", "moderate improvement"),
    ("minimal_min", "minimal improvement"),
]
BELOW_MINIMAL = "less than minimal improvement"


class TISError(ValueError):
    """A value that is not a total improvement score; the message names the valid range."""


def check_score(score) -> float:
    """The score as a float, or a TISError naming the valid range 0 to 100."""
    low, high = SCORE_RANGE
    if isinstance(score, bool) or not isinstance(score, Real):
        raise TISError(f"a total improvement score is a number from {low} to {high}, not {shown(score)}")
    if score != score or not low <= score <= high:  # NaN fails the first test
        raise TISError(f"total improvement score {shown(score)} is outside the valid range {low} to {high}")
    return float(score)


def thresholds() -> dict[str, float]:
    """Category -> lowest TIS in that category, from the data table."""
    return {category: threshold("tis", name) for name, category in CATEGORIES}


def category(score) -> str:
    """The ACR/EULAR response category of a TIS (0-100): major, moderate, minimal or less than minimal."""
    value = check_score(score)
    for name, label in CATEGORIES:
        if value >= threshold("tis", name):
            return label
    return BELOW_MINIMAL
