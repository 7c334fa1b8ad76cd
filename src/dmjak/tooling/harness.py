"""Run a course notebook headless, the way CI does: papermill, offline, static charts, timed cells.

Used by the test suite and by anything else that executes notebooks. What it guarantees:
- parameter names are checked against the notebook's ``parameters`` cell before anything runs;
- the kernel runs with ``DMJAK_RENDER=svg`` (static charts) and with the network blocked;
- every cell has an execution timeout, and a cell that used (nearly) all of it fails the run, because
  nbclient can stall on a cell and then mark it completed with no error;
- a failure names the failing cell, shows its source and the traceback; the executed copy is kept.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import papermill as pm
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from papermill.engines import NBClientEngine, papermill_engines

from dmjak.course import notebook_metadata, notebook_paths
from dmjak.params import ParameterError
from dmjak.paths import build_dir, data_dir

KERNEL_SITE = Path(__file__).with_name("_kernel_site")
DEFAULT_TIMEOUT = 60
STALL_FRACTION = 0.9
ANSI = re.compile(r"\x1b\[[0-9;]*m")
CHILD_REPORT_CHARS = 20_000  # enough for a cell's source and a long traceback


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


class SaveAtEndsEngine(NBClientEngine):
    """papermill's nbclient engine, writing the executed copy when the run starts and ends, not around every cell.

    papermill rewrites (and re-validates) the whole output notebook before and after every cell; for a course
    notebook with ~50 cells and ~0.8 MB of charts that cost more than its imports. The last write still happens
    after a failure, a timeout or a dead kernel (papermill's ``notebook_complete`` runs in a ``finally``).
    """

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):
        output_path, nb_man.output_path = nb_man.output_path, None
        try:
            return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)
        finally:
            nb_man.output_path = output_path


ENGINE = "dmjak-save-at-ends"
papermill_engines.register(ENGINE, SaveAtEndsEngine)

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


KERNEL_START_RACE = "Kernel died before replying to kernel_info"


def _execute(path: Path, partial: Path, parameters: dict, timeout: float) -> None:
    """papermill with the save-at-ends engine; a kernel that dies while starting gets one more try.

    jupyter_client picks free ports, then the kernel binds them a moment later: two kernels starting at once
    (two test workers, the benchmark) can pick the same port, and one dies with "Address already in use"
    before replying to kernel_info (papermill issue #511). A second start picks fresh ports.
    """
    for attempt in (1, 2):
        try:
            pm.execute_notebook(
                str(path),
                str(partial),
                parameters=parameters,
                kernel_name="python3",
                engine_name=ENGINE,
                cwd=str(path.parent),
                execution_timeout=timeout,
                progress_bar=False,
                log_output=False,
            )
            return
        except RuntimeError as error:
            if KERNEL_START_RACE not in str(error):
                raise
            if attempt == 2:
                raise NotebookRunError(f"{path.name} {parameters or ''}: the kernel did not start: {error}") from None


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
    inputs = inputs_digest(path)  # before the run: a change while it runs makes the next default_run run again
    # papermill writes its output as the run starts and again as it ends: write a private file and move it into
    # place at the end, so a parallel run of the same notebook (two test workers) never reads a half-written copy.
    partial = output.with_name(f".{output.stem}.{os.getpid()}.partial.ipynb")
    with kernel_environment(block_network=block_network):
        try:
            _execute(path, partial, parameters, timeout)
        except pm.PapermillExecutionError as error:
            os.replace(partial, output)
            nb = nbformat.read(output, as_version=4)
            raise NotebookRunError(
                f"{path.name} {parameters or ''} failed in {_failing_cell(nb)}\n\n"
                f"{error.ename}: {error.evalue}\n{ANSI.sub('', chr(10).join(error.traceback))}\n"
                f"(executed copy: {output})"
            ) from None
        except (CellTimeoutError, DeadKernelError) as error:
            if partial.exists():
                os.replace(partial, output)
            raise NotebookRunError(
                f"{path.name} {parameters or ''}: {type(error).__name__}: {error}\n(executed copy: {output})"
            ) from None
    os.replace(partial, output)
    stalled = _stalled_cells(nbformat.read(output, as_version=4), timeout)
    if stalled:
        raise NotebookRunError(f"{path.name} {parameters or ''}: " + "\n".join(stalled))
    _inputs_record(output).write_text(inputs, encoding="utf-8")
    return output


def inputs_digest(path: Path) -> str:
    """A hash of the bytes an executed copy of ``path`` depends on: the notebook, the course package (but the
    website builder, which changes nothing an executed copy holds) and the data files. Bytes, not modification
    times: a file copied with its old time (``cp -p``, ``rsync -t``, ``tar``) is still a change."""
    package = Path(__file__).resolve().parents[1]
    website = package / "tooling" / "site"
    code = sorted(p for p in package.rglob("*.py") if website not in p.parents)
    data = sorted(p for p in data_dir().iterdir() if p.is_file())
    digest = hashlib.sha256()
    for part in [Path(path), *code, *data]:
        digest.update(f"{part.name}\n".encode() + part.read_bytes() + b"\n")
    return digest.hexdigest()


def _inputs_record(executed: Path) -> Path:
    """Where ``run_notebook`` keeps the inputs' hash of an executed copy (beside it, hidden)."""
    return executed.with_name(f".{executed.name}.inputs")


def default_run(path: str | Path, output_dir: Path | None = None) -> Path:
    """The executed copy of ``path`` at its first CI parameter set (its defaults), as ``make test`` or a
    previous call left it in ``output_dir`` (default ``build/executed``); run now only if missing or made from
    other bytes of the notebook, the course package or the data (``inputs_digest``). Exports (site, slides)
    start from it, so nothing is executed twice."""
    path = Path(path).resolve()
    output_dir = output_dir or build_dir() / "executed"
    parameters = ci_parameter_sets(path)[0]
    executed = output_dir / output_name(path, parameters)
    record = _inputs_record(executed)
    if executed.is_file() and record.is_file() and record.read_text(encoding="utf-8") == inputs_digest(path):
        return executed
    return run_notebook(path, parameters, output_dir=output_dir)


def run_in_subprocess(
    path: str | Path, parameters: dict | None = None, output_dir: Path | None = None, timeout: float = DEFAULT_TIMEOUT
) -> dict:
    """Run one notebook in a fresh Python process; return its executed copy, wall time and peak kernel memory.

    The kernel is the only child of that process, so the process's RUSAGE_CHILDREN maximum resident set
    size is the kernel's peak memory. Raises NotebookRunError with the child's whole report on failure
    (failing cell, its source and traceback), not just its last line.
    """
    args = [
        sys.executable,
        "-m",
        "dmjak.tooling.harness",
        "--json",
        "--here",
        str(path),
        "--parameters",
        json.dumps(parameters or {}),
        "--timeout",
        str(timeout),
    ]
    if output_dir is not None:
        args += ["--output-dir", str(output_dir)]
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=timeout * 20)
    except subprocess.TimeoutExpired as error:  # the child is killed; its kernel polls its parent and exits too
        raise NotebookRunError(f"{Path(path).name} {parameters or ''}: no result after {error.timeout:.0f} s") from None
    if done.returncode != 0:
        report = done.stderr.strip() or done.stdout.strip() or f"exit status {done.returncode}, no output"
        raise NotebookRunError(report.removeprefix("FAIL ")[-CHILD_REPORT_CHARS:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def _measure(path: Path, parameters: dict, output_dir: Path | None, timeout: float) -> dict:
    import resource

    start = time.perf_counter()
    output = run_notebook(path, parameters, output_dir=output_dir, timeout=timeout)
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # Linux reports kilobytes
    return {
        "notebook": path.name,
        "parameters": parameters,
        "output": str(output),
        "seconds": round(seconds, 2),
        "peak_kernel_mb": round(peak_kb / 1024, 1),
    }


def main(argv: list[str] | None = None) -> int:
    """``python -m dmjak.tooling.harness [NOTEBOOK ...]``: run notebooks (default: all, every CI parameter set)."""
    parser = argparse.ArgumentParser(prog="python -m dmjak.tooling.harness", description=main.__doc__)
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks to run (default: notebooks/*.ipynb)")
    parser.add_argument("--parameters", help="JSON object of parameters (default: the notebook's CI sets)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="per-cell timeout in seconds")
    parser.add_argument("--output-dir", type=Path, help="where executed copies go (default: build/executed)")
    parser.add_argument("--json", action="store_true", help="print one JSON result line per run (with memory)")
    parser.add_argument("--here", action="store_true", help=argparse.SUPPRESS)  # child of run_in_subprocess
    args = parser.parse_args(argv)
    paths = args.notebooks or notebook_paths()
    failures = 0
    for path in paths:
        sets = [json.loads(args.parameters)] if args.parameters else ci_parameter_sets(path)
        for parameters in sets:
            try:
                if args.json and args.here:  # this process's only kernel: its peak is the notebook's
                    print(json.dumps(_measure(path, parameters, args.output_dir, args.timeout)), flush=True)
                elif args.json:  # one process per run, so peaks are not carried over between notebooks
                    record = run_in_subprocess(path, parameters, args.output_dir, args.timeout)
                    print(json.dumps(record), flush=True)
                else:
                    output = run_notebook(path, parameters, output_dir=args.output_dir, timeout=args.timeout)
                    print(f"ok   {path.name} {parameters or ''} -> {output}", flush=True)
            except (NotebookRunError, ParameterError) as error:
                failures += 1
                print(f"FAIL {path.name} {parameters or ''}: {error}", file=sys.stderr, flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
