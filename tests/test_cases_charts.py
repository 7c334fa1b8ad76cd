"""Case charts: illustrative values are drawn distinctly everywhere; every chart is accessible."""

from __future__ import annotations

import pytest
from chart_spec import assert_accessible, dash_scales, views, walk

from dmjak.charts import cases as charts
from dmjak.charts.cases import whatif_chart, whatif_data
from dmjak.charts.shared import cdasi_effects_chart, rates_chart
from dmjak.charts.style import EVIDENCE_DASH, EVIDENCE_LEGEND_TITLE
from dmjak.data import load_table
from dmjak.models.reconstruction import Assumptions, check_trajectory, trajectory
from dmjak.models.simulation import regression_summary, regression_to_the_mean


@pytest.fixture(scope="module")
def tables():
    return {name: load_table(name) for name in ("treatments", "events", "outcome_statements", "trajectories")}


def assert_illustrative_drawn_dashed(spec):
    scales = dash_scales(spec, "evidence")
    assert scales, "stroke dash is encoded by evidence"
    for dash in scales:
        domain, dashes = dash["scale"]["domain"], dash["scale"]["range"]
        assert dashes[domain.index("illustrative")] == EVIDENCE_DASH["illustrative"] != [1, 0]
        assert dash["legend"]["title"] == EVIDENCE_LEGEND_TITLE


@pytest.mark.parametrize("measure", ["cdasi_activity", "dlqi", "isg_score"])
@pytest.mark.parametrize("patient", ["all", "P1", "P3"])
def test_trajectory_chart_marks_reconstructions(tables, measure, patient):
    spec = assert_accessible(
        charts.trajectory_chart(tables["trajectories"], tables["outcome_statements"], measure, patient)
    )
    assert_illustrative_drawn_dashed(spec)
    points = [v for v in views(spec) if isinstance(v["mark"], dict) and v["mark"].get("type") == "point"]
    assert points and all(p["mark"]["filled"] is False for p in points), "illustrative points are hollow"
    assert "illustrative reconstruction" in str(spec["title"])


def test_trajectory_chart_shows_reported_statements_and_published_cutoffs(tables):
    spec = charts.trajectory_chart(
        tables["trajectories"], tables["outcome_statements"], "cdasi_activity", "P1"
    ).to_dict()
    text = str(spec)
    assert "P1: resolved within 5 months" in text and "all: improved by week 4" in text
    assert "14: mild at Stanford" in text and "19: mild vs moderate at UPenn" in text
    assert "MCID (5)" in text


def test_hiding_illustrative_values_leaves_no_values(tables):
    spec = charts.trajectory_chart(
        tables["trajectories"], tables["outcome_statements"], "dlqi", "P2", show_illustrative=False
    ).to_dict()
    assert "none exist" in str(spec["title"])
    curve_data = [d for name, d in spec["datasets"].items() if d and "assumption_set" in d[0]]
    assert curve_data == [] or all(len(d) == 0 for d in curve_data)


def test_small_multiples_and_explorer_mark_reconstructions(tables):
    for chart in (
        charts.small_multiples(tables["trajectories"]),
        charts.explorer_chart(tables["treatments"], tables["trajectories"]),
    ):
        spec = chart.to_dict()
        assert spec["title"] and spec["description"]
        assert_illustrative_drawn_dashed(spec)


def test_explorer_interactions_live_in_vega(tables):
    spec = charts.explorer_chart(tables["treatments"], tables["trajectories"], "P2").to_dict()
    params = {p["name"]: p for d in walk(spec) for p in d.get("params", []) if isinstance(p, dict) and "name" in p}
    assert params["window"]["select"]["type"] == "interval"
    assert params["patient"]["value"] == "P2" and params["patient"]["bind"]["input"] == "select"
    assert params["measure"]["bind"]["input"] == "select"
    assert params["show_illustrative"]["bind"]["input"] == "checkbox"
    assert spec["vconcat"][1]["layer"][0]["encoding"]["x"]["scale"]["domain"] == {"param": "window"}


def test_timeline_draws_unreported_dates_differently(tables):
    rows = charts.timeline_rows(tables["treatments"])
    assert (rows.loc[rows["drug"] != "baricitinib", "timing"] == "dates not reported").all()
    spec = assert_accessible(charts.timeline_chart(tables["treatments"], tables["events"], "all"))
    bars = [v for v in views(spec) if isinstance(v["mark"], dict) and v["mark"].get("type") == "bar"][0]
    opacity = bars["encoding"]["opacity"]["scale"]
    assert opacity["range"][opacity["domain"].index("dates not reported")] < 0.5
    assert "dates not reported" in str(spec)


def test_whatif_chart_colours_and_dashes_statement_status(tables):
    curve = trajectory(Assumptions("w", "cdasi_activity", 28, 10, "linear", 10))
    checks = check_trajectory(curve, "P1", tables["outcome_statements"])
    reference = tables["trajectories"].query("patient_id == 'P1' and assumption_set == 'cdasi-fast'")
    spec = assert_accessible(whatif_chart(whatif_data(curve, reference, checks, tables["outcome_statements"])))
    assert_illustrative_drawn_dashed(spec)
    assert "satisfies 0 of 2" in str(spec["title"])
    assert dash_scales(spec, "status"), "statement status has a second channel besides colour"


@pytest.mark.parametrize("builder", ["effects", "rates", "regression"])
def test_context_charts_are_accessible(builder):
    chart = {
        "effects": lambda: cdasi_effects_chart(load_table("cdasi_effects"), 4, 5, "t", "s"),
        "rates": lambda: rates_chart(load_table("safety_rates")),
        "regression": lambda: charts.regression_chart(regression_summary(regression_to_the_mean())),
    }[builder]()
    spec = assert_accessible(chart)
    if builder == "regression":
        assert "SIMULATED" in str(spec["title"])


def test_regression_simulation_is_seeded_and_shows_regression_to_the_mean():
    first, again = regression_to_the_mean(seed=7), regression_to_the_mean(seed=7)
    assert first.equals(again) and not first.equals(regression_to_the_mean(seed=8))
    summary = regression_summary(first).pivot(index="group", columns="visit", values="mean_score")
    flare = summary.loc["picked at a flare"]
    assert flare["four weeks later"] < flare["first visit"] - 2
    assert set(first["evidence"]) == {"simulated"}


@pytest.mark.parametrize(
    ("outcome", "trials"),
    [("herpes zoster", "rheumatoid arthritis trials"), ("herpes simplex", "atopic dermatitis trials")],
)
def test_rates_chart_title_names_the_trials_the_rates_come_from(outcome, trials):
    rates = load_table("safety_rates")
    title = rates_chart(rates, outcome).to_dict()["title"]["text"]
    # audit 03-r4, F22: a chart that draws a placebo bar says so in its title
    placebo = (rates.query("outcome == @outcome")["group"] == "placebo").any()
    arms = "with baricitinib and placebo" if placebo else "on baricitinib"
    assert title == f"{outcome.capitalize()} {arms} in {trials}"
