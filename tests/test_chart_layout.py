"""How every chart is laid out: one legend per title and only for what is drawn, every axis in its unit,
sized to its container on screen, projector-sized text in the presenter view, captions true to the data.

Legends are read from the Vega spec that vl-convert compiles (what the browser draws), not from the
Vega-Lite spec, because Vega-Lite merges or splits legends on its own rules.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
import vl_convert as vlc
from chart_spec import views, walk
from test_accessibility import builders

from dmjak import render
from dmjak.charts import cases, dermatomyositis, evidence, jak
from dmjak.data import load_table
from dmjak.models.inhibition import kinase_inhibition, pathway_signal
from dmjak.models.reconstruction import load_assumptions
from dmjak.widgets.cases import WhatIfExplorer

UNIT = re.compile(r"\(|weeks|hours|minutes|%|points|per ", re.I)


def all_builders() -> dict:
    """The accessibility builders plus the charts only widgets draw (what-if, pathway explorer), each built
    afresh on every call (so that a test can watch it being built)."""
    extra = {}
    potency, pathways = load_table("jak_inhibitor_potency"), load_table("jak_pathways")
    kinases = kinase_inhibition(potency, "baricitinib", 300)
    signal = pathway_signal(pathways, kinases, "either kinase suffices")

    def pair():
        return jak.explorer_charts(kinases, signal, "baricitinib", 300, "either kinase suffices")

    extra["kinase explorer"], extra["pathway explorer"] = lambda: pair()[0], lambda: pair()[1]
    trajectories, statements, assumptions = (
        load_table("trajectories"),
        load_table("outcome_statements"),
        load_assumptions(),
    )
    extra["what-if"] = lambda: WhatIfExplorer(trajectories, statements, assumptions, patient="P1").chart()[0]
    return {**builders(), **extra}


CHARTS = all_builders()


def vega_legends(chart) -> list[dict]:
    """Every legend of the compiled Vega spec, in every nested group."""
    spec = vlc.vegalite_to_vega(chart.to_dict(validate=False), vl_version="v6_4")
    return [legend for node in walk(spec) for legend in node.get("legends", []) if isinstance(node, dict)]


@pytest.mark.parametrize("name", list(CHARTS))
def test_no_legend_is_printed_twice(name):
    titles = [legend.get("title") for legend in vega_legends(CHARTS[name]())]
    repeated = {str(t) for t in titles if titles.count(t) > 1}
    assert not repeated, f"{name}: legends printed twice: {repeated}"


@pytest.mark.parametrize("name", list(CHARTS))
def test_every_quantitative_axis_states_its_unit(name):
    spec = CHARTS[name]().to_dict(validate=False)
    for view in views(spec):
        for channel in ("x", "y"):
            entry = view.get("encoding", {}).get(channel)
            if not isinstance(entry, dict) or entry.get("type") != "quantitative" or entry.get("axis", {}) is None:
                continue
            title = " ".join(entry["title"]) if isinstance(entry.get("title"), list) else entry.get("title")
            if title is None:
                continue  # annotation layers share the data layer's axis
            assert "unit in" not in title, f"{name}: axis title {title!r} sends the reader elsewhere for the unit"
            assert UNIT.search(title), f"{name}: axis title {title!r} names no unit"


@pytest.mark.parametrize("name", list(CHARTS))
def test_positions_inside_a_chart_follow_its_width(name):
    """A pixel x position would put a label in the wrong place once the chart takes its container's width
    (a small offset from the left edge stays right at any width)."""
    for view in views(CHARTS[name]().to_dict(validate=False)):
        for channel in ("x", "x2"):
            entry = view.get("encoding", {}).get(channel)
            if isinstance(entry, dict) and isinstance(entry.get("value"), (int, float)):
                assert 0 <= entry["value"] <= 8, f"{name}: {channel} fixed at {entry['value']} px"


@pytest.mark.parametrize("name", list(CHARTS))
def test_single_and_layered_charts_take_the_container_width_on_screen(name):
    spec = render.screen_spec(CHARTS[name]().to_dict(validate=False))
    if "mark" in spec or "layer" in spec:
        assert spec["width"] == "container"
        assert spec["autosize"]["type"] == "fit-x"


@pytest.mark.parametrize("name", list(CHARTS))
def test_presenter_view_text_is_projector_sized(name, monkeypatch):
    monkeypatch.setenv("VOILA_KERNEL_ID", "a-kernel")
    assert render.presenting()
    spec = render.screen_spec(CHARTS[name]().to_dict(validate=False))
    sizes = [v for node in walk(spec) for k, v in node.items() if k.endswith("ontSize") and isinstance(v, (int, float))]
    assert sizes and min(sizes) >= render.PRESENTER_MIN_FONT
    for part in ("axis", "legend", "header", "text"):
        assert min(v for k, v in spec["config"][part].items() if k.endswith("FontSize") or k == "fontSize") >= 14


def test_outside_the_presenter_view_charts_keep_their_text_size(monkeypatch):
    for name in render.PRESENTER_ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    spec = render.screen_spec(CHARTS["timeline"]().to_dict(validate=False))
    assert "config" not in spec or "axis" not in spec["config"]


def legend_domains(spec: dict, field: str, channel: str) -> list[list]:
    return [
        v["encoding"][channel]["scale"]["domain"]
        for v in views(spec)
        if isinstance(v.get("encoding", {}).get(channel), dict)
        and v["encoding"][channel].get("field") == field
        and v["encoding"][channel].get("legend", {}) is not None
    ]


def test_evidence_legend_names_only_the_kinds_drawn():
    trajectories, statements = load_table("trajectories"), load_table("outcome_statements")
    spec = cases.trajectory_chart(trajectories, statements, "dlqi").to_dict()
    assert legend_domains(spec, "evidence", "strokeDash") == [["illustrative"]]  # nothing reported is drawn
    hidden = cases.trajectory_chart(trajectories, statements, "dlqi", show_illustrative=False).to_dict()
    assert legend_domains(hidden, "evidence", "strokeDash") == []


def test_timeline_legend_names_only_the_timings_drawn():
    treatments = load_table("treatments")
    spec = cases.timeline_chart(treatments, load_table("events")).to_dict()
    drawn = set(cases.timeline_rows(treatments)["timing"])
    assert all(set(domain) == drawn for domain in legend_domains(spec, "timing", "opacity"))


def test_timeline_events_are_lettered_and_keyed_not_long_rotated_labels():
    spec = cases.timeline_chart(load_table("treatments"), load_table("events")).to_dict()
    texts = [v for v in views(spec) if (v["mark"] if isinstance(v["mark"], str) else v["mark"]["type"]) == "text"]
    assert not [v for v in texts if isinstance(v["mark"], dict) and v["mark"].get("angle")]
    subtitle = spec["title"]["subtitle"]
    assert any(line.startswith("A: ") for line in subtitle)


def test_potency_curves_say_which_curves_coincide():
    potency = load_table("jak_inhibitor_potency")
    subtitle = " ".join(jak.potency_curves(potency, "baricitinib").to_dict()["title"]["subtitle"])
    assert "JAK1 and JAK2" in subtitle  # IC50 5.9 and 5.7 nM: one curve hides the other
    abro = " ".join(jak.potency_curves(potency, "abrocitinib").to_dict()["title"]["subtitle"])
    assert "lie on top of each other" not in abro  # 29, 803, 1259, >10000 nM: all apart


def test_levels_caption_names_exactly_the_studies_drawn():
    levels, studies = load_table("evidence_levels"), load_table("dm_jak_studies")
    without = studies[~studies["status"].str.contains("press release")]
    for table in (studies, without):
        description = evidence.levels_chart(levels, table).to_dict()["description"]
        for study in studies.dropna(subset=["ocebm_level"])["study"]:
            assert (study in description) == (study in set(table["study"])), (study, description)


def test_trajectory_caption_stays_true_when_illustrative_values_are_hidden():
    trajectories, statements = load_table("trajectories"), load_table("outcome_statements")
    shown = cases.trajectory_chart(trajectories, statements, "dlqi").to_dict()["description"]
    hidden = cases.trajectory_chart(trajectories, statements, "dlqi", show_illustrative=False).to_dict()["description"]
    assert shown.startswith("Illustrative weekly")
    assert "No " in hidden and "Illustrative weekly" not in hidden


def test_epidemiology_has_one_panel_per_measure_each_in_its_unit():
    epi = load_table("dm_epidemiology")
    spec = dermatomyositis.epidemiology_chart(epi).to_dict()
    rates = epi[epi["unit"] != "% of cases"]
    assert len(spec["hconcat"]) == len(rates.groupby(["measure", "unit"]))
    titles = [" ".join(p["layer"][0]["encoding"]["x"]["title"]) for p in spec["hconcat"]]
    units = rates.drop_duplicates(["measure", "unit"])["unit"]
    assert all(unit in title for title, unit in zip(titles, units, strict=True))


def test_explorer_axis_is_one_unit_for_every_measure():
    trajectories = load_table("trajectories")
    spec = cases.explorer_chart(load_table("treatments"), trajectories).to_dict()
    curves = spec["vconcat"][1]["layer"][0]
    y = curves["encoding"]["y"]
    assert y["field"] == "percent_of_start" and "%" in y["title"]
    data = pd.DataFrame(spec["datasets"][curves["data"]["name"]])
    assert (data.loc[data["week"] == 0, "percent_of_start"] == 100).all()


def test_explorer_subtitles_explain_a_dashed_bound_only_when_one_is_drawn():
    potency, pathways = load_table("jak_inhibitor_potency"), load_table("jak_pathways")
    for drug, rule in (("baricitinib", "either kinase suffices"), ("abrocitinib", "both kinases needed")):
        kinases = kinase_inhibition(potency, drug, 30)
        signal = pathway_signal(pathways, kinases, rule)
        kchart, schart = jak.explorer_charts(kinases, signal, drug, 30, rule)
        ksub, ssub = " ".join(kchart.title.subtitle), " ".join(schart.title.subtitle)
        assert ("upper bound" in ksub) == (kinases["bound"] == "at most").any()
        assert ("lower bound" in ssub) == (signal["bound"] == "at least").any()


def test_presenter_view_widens_charts_that_cannot_take_the_container_width(monkeypatch):
    monkeypatch.setenv("VOILA_KERNEL_ID", "a-kernel")
    spec = CHARTS["small multiples"]().to_dict(validate=False)
    widths = [node["width"] for node in walk(spec) if isinstance(node.get("width"), int)]
    wide = [node["width"] for node in walk(render.screen_spec(spec)) if isinstance(node.get("width"), int)]
    assert wide == [round(w * render.PRESENTER_WIDEN) for w in widths] and render.PRESENTER_WIDEN > 1


def test_what_if_subtitle_says_when_the_default_curve_is_hidden_and_stops_saying_it_after_a_change():
    explorer = WhatIfExplorer(load_table("trajectories"), load_table("outcome_statements"), load_assumptions(), "P1")
    assert "hides the grey curve" in " ".join(explorer.chart()[0].title.subtitle)
    explorer.floor.value = 10  # what a student's drag does; the widget rebuilds the chart from this state
    assert "hides the grey curve" not in " ".join(explorer.chart()[0].title.subtitle)
