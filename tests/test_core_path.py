"""A core path for a novice (at most 2.5 hours for the course) and parts for going deeper (issue 21, item 4)."""

from __future__ import annotations

import nbformat
import pytest
from conftest import NOTEBOOKS

from dmjak import course
from dmjak.charts import course as course_charts
from dmjak.tooling import core_path

CORE_BUDGET_MINUTES = 150


def load(path):
    return nbformat.read(path, as_version=4)


def test_the_core_path_of_the_whole_course_takes_at_most_two_and_a_half_hours():
    plan = course.course_map()
    assert plan["core_minutes"].notna().all() and plan["deeper_minutes"].notna().all()
    assert plan["core_minutes"].sum() <= CORE_BUDGET_MINUTES
    assert (plan["core_minutes"] + plan["deeper_minutes"] == plan["minutes"]).all(), "the header's time is both paths"


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
    """The stated times came from the walkthrough; the estimate (words at 110 per minute plus a fixed time
    per chart, table, widget and question) catches a time stated far below the content."""
    nb = load(path)
    estimate, meta = core_path.estimate_minutes(nb), nb.metadata["course"]
    assert meta["core_minutes"] >= 0.85 * estimate["core"], estimate
    assert meta["deeper_minutes"] >= 0.85 * estimate["deeper"], estimate


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
