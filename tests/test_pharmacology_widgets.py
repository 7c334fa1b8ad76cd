"""Charts and widgets of notebook 03 (pharmacology): the PK chart, the safety chart, the dose explorer."""

from __future__ import annotations

from unittest import mock

import pytest
from chart_spec import assert_accessible

from dmjak.charts import pharmacology as pk_charts
from dmjak.charts import shared as shared_charts
from dmjak.data import load_table
from dmjak.models.pk import sourced_parameters, steady_state_profile
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
    ):
        yield


def test_pharmacology_charts_are_accessible():
    profile = steady_state_profile(4, sourced_parameters())
    for chart in (
        pk_charts.pk_chart(profile, {"JAK1": 5.9, "JAK2": 5.7}, "t", "s"),
        shared_charts.oral_surveillance_chart(load_table("oral_surveillance")),
    ):
        assert_accessible(chart)


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


def test_without_curves_the_chart_drops_their_legend_and_says_so_and_gets_it_back(quiet):
    explorer = DoseExplorer(load_table("exposure_modifiers"), load_table("jak_inhibitor_potency")).show()
    curves = explorer.view.chart.to_dict()["layer"][0]["encoding"]
    assert curves["color"].get("legend", "Vega-Lite's default") is not None
    explorer.kidney.value = SEVERE
    spec = explorer.view.chart.to_dict()
    assert spec["layer"][0]["encoding"]["color"]["legend"] is None
    assert spec["layer"][0]["encoding"]["strokeDash"]["legend"] is None
    assert "Compare the FREE curve" not in " ".join(spec["title"]["subtitle"])
    assert spec["description"].startswith("No concentration curves drawn")
    explorer.kidney.value = MODERATE
    spec = explorer.view.chart.to_dict()
    assert spec["layer"][0]["encoding"]["strokeDash"]["legend"] == {
        "symbolSize": 400,
        "symbolStrokeWidth": 2.5,
        "symbolType": "stroke",
    }
    assert spec["description"].startswith("Line chart of total and free baricitinib concentration")
