"""Charts and widgets of notebook 02 (JAK-STAT): the pathway map, potency curves honest about censored
IC50s, and the pathway-inhibition explorer."""

from __future__ import annotations

from unittest import mock

import altair as alt
import pytest
from chart_spec import assert_accessible, views

from dmjak.charts import jak as jak_charts
from dmjak.data import load_table
from dmjak.models.inhibition import RULES
from dmjak.widgets.jak import PathwayExplorer


@pytest.fixture(scope="module")
def tables():
    return {n: load_table(n) for n in ("jak_pathways", "jak_inhibitor_potency")}


@pytest.fixture
def quiet(monkeypatch, request):
    monkeypatch.setenv("DMJAK_RENDER", getattr(request, "param", "svg"))
    with mock.patch("dmjak.render.display"), mock.patch("dmjak.widgets.jak.display"):
        yield


def test_jak_charts_are_accessible(tables):
    for chart in (
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


def test_potency_curves_draw_censored_ic50s_as_dashed_upper_bounds(tables):
    spec = jak_charts.potency_curves(tables["jak_inhibitor_potency"], "baricitinib").to_dict()
    dash = [v["encoding"]["strokeDash"] for v in views(spec) if "strokeDash" in v.get("encoding", {})][0]
    assert dash["scale"]["range"][dash["scale"]["domain"].index("upper bound (IC50 censored)")] != [1, 0]
    jak3 = [d for d in next(iter(spec["datasets"].values())) if d["kinase"] == "JAK3"]
    assert {d["curve"] for d in jak3} == {"upper bound (IC50 censored)"}


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
    assert "1,000 nM" in widgets[0].spec["title"]["text"]  # in words a reader uses, not "1e+03"


@pytest.mark.parametrize(("concentration", "where"), [(1.0, "below"), (30.0, "within"), (10000.0, "above")])
def test_the_explorer_says_where_a_concentration_sits_against_what_4_mg_reaches(concentration, where):
    """Review S9: at 10,000 nM the explorer shows TYK2 99 % inhibited; it now says that is far above the free
    range a 4 mg dose reaches over a day in notebook 03's model (its trough and peak, computed here)."""
    from dmjak.models import pk

    day = pk.steady_state_profile(4, pk.sourced_parameters())["free_nm"]
    explorer = PathwayExplorer(
        load_table("jak_inhibitor_potency"), load_table("jak_pathways"), concentration_nm=concentration
    )
    subtitle = explorer.charts()[0].to_dict()["title"]["subtitle"]
    line = f"4 mg/day gives about {day.min():.0f}-{day.max():.0f} nM free (notebook 03's model): "
    assert f"{line}{concentration:,g} nM is {where} that range" in subtitle
    assert all(len(s) <= 90 for s in subtitle)
    explorer.drug.value = "abrocitinib"  # no sourced PK: no range is claimed
    assert not any("4 mg/day" in s for s in explorer.charts()[0].to_dict()["title"]["subtitle"])
