"""Every notebook, once per CI parameter set it declares, executed headless through the harness.

The harness (dmjak.tooling.harness) runs each kernel with the network blocked and static charts, checks
parameter names, and fails any cell that used (nearly) its whole timeout. Each run happens in its own
process so the kernel's peak memory can be measured (Binder gives 2 GB; the budget here is 1 GB).
Executed copies: build/executed/; run records: build/runs/.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import nbformat
import pytest
from conftest import NOTEBOOKS, REPO

from dmjak.tooling.harness import ci_parameter_sets, output_name, run_in_subprocess

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
