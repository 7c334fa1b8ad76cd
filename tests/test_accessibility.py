"""Accessibility of every chart builder and every widget: titles, units, descriptions, tooltips, a second
channel besides colour, a data-table alternative, and labelled controls.

A second channel is the colour's field (or a ``<field>_label`` / ``<field>_symbol`` text column, or a
condition on ``datum.<field>``) encoded again by shape, dash, opacity, size, text, position or facet."""

from __future__ import annotations

from unittest import mock

import ipywidgets as widgets
import pytest
from chart_spec import ANNOTATION_MARKS, assert_accessible, mark_type, views

from dmjak import course, render
from dmjak.charts import cases, dermatomyositis, evidence, jak, measures, pharmacology, shared
from dmjak.charts import course as course_charts
from dmjak.charts import safety as safety_charts
from dmjak.data import load_table
from dmjak.models.isg_score import interferon_scores, simulate_qpcr
from dmjak.models.pk import sourced_parameters, steady_state_profile
from dmjak.models.simulation import regression_summary, regression_to_the_mean

SECOND_CHANNELS = ("shape", "strokeDash", "opacity", "text", "x", "y", "row", "column", "facet", "size")


def builders():
    t = {
        n: load_table(n)
        for n in (
            "treatments",
            "events",
            "outcome_statements",
            "trajectories",
            "cdasi_effects",
            "safety_rates",
            "dm_epidemiology",
            "classification_thresholds",
            "myositis_autoantibodies",
            "jak_pathways",
            "jak_inhibitor_potency",
            "oral_surveillance",
            "dlqi_items",
            "evidence_levels",
            "dm_jak_studies",
            "dm_vte_estimates",
        )
    }
    visits = {"visit 1": dict.fromkeys(range(1, 11), 1), "visit 2": dict.fromkeys(range(1, 11), 0)}
    return {
        "session planner": lambda: course_charts.session_chart(course.course_map(), 90),
        "timeline": lambda: cases.timeline_chart(t["treatments"], t["events"]),
        "trajectory": lambda: cases.trajectory_chart(t["trajectories"], t["outcome_statements"], "cdasi_activity"),
        "small multiples": lambda: cases.small_multiples(t["trajectories"]),
        "explorer": lambda: cases.explorer_chart(t["treatments"], t["trajectories"]),
        "zoster rates": lambda: shared.rates_chart(t["safety_rates"]),
        "regression to the mean": lambda: cases.regression_chart(regression_summary(regression_to_the_mean())),
        "epidemiology": lambda: dermatomyositis.epidemiology_chart(t["dm_epidemiology"]),
        "classification": lambda: dermatomyositis.classification_chart(t["classification_thresholds"]),
        "autoantibodies": lambda: dermatomyositis.autoantibody_chart(t["myositis_autoantibodies"]),
        "isg lab": lambda: dermatomyositis.isg_lab_chart(
            interferon_scores(simulate_qpcr()), {"sample_id": "DM01", "score": 3.0}, 2.466
        ),
        "pathway map": lambda: jak.pathway_map(t["jak_pathways"]),
        "potency curves": lambda: jak.potency_curves(t["jak_inhibitor_potency"], "baricitinib"),
        "pk profile": lambda: pharmacology.pk_chart(
            steady_state_profile(4, sourced_parameters()), {"JAK1": 5.9}, "title", "subtitle"
        ),
        "oral surveillance": lambda: shared.oral_surveillance_chart(t["oral_surveillance"]),
        "cdasi change": lambda: measures.cdasi_change_chart(),
        "dlqi": lambda: measures.dlqi_chart(t["dlqi_items"], visits, "title"),
        "cdasi effects": lambda: shared.cdasi_effects_chart(t["cdasi_effects"], 4, 5, "title", "subtitle"),
        "evidence levels": lambda: evidence.levels_chart(t["evidence_levels"], t["dm_jak_studies"]),
        "clot risk in myositis": lambda: safety_charts.vte_estimates_chart(t["dm_vte_estimates"]),
    }


@pytest.mark.parametrize("name", list(builders()))
def test_every_chart_is_accessible(name):
    assert_accessible(builders()[name]())


@pytest.mark.parametrize("name", list(builders()))
def test_colour_is_never_the_only_channel(name):
    spec = builders()[name]().to_dict()
    for view in views(spec):
        if mark_type(view) in ANNOTATION_MARKS - {"rect"}:
            continue
        colour = view.get("encoding", {}).get("color", {})
        field = colour.get("field") if isinstance(colour, dict) else None
        if not field:
            continue
        assert second_channel(spec, field), f"{name}: colour by '{field}' has no second channel"


@pytest.mark.parametrize("mode", ["svg", "live"])
def test_every_chart_comes_with_a_caption_and_a_data_table(monkeypatch, mode):
    monkeypatch.setenv("DMJAK_RENDER", mode)
    shown = []
    with mock.patch("dmjak.render.display", side_effect=lambda obj, **_: shown.append(obj)):
        render.show(builders()["timeline"]())
    markup = "".join(getattr(o, "data", "") or "" for o in shown)
    assert "Show the data as a table" in markup and "<table" in markup
    assert "Timeline of" in markup  # the description is shown as a caption


def all_controls(widget) -> list:
    found = [widget]
    for child in getattr(widget, "children", ()):
        found += all_controls(child)
    return found


def second_channel(spec: dict, field: str) -> bool:
    """Whether ``field`` is also encoded by a non-colour channel somewhere in the chart (or facets it)."""
    from chart_spec import walk

    for node in walk(spec):
        encoding = node.get("encoding", {}) if isinstance(node.get("encoding"), dict) else {}
        for channel in SECOND_CHANNELS:
            entry = encoding.get(channel)
            if not isinstance(entry, dict):
                continue
            condition = entry.get("condition", {}) if isinstance(entry.get("condition"), dict) else {}
            fields = {entry.get("field"), condition.get("field")}
            if fields & {field, f"{field}_label", f"{field}_symbol"}:
                return True
            if f"datum.{field}" in str(condition.get("test", "")):
                return True
        for key in ("facet", "row", "column"):
            entry = node.get(key)
            if isinstance(entry, dict) and entry.get("field") == field:
                return True
    return False


def widget_classes():
    from dmjak.models.isg_score import simulate_qpcr as qpcr
    from dmjak.models.reconstruction import load_assumptions
    from dmjak.widgets.cases import WhatIfExplorer
    from dmjak.widgets.dermatomyositis import IsgLab
    from dmjak.widgets.jak import PathwayExplorer
    from dmjak.widgets.measures import DLQICalculator
    from dmjak.widgets.pharmacology import DoseExplorer

    return {
        "what-if": lambda: WhatIfExplorer(
            load_table("trajectories"), load_table("outcome_statements"), load_assumptions()
        ),
        "isg lab": lambda: IsgLab(qpcr()),
        "pathway explorer": lambda: PathwayExplorer(load_table("jak_inhibitor_potency"), load_table("jak_pathways")),
        "dose explorer": lambda: DoseExplorer(load_table("exposure_modifiers"), load_table("jak_inhibitor_potency")),
        "dlqi": lambda: DLQICalculator(load_table("dlqi_items"), [1] * 10, [0] * 10),
    }


@pytest.mark.parametrize("name", list(widget_classes()))
def test_every_control_has_a_label(name):
    instance = widget_classes()[name]()
    controls = []
    for value in vars(instance).values():
        if isinstance(value, widgets.Widget):
            controls.append(value)
        elif isinstance(value, dict):
            for inner in value.values():
                controls += list(inner.values()) if isinstance(inner, dict) else [inner]
    inputs = [c for c in controls if isinstance(c, widgets.ValueWidget) and not isinstance(c, widgets.HTML)]
    assert inputs, "the widget has controls"
    for control in inputs:
        assert control.description, f"{name}: {type(control).__name__} without a label"
