"""Where a total EULAR/ACR 2017 score falls against the published thresholds (the items are not scored here)."""

from __future__ import annotations

import pandas as pd


def classify_score(score: float, biopsy: bool, thresholds: pd.DataFrame) -> str:
    """'definite', 'probable' or 'below probable' for a total score, with or without biopsy items."""
    if not 0 <= score <= 20:
        raise ValueError(f"score {score} is outside the range 0 to 20")
    rows = thresholds[thresholds["muscle_biopsy"] == ("with" if biopsy else "without")]
    cut = rows.set_index("category")["min_score"]
    if score >= cut["definite"]:
        return "definite"
    if score >= cut["probable"]:
        return "probable"
    return "below probable"
