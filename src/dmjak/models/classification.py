"""Where a total EULAR/ACR 2017 score falls against the published thresholds (the items are not scored here)."""

from __future__ import annotations

import pandas as pd

from dmjak.models.inputs import InputError, number


def classify_score(score: float, biopsy: bool, thresholds: pd.DataFrame) -> str:
    """'definite', 'probable' or 'below probable' for a total score, with or without biopsy items."""
    score = number("score", score, 0, 20)
    if not isinstance(biopsy, bool):
        raise InputError(f"biopsy={biopsy!r} is not valid; valid: True (biopsy items scored) or False")
    rows = thresholds[thresholds["muscle_biopsy"] == ("with" if biopsy else "without")]
    cut = rows.set_index("category")["min_score"]
    if score >= cut["definite"]:
        return "definite"
    if score >= cut["probable"]:
        return "probable"
    return "below probable"
