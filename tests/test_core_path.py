"""A core path for a novice (at most 2.5 hours for the course) and parts for going deeper (issue 21, item 4)."""

from __future__ import annotations

import copy

import nbformat
import pytest
from conftest import NOTEBOOKS

from dmjak import course
from dmjak.charts import course as course_charts
from dmjak.tooling import core_path

# The independent student walkthrough of 2026-12-03 (/work/reviews/student.md), minutes on each core path as
# timed or estimated by a novice reader (lower ends of its ranges): the stated times must not undercut it.
WALKTHROUGH_CORE_MINUTES = {"00": 15, "01": 25, "02": 20, "03": 25, "04": 20, "05": 40, "06": 20, "07": 30}


def load(path):
    return nbformat.read(path, as_version=4)


def test_the_stated_core_path_is_as_long_as_a_novice_took():
    """The issue asked for at most 150 minutes; the walkthrough measured about 3 h 15 to 3 h 30 for the content
    as it stands, so the course states that (review finding on the core-path time) instead of the target."""
    plan = course.course_map()
    assert plan["core_minutes"].notna().all() and plan["deeper_minutes"].notna().all()
    assert plan["core_minutes"].sum() >= sum(WALKTHROUGH_CORE_MINUTES.values())
    stated = dict(zip(plan["notebook"].str[:2], plan["core_minutes"], strict=True))
    short = {nb: (stated[nb], timed) for nb, timed in WALKTHROUGH_CORE_MINUTES.items() if stated[nb] < 0.8 * timed}
    assert not short, f"stated core minutes far below the walkthrough (stated, timed): {short}"
    assert (plan["core_minutes"] + plan["deeper_minutes"] == plan["minutes"]).all(), "the header's time is both paths"


def test_the_estimate_is_calibrated_on_the_walkthrough():
    """Within 15 % of the walkthrough's course total (195-210 min), so a new notebook gets an honest time."""
    estimate = sum(core_path.estimate_minutes(load(path))["core"] for path in NOTEBOOKS)
    assert 0.85 * 202.5 <= estimate <= 1.15 * 202.5, estimate


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_the_stated_minutes_are_the_estimate_written_by_the_tool(path):
    nb = load(path)
    stated = {k: nb.metadata["course"][k] for k in ("core_minutes", "deeper_minutes")}
    assert core_path.write_minutes(copy.deepcopy(nb)) == stated


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_each_notebook_states_both_paths_under_its_opening_cell(path):
    nb = load(path)
    meta = nb.metadata["course"]
    assert nb.cells[1].get("id") == core_path.CORE_CELL_ID
    stated = nb.cells[1].source
    assert f"**Core path:** about {meta['core_minutes']} minutes" in stated
    for part in core_path.deeper_headings(nb):
        assert f"*{part}*" in stated


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_deeper_part_is_set_apart_by_a_banner(path):
    nb = load(path)
    for index, cell in enumerate(nb.cells):
        if core_path.heading(cell) and core_path.DEEPER_TAG in cell.metadata.get("tags", []):
            assert core_path.is_banner(nb.cells[index + 1]), f"no banner under '{core_path.heading(cell)[1]}'"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_no_core_code_needs_a_deeper_part(path):
    assert core_path.names_needed_from_deeper(load(path)) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_stated_minutes_are_not_below_what_the_content_takes(path):
    """The estimate (words at 90 per minute plus a fixed time per chart, table, picture, widget and question)
    catches a time stated below the content."""
    nb = load(path)
    estimate, meta = core_path.estimate_minutes(nb), nb.metadata["course"]
    assert meta["core_minutes"] >= estimate["core"], estimate
    assert meta["deeper_minutes"] >= estimate["deeper"], estimate


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_quizzes_on_the_core_path_ask_only_about_core_parts(path):
    """A question about a deeper part sits in that part (or under 'More questions'), not on the core path."""
    nb = load(path)
    core_headings = {
        core_path.heading(c)[1]
        for c, p in zip(nb.cells, core_path.paths(nb), strict=True)
        if core_path.heading(c) and p == "core"
    }
    assert "More questions" not in core_headings


def synthetic(*cells) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    for kind, source, tags in cells:
        cell = nbformat.v4.new_markdown_cell(source) if kind == "md" else nbformat.v4.new_code_cell(source)
        cell.metadata["tags"] = tags
        nb.cells.append(cell)
    return nb


def test_a_deeper_part_runs_to_the_next_heading_of_its_level_and_the_checker_finds_a_core_dependency():
    nb = synthetic(
        ("md", "# Title", []),
        ("md", "## Core", []),
        ("md", "## Deeper", ["deeper"]),
        ("md", "### Inside", []),
        ("code", "model = 1", []),
        ("md", "## Core again", []),
        ("code", "print(model)", []),
    )
    assert core_path.paths(nb) == ["core", "core", "deeper", "deeper", "deeper", "core", "core"]
    assert core_path.names_needed_from_deeper(nb) == ["model"]


def test_structure_tool_writes_the_core_path_cell_and_banners_and_is_stable(tmp_path):
    nb = synthetic(("md", "# Title", []), ("md", "## Deeper", ["deeper"]), ("md", "Text.", []))
    nb.metadata["course"] = {"core_minutes": 10, "deeper_minutes": 5}
    core_path.sync(nb)
    assert nb.cells[1].source.startswith("**Core path:** about 10 minutes") and "*Deeper*" in nb.cells[1].source
    assert core_path.is_banner(nb.cells[3])
    again = nbformat.writes(nb)
    core_path.sync(nb)
    assert nbformat.writes(nb) == again


def test_course_map_and_planner_show_both_paths():
    plan = course.course_map()
    assert {"core_minutes", "deeper_minutes", "deeper_parts"} <= set(plan.columns)
    first = plan.set_index("notebook").loc["01_dermatomyositis.ipynb", "deeper_parts"]
    assert "An interferon-score lab (simulated data)" in first
    chart = course_charts.session_chart(plan, 90).to_dict()
    assert "core path" in chart["title"]["text"]
    assert f"{plan['core_minutes'].sum():.0f} minutes" in " ".join(chart["title"]["subtitle"])


def test_notebook_02_defines_ic50_and_censored_on_its_core_path_before_the_explorer_uses_them():
    """Review S8: the core explorer text speaks of IC50s and censored values, so the core path defines both."""
    from dmjak.references import keys_in_text

    nb = load(next(p for p in NOTEBOOKS if p.name.startswith("02_")))
    paths = core_path.paths(nb)
    explorer = next(i for i, c in enumerate(nb.cells) if "PathwayExplorer(" in c.source and c.cell_type == "code")
    core_text = "\n".join(
        c.source
        for c, p in zip(nb.cells[1:explorer], paths[1:explorer], strict=True)
        if p == "core" and c.cell_type == "markdown"
    )
    assert "IC50, the concentration of a drug that halves" in core_text
    assert "called censored" in core_text
    assert {"IUPACGoldBook2019", "LillyMOASE2026"} <= set(keys_in_text(core_text))
