"""Charts and widgets of notebooks 03 and 04."""

from __future__ import annotations

from unittest import mock

import pytest
from chart_spec import assert_accessible, walk

from dmjak.charts import measures as measure_charts
from dmjak.charts import pharmacology as pk_charts
from dmjak.data import load_table
from dmjak.models.pk import sourced_parameters, steady_state_profile
from dmjak.widgets.measures import DLQICalculator
from dmjak.widgets.pharmacology import DoseExplorer

MODERATE = "moderate renal impairment (CrCl 30-60 mL/min)"
SEVERE = "severe renal impairment (CrCl < 30 mL/min)"


def layer_values(spec: dict, index: int) -> list:
    """The data rows of layer ``index``, whether inline or in the top-level datasets."""
    data = spec["layer"][index]["data"]
    return spec["datasets"][data["name"]] if "name" in data else data["values"]


@pytest.fixture
def quiet(monkeypatch):
    monkeypatch.setenv("DMJAK_RENDER", "svg")
    with (
        mock.patch("dmjak.render.display"),
        mock.patch("dmjak.widgets.pharmacology.display"),
        mock.patch("dmjak.widgets.measures.display"),
    ):
        yield


def test_charts_are_accessible():
    profile = steady_state_profile(4, sourced_parameters())
    items = load_table("dlqi_items")
    visits = {"visit 1": dict.fromkeys(range(1, 11), 1), "visit 2": dict.fromkeys(range(1, 11), 0)}
    for chart in (
        pk_charts.pk_chart(profile, {"JAK1": 5.9, "JAK2": 5.7}, "t", "s"),
        pk_charts.oral_surveillance_chart(load_table("oral_surveillance")),
        measure_charts.cdasi_change_chart(),
        measure_charts.dlqi_chart(items, visits, "title"),
    ):
        assert_accessible(chart)


def test_cdasi_change_chart_binds_two_sliders_and_judges_in_vega():
    spec = measure_charts.cdasi_change_chart(30, 20).to_dict()
    params = {p["name"]: p for d in walk(spec) for p in d.get("params", []) if isinstance(p, dict) and "name" in p}
    assert params["before"]["value"] == 30 and params["after"]["value"] == 20
    assert params["before"]["bind"]["input"] == "range"
    assert "Meets both published MCIDs" in str(spec)


def test_dose_explorer_follows_the_label_and_refuses_to_draw_without_data(quiet):
    explorer = DoseExplorer(load_table("exposure_modifiers"), load_table("jak_inhibitor_potency")).show()
    normal_peak = explorer.compute()[1]["cmax_free"]
    explorer.kidney.value = MODERATE
    assert explorer.exposure_ratio() == pytest.approx(2.22) and "2 mg once daily" in explorer.summary.value
    explorer.dose.value = 2
    assert explorer.compute()[1]["cmax_free"] < normal_peak
    explorer.oat3.value = True
    assert explorer.exposure_ratio() == pytest.approx(4.44)
    explorer.kidney.value = SEVERE
    spec = explorer.view.chart.to_dict()
    assert "not recommended" in spec["title"]["text"]
    assert explorer.compute()[0].empty
    assert layer_values(spec, 0) == [], "no concentration curve is drawn"


def test_dlqi_calculator_updates_and_offers_only_valid_scores(quiet):
    calc = DLQICalculator(
        load_table("dlqi_items"), [2, 2, 1, 1, 2, 1, 0, 1, 0, 2], [1, 1, 0, 1, 1, 0, 0, 0, 0, 1]
    ).show()
    assert "a meaningful improvement" in calc.result.value
    for control in calc.choices["visit 2"].values():
        assert list(control.options) == [0, 1, 2, 3]
    for item in range(1, 11):
        calc.choices["visit 2"][item].value = calc.choices["visit 1"][item].value
    assert "not a meaningful improvement" in calc.result.value
    assert "DLQI 12 → 12" in calc.view.chart.to_dict()["title"]["text"]
