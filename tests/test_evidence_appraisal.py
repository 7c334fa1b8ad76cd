"""Notebook 06 and the instructor guide: appraisal data, study register, design exercise, answer key."""

from __future__ import annotations

import re
from pathlib import Path
from unittest import mock

import pytest
from chart_spec import assert_accessible

from dmjak.charts import evidence as charts
from dmjak.charts import shared
from dmjak.course import notebook_paths
from dmjak.data import load_table
from dmjak.models import appraisal, study_design
from dmjak.references import keys_in_text, unresolved

GUIDE = Path(__file__).resolve().parents[1] / "instructors" / "guide.md"


def test_appraisal_covers_all_eight_murad_items_in_four_domains_with_sources():
    table = appraisal.checklist()
    assert list(table["item"]) == list(range(1, 9))
    assert set(table["domain"]) == {"selection", "ascertainment", "causality", "reporting"}
    assert list(table.loc[table["domain"] == "causality", "item"]) == [4, 5, 6, 7]
    assert unresolved(list(table["source"]) + list(table["evidence_source"])) == []
    assert (table["explanation"].str.len() > 60).all()


def test_comparing_answers_with_the_model():
    result = appraisal.compare({1: "unclear", 4: "yes"}).set_index("item")
    assert bool(result.loc[1, "agree"]) and not bool(result.loc[4, "agree"])
    assert result.loc[2, "your_answer"] == "(not answered)"
    with pytest.raises(ValueError, match="no checklist item"):
        appraisal.compare({9: "yes"})
    with pytest.raises(ValueError, match="not among"):
        appraisal.compare({1: "maybe"})


def test_every_plotted_study_has_a_numeric_effect_and_every_other_is_only_listed():
    studies = load_table("dm_jak_studies").set_index("study")
    effects = load_table("cdasi_effects")
    jak_effects = effects[effects["role"] == "JAK inhibitor"]
    assert set(jak_effects["study"]) == set(studies.index[studies["cdasi_plotted"]])
    assert jak_effects["mean_change"].notna().all() and jak_effects["source"].notna().all()
    unplotted = studies.index[~studies["cdasi_plotted"]]
    assert {"Fischer 2022", "Ladislau 2018", "Wang 2022", "VALOR", "BIRD", "MYOCIT"} == set(unplotted)
    assert not effects["study"].isin(unplotted).any()


def test_press_release_and_unreported_trials_are_labelled_as_such():
    studies = load_table("dm_jak_studies").set_index("study")
    assert "press release" in studies.loc["VALOR", "status"]
    for trial in ("BIRD", "MYOCIT"):
        assert "results not available" in studies.loc[trial, "status"]
        assert studies.loc[trial, "ocebm_level"] is not None and str(studies.loc[trial, "ocebm_level"]) == "<NA>"


def test_evidence_charts_are_accessible():
    assert_accessible(charts.levels_chart(load_table("evidence_levels"), load_table("dm_jak_studies")))
    spec = assert_accessible(shared.cdasi_effects_chart(load_table("cdasi_effects"), 4, 5, "title", "subtitle"))
    assert "Ma 2024 (pooled): baricitinib subgroup (follow-up varied, n not given) -11.2" in spec["description"]


def test_design_exercise_feedback_and_the_bird_model_answer():
    bird = study_design.bird_design()
    assert set(bird) == set(study_design.options())
    assert study_design.feedback(bird)["as_in_bird"].all()
    weak = {d: next(o for o in opts if o != bird[d]) for d, opts in study_design.options().items()}
    assert not study_design.feedback(weak)["as_in_bird"].any()
    with pytest.raises(ValueError, match="missing"):
        study_design.feedback({"population": bird["population"]})
    with pytest.raises(ValueError, match="is not an option"):
        study_design.feedback({**bird, "duration": "a fortnight"})


def test_static_exercises_hide_model_answers_behind_a_reveal(monkeypatch):
    from dmjak.widgets import evidence as widgets_evidence

    monkeypatch.setenv("DMJAK_RENDER", "svg")
    shown = []
    with mock.patch.object(widgets_evidence, "show_html", shown.append):
        widgets_evidence.appraisal_checklist()
        widgets_evidence.design_exercise()
    for markup in shown:
        before, after = markup.split("<details>")
        assert "Show the" in after
    assert "unclear" not in shown[0].split("<details>")[0]  # the model answers are not in plain sight


def test_instructor_guide_covers_every_notebook_and_cites_resolvable_sources():
    text = GUIDE.read_text(encoding="utf-8")
    for notebook in notebook_paths(GUIDE.parents[1] / "notebooks"):
        assert f"`{notebook.stem}`" in text, notebook.stem
    keys = keys_in_text(text)
    assert len(keys) >= 10 and unresolved(keys) == []
    for needle in ("trajectories.csv", "reconstruction_assumptions.csv", "simulated", "45-minute", "2-hour"):
        assert needle in text


def test_instructor_answer_key_matches_the_quiz_data():
    text = GUIDE.read_text(encoding="utf-8")
    key = dict(re.findall(r"\| `([a-z0-9-]+)` \| ([A-F]):", text))
    quizzes = load_table("quiz_items")
    assert set(key) == set(quizzes["quiz_id"])
    for row in quizzes.itertuples():
        assert key[row.quiz_id] == chr(64 + row.answer), row.quiz_id


def test_live_appraisal_puts_each_question_above_its_own_answer_box(monkeypatch):
    """A long question wraps on its own line; its box sits below it and cannot cover the next question."""
    from dmjak.widgets import evidence as widgets_evidence

    monkeypatch.setenv("DMJAK_RENDER", "live")
    shown = []
    with mock.patch.object(widgets_evidence, "display", shown.append):
        widgets_evidence.appraisal_checklist()
    (box,) = shown
    assert "dmjak-appraisal" in box._dom_classes
    rows = [c for c in box.children if isinstance(c, widgets_evidence.widgets.VBox)]
    assert len(rows) == 8
    for item, row in enumerate(rows, start=1):
        question, answer = row.children
        assert isinstance(question, widgets_evidence.widgets.HTML) and question.value.startswith(f"<b>{item}.</b>")
        assert isinstance(answer, widgets_evidence.widgets.Dropdown) and answer.description == f"Answer {item}"
        assert answer.layout.width == "20em"


def test_comparing_with_no_answer_at_all_marks_every_item_not_answered():
    """The empty state (issue 21): pressing Compare before answering raised a pandas TypeError."""
    result = appraisal.compare({})
    assert list(result["verdict"]) == ["not answered"] * 8 and not result["agree"].any()
