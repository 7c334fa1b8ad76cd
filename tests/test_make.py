"""The Makefile's user-facing promises: bare `make` explains itself; `lab`/`present` pass ARGS through
and `lab` works as root. Commands are printed with `make -n`, never run; setup is taken as done."""

from __future__ import annotations

import os
import re
import subprocess

from conftest import REPO


def make(*args: str) -> str:
    done = subprocess.run(["make", "--no-print-directory", *args], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_bare_make_lists_every_documented_target_and_installs_nothing():
    listing = make("-n")  # what bare `make` would run: only the help recipe, no venv
    assert "venv" not in listing and "pip install" not in listing
    shown = make()
    documented = re.findall(r"^([a-z][a-z_-]*):.*## ", (REPO / "Makefile").read_text(), re.M)
    assert {"setup", "lock", "lab", "test", "present", "bench"} <= set(documented)
    for target in documented:
        assert re.search(rf"^\s+{target}\s+\S", shown, re.M), f"`make` does not describe {target}"


def test_lab_and_present_pass_args_through_and_lab_allows_root_only_for_root():
    lab = make("-n", "-o", ".venv/.installed", "lab", "ARGS=--no-browser --port 8899")
    assert "jupyter lab" in lab and "--no-browser --port 8899" in lab
    assert ("--allow-root" in lab) == (os.getuid() == 0)
    present = make("-n", "-o", ".venv/.installed", "present", "NB=02_interferon_jak_stat.ipynb", "ARGS=--no-browser")
    assert 'dmjak.tooling.present "02_interferon_jak_stat.ipynb" --no-browser' in present


def present(notebook: str) -> subprocess.CompletedProcess:
    """`make present NB=notebook` as a lecturer types it; Voilà is asked for its help so that no server starts."""
    return subprocess.run(
        ["make", "--no-print-directory", "-o", ".venv/.installed", "present", f"NB={notebook}", "ARGS=--help"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_present_takes_a_notebook_by_its_stem_or_file_name():
    for name in ("05_baricitinib_cases", "05_baricitinib_cases.ipynb", "notebooks/05_baricitinib_cases.ipynb"):
        done = present(name)
        assert done.returncode == 0, done.stderr
        preheated = "voila --preheat_kernel=True --pool_size=1 --help notebooks/05_baricitinib_cases.ipynb"
        assert preheated in done.stdout, done.stdout[:300]
        assert "Voila" in done.stdout and "Traceback" not in done.stderr


def test_present_refuses_an_unknown_notebook_by_listing_the_notebooks():
    done = present("05_baricitinib")
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "There is no course notebook called '05_baricitinib'" in done.stderr
    assert "02_interferon_jak_stat" in done.stderr and "05_baricitinib_cases" in done.stderr
