"""Charts and widgets of notebook 01 (dermatomyositis): accessible, drawn from the data, the ISG-score lab."""

from __future__ import annotations

from unittest import mock

import pytest
from chart_spec import assert_accessible, walk

from dmjak.charts import dermatomyositis as dm_charts
from dmjak.data import load_table
from dmjak.models.isg_score import GENES, simulate_qpcr
from dmjak.widgets.dermatomyositis import IsgLab


@pytest.fixture(scope="module")
def tables():
    names = ["dm_epidemiology", "classification_thresholds", "myositis_autoantibodies"]
    return {n: load_table(n) for n in names}


@pytest.fixture
def quiet(monkeypatch):
    monkeypatch.setenv("DMJAK_RENDER", "svg")
    with mock.patch("dmjak.render.display"), mock.patch("dmjak.widgets.dermatomyositis.display"):
        yield


def test_dermatomyositis_charts_are_accessible(tables):
    for chart in (
        dm_charts.epidemiology_chart(tables["dm_epidemiology"]),
        dm_charts.classification_chart(tables["classification_thresholds"]),
        dm_charts.autoantibody_chart(tables["myositis_autoantibodies"]),
    ):
        assert_accessible(chart)


def test_autoantibody_chart_marks_the_course_patients_and_binds_a_selector(tables):
    spec = dm_charts.autoantibody_chart(tables["myositis_autoantibodies"], "anti-MDA5").to_dict()
    text = str(spec)
    assert "anti-NXP2  (patient P2)" in text and "anti-MDA5  (patient P3)" in text
    params = [p for d in walk(spec) for p in d.get("params", []) if isinstance(p, dict) and p.get("name") == "antibody"]
    assert params and params[0]["value"] == "anti-MDA5" and params[0]["bind"]["input"] == "select"


def test_isg_lab_verdict_follows_genes_and_cutoff(quiet):
    lab = IsgLab(simulate_qpcr(seed=17), sample_id="DM01").show()
    start = lab.edited()["score"]
    lab.genes[GENES[0]].value = lab.genes[GENES[0]].value + 0.1  # one gene, small move
    assert abs(lab.edited()["score"] - start) < 0.2
    for gene in GENES:
        lab.genes[gene].value = 4.0  # every gene 16-fold
    assert lab.edited()["score"] == pytest.approx(16.0)
    assert "positive" in lab.verdict.value and "16.00" in str(lab.view.chart.to_dict()["title"])
    lab.cutoff.value = 10
    for gene in GENES:
        lab.genes[gene].value = 3.0  # 8-fold: now below a cut-off of 10
    assert "negative" in lab.verdict.value


def test_isg_lab_switching_patient_loads_their_simulated_values(quiet):
    lab = IsgLab(simulate_qpcr(seed=17), sample_id="DM01").show()
    lab.patient.value = "DM02"
    assert lab.edited()["sample_id"] == "DM02"
    assert str(lab.view.chart.to_dict()["title"]["text"]).startswith("SIMULATED data: DM02")
