"""Charts and widgets of notebook 04 (measuring disease): the CDASI change chart and the DLQI calculator."""

from __future__ import annotations

from unittest import mock

import pytest
from chart_spec import assert_accessible, walk

from dmjak.charts import measures as measure_charts
from dmjak.data import load_table
from dmjak.widgets.measures import DLQICalculator


@pytest.fixture
def quiet(monkeypatch):
    monkeypatch.setenv("DMJAK_RENDER", "svg")
    with (
        mock.patch("dmjak.render.display"),
        mock.patch("dmjak.widgets.measures.display"),
    ):
        yield


def test_measures_charts_are_accessible():
    items = load_table("dlqi_items")
    visits = {"visit 1": dict.fromkeys(range(1, 11), 1), "visit 2": dict.fromkeys(range(1, 11), 0)}
    for chart in (measure_charts.cdasi_change_chart(), measure_charts.dlqi_chart(items, visits, "title")):
        assert_accessible(chart)


def test_cdasi_change_chart_binds_two_sliders_and_judges_in_vega():
    spec = measure_charts.cdasi_change_chart(30, 20).to_dict()
    params = {p["name"]: p for d in walk(spec) for p in d.get("params", []) if isinstance(p, dict) and "name" in p}
    assert params["before"]["value"] == 30 and params["after"]["value"] == 20
    assert params["before"]["bind"]["input"] == "range"
    assert "A meaningful improvement: meets both published MCIDs" in str(spec)
    assert "WORSE (more active skin)" in str(spec), "the Vega verdict also knows a worsening"


def test_dlqi_calculator_updates_and_offers_only_valid_scores(quiet):
    calc = DLQICalculator(
        load_table("dlqi_items"), [2, 2, 1, 1, 2, 1, 0, 1, 0, 2], [1, 1, 0, 1, 1, 0, 0, 0, 0, 1]
    ).show()
    assert "a meaningful improvement" in calc.result.value
    for control in calc.choices["visit 2"].values():
        assert list(control.options) == [0, 1, 2, 3]
    for item in range(1, 11):
        calc.choices["visit 2"][item].value = calc.choices["visit 1"][item].value
    assert "no change" in calc.result.value
    assert "DLQI 12 → 12" in calc.view.chart.to_dict()["title"]["text"]


def test_the_cdasi_table_names_the_values_it_shows_and_that_the_sliders_do_not_move_it(tmp_path):
    """Review S6: the table above the CDASI chart shows the parameter cell's change, and says so, so a student
    who drags the chart's sliders to a worsening is not left with two opposite verdicts on one screen."""
    import nbformat

    from dmjak.paths import notebooks_dir
    from dmjak.tooling.harness import run_notebook

    executed = run_notebook(
        notebooks_dir() / "04_measuring_disease.ipynb", {"cdasi_before": 20, "cdasi_after": 30}, output_dir=tmp_path
    )
    cells = nbformat.read(executed, as_version=4).cells
    table = next(c for c in cells if "cdasi.interpret_change(" in c.source)
    shown = "".join(o.get("data", {}).get("text/html", "") for o in table.outputs)
    assert "The change set at the top of the notebook (20 to 30)" in shown, shown[:500]
    assert "move only the chart" in shown and "worsening" in shown.lower()
    after = "".join(c.source for c in cells[cells.index(table) + 1 :][:2])
    assert "The table above keeps the values set at the top" in after
