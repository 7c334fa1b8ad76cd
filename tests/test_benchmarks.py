"""The benchmark's floors and summaries are what they claim to be (the timings themselves are not tested)."""

from __future__ import annotations

import ast
import importlib.util

import nbformat
from conftest import NOTEBOOKS, REPO

spec = importlib.util.spec_from_file_location("bench_run", REPO / "benchmarks" / "run.py")
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)


def test_floor_notebook_holds_exactly_the_course_notebooks_imports_and_nothing_else(tmp_path):
    cases = next(p for p in NOTEBOOKS if p.name.startswith("05_"))
    floor = nbformat.read(bench.import_only_copy(cases, tmp_path, 0), as_version=4)
    assert len(floor.cells) == 1
    body = ast.parse(floor.cells[0].source).body
    assert body and all(isinstance(node, ast.Import | ast.ImportFrom) for node in body)
    modules = {getattr(node, "module", None) or node.names[0].name for node in body}
    assert {"pandas", "dmjak.models.reconstruction"} <= modules


def test_core_packages_are_installed_at_the_same_pins_as_the_course():
    pins = [bench.pinned(p) for p in bench.CORE_PACKAGES]
    requirements = (REPO / "requirements.txt").read_text()
    assert all("==" in pin and pin in requirements for pin in pins)


def test_summary_marks_a_missed_budget():
    p1 = {"course_wall_s": 90.0, "floor_wall_s": 30.0, "ratio": 3.0}
    p4 = {"largest_executed_bytes": 500_000, "largest_js_bytes": 2_500_000}
    rows = {row[0]: row[3] for row in bench.summary({"P1": p1, "P4": p4})}
    assert rows["P1 course vs import-only floor"] == "MISSED"
    assert rows["P4 largest executed notebook"] == "met"
    assert rows["P4 widget JS per notebook (browser)"] == "MISSED"
