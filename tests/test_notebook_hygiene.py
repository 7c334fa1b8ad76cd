"""What a committed notebook must be: clean, self-describing, cited, and portable."""

from __future__ import annotations

import json
import re

import nbformat
import pytest
from conftest import NOTEBOOKS, REPO

from dmjak.data import load_table
from dmjak.glossary import GLOSSARY_ANCHOR, glossary_cells
from dmjak.quiz import quiz_items
from dmjak.references import keys_in_notebook, unresolved
from dmjak.tooling import structure

ABSOLUTE_PATH = re.compile(r"(?<![\w.])(/home/|/work/|/tmp/|/Users/|/root/|[A-Za-z]:\\\\)")


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def markdown(nb) -> str:
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


def headings(nb) -> list[int]:
    levels = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        in_fence = False
        for line in "".join(cell["source"]).splitlines():
            if line.startswith("```"):
                in_fence = not in_fence
            match = re.match(r"^(#{1,6}) ", line)
            if match and not in_fence:
                levels.append(len(match.group(1)))
    return levels


ids = [p.stem for p in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_committed_without_outputs_or_widget_state(path):
    nb = load(path)
    for index, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [], f"cell {index} has outputs"
            assert cell["execution_count"] is None, f"cell {index} has an execution count"
    assert "widgets" not in nb["metadata"]
    assert "papermill" not in nb["metadata"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_kernel_and_course_metadata(path):
    nb = load(path)
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    course = nb["metadata"]["course"]
    assert course["title"] and course["audience"]
    assert isinstance(course["minutes"], int) and 5 <= course["minutes"] <= 120
    assert 3 <= len(course["objectives"]) <= 5
    first = "".join(nb["cells"][0]["source"])
    assert first.startswith("# "), "the first cell is the title"
    for label in ("Who this is for", "Time", "By the end of this notebook"):
        assert label in first, f"the opening cell states '{label}'"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_one_title_and_ordered_headings(path):
    levels = headings(load(path))
    assert levels.count(1) == 1 and levels[0] == 1
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, f"heading jumps from level {before} to {after}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_no_absolute_paths(path):
    for index, cell in enumerate(load(path)["cells"]):
        found = ABSOLUTE_PATH.search("".join(cell["source"]))
        assert not found, f"cell {index} has an absolute path: {found.group(0)}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_citations_resolve_and_quizzes_exist(path):
    keys = keys_in_notebook(path)
    assert keys, "a notebook cites its sources"
    assert unresolved(keys) == []
    code = "\n".join("".join(c["source"]) for c in load(path)["cells"] if c["cell_type"] == "code")
    asked = re.findall(r'quiz\("([^"]+)"\)', code)
    known = quiz_items(path.stem)
    assert set(asked) <= set(known), f"unknown quiz ids {set(asked) - set(known)}"
    assert len(asked) >= 2, "at least two check-your-understanding questions"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_parameters_cell_is_tagged_when_ci_parameters_are_declared(path):
    nb = load(path)
    declared = {k for ps in nb["metadata"]["course"].get("ci_parameters", []) for k in ps}
    tagged = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    if declared:
        assert len(tagged) == 1
        source = "".join(tagged[0]["source"])
        for name in declared:
            assert re.search(rf"^{name}\s*=", source, re.M), f"{name} not assigned in the parameters cell"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_not_medical_advice_is_stated_or_linked(path):
    text = markdown(load(path))
    if path.name == "00_start_here.ipynb":
        assert "Educational, not medical advice" in text
    else:
        assert "00_start_here.ipynb" in text and "not medical advice" in text


def test_every_quiz_is_asked_in_its_own_notebook():
    asked = {p.stem: "\n".join("".join(c["source"]) for c in load(p)["cells"]) for p in NOTEBOOKS}
    for row in load_table("quiz_items").itertuples():
        assert f'quiz("{row.quiz_id}")' in asked.get(row.notebook, ""), f"quiz {row.quiz_id} is never asked"


def test_notebooks_folder_holds_only_course_files():
    allowed = re.compile(r"^(\d{2}_[a-z0-9_]+\.ipynb|README\.md)$")
    strays = [p.name for p in (REPO / "notebooks").iterdir() if not allowed.match(p.name)]
    assert strays == []


# --- one shape for every notebook (and for the template the next notebook starts from) ---------------

TEMPLATE = REPO / "templates" / "notebook.ipynb"
SHAPED = [*NOTEBOOKS, TEMPLATE]
shaped_ids = [*ids, "template"]


def test_the_template_lives_outside_the_notebooks_the_harness_runs():
    assert TEMPLATE.is_file()
    assert TEMPLATE not in NOTEBOOKS


@pytest.mark.parametrize("path", SHAPED, ids=shaped_ids)
def test_header_is_the_single_source_of_the_course_metadata(path):
    nb = load(path)
    stated = structure.header_fields("".join(nb["cells"][0]["source"]))
    course = nb["metadata"]["course"]
    for key in ("title", "minutes", "objectives"):
        assert course[key] == stated[key], (
            f"metadata.course.{key} differs from the opening cell; run dmjak.tooling.structure"
        )


@pytest.mark.parametrize("path", SHAPED, ids=shaped_ids)
def test_opening_cell_states_prerequisites_and_links_the_glossary(path):
    first = "".join(load(path)["cells"][0]["source"])
    assert structure.PREREQUISITES in first
    prerequisites = next(line for line in first.splitlines() if line.startswith(structure.PREREQUISITES))
    for target in re.findall(r"\]\(([^)#]+\.ipynb)\)", prerequisites):
        assert (REPO / "notebooks" / target).is_file(), f"prerequisite {target} does not exist"
    assert "#Glossary)" in first, "the opening cell links the glossary"


@pytest.mark.parametrize("path", SHAPED, ids=shaped_ids)
def test_one_heading_per_markdown_cell_at_its_top(path):
    for cell in load(path)["cells"]:
        if cell["cell_type"] == "markdown":
            parts = structure.heading_parts("".join(cell["source"]))
            assert len(parts) == 1, (
                f"cell {cell['id']} holds {len(parts)} sections; split it (slides break on headings)"
            )


@pytest.mark.parametrize("path", SHAPED, ids=shaped_ids)
def test_cell_ids_are_unique(path):
    cell_ids = [c["id"] for c in load(path)["cells"]]
    assert len(cell_ids) == len(set(cell_ids))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_every_glossary_term_is_linked_at_its_first_use(path):
    nb = nbformat.read(path, as_version=4)
    assert structure.unlinked_terms(nb) == [], "run python -m dmjak.tooling.structure notebooks/*.ipynb"


@pytest.mark.parametrize("path", SHAPED, ids=shaped_ids)
def test_structure_tool_has_nothing_left_to_change(path, tmp_path):
    copy = tmp_path / path.name
    copy.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    assert not structure.tidy(copy), "run python -m dmjak.tooling.structure on this notebook"


def test_the_glossary_section_exists_where_the_links_point():
    nb = load(REPO / "notebooks" / "00_start_here.ipynb")
    cells = ["".join(c["source"]) for c in nb["cells"]]
    heading = cells.index(next(c for c in cells if c.startswith(f"## {GLOSSARY_ANCHOR}")))
    terms = glossary_cells()
    assert cells[heading + 1 : heading + 1 + len(terms)] == [text for _, text in terms], "written from glossary.csv"
    assert [c["id"] for c in nb["cells"][heading + 1 : heading + 1 + len(terms)]] == [i for i, _ in terms]
    assert all(c["cell_type"] == "markdown" for c in nb["cells"][heading + 1 : heading + 1 + len(terms)])


# "parameters" of a PK model are pharmacology; "the notebook's parameter" is programming
DEVELOPER_WORDS = re.compile(
    r"(?<!% )\b(CI|docstring|seeded|seed|svg|assertion|headless)\b|(?<!sourced )(?<!volunteer )\bparameters?\b"
    r"|\((coming|planned)\)|\*coming\*",
    re.I,
)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_students_read_no_developer_words(path):
    found = DEVELOPER_WORDS.findall(markdown(load(path)))
    assert not found, f"developer language in the text students read: {found}"


def test_no_coming_or_planned_leftovers_in_the_course_map_or_readme():
    for path in (REPO / "src" / "dmjak" / "course.py", REPO / "README.md"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\b(coming|planned|PLANNED)\b", text), path.name


def test_one_function_lists_the_course_notebooks():
    """dmjak.course.notebook_paths is the one list of the course's notebooks: no other code globs for them
    (a glob elsewhere can disagree with it, e.g. by picking up a stray or a checkpoint copy)."""
    listing = re.compile(r"""\.r?glob\(\s*["'][^"']*\.ipynb["']""")
    sources = [*(REPO / "src").rglob("*.py"), *(REPO / "tests").rglob("*.py"), *(REPO / "benchmarks").rglob("*.py")]
    globbing = [p.relative_to(REPO).as_posix() for p in sources if listing.search(p.read_text(encoding="utf-8"))]
    assert globbing == ["src/dmjak/course.py"]
