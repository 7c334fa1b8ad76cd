"""A core path for a novice (at most 2.5 hours for the course) and parts for going deeper (issue 21, item 4)."""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat
import pytest
from conftest import NOTEBOOKS

from dmjak import course
from dmjak.charts import course as course_charts
from dmjak.tooling import core_path

# The independent student walkthrough of 2026-12-03 (/work/reviews/student.md), minutes on each core path as
# timed or estimated by a novice reader (lower ends of its ranges; midpoint of the course total 195-210).
WALKTHROUGH_CORE_MINUTES = {"00": 15, "01": 25, "02": 20, "03": 25, "04": 20, "05": 40, "06": 20, "07": 30}
WALKTHROUGH_TOTAL = 202.5
# Cells the walkthrough read on the core path that have since moved into Going deeper parts (issue 21 item 4:
# the core path cut from 209 to 148 minutes), so the estimate can still be checked against what it timed.
WALKTHROUGH_CORE_NOW_DEEPER = {
    "00": ["c08-00starthereipynb", "c09-00starthereipynb", "c10-00starthereipynb", "c16-00starthereipynb"],
    "01": ["c14-01dermatomyositisipy", "c15-01dermatomyositisipy"],
    "02": ["c19-02interferonjakstati"],
    "03": [
        "c06-03baricitinibpharmac",
        "c14-03-modifiers-table",
        "c03-pregnancy-breastfeeding",
        "c23-03baricitinibpharmac",
        "c25-03baricitinibpharmac",
        "c26-03baricitinibpharmac",
        "c03-quiz-eu-dose-groups",
        "c03-quiz-pregnancy",
    ],
    "04": ["c13-04measuringdiseaseip", "c14-04measuringdiseaseip"],
    "05": [
        "c12-05baricitinibcasesip",
        "c13-05baricitinibcasesip",
        "c15-05baricitinibcasesip",
        "c16-05baricitinibcasesip",
        "c17-05baricitinibcasesip",
        "c18-05baricitinibcasesip",
        "c19-05baricitinibcasesip",
        "c31-05baricitinibcasesip",
        "c35-05baricitinibcasesip",
        "c-cases-excipients",
        "c37-05baricitinibcasesip",
    ],
    "06": ["c20-06weighingtheevidenc"],
    "07": [
        "c07-07usingjakinhibitors",
        "c08-07usingjakinhibitors",
        "c-07-kidney-dose",
        "c14-07usingjakinhibitors-3",
        "c19-07usingjakinhibitors",
        "c20-07usingjakinhibitors",
        "c-safety-breastfeeding",
        "c22-07usingjakinhibitors",
        "c-safety-combination",
        "c23-07usingjakinhibitors",
        "c-safety-ivig-thrombosis",
        "c-safety-kidney-dose",
        "c21-07usingjakinhibitors",
    ],
}
ISSUE_TARGET_MINUTES = 150  # issue 21: a core path of at most 2.5 hours for the whole course


def load(path):
    return nbformat.read(path, as_version=4)


def walkthrough_core_estimate(path) -> float:
    """The estimate for the cells the walkthrough read as the core path: today's core cells and those moved since."""
    nb = load(path)
    moved = set(WALKTHROUGH_CORE_NOW_DEEPER[path.name[:2]])
    return sum(
        core_path.cell_minutes(cell)
        for cell, part in zip(nb.cells, core_path.paths(nb), strict=True)
        if part == "core" or cell.get("id") in moved
    )


def test_the_core_path_of_the_course_fits_in_two_and_a_half_hours():
    plan = course.course_map()
    assert plan["core_minutes"].notna().all() and plan["deeper_minutes"].notna().all()
    assert plan["core_minutes"].sum() <= ISSUE_TARGET_MINUTES, plan[["notebook", "core_minutes"]]
    assert (plan["core_minutes"] + plan["deeper_minutes"] == plan["minutes"]).all(), "the header's time is both paths"


def test_the_estimate_is_calibrated_on_the_walkthrough():
    """On the content the walkthrough timed as the core path, the estimate is within 15 % of its course total and
    not far below it in any notebook, so the stated times of the shorter core path are honest too."""
    estimates = {path.name[:2]: walkthrough_core_estimate(path) for path in NOTEBOOKS}
    assert 0.85 * WALKTHROUGH_TOTAL <= sum(estimates.values()) <= 1.15 * WALKTHROUGH_TOTAL, estimates
    short = {nb: round(estimates[nb]) for nb, timed in WALKTHROUGH_CORE_MINUTES.items() if estimates[nb] < 0.8 * timed}
    assert not short, f"estimate far below the walkthrough: {short}"


def test_the_cells_moved_since_the_walkthrough_are_still_in_the_notebooks_and_in_deeper_parts():
    """Moving content off the core path must not delete it: every cell the walkthrough read is still there."""
    for path in NOTEBOOKS:
        nb = load(path)
        where = {cell.get("id"): part for cell, part in zip(nb.cells, core_path.paths(nb), strict=True)}
        for cell_id in WALKTHROUGH_CORE_NOW_DEEPER[path.name[:2]]:
            assert where.get(cell_id) == "deeper", (path.name, cell_id)


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
def test_every_deeper_part_is_marked_before_its_text_folded_in_jupyterlab_and_boxed_elsewhere(path):
    """Review S7: the banner sits right under the heading (before any of the part's text), JupyterLab 4 opens the
    part folded (its own cell metadata), and every cell of the part, and only those, carries the tag that the
    exported pages, Voila and the site draw as a set-apart box."""
    nb = load(path)
    for cell, part in zip(nb.cells, core_path.paths(nb), strict=True):
        tagged = core_path.PART_TAG in cell.metadata.get("tags", [])
        assert tagged == (part == "deeper"), (cell.get("id"), part)
        if core_path.is_deeper_heading(cell):
            assert core_path.has_banner(cell), f"no banner right under '{core_path.heading(cell)[1]}'"
            assert cell.metadata.get(core_path.COLLAPSED) is True
        else:
            assert core_path.COLLAPSED not in cell.metadata and core_path.BANNER not in cell.source
            assert not core_path.is_banner(cell), "a banner cell of its own (the old layout, after the part's text)"


def test_the_set_apart_box_is_styled_in_every_html_output():
    """The same rule in the exported pages (passed by the exporter), the presenter view and the site."""
    from dmjak.tooling import export

    root = Path(core_path.__file__).parent
    assert core_path.DEEPER_CSS in (root / "templates/voila/dmjak-presenter/index.html.j2").read_text()
    assert core_path.DEEPER_CSS in (root / "site/static/course.css").read_text()
    assert "resources.dmjak_deeper_css" in (root / "templates/dmjak_offline/index.html.j2").read_text()
    assert "core_path.DEEPER_CSS" in Path(export.__file__).read_text()
    for selector in (f".celltag_{core_path.PART_TAG}", f".tag_{core_path.PART_TAG}"):  # nbconvert/Voila, myst-nb
        assert selector in core_path.DEEPER_CSS
    # the site boxes the whole section (myst-nb tags code cells only), found by the banner that opens it
    assert "section.dmjak-deeper" in (root / "site/static/course.css").read_text()
    conf = (root / "site/conf.py").read_text()
    assert 'app.connect("doctree-resolved", mark_deeper_sections)' in conf
    assert core_path.BANNER_START.removeprefix("> ").replace("**", "") in conf


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_glossary_term_on_the_core_path_shows_its_definition_there(path):
    """A term the core path uses is defined in place on the core path, even when a Going deeper part used it first."""
    from dmjak.tooling import structure

    nb = load(path)
    assert structure.unlinked_terms(nb) == []
    core_only = copy.deepcopy(nb)
    core_only.cells = [c for c, part in zip(nb.cells, core_path.paths(nb), strict=True) if part == "core"]
    assert structure.unlinked_terms(core_only) == [], "a core-path term is defined only in a Going deeper part"


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
    nb = synthetic(
        ("md", "# Title", []),
        ("md", "## Deeper\n\nIts first paragraph.", ["deeper"]),
        ("md", "Text.", []),
        ("md", "## Core", []),
    )
    nb.metadata["course"] = {"core_minutes": 10, "deeper_minutes": 5}
    core_path.sync(nb)
    assert nb.cells[1].source.startswith("**Core path:** about 10 minutes") and "*Deeper*" in nb.cells[1].source
    deeper = nb.cells[2]
    assert deeper.source == f"## Deeper\n\n{core_path.BANNER}" and deeper.metadata[core_path.COLLAPSED] is True
    assert nb.cells[3].source == "Its first paragraph."  # after the banner, in a cell of its own
    assert [core_path.PART_TAG in c.metadata.get("tags", []) for c in nb.cells] == [
        False,
        False,
        True,
        True,
        True,
        False,
    ]
    again = nbformat.writes(nb)
    core_path.sync(nb)
    assert nbformat.writes(nb) == again


def test_an_old_banner_cell_after_the_text_is_replaced():
    nb = synthetic(
        ("md", "# Title", []),
        ("md", "## Deeper\n\nText.", ["deeper"]),
        ("md", "> **Going deeper (optional).** Older wording.", []),
    )
    nb.metadata["course"] = {"core_minutes": 1, "deeper_minutes": 1}
    core_path.sync(nb)
    assert [c.source for c in nb.cells[2:]] == [f"## Deeper\n\n{core_path.BANNER}", "Text."]


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
    from dmjak.tooling import structure

    nb = load(next(p for p in NOTEBOOKS if p.name.startswith("02_")))
    paths = core_path.paths(nb)
    explorer = next(i for i, c in enumerate(nb.cells) if "PathwayExplorer(" in c.source and c.cell_type == "code")
    core_text = "\n".join(
        structure.plain_terms(c.source)  # the words as read (a term link shows its definition in place)
        for c, p in zip(nb.cells[1:explorer], paths[1:explorer], strict=True)
        if p == "core" and c.cell_type == "markdown"
    )
    assert "IC50, the concentration of a drug that halves" in core_text
    assert "called censored" in core_text
    assert {"IUPACGoldBook2019", "LillyMOASE2026"} <= set(keys_in_text(core_text))
