"""Every notebook, once per CI parameter set it declares, executed headless through the harness.

The harness (dmjak.harness) runs each kernel with the network blocked and static charts, checks
parameter names, and fails any cell that used (nearly) its whole timeout. Executed copies: build/executed/.
"""

from __future__ import annotations

import pytest
from conftest import NOTEBOOKS

from dmjak.harness import ci_parameter_sets, run_notebook

CASES = [
    pytest.param(path, params, id=f"{path.stem}[{','.join(f'{k}={v}' for k, v in params.items())}]")
    for path in NOTEBOOKS
    for params in ci_parameter_sets(path)
]


@pytest.mark.notebook
@pytest.mark.parametrize(("path", "parameters"), CASES)
def test_notebook_runs_headless_and_offline(path, parameters):
    executed = run_notebook(path, parameters)
    assert executed.is_file()


def test_there_are_notebooks_to_run():
    assert any(p.name == "00_start_here.ipynb" for p in NOTEBOOKS)
    assert len(CASES) >= len(NOTEBOOKS)
