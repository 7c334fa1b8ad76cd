"""Illustrative trajectories: the model, the shipped data, and the check against reported statements."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dmjak.data import load_table
from dmjak.models.reconstruction import (
    PATIENTS,
    SHAPES,
    Assumptions,
    build_trajectories,
    check_trajectory,
    load_assumptions,
    progress,
    trajectory,
)
from dmjak.models.thresholds import threshold


@pytest.mark.parametrize("shape", SHAPES)
def test_progress_starts_at_zero_is_half_at_weeks_to_half_and_never_reverses(shape):
    weeks = np.arange(0, 53)
    p = progress(weeks, shape, 4)
    assert p[0] == 0 and p[4] == pytest.approx(0.5)
    assert np.all(np.diff(p) >= 0) and p[-1] <= 1


def test_trajectory_runs_from_baseline_towards_floor():
    curve = trajectory(Assumptions("t", "dlqi", baseline=15, floor=1, shape="exponential", weeks_to_half=3))
    assert curve["value"].iloc[0] == 15 and curve["value"].iloc[3] == pytest.approx(8)
    assert curve["value"].min() >= 1 and set(curve["evidence"]) == {"illustrative"}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"floor": 30, "baseline": 20}, "floor"),
        ({"shape": "zigzag"}, "shape"),
        ({"weeks_to_half": 0}, "weeks_to_half"),
        ({"measure": "cdasi_damage"}, "measure"),
    ],
)
def test_assumptions_refuse_impossible_values(kwargs, message):
    values = {"set_id": "x", "measure": "dlqi", "baseline": 15, "floor": 1, "shape": "linear", "weeks_to_half": 3}
    with pytest.raises(ValueError, match=message):
        Assumptions(**{**values, **kwargs})


def test_shipped_trajectories_are_exactly_what_the_assumptions_produce():
    shipped = load_table("trajectories")
    rebuilt = build_trajectories()
    pd.testing.assert_frame_equal(
        shipped.astype({"value": float, "week": int}).reset_index(drop=True),
        rebuilt.astype({"value": float, "week": int}).reset_index(drop=True),
        check_dtype=False,
    )


def test_every_shipped_trajectory_row_is_illustrative_with_an_assumption_set():
    shipped = load_table("trajectories")
    assert set(shipped["evidence"]) == {"illustrative"}
    assert set(shipped["assumption_set"]) == set(load_assumptions())
    assert set(shipped["patient_id"]) == set(PATIENTS)


def test_every_baseline_rests_on_a_stated_published_basis():
    table = load_table("reconstruction_assumptions").set_index("set_id")
    for column in ["baseline_basis", "floor_basis", "shape_basis"]:
        assert table[column].str.len().min() > 40, column
    assert (table["source"] == "CourseReconstruction2026").all()
    cdasi = table[table["measure"] == "cdasi_activity"]
    # Within the published range of baseline CDASI activity (0-48 in the validation cohorts).
    assert cdasi["baseline"].between(0, 48).all()
    dlqi = table[table["measure"] == "dlqi"]
    low, high = threshold("dlqi", "band_moderate_max") + 1, threshold("dlqi", "band_very_large_max")
    assert dlqi["baseline"].between(low, high).all(), "DLQI baseline lies in the 'very large effect' band"


def test_every_shipped_trajectory_satisfies_every_reported_statement():
    shipped = load_table("trajectories")
    for (patient, set_id), curve in shipped.groupby(["patient_id", "assumption_set"]):
        result = check_trajectory(curve, patient)
        assert not result.empty
        assert set(result["status"]) <= {"held", "open"}, (patient, set_id, result)


def test_a_deliberately_wrong_trajectory_fails_the_check():
    flat = trajectory(Assumptions("flat", "cdasi_activity", 28, 27, "linear", 20))
    result = check_trajectory(flat, "P1").set_index("statement_id")
    assert result.loc["S1", "status"] == "violated"  # no MCID-sized fall by week 4
    assert result.loc["S4", "status"] == "violated"  # not resolved within 5 months
    slow_isg = trajectory(Assumptions("up", "isg_score", 100, 100, "linear", 4))
    assert check_trajectory(slow_isg, "P2").set_index("statement_id").loc["S3", "status"] == "violated"


def test_just_below_the_mcid_is_violated_and_just_above_held():
    statements = load_table("outcome_statements")
    mcid = threshold("cdasi_activity", "mcid_high")
    for fall, expected in [(mcid - 0.2, "violated"), (mcid + 0.2, "held")]:
        curve = pd.DataFrame({"measure": "cdasi_activity", "week": [0, 4], "value": [28, 28 - fall]})
        status = check_trajectory(curve, "P3", statements).set_index("statement_id").loc["S1", "status"]
        assert status == expected


def test_patient_3_resolution_is_open_and_series_statements_bind_every_patient():
    curve = trajectory(load_assumptions()["cdasi-fast"])
    p3 = check_trajectory(curve, "P3").set_index("statement_id")
    assert p3.loc["S6", "status"] == "open" and "S4" not in p3.index
    for patient in PATIENTS:
        assert "S1" in set(check_trajectory(curve, patient)["statement_id"])
