"""The harness itself: parameter errors, stalled cells, failures with context, and the network guard."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from dmjak.params import ParameterError, check_choice, check_range
from dmjak.tooling.harness import NotebookRunError, default_run, run_notebook

START = Path(__file__).resolve().parents[1] / "notebooks" / "00_start_here.ipynb"


def make_notebook(folder: Path, *sources: str, parameters: str | None = None) -> Path:
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    if parameters is not None:
        cell = new_code_cell(parameters)
        cell.metadata["tags"] = ["parameters"]
        nb.cells.append(cell)
    nb.cells += [new_code_cell(s) for s in sources]
    path = folder / "probe.ipynb"
    nbformat.write(nb, path)
    return path


def test_check_choice_lists_valid_values():
    assert check_choice("patient", "P2", ["all", "P1", "P2", "P3"]) is None  # a valid value passes, printing nothing
    with pytest.raises(ParameterError, match=r"patient='P9' is not valid; valid values: \['all', 'P1'"):
        check_choice("patient", "P9", ["all", "P1", "P2", "P3"])


def test_check_range_names_the_range():
    assert check_range("minutes_available", 90, 15, 600) is None
    with pytest.raises(ParameterError, match="valid range: 15 to 600"):
        check_range("minutes_available", 5, 15, 600)
    with pytest.raises(ParameterError):
        check_range("minutes_available", "ninety", 15, 600)


def test_unknown_parameter_name_lists_declared_parameters(tmp_path):
    expected = r"no parameter\(s\) \['minutes'\]; valid parameters: \['minutes_available'\]"
    with pytest.raises(ParameterError, match=expected):
        run_notebook(START, {"minutes": 30}, output_dir=tmp_path)


def test_invalid_parameter_value_fails_with_valid_range(tmp_path):
    with pytest.raises(NotebookRunError) as caught:
        run_notebook(START, {"minutes_available": 5}, output_dir=tmp_path)
    message = str(caught.value)
    assert "ParameterError" in message and "valid range: 15 to 600" in message
    assert "params.check_range" in message  # the failing cell's source is shown


def test_failure_shows_cell_and_traceback(tmp_path):
    path = make_notebook(tmp_path, "x = 1", "def broken():\n    return 1 / 0\nbroken()")
    with pytest.raises(NotebookRunError) as caught:
        run_notebook(path, output_dir=tmp_path / "out")
    message = str(caught.value)
    assert "cell 1:" in message and "def broken()" in message
    assert "ZeroDivisionError" in message and "\x1b[" not in message
    assert (tmp_path / "out" / "probe.ipynb").is_file()


def test_cell_using_nearly_all_its_timeout_fails(tmp_path):
    # Completes inside the timeout, but a cell this close to it is what a silent nbclient stall looks like.
    path = make_notebook(tmp_path, "import time\ntime.sleep(4.7)")
    with pytest.raises(NotebookRunError, match=r"cell 0 ran 4\.\d s of its 5 s timeout"):
        run_notebook(path, output_dir=tmp_path / "out", timeout=5)


def test_cell_over_its_timeout_fails_and_keeps_what_ran_before_it(tmp_path):
    path = make_notebook(tmp_path, "print('ran before the stall')", "import time\ntime.sleep(30)")
    with pytest.raises(NotebookRunError, match="CellTimeoutError|timed out|Timeout"):
        run_notebook(path, output_dir=tmp_path / "out", timeout=3)
    kept = nbformat.read(tmp_path / "out" / "probe.ipynb", as_version=4)
    assert kept.cells[0].outputs[0]["text"] == "ran before the stall\n"


def test_the_executed_copy_is_written_as_the_run_starts_and_ends_not_around_every_cell(tmp_path, monkeypatch):
    # papermill's default engine rewrites the whole copy before and after each cell: for a 50-cell notebook
    # with charts that cost more than the notebook's imports (benchmarks/run.py, P1).
    import papermill.engines
    import papermill.execute

    writes = []
    write = papermill.engines.write_ipynb
    for module in (papermill.engines, papermill.execute):
        monkeypatch.setattr(module, "write_ipynb", lambda nb, path, **kw: writes.append(path) or write(nb, path, **kw))
    path = make_notebook(tmp_path, *[f"x{i} = {i}\nprint(x{i})" for i in range(12)])
    output = run_notebook(path, output_dir=tmp_path / "out")
    assert len(writes) == 3  # start, end of the engine, papermill's final write; its own engine: 27
    assert [c.outputs[0]["text"] for c in nbformat.read(output, as_version=4).cells] == [f"{i}\n" for i in range(12)]


def test_a_dead_kernel_fails_the_run_and_keeps_what_ran_before_it(tmp_path):
    path = make_notebook(
        tmp_path, "print('ran before the crash')", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"
    )
    with pytest.raises(NotebookRunError, match="DeadKernelError"):
        run_notebook(path, output_dir=tmp_path / "out")
    kept = nbformat.read(tmp_path / "out" / "probe.ipynb", as_version=4)
    assert kept.cells[0].outputs[0]["text"] == "ran before the crash\n"


def test_kernels_started_by_the_harness_have_no_network(tmp_path):
    probe = "import urllib.request\nurllib.request.urlopen('http://example.org', timeout=3)"
    with pytest.raises(NotebookRunError, match="network access is disabled"):
        run_notebook(make_notebook(tmp_path, probe), output_dir=tmp_path / "out")


def test_kernels_render_static_svg_charts(tmp_path):
    probe = "from dmjak import render\nassert render.mode() == 'svg', render.mode()"
    run_notebook(make_notebook(tmp_path, probe), output_dir=tmp_path / "out")


def test_network_guard_blocks_remote_but_allows_loopback():
    script = (
        "import socket, threading\n"
        "from dmjak.tooling import netguard\n"
        "netguard.install()\n"
        "server = socket.socket(); server.bind(('127.0.0.1', 0)); server.listen(1)\n"
        "client = socket.create_connection(server.getsockname(), timeout=2); client.close()\n"
        "try:\n"
        "    socket.create_connection(('93.184.215.14', 80), timeout=2)\n"
        "except netguard.NetworkBlockedError as e:\n"
        "    print('blocked-ip')\n"
        "try:\n"
        "    socket.getaddrinfo('example.org', 80)\n"
        "except netguard.NetworkBlockedError:\n"
        "    print('blocked-name')\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["blocked-ip", "blocked-name"]


def test_vl_convert_may_not_fetch_data_urls_outside_the_kernels_network_guard():
    """vl-convert loads data from its own (Rust) side; the course passes allowed_base_urls=[] so it cannot."""
    from dmjak import render

    remote = {"data": {"url": "https://example.org/x.csv"}, "mark": "point"}
    with pytest.raises(ValueError, match="External data url not allowed"):
        render.to_svg(remote)
    assert render.to_svg({"data": {"values": [{"a": 1}]}, "mark": "point"}).startswith("<svg")


def test_a_kernel_that_dies_while_starting_gets_one_more_try(tmp_path, monkeypatch):
    # jupyter_client's free-port race: two kernels starting at once can bind the same port (papermill #511).
    from dmjak.tooling import harness

    calls = []
    execute = harness.pm.execute_notebook

    def racing(*args, **kwargs):
        calls.append(kwargs["engine_name"])
        if len(calls) == 1:
            raise RuntimeError(harness.KERNEL_START_RACE)
        return execute(*args, **kwargs)

    monkeypatch.setattr(harness.pm, "execute_notebook", racing)
    output = run_notebook(make_notebook(tmp_path, "print('ran')"), output_dir=tmp_path / "out")
    assert len(calls) == 2 and nbformat.read(output, as_version=4).cells[0].outputs[0]["text"] == "ran\n"

    def always(*args, **kwargs):
        raise RuntimeError(harness.KERNEL_START_RACE)

    monkeypatch.setattr(harness.pm, "execute_notebook", always)
    with pytest.raises(NotebookRunError, match="the kernel did not start"):
        run_notebook(make_notebook(tmp_path, "print('ran')"), output_dir=tmp_path / "out")


def test_an_executed_copy_is_reused_until_an_input_changes_even_with_an_old_mtime(data_copy, tmp_path, monkeypatch):
    """Review 2, F3: the site and slides reused an executed copy newer than every input, so a data file changed
    and copied back with its old time (``cp -p``, ``rsync -t``) left the site showing the old data."""
    data = data_copy
    monkeypatch.setenv("DMJAK_DATA_DIR", str(data))
    path = make_notebook(tmp_path, "print(open(r'%s').read().count('FLARE-CHANGED'))" % (data / "patients.csv"))
    first = default_run(path, tmp_path / "out")
    assert default_run(path, tmp_path / "out").stat().st_mtime_ns == first.stat().st_mtime_ns, "not reused"
    table = data / "patients.csv"
    old = table.stat()
    table.write_text(table.read_text(encoding="utf-8").replace("Flare of", "FLARE-CHANGED of", 1), encoding="utf-8")
    os.utime(table, ns=(old.st_atime_ns, old.st_mtime_ns))
    again = nbformat.read(default_run(path, tmp_path / "out"), as_version=4)
    assert again.cells[0].outputs[0]["text"] == "1\n", "the executed copy still holds the old data"
