"""Audit 05 #2: a series-level statement is not a report about any one patient.

Patient 2's only reported outcome is the panniculitis; its CDASI, DLQI and interferon curves exist only
because the course assumes the series statements applied to patient 2. Every place that shows those curves
or their verdicts must say so.
"""

import json
from pathlib import Path

from dmjak.charts import cases as charts
from dmjak.data import load_table
from dmjak.models.reconstruction import build_trajectories, check_trajectory, load_assumptions, trajectory
from dmjak.widgets.cases import WhatIfExplorer

ROOT = Path(__file__).resolve().parents[1]


def test_verdicts_say_whose_statement_it_is():
    curve = trajectory(load_assumptions()["cdasi-fast"])
    checks = check_trajectory(curve, "P2").set_index("statement_id")
    assert "assumed to apply to P2" in checks.loc["S1", "applies"]
    assert "not say P2 was assessed" in checks.loc["S1", "applies"]
    assert checks.loc["S5", "applies"] == "reported for P2"
    own = check_trajectory(curve, "P1").set_index("statement_id")
    assert own.loc["S4", "applies"] == "reported for P1"


def test_every_curve_of_patients_2_and_3_is_marked_as_resting_on_the_series_assumption():
    shipped = load_table("trajectories")
    for patient in ["P2", "P3"]:
        rows = shipped[shipped["patient_id"] == patient]
        assert len(rows) and rows["basis"].str.startswith("assumption only").all(), patient
    p1 = shipped[shipped["patient_id"] == "P1"].groupby("measure")["basis"].first()
    assert p1["cdasi_activity"].startswith("P1's own reported statement (S4)")
    assert p1["dlqi"].startswith("assumption only")
    assert set(build_trajectories()["basis"]) == set(shipped["basis"])


def _texts(spec) -> str:
    return json.dumps(spec)


def test_patient_2_charts_name_the_assumption_in_subtitle_and_tooltip():
    curves, statements = load_table("trajectories"), load_table("outcome_statements")
    spec = charts.trajectory_chart(curves, statements, "cdasi_activity", "P2").to_dict()
    subtitle = " ".join(spec["title"]["subtitle"])
    assert "No time-bound outcome on CDASI v2 activity was reported for P2" in subtitle
    assert "assumes the series statement applied" in subtitle
    assert '"title": "Basis"' in _texts(spec)
    # patient 1's skin activity has its own reported statement: no such line
    own = charts.trajectory_chart(curves, statements, "cdasi_activity", "P1").to_dict()
    assert "No time-bound outcome" not in " ".join(own["title"]["subtitle"])
    grid = charts.small_multiples(curves).to_dict()
    assert "series statement" in " ".join(grid["title"]["subtitle"])
    assert '"title": "Basis"' in _texts(grid)


def test_what_if_list_says_the_series_statement_is_assumed_for_patient_2():
    explorer = WhatIfExplorer(
        load_table("trajectories"), load_table("outcome_statements"), load_assumptions(), patient="P2"
    ).show()
    assert "assumed to apply to P2" in explorer.status.value
    chart, _ = explorer.chart()
    assert "series ones, assumed to apply" in " ".join(chart.to_dict()["title"]["subtitle"])


def test_notebook_verdict_table_shows_whose_statement():
    cells = json.loads((ROOT / "notebooks" / "05_baricitinib_cases.ipynb").read_text())["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert '"applies"' in code and "Whose statement" in code


def test_course_rule_is_not_labelled_a_published_cut_off():
    """Audit 05 #5: the 'resolved' line is the course's own rule."""
    curves, statements = load_table("trajectories"), load_table("outcome_statements")
    spec = _texts(charts.trajectory_chart(curves, statements, "cdasi_activity", "P1").to_dict())
    assert "Course's own rule (not published)" in spec


def test_line_only_grid_does_not_promise_hollow_points():
    """Audit 05 #11: small_multiples draws lines only."""
    grid = charts.small_multiples(load_table("trajectories")).to_dict()
    assert not any("hollow points" in line for line in grid["title"]["subtitle"])


def test_patient_1_tofacitinib_is_drawn_after_methotrexate_and_adalimumab():
    """Audit 05 #7: the sources give an order (flare; methotrexate and adalimumab stopped; then tofacitinib)."""
    rows = charts.timeline_rows(load_table("treatments")).set_index(["patient_id", "drug"])
    tofacitinib = rows.loc[("P1", "tofacitinib")]
    for earlier in ["methotrexate", "adalimumab"]:
        assert rows.loc[("P1", earlier), "draw_end"] < tofacitinib["draw_start"], earlier
    assert tofacitinib["draw_end"] < 0
