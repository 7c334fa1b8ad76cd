"""Illustrative score trajectories for the three cases, and a check against what was reported.

The summaries of the publication that the course could read describe its outcomes only in words
("improved within 4 weeks", "resolved within 5 months"). To draw anything, the course reconstructs
a weekly curve from four named assumptions:

- ``baseline``: the value at week 0, justified from a published cohort or band (never from the patient);
- ``floor``: the value approached once the response is complete;
- ``shape``: ``exponential`` (most change early), ``linear`` (constant rate, floor reached at twice
  ``weeks_to_half``) or ``delayed`` (sigmoid: a slow start, then a fall);
- ``weeks_to_half``: the speed, as the week by which half of the improvement has happened.

``value(t) = baseline - (baseline - floor) * progress(t)``, where ``progress`` rises from 0 to 1.
``check_trajectory`` then tests a curve against every reported statement and says which held.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from dmjak.data import load_table
from dmjak.models.inputs import InputError, array, number
from dmjak.models.thresholds import threshold

WEEKS = np.arange(0, 27)  # about six months, weekly
SHAPES = ("exponential", "linear", "delayed")
MEASURES = ("cdasi_activity", "dlqi", "isg_score")
MEASURE_LABELS = {
    "cdasi_activity": "CDASI v2 activity (points)",
    "dlqi": "DLQI (points, 0-30)",
    "isg_score": "Interferon-stimulated genes (% of pre-treatment)",
}
MEASURE_MAX = {"cdasi_activity": 100, "dlqi": 30, "isg_score": 100}  # CDASI's 100 is inferred (see models.cdasi)
PATIENTS = ("P1", "P2", "P3")
HELD, VIOLATED, OPEN = "held", "violated", "open"


@dataclass(frozen=True)
class Assumptions:
    """One named set of reconstruction assumptions for one measure."""

    set_id: str
    measure: str
    baseline: float
    floor: float
    shape: str
    weeks_to_half: float
    label: str = ""

    def __post_init__(self):
        if self.measure not in MEASURES:
            raise ValueError(f"measure {self.measure!r} is not one of {MEASURES}")
        if self.shape not in SHAPES:
            raise ValueError(f"shape {self.shape!r} is not one of {SHAPES}")
        _weeks_to_half(self.weeks_to_half)
        top = MEASURE_MAX[self.measure]
        number("baseline", self.baseline, 0, top, unit=f"({self.measure})")
        number("floor", self.floor, 0, top, unit=f"({self.measure})")
        if not self.floor <= self.baseline:
            raise InputError(f"need 0 <= floor ({self.floor}) <= baseline ({self.baseline}) <= {top}")


def progress(weeks: np.ndarray, shape: str, weeks_to_half: float) -> np.ndarray:
    """Fraction of the improvement reached by each week: 0 at week 0, 0.5 at ``weeks_to_half``, -> 1."""
    t = array("weeks", weeks, 0, unit="weeks")
    weeks_to_half = _weeks_to_half(weeks_to_half)
    if shape == "exponential":
        return 1 - 0.5 ** (t / weeks_to_half)
    if shape == "linear":
        return np.clip(t / (2 * weeks_to_half), 0, 1)
    if shape == "delayed":
        return t**3 / (t**3 + weeks_to_half**3)
    raise ValueError(f"shape {shape!r} is not one of {SHAPES}")


def trajectory(assumptions: Assumptions, weeks: np.ndarray = WEEKS) -> pd.DataFrame:
    """Weekly illustrative values for one measure under ``assumptions``."""
    a = assumptions
    values = a.baseline - (a.baseline - a.floor) * progress(weeks, a.shape, a.weeks_to_half)
    return pd.DataFrame(
        {
            "measure": a.measure,
            "assumption_set": a.set_id,
            "week": np.asarray(weeks, dtype=int),
            "value": np.round(values, 2),
            "evidence": "illustrative",
        }
    )


def load_assumptions() -> dict[str, Assumptions]:
    """The shipped assumption sets (``data/reconstruction_assumptions.csv``), keyed by set id."""
    table = load_table("reconstruction_assumptions")
    return {
        r.set_id: Assumptions(
            r.set_id, r.measure, float(r.baseline), float(r.floor), r.shape, float(r.weeks_to_half), r.label
        )
        for r in table.itertuples()
    }


def reported_horizon(patient_id: str, measure: str, statements: pd.DataFrame | None = None) -> float:
    """The latest week by which something was reported that binds this patient's ``measure`` (0 if none).

    A curve drawn past it would show an outcome nobody reported: patient 2's skin after week 4, for one,
    of which the summaries say nothing (only the panniculitis outcome is reported).
    """
    statements = load_table("outcome_statements") if statements is None else statements
    bounds = statements_for(patient_id, statements)
    bounds = bounds.loc[bounds["measure"] == measure, "bound_weeks"].dropna()
    return float(bounds.max()) if len(bounds) else 0.0


def build_trajectories() -> pd.DataFrame:
    """Every shipped trajectory: each patient x each assumption set (the content of trajectories.csv).

    The summaries give no patient-specific numbers, so the same assumption sets apply to all three
    patients: drawing them differently would invent a difference nobody reported. Each curve stops at
    its patient's ``reported_horizon`` for the measure: week 4 (the series statements) except patient 1's
    skin activity, whose resolution was reported within 5 months.
    """
    sources = load_table("reconstruction_assumptions").set_index("set_id")["source"]
    statements = load_table("outcome_statements")
    frames = []
    for patient in PATIENTS:
        for a in load_assumptions().values():
            weeks = WEEKS[WEEKS <= reported_horizon(patient, a.measure, statements)]
            frame = trajectory(a, weeks)
            frame.insert(0, "patient_id", patient)
            frame["source"] = sources[a.set_id]
            frame["basis"] = curve_basis(patient, a.measure, statements)
            frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def statements_for(patient_id: str, statements: pd.DataFrame) -> pd.DataFrame:
    """The statements that bind ``patient_id``: its own plus the series-level ones.

    Series-level statements (e.g. 'CDASI improved within 4 weeks') do not name patients, and the summaries
    do not say which patients were assessed. The course assumes they held for each of the three; every
    curve and verdict that rests on that assumption says so (``curve_basis``, ``applies``).
    """
    return statements[statements["patient_id"].isin([patient_id, "series"])]


def rests_on_series_only(patient_id: str, measure: str, statements: pd.DataFrame) -> bool:
    """True when nothing time-bound was reported about this patient's ``measure`` itself.

    Such a curve exists only because a series-level statement is assumed to apply to the patient.
    """
    own = statements[(statements["patient_id"] == patient_id) & (statements["measure"] == measure)]
    return own["bound_weeks"].dropna().empty


def series_note(patient_id: str) -> str:
    """What a series-level statement is, for one patient: an assumption, not a report about them."""
    return f"series statement, assumed to apply to {patient_id} (the summaries do not say {patient_id} was assessed)"


def curve_basis(patient_id: str, measure: str, statements: pd.DataFrame) -> str:
    """In words, what a curve of this patient's ``measure`` rests on (shown in tables and tooltips)."""
    series = statements[(statements["patient_id"] == "series") & (statements["measure"] == measure)]
    ids = "/".join(series["statement_id"])
    own = statements[(statements["patient_id"] == patient_id) & (statements["measure"] == measure)]
    own_ids = "/".join(own["statement_id"])
    if not rests_on_series_only(patient_id, measure, statements):
        return f"{patient_id}'s own reported statement ({own_ids}); to week 4, {ids} is a {series_note(patient_id)}"
    why = (
        f"{patient_id}'s own statement ({own_ids}) gives no time"
        if len(own)
        else f"nothing was reported for {patient_id} on this measure"
    )
    return f"assumption only: {why}; {ids} is a {series_note(patient_id)}"


def _value_at(curve: pd.DataFrame, week: float) -> tuple[int, float]:
    """Value at the last weekly point not later than ``week``."""
    point = curve[curve["week"] <= week].iloc[-1]
    return int(point["week"]), float(point["value"])


def check_statement(statement, curve: pd.DataFrame) -> tuple[str, str]:
    """(status, detail) for one statement against one measure's weekly curve."""
    base = float(curve.loc[curve["week"] == 0, "value"].iloc[0])
    if pd.isna(statement.bound_weeks):
        return OPEN, "no time bound was reported, so no curve can violate it"
    week, value = _value_at(curve, statement.bound_weeks)
    if statement.direction == "improved":
        mcid = threshold(statement.measure, "mcid_high" if statement.measure == "cdasi_activity" else "mcid")
        fall = base - value
        status = HELD if fall >= mcid else VIOLATED
        return status, f"fell {fall:.1f} points by week {week} (needs at least {mcid:g})"
    if statement.direction == "fell":
        status = HELD if value < base else VIOLATED
        return status, f"week {week}: {value:.1f} vs {base:.1f} at baseline"
    if statement.direction == "resolved":
        limit = threshold("cdasi_activity", "quality_of_life_floor")
        status = HELD if value <= limit else VIOLATED
        return status, f"week {week}: {value:.1f} (resolved means at most {limit:g})"
    raise ValueError(f"statement {statement.statement_id}: unknown direction {statement.direction!r}")


def check_trajectory(curves: pd.DataFrame, patient_id: str, statements: pd.DataFrame | None = None) -> pd.DataFrame:
    """Check one patient's curves (one or more measures) against every statement that binds them.

    Returns one row per statement: statement_id, measure, bound, paraphrase, status, detail, applies
    (whether the statement was reported for this patient or is a series statement assumed to apply); status is
    ``held``, ``violated`` or ``open`` (no time bound, or an outcome no course score reconstructs, such as
    patient 2's panniculitis). Statements on reconstructed measures without a curve here are skipped.
    """
    statements = load_table("outcome_statements") if statements is None else statements
    rows = []
    for s in statements_for(patient_id, statements).itertuples():
        if s.measure not in MEASURES:
            status, detail = OPEN, f"no {s.measure} score is reconstructed; only the words of the report can be checked"
        else:
            curve = curves[curves["measure"] == s.measure].sort_values("week")
            if curve.empty:
                continue
            status, detail = check_statement(s, curve)
        rows.append(
            {
                "statement_id": s.statement_id,
                "patient_id": s.patient_id,
                "measure": s.measure,
                "bound": s.bound,
                "paraphrase": s.paraphrase,
                "status": status,
                "detail": detail,
                "applies": series_note(patient_id) if s.patient_id == "series" else f"reported for {patient_id}",
            }
        )
    return pd.DataFrame(
        rows, columns=["statement_id", "patient_id", "measure", "bound", "paraphrase", "status", "detail", "applies"]
    )


def describe(assumptions: Assumptions) -> dict:
    """The assumptions as a plain dict (for tables and tooltips)."""
    return asdict(assumptions)


def _weeks_to_half(value) -> float:
    return number("weeks_to_half", value, 0.25, 52, unit="weeks")
