"""Every control is fully labelled, has room to be used with a mouse, and covers what the course teaches."""

from __future__ import annotations

import re

import ipywidgets as widgets
import pytest
from test_accessibility import widget_classes

from dmjak.data import load_table
from dmjak.models import appraisal, study_design
from dmjak.models.pk import sourced_parameters
from dmjak.widgets import evidence
from dmjak.widgets.jak import CONCENTRATIONS_NM, PathwayExplorer
from dmjak.widgets.pharmacology import HALF_LIFE_NOTE, DoseExplorer

SLIDERS = (widgets.FloatSlider, widgets.IntSlider, widgets.SelectionSlider, widgets.FloatLogSlider)
CHAR_PX = 7.5  # JupyterLab's 13 px UI font averages under 7.5 px per character
READOUT_PX = 80  # the value shown right of a slider, with its margins


def controls(instance) -> list[widgets.Widget]:
    found = []
    for value in vars(instance).values():
        if isinstance(value, widgets.Widget):
            found.append(value)
        elif isinstance(value, dict):
            for inner in value.values():
                found += list(inner.values()) if isinstance(inner, dict) else [inner]
    return found


def pixels(width: str | None) -> float:
    match = re.fullmatch(r"(\d+)px", width or "")
    assert match, f"a slider needs a fixed width in px, not {width!r} (ipywidgets' default leaves long labels no track)"
    return float(match.group(1))


@pytest.mark.parametrize("name", list(widget_classes()))
def test_every_slider_keeps_a_track_of_at_least_150_px(name):
    sliders = [c for c in controls(widget_classes()[name]()) if isinstance(c, SLIDERS)]
    for slider in sliders:
        assert slider.style.description_width == "initial", f"{slider.description}: label would be cut"
        track = pixels(slider.layout.width) - CHAR_PX * len(slider.description) - READOUT_PX
        assert track >= 150, f"{name}: '{slider.description}' leaves a {track:.0f} px track"


@pytest.mark.parametrize("name", list(widget_classes()))
def test_buttons_and_checkboxes_are_as_wide_as_their_labels(name):
    for control in controls(widget_classes()[name]()):
        if isinstance(control, widgets.Checkbox | widgets.Button):
            assert control.layout.width == "max-content", f"'{control.description}' would be cut with '…'"
        if isinstance(control, widgets.ToggleButtons):
            assert control.style.button_width == "auto", f"options of '{control.description}' would be cut"


def test_half_life_slider_covers_the_volunteer_range_and_says_it_is_a_what_if():
    explorer = DoseExplorer(load_table("exposure_modifiers"), load_table("jak_inhibitor_potency"))
    volunteers = load_table("pk_parameters").set_index("parameter").loc["half_life"]
    slider = explorer.half_life
    assert slider.min < float(volunteers["low"]) and slider.max > float(volunteers["high"])
    assert slider.value == pytest.approx(float(volunteers["value"])) == pytest.approx(sourced_parameters().half_life_h)
    for reachable in (float(volunteers["low"]), float(volunteers["value"]), float(volunteers["high"])):
        steps = (reachable - slider.min) / slider.step
        assert abs(steps - round(steps)) < 1e-9, f"{reachable} h cannot be reached by dragging"
    assert "5.7" in HALF_LIFE_NOTE and "what-if" in HALF_LIFE_NOTE and "clearance" in HALF_LIFE_NOTE
    assert "12 hours in patients" not in HALF_LIFE_NOTE  # the source names no population: no patient value claimed
    assert "about 12 hours in the US label's figure" in HALF_LIFE_NOTE  # audit 03-r4, F1: beside the volunteers'
    assert float(volunteers["high"]) < 12 <= slider.max and abs((12 - slider.min) / slider.step % 1) < 1e-9


def test_every_concentration_the_notebooks_mention_can_be_dragged_to():
    explorer = PathwayExplorer(load_table("jak_inhibitor_potency"), load_table("jak_pathways"))
    assert {3.0, 30.0, 300.0, 1000.0} <= set(
        explorer.concentration.options[i][1] for i in range(len(CONCENTRATIONS_NM))
    )
    assert explorer.concentration.value == 30.0
    with pytest.raises(ValueError, match="choose one of"):
        PathwayExplorer(load_table("jak_inhibitor_potency"), load_table("jak_pathways"), concentration_nm=31)


def test_what_if_values_the_text_asks_for_are_reachable():
    from dmjak.models.reconstruction import load_assumptions
    from dmjak.widgets.cases import WhatIfExplorer

    explorer = WhatIfExplorer(load_table("trajectories"), load_table("outcome_statements"), load_assumptions())
    for slider, wanted in ((explorer.speed, 10), (explorer.floor, 10)):
        steps = (wanted - slider.min) / slider.step
        assert slider.min <= wanted <= slider.max and steps == int(steps), slider.description


def test_appraisal_accepts_equivalent_answers_and_explains_each_item():
    table = appraisal.compare({1: "not reported", 2: "yes", 4: "yes", 5: "not reported"}).set_index("item")
    assert table.loc[1, "verdict"] == "equivalent" and bool(table.loc[1, "agree"])  # model: unclear
    assert table.loc[2, "verdict"] == "close" and not bool(table.loc[2, "agree"])  # model: partly
    assert table.loc[4, "verdict"] == "differs"
    assert table.loc[5, "verdict"] == "agree"
    assert table.loc[3, "verdict"] == "not answered"
    markup = evidence.appraisal_feedback_html(table.reset_index())
    assert "your_answer" not in markup and "True" not in markup and "False" not in markup
    for row in table.itertuples():
        assert row.explanation.split(";")[0][:40].replace("'", "&#x27;") in markup
    assert "agree with the model on 2 of 8" in markup


def test_design_options_do_not_give_the_answer_away_and_stay_put():
    offered, bird = study_design.options(), study_design.bird_design()
    positions = [opts.index(bird[d]) for d, opts in offered.items()]
    assert len(set(positions)) > 1 and positions.count(0) < len(positions), positions
    assert study_design.options() == offered  # deterministic: the same order every run
    markup = evidence.design_feedback_html(study_design.feedback(bird))
    assert "5 of 5 choices match" in markup and "as_in_bird" not in markup
