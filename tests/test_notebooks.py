"""Every notebook, once per CI parameter set it declares, executed headless through the harness.

The harness (dmjak.tooling.harness) runs each kernel with the network blocked and static charts, checks
parameter names, and fails any cell that used (nearly) its whole timeout. Each run happens in its own
process so the kernel's peak memory can be measured (Binder gives 2 GB; the budget here is 1 GB).
Executed copies: build/executed/; run records: build/runs/.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import NOTEBOOKS, REPO

from dmjak.paths import CACHE_ENV_VAR
from dmjak.tooling.harness import ci_parameter_sets, output_name, run_in_subprocess

# Ids that differ between two runs by design: widget model ids and display ids (uuid4 hex).
RANDOM_ID = re.compile(r"\b[0-9a-f]{32}\b|\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
MEMORY_BUDGET_MB = 1024
EXECUTED_BUDGET_BYTES = 1_000_000

CASES = [
    pytest.param(path, params, id=f"{path.stem}[{','.join(f'{k}={v}' for k, v in params.items())}]")
    for path in NOTEBOOKS
    for params in ci_parameter_sets(path)
]


@pytest.mark.notebook
@pytest.mark.parametrize(("path", "parameters"), CASES)
def test_notebook_runs_headless_offline_and_within_budgets(path, parameters):
    record = run_in_subprocess(path, parameters)
    executed = REPO / "build" / "executed" / output_name(path, parameters)
    assert executed.is_file()
    runs = REPO / "build" / "runs"
    runs.mkdir(parents=True, exist_ok=True)
    record["executed_bytes"] = os.path.getsize(executed)
    (runs / output_name(path, parameters).replace(".ipynb", ".json")).write_text(json.dumps(record, indent=1))
    assert record["peak_kernel_mb"] < MEMORY_BUDGET_MB, record
    assert record["executed_bytes"] < EXECUTED_BUDGET_BYTES, record


def comparable(path) -> str:
    """An executed notebook without what may differ between identical runs: timings, widget state and ids."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    for key in ("papermill", "widgets"):
        nb["metadata"].pop(key, None)
    for cell in nb["cells"]:
        for key in ("execution", "papermill"):
            cell["metadata"].pop(key, None)
    return RANDOM_ID.sub("<id>", json.dumps(nb, indent=1, sort_keys=True))


@pytest.mark.notebook
@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if p.name[:2].isdigit()], ids=lambda p: p.stem)
def test_two_runs_give_identical_outputs(path, tmp_path, monkeypatch):
    """Determinism is checked, not assumed: each notebook's default run, twice, output for output.

    Default parameters only (one pair per notebook, about 10 s each): the other parameter sets run the
    same code paths with other inputs, and the course is seeded, not parameter-dependent, in its randomness.
    Each run gets an empty cache, so every chart is really converted twice (a cached SVG would hide
    randomness inside the renderer, such as Vega's own jitter).
    """
    outputs = []
    for run in ("first", "second"):
        monkeypatch.setenv(CACHE_ENV_VAR, str(tmp_path / f"cache-{run}"))
        outputs.append(run_in_subprocess(path, {}, output_dir=tmp_path / run)["output"])
    first, second = outputs
    a, b = comparable(Path(first)), comparable(Path(second))
    if a != b:
        at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
        pytest.fail(
            f"{path.name} gave different outputs in two runs; first difference at character {at}:\n"
            f"first run:  ...{a[max(at - 200, 0) : at + 80]}...\nsecond run: ...{b[max(at - 200, 0) : at + 80]}..."
        )


def test_comparison_ignores_only_timings_and_ids(tmp_path):
    def executed(name: str, when: str, model_id: str, value: str):
        view = {"application/vnd.jupyter.widget-view+json": {"model_id": model_id}, "text/plain": value}
        cell = {"cell_type": "code", "source": "x", "execution_count": 1, "metadata": {"execution": {"idle": when}}}
        cell["outputs"] = [{"output_type": "display_data", "data": view, "metadata": {}}]
        nb = {"cells": [cell], "metadata": {"papermill": {"end_time": when}, "widgets": {model_id: {}}}}
        (tmp_path / name).write_text(json.dumps(nb))
        return comparable(tmp_path / name)

    first = executed("one.ipynb", "09:00", "a" * 32, "42")
    assert executed("two.ipynb", "10:00", "b" * 32, "42") == first
    assert executed("three.ipynb", "09:00", "a" * 32, "43") != first


def test_there_are_notebooks_to_run():
    assert any(p.name == "00_start_here.ipynb" for p in NOTEBOOKS)
    assert len(CASES) >= len(NOTEBOOKS)


def test_a_failing_notebook_shows_its_cell_source_and_traceback_in_pytest_output(tmp_path):
    """Run pytest on a deliberately failing notebook, the way the test above runs each course notebook."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_code_cell("ready = True"),
        nbformat.v4.new_code_cell(
            "def deliberately_broken():\n    raise ValueError('planted failure 4711')\ndeliberately_broken()"
        ),
    ]
    notebook = tmp_path / "planted.ipynb"
    nbformat.write(nb, notebook)
    probe = tmp_path / "test_planted.py"
    probe.write_text(
        "from dmjak.tooling.harness import run_in_subprocess\n\n"
        "def test_planted():\n"
        f"    run_in_subprocess({str(notebook)!r}, {{}}, output_dir={str(tmp_path / 'out')!r})\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "0", "-p", "no:cacheprovider", "-q", str(probe)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )
    assert done.returncode == 1, done.stdout[-3000:]
    report = done.stdout
    assert "NotebookRunError" in report
    assert "cell 1:" in report and "def deliberately_broken():" in report  # the failing cell's source
    assert "ValueError: planted failure 4711" in report  # the exception
    assert "raise ValueError('planted failure 4711')" in report.split("ValueError: planted failure 4711", 1)[1]
