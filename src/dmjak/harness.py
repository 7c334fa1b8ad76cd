"""Run a course notebook headless, the way CI does: papermill, offline, static charts, timed cells.

Used by the test suite and by anything else that executes notebooks. What it guarantees:
- parameter names are checked against the notebook's ``parameters`` cell before anything runs;
- the kernel runs with ``DMJAK_RENDER=svg`` (static charts) and with the network blocked;
- every cell has an execution timeout, and a cell that used (nearly) all of it fails the run, because
  nbclient can stall on a cell and then mark it completed with no error;
- a failure names the failing cell, shows its source and the traceback; the executed copy is kept.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

import nbformat
import papermill as pm
from nbclient.exceptions import CellTimeoutError, DeadKernelError

from dmjak.course import notebook_metadata
from dmjak.params import ParameterError
from dmjak.paths import build_dir

KERNEL_SITE = Path(__file__).with_name("_kernel_site")
DEFAULT_TIMEOUT = 60
STALL_FRACTION = 0.9
ANSI = re.compile(r"\x1b\[[0-9;]*m")


class NotebookRunError(RuntimeError):
    """A notebook failed to run cleanly; the message says which cell and why."""


def ci_parameter_sets(path: Path) -> list[dict]:
    """The parameter sets a notebook asks CI to run (``metadata.course.ci_parameters``), or ``[{}]``."""
    return notebook_metadata(path).get("ci_parameters") or [{}]


def declared_parameters(path: Path) -> list[str]:
    """Names assigned in the notebook's cell tagged ``parameters``."""
    return list(pm.inspect_notebook(str(path)).keys())


def check_parameter_names(path: Path, parameters: dict) -> None:
    declared = declared_parameters(path)
    unknown = sorted(set(parameters) - set(declared))
    if unknown:
        raise ParameterError(f"{path.name} has no parameter(s) {unknown}; valid parameters: {declared or 'none'}")


def output_name(path: Path, parameters: dict) -> str:
    suffix = "".join(f"-{k}={v}" for k, v in sorted(parameters.items()))
    return re.sub(r"[^\w=.-]", "_", f"{path.stem}{suffix}") + ".ipynb"


@contextlib.contextmanager
def kernel_environment(block_network: bool = True, render: str = "svg"):
    """Environment the harness's kernels inherit: static rendering, network guard on."""
    saved = dict(os.environ)
    os.environ["DMJAK_RENDER"] = render
    if block_network:
        os.environ["DMJAK_BLOCK_NETWORK"] = "1"
        os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(KERNEL_SITE), saved.get("PYTHONPATH", "")) if p)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


PAPERMILL_TAGS = {"papermill-error-cell-tag", "injected-parameters"}


def _original_cells(nb):
    """(index in the source notebook, cell) pairs, leaving out the cells papermill inserted."""
    cells = [c for c in nb.cells if not PAPERMILL_TAGS & set(c.get("metadata", {}).get("tags", []))]
    return list(enumerate(cells))


def _stalled_cells(nb, timeout: float) -> list[str]:
    slow = []
    for index, cell in _original_cells(nb):
        duration = cell.get("metadata", {}).get("papermill", {}).get("duration")
        if duration is not None and duration >= STALL_FRACTION * timeout:
            slow.append(
                f"cell {index} ran {duration:.1f} s of its {timeout} s timeout "
                f"(a stalled or too-slow cell):\n{cell.source[:500]}"
            )
    return slow


def _failing_cell(nb) -> str:
    for index, cell in _original_cells(nb):
        if cell.cell_type == "code" and any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return f"cell {index}:\n{cell.source}"
    return "(no cell carries an error output)"


def run_notebook(
    path: str | Path,
    parameters: dict | None = None,
    output_dir: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    block_network: bool = True,
) -> Path:
    """Execute ``path`` with ``parameters``; return the executed copy's path or raise with details."""
    path = Path(path).resolve()
    parameters = dict(parameters or {})
    check_parameter_names(path, parameters)
    output_dir = output_dir or build_dir() / "executed"
    output_dir.mkdir(parents=True, exist_ok=True)
    output = output_dir / output_name(path, parameters)
    with kernel_environment(block_network=block_network):
        try:
            pm.execute_notebook(
                str(path),
                str(output),
                parameters=parameters,
                kernel_name="python3",
                cwd=str(path.parent),
                execution_timeout=timeout,
                progress_bar=False,
                log_output=False,
            )
        except pm.PapermillExecutionError as error:
            nb = nbformat.read(output, as_version=4)
            raise NotebookRunError(
                f"{path.name} {parameters or ''} failed in {_failing_cell(nb)}\n\n"
                f"{error.ename}: {error.evalue}\n{ANSI.sub('', chr(10).join(error.traceback))}\n"
                f"(executed copy: {output})"
            ) from None
        except (CellTimeoutError, DeadKernelError) as error:
            raise NotebookRunError(
                f"{path.name} {parameters or ''}: {type(error).__name__}: {error}\n(executed copy: {output})"
            ) from None
    stalled = _stalled_cells(nbformat.read(output, as_version=4), timeout)
    if stalled:
        raise NotebookRunError(f"{path.name} {parameters or ''}: " + "\n".join(stalled))
    return output
