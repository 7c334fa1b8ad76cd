"""Charts and widgets of notebooks 01 and 02: accessible, drawn from the data, honest about bounds."""

from __future__ import annotations

from unittest import mock

import altair as alt
import pytest
from chart_spec import assert_accessible, views, walk

from dmjak.charts import dermatomyositis as dm_charts
from dmjak.charts import jak as jak_charts
from dmjak.data import load_table
from dmjak.models.inhibition import RULES
from dmjak.models.isg_score import GENES, simulate_qpcr
from dmjak.widgets.dermatomyositis import IsgLab
from dmjak.widgets.jak import PathwayExplorer


@pytest.fixture(scope="module")
def tables():
    names = [
        "dm_epidemiology",
        "classification_thresholds",
        "myositis_autoantibodies",
        "jak_pathways",
        "jak_inhibitor_potency",
    ]
    return {n: load_table(n) for n in names}


@pytest.fixture
def quiet(monkeypatch, request):
    monkeypatch.setenv("DMJAK_RENDER", getattr(request, "param", "svg"))
    with (
        mock.patch("dmjak.render.display"),
        mock.patch("dmjak.widgets.dermatomyositis.display"),
        mock.patch("dmjak.widgets.jak.display"),
    ):
        yield


def test_static_charts_are_accessible(tables):
    for chart in (
        dm_charts.epidemiology_chart(tables["dm_epidemiology"]),
        dm_charts.classification_chart(tables["classification_thresholds"]),
        dm_charts.autoantibody_chart(tables["myositis_autoantibodies"]),
        jak_charts.pathway_map(tables["jak_pathways"]),
        jak_charts.potency_curves(tables["jak_inhibitor_potency"], "baricitinib"),
    ):
        assert_accessible(chart)


def test_pathway_map_draws_every_kinase_pairing_from_the_table(tables):
    spec = jak_charts.pathway_map(tables["jak_pathways"]).to_dict()
    dots = [d for d in spec["datasets"].values() if d and "kinase" in d[0]][0]
    expected = tables["jak_pathways"][["kinase_1", "kinase_2"]].notna().sum().sum()
    assert len(dots) == expected
    type_one = {d["kinase"] for d in dots if d["pathway"] == "type I interferon"}
    assert type_one == {"JAK1", "TYK2"}
    assert any(d["pairing_basis"] == "inferred" for d in dots), "inferred pairings are kept and marked"


def test_autoantibody_chart_marks_the_course_patients_and_binds_a_selector(tables):
    spec = dm_charts.autoantibody_chart(tables["myositis_autoantibodies"], "anti-MDA5").to_dict()
    text = str(spec)
    assert "anti-NXP2  (patient P2)" in text and "anti-MDA5  (patient P3)" in text
    params = [p for d in walk(spec) for p in d.get("params", []) if isinstance(p, dict) and p.get("name") == "antibody"]
    assert params and params[0]["value"] == "anti-MDA5" and params[0]["bind"]["input"] == "select"


def test_potency_curves_draw_censored_ic50s_as_dashed_upper_bounds(tables):
    spec = jak_charts.potency_curves(tables["jak_inhibitor_potency"], "baricitinib").to_dict()
    dash = [v["encoding"]["strokeDash"] for v in views(spec) if "strokeDash" in v.get("encoding", {})][0]
    assert dash["scale"]["range"][dash["scale"]["domain"].index("upper bound (IC50 censored)")] != [1, 0]
    jak3 = [d for d in next(iter(spec["datasets"].values())) if d["kinase"] == "JAK3"]
    assert {d["curve"] for d in jak3} == {"upper bound (IC50 censored)"}


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


def test_explorer_rule_switch_changes_the_type_one_interferon_signal(quiet):
    explorer = PathwayExplorer(load_table("jak_inhibitor_potency"), load_table("jak_pathways")).show()
    before = explorer.views[1].chart.to_dict()["title"]["text"]
    explorer.rule.value = RULES[1]
    after = explorer.views[1].chart.to_dict()["title"]["text"]
    assert before != after and "either kinase suffices" in after
    explorer.drug.value = "abrocitinib"
    assert "abrocitinib" in explorer.views[0].chart.to_dict()["title"]["text"]


@pytest.mark.parametrize("quiet", ["live"], indirect=True)
def test_explorer_updates_its_live_widgets_in_place(quiet):
    explorer = PathwayExplorer(load_table("jak_inhibitor_potency"), load_table("jak_pathways")).show()
    widgets = [v.widget for v in explorer.views]
    assert all(isinstance(w, alt.JupyterChart) for w in widgets)
    explorer.concentration.value = 1000
    assert [v.widget for v in explorer.views] == widgets
    assert "1e+03 nM" in widgets[0].spec["title"]["text"]
