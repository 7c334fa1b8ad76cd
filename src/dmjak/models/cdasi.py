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


def interpret_change(before: float, after: float) -> dict:
    """The change, whether it reaches each published MCID (4 at UPenn, 5 at Stanford), and severities."""
    before, after = _activity("before", before), _activity("after", after)
    fall = before - after
    return {
        "before": before,
        "after": after,
        "change": after - before,
        "meets_mcid_upenn": fall >= threshold("cdasi_activity", "mcid_low"),
        "meets_mcid_stanford": fall >= threshold("cdasi_activity", "mcid_high"),
        "severity_before": severity(before),
        "severity_after": severity(after),
        "below_quality_of_life_floor": after <= threshold("cdasi_activity", "quality_of_life_floor"),
    }


def _activity(name: str, value) -> float:
    """A CDASI activity score from 0 to the inferred maximum of 100 (fractions allowed, to reason about cut-offs)."""
    return number(f"{name} (the maximum is inferred)", value, 0, ACTIVITY_MAX_INFERRED)
