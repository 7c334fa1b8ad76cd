"""Reading a change in CDASI activity against published cut-offs (no item-level scoring: not sourced)."""

from __future__ import annotations

from dmjak.models.inputs import number
from dmjak.models.thresholds import threshold

# The course takes CDASI activity to run from 0 to 100. That maximum is inferred, not read in a cited
# source: the validation cohorts it cites only report observed scores of 0 to 48 (Anyanwu2015).
ACTIVITY_MAX_INFERRED = 100


def severity(activity: float) -> str:
    """Mild / moderate-to-severe by the two published cut-offs (Stanford <= 14; UPenn 19)."""
    activity = _activity("CDASI activity", activity)
    if activity <= threshold("cdasi_activity", "mild_max_stanford"):
        return "mild by both cut-offs"
    if activity < threshold("cdasi_activity", "mild_moderate_upenn"):
        return "between the cut-offs (mild at UPenn, not at Stanford)"
    return "moderate to severe by both cut-offs"


def direction(before: float, after: float) -> str:
    """Which way the score moved: a higher CDASI activity means more active skin disease."""
    if after < before:
        return "improvement"
    return "worsening" if after > before else "no change"


def verdict_messages() -> dict[str, str]:
    """The words of a change verdict, by case; ``verdict_lines`` and the chart's Vega verdict share them.

    The published MCIDs (4 at UPenn, 5 at Stanford) were set for improvement [Anyanwu2015], so a rise is
    compared with them as a size only.
    """
    low, high = threshold("cdasi_activity", "mcid_low"), threshold("cdasi_activity", "mcid_high")
    return {
        "none": "no change.",
        "better": "better (less active skin).",
        "worse": "WORSE (more active skin).",
        "none_mcid": "Nothing to judge against the MCID.",
        "better_both": f"A meaningful improvement: meets both published MCIDs ({low:g} and {high:g}).",
        "better_upenn": f"A meaningful improvement by the UPenn MCID ({low:g}), not Stanford's ({high:g}).",
        "better_small": f"Smaller than the MCID ({low:g}-{high:g}): not a meaningful improvement.",
        "worse_both": f"At least as large as a meaningful improvement (MCID {low:g}-{high:g}), the wrong way.",
        "worse_upenn": f"As large as the UPenn MCID ({low:g}), the wrong way.",
        "worse_small": f"Smaller than the MCID ({low:g}-{high:g}).",
    }


def verdict_case(before: float, after: float) -> tuple[str, str]:
    """(direction key, MCID key) of ``verdict_messages`` for a change from ``before`` to ``after``."""
    low, high = threshold("cdasi_activity", "mcid_low"), threshold("cdasi_activity", "mcid_high")
    change = after - before
    if change == 0:
        return "none", "none_mcid"
    way = "better" if change < 0 else "worse"
    size = abs(change)
    return way, f"{way}_{'both' if size >= high else 'upenn' if size >= low else 'small'}"


def verdict_lines(before: float, after: float) -> list[str]:
    """The change in two lines: its direction and size, then how it compares with the MCID."""
    words = verdict_messages()
    way, mcid = verdict_case(before, after)
    change = after - before
    return [f"Change: {'+' if change > 0 else ''}{change:g} points: {words[way]}", words[mcid]]


def change_verdict(before: float, after: float) -> str:
    """``verdict_lines`` as one sentence pair."""
    return " ".join(verdict_lines(before, after))


def interpret_change(before: float, after: float) -> dict:
    """The change, its direction, whether a fall reaches each published MCID (4 at UPenn, 5 at Stanford), and
    severities."""
    before, after = _activity("before", before), _activity("after", after)
    fall = before - after
    return {
        "before": before,
        "after": after,
        "change": after - before,
        "direction": direction(before, after),
        "verdict": change_verdict(before, after),
        "meets_mcid_upenn": fall >= threshold("cdasi_activity", "mcid_low"),
        "meets_mcid_stanford": fall >= threshold("cdasi_activity", "mcid_high"),
        "severity_before": severity(before),
        "severity_after": severity(after),
        "below_quality_of_life_floor": after <= threshold("cdasi_activity", "quality_of_life_floor"),
    }


def _activity(name: str, value) -> float:
    """A CDASI activity score from 0 to the inferred maximum of 100 (fractions allowed, to reason about cut-offs)."""
    return number(f"{name} (the maximum is inferred)", value, 0, ACTIVITY_MAX_INFERRED)
