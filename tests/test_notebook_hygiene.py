"""What a committed notebook must be: clean, self-describing, cited, and portable."""

from __future__ import annotations

import json
import re

import pytest
from conftest import NOTEBOOKS, REPO

from dmjak.data import load_table
from dmjak.quiz import quiz_items
from dmjak.references import keys_in_notebook, unresolved

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
