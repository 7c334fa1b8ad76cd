"""Published score thresholds (MCIDs, severity cut-offs, DLQI bands), read from data, never hard-coded."""

from __future__ import annotations

from dmjak.data import load_table


def threshold(measure: str, name: str) -> float:
    """The value of threshold ``name`` for ``measure`` from ``data/score_thresholds.csv``."""
    table = load_table("score_thresholds")
    match = table[(table["measure"] == measure) & (table["threshold"] == name)]
    if match.empty:
        known = sorted(table.loc[table["measure"] == measure, "threshold"])
        raise KeyError(f"No threshold {name!r} for {measure!r}; known: {known}")
    return float(match["value"].iloc[0])
