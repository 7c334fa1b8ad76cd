"""The benchmark's floors and summaries are what they claim to be (the timings themselves are not tested)."""

from __future__ import annotations

import ast
import importlib.util
import json
import os

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
    p1 = {"course_wall_s": 90.0, "floor_wall_s": 30.0, "ratio": 3.0, "cpu_ratio": 2.9, "failures": []}
    p1["first_run"] = {"course_wall_s": 40.0, "course_cpu_s": 50.0, "ratio": 1.33, "cpu_ratio": 1.3}
    p4 = {"largest_executed_bytes": 500_000, "largest_js_bytes": 2_500_000}
    rows = {row[0]: row[3] for row in bench.summary({"P1": p1, "P4": p4})}
    assert rows["P1 course vs import-only floor (steady)"] == "MISSED"
    assert rows["P1 first run after setup (no chart drawn yet)"] == "met"
    assert rows["P4 largest executed notebook"] == "met"
    assert rows["P4 widget JS per notebook (browser)"] == "MISSED"


def test_a_missing_chromium_is_reported_before_anything_is_measured(monkeypatch, capsys):
    monkeypatch.setenv("DMJAK_CHROMIUM", "/nonexistent/chromium")
    assert bench.main(["--skip-install"]) == 2
    message = capsys.readouterr().err
    assert "Chromium not found at /nonexistent/chromium" in message and "--skip-browser" in message
    assert bench.missing_prerequisites(skip_browser=True) == []


def test_figures_measured_before_a_failing_stage_are_written(tmp_path):
    record = {"notebook": "00_start_here.ipynb", "parameters": {}, "status": "ok", "seconds": 4.2}
    p1 = {"runs": 1, "course_wall_s": 40.0, "floor_wall_s": 30.0, "ratio": 1.33, "failures": [], "records": [record]}
    results = {"budgets": bench.BUDGETS, "stage_errors": {"browser": "browser tests failed"}, "P1": p1}
    for name in ("peak_kernel_mb", "executed_bytes"):
        record[name] = 1
    rows = bench.write_results(results, tmp_path)
    written = json.loads((tmp_path / "results.json").read_text())
    assert written["P1"]["course_wall_s"] == 40.0 and written["stage_errors"] == {"browser": "browser tests failed"}
    assert [r[0] for r in rows] == ["P1 course vs import-only floor (steady)"]
    assert "00_start_here.ipynb" in (tmp_path / "execution.md").read_text()


def test_course_and_floor_take_turns_going_first_and_a_steady_drift_cancels():
    orders = [bench.round_order(i) for i in range(bench.ROUNDS)]
    assert orders == [("course", "floor"), ("floor", "course"), ("floor", "course"), ("course", "floor")]
    slots = {kind: [2 * i + order.index(kind) for i, order in enumerate(orders)] for kind in ("course", "floor")}
    assert sum(slots["course"]) == sum(slots["floor"])  # a machine slowing by the same step per batch hits both


def test_p1_takes_the_median_of_paired_ratios_so_one_disturbed_batch_cannot_decide_it():
    rounds = [
        {"course_wall_s": 20.0, "floor_wall_s": 16.0, "course_cpu_s": 30.0, "floor_cpu_s": 25.0},  # 1.25
        {"course_wall_s": 21.0, "floor_wall_s": 40.0, "course_cpu_s": 33.0, "floor_cpu_s": 24.0},  # a slow floor
        {"course_wall_s": 60.0, "floor_wall_s": 15.0, "course_cpu_s": 31.0, "floor_cpu_s": 26.0},  # a slow course
        {"course_wall_s": 22.0, "floor_wall_s": 16.0, "course_cpu_s": 32.0, "floor_cpu_s": 25.0},  # 1.375
    ]
    figures = bench.compare_rounds(rounds)
    assert figures["ratio"] == round((1.25 + 1.375) / 2, 2)
    assert (figures["course_wall_s"], figures["floor_wall_s"]) == (21.5, 16.0)
    assert figures["cpu_ratio"] == round((30 / 25 + 32 / 25) / 2, 2)
    assert bench.typical_round(rounds) in (0, 3)


def test_p1_runs_a_first_batch_then_paired_rounds_in_a_cache_of_its_own(tmp_path, monkeypatch):
    calls, seconds = [], iter([30.0] + [20.0, 16.0, 15.0, 21.0, 16.0, 22.0, 23.0, 15.0])

    def fake_batch(runs, output_dir):
        calls.append((output_dir.name, os.environ.get("DMJAK_CACHE_DIR")))
        status = "failed: boom" if output_dir.name == "floor-2" else "ok"
        return next(seconds), 1.0, [{"notebook": p.name, "parameters": s, "status": status} for p, s in runs]

    monkeypatch.setattr(bench, "run_batch", fake_batch)
    monkeypatch.setattr(bench, "as_after_setup", lambda: None)
    monkeypatch.delenv("DMJAK_CACHE_DIR", raising=False)
    p1 = bench.p1_course(tmp_path)
    assert [name for name, _ in calls] == [
        "first",
        "course-0",
        "floor-0",
        "floor-1",
        "course-1",
        "floor-2",
        "course-2",
        "course-3",
        "floor-3",
    ]
    assert {cache for _, cache in calls} == {str(tmp_path / "cache")} and "DMJAK_CACHE_DIR" not in os.environ
    assert [r["course_wall_s"] for r in p1["rounds"]] == [20.0, 21.0, 22.0, 23.0]
    assert p1["first_run"]["course_wall_s"] == 30.0 and p1["runs"] == len(p1["records"])
    assert len(p1["failures"]) == p1["runs"]  # every floor of round 2 failed: listed once each
    verdicts = {row[0]: row[3] for row in bench.summary({"P1": p1})}
    assert set(verdicts.values()) == {f"INVALID ({p1['runs']} failed runs)"}
