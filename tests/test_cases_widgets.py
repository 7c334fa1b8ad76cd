"""The what-if explorer: it redraws in place and says which reported statements still hold."""

from __future__ import annotations

from pathlib import Path
from unittest import mock

import altair as alt
import pytest

from dmjak.data import load_table
from dmjak.models.reconstruction import load_assumptions
from dmjak.tooling.harness import NotebookRunError, run_notebook
from dmjak.widgets.cases import WhatIfExplorer

CASES = Path(__file__).resolve().parents[1] / "notebooks" / "05_baricitinib_cases.ipynb"


@pytest.fixture
def explorer(monkeypatch, request):
    monkeypatch.setenv("DMJAK_RENDER", getattr(request, "param", "svg"))
    with mock.patch("dmjak.render.display"), mock.patch("IPython.display.display"):
        yield WhatIfExplorer(load_table("trajectories"), load_table("outcome_statements"), load_assumptions()).show()


def test_default_reconstruction_satisfies_everything(explorer):
    assert "violated" not in explorer.status.value and explorer.status.value.count("✔ held") == 2
    assert "satisfies 2 of 2" in str(explorer.view.chart.to_dict()["title"])


def test_slow_curve_violates_and_the_chart_says_so(explorer):
    explorer.shape.value = "linear"
    explorer.speed.value = 12
    explorer.floor.value = 10
    assert explorer.status.value.count("✘ violated") == 2
    assert "satisfies 0 of 2" in str(explorer.view.chart.to_dict()["title"])


def test_switching_measure_resets_to_that_measures_defaults(explorer):
    explorer.measure.value = "dlqi"
    assert (explorer.baseline.value, explorer.floor.value) == (15, 1)
    assert "DLQI" in str(explorer.view.chart.to_dict()["layer"][0]["encoding"]["y"]["title"])
    explorer.measure.value = "isg_score"
    assert (explorer.baseline.value, explorer.floor.value) == (100, 30)


def test_switching_measure_redraws_once_not_once_per_reset_control(explorer):
    updates = []
    update = explorer.view.update
    explorer.view.update = lambda chart, same_shape: updates.append(same_shape) or update(chart, same_shape=same_shape)
    explorer.measure.value = "dlqi"
    assert updates == [False]  # one new chart for the new measure; was three redraws (~120 ms)
    explorer.speed.value += 1
    assert updates == [False, True]


def test_slider_labels_name_the_unit_of_the_chosen_measure(explorer):
    assert explorer.baseline.description == "Baseline at week 0 (points)"
    explorer.measure.value = "isg_score"
    assert explorer.baseline.description == "Baseline at week 0 (% of pre-treatment)"
    assert explorer.floor.description == "Floor: lowest score reached (% of pre-treatment)"
    explorer.measure.value = "dlqi"
    assert explorer.floor.description == "Floor: lowest score reached (points)"
    assert (explorer.baseline.readout_format, explorer.speed.readout_format) == (".0f", ".1f")


def test_floor_above_baseline_is_clamped_not_an_error(explorer):
    explorer.floor.value = 60
    assert explorer.current().floor == explorer.current().baseline == 28


@pytest.mark.parametrize("explorer", ["live"], indirect=True)
def test_live_update_reuses_one_jupyterchart_and_changes_its_spec(explorer):
    widget = explorer.view.widget
    assert isinstance(widget, alt.JupyterChart)
    before = widget.spec["title"]["text"]
    explorer.speed.value = 12
    explorer.shape.value = "linear"
    explorer.floor.value = 10
    assert explorer.view.widget is widget
    assert widget.spec["title"]["text"] != before and "0 of 2" in widget.spec["title"]["text"]


def test_invalid_patient_fails_with_the_valid_list(tmp_path):
    with pytest.raises(NotebookRunError) as caught:
        run_notebook(CASES, {"patient": "P4"}, output_dir=tmp_path)
    assert "patient='P4' is not valid; valid values: ['all', 'P1', 'P2', 'P3']" in str(caught.value)
