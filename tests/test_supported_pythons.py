"""Python 3.11, 3.12 and 3.13: one list of supported Pythons everywhere it is stated, `make setup PYTHON=...`
accepting exactly those (and rebuilding a venv made from another), the start notebook's check agreeing, and
a scheduled workflow that tests each one and audits the locks."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib

import yaml
from conftest import REPO
from test_environment import lock

from dmjak import environment
from dmjak.environment import SUPPORTED_PYTHONS

THIS_PYTHON = f"{sys.version_info.major}.{sys.version_info.minor}"


def make(*args: str) -> subprocess.CompletedProcess:
    """`make` as a user types it: not with the variables of a `make test PYTHON=...` this suite may run under."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKEOVERRIDES", "MFLAGS", "MAKELEVEL", "PYTHON")
    }
    return subprocess.run(["make", "--no-print-directory", *args], cwd=REPO, capture_output=True, text=True, env=env)


def scheduled() -> dict:
    return yaml.safe_load((REPO / ".github" / "workflows" / "scheduled.yml").read_text(encoding="utf-8"))


def test_every_place_that_names_the_supported_pythons_names_the_same_ones():
    assert SUPPORTED_PYTHONS == ("3.11", "3.12", "3.13")
    makefile = re.search(r"^SUPPORTED_PYTHONS := (.+)$", (REPO / "Makefile").read_text(), re.M).group(1)
    assert tuple(makefile.split()) == SUPPORTED_PYTHONS
    assert tuple(scheduled()["jobs"]["test"]["strategy"]["matrix"]["python"]) == SUPPORTED_PYTHONS
    ruff = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["ruff"]["target-version"]
    assert ruff == "py" + SUPPORTED_PYTHONS[0].replace(".", ""), "ruff must accept the oldest supported Python"


def test_the_start_notebooks_check_accepts_each_supported_python_and_refuses_others(monkeypatch):
    for version, ok in [("3.10.13", False), ("3.11.2", True), ("3.12.1", True), ("3.13.0", True), ("3.14.0", False)]:
        monkeypatch.setattr(environment.platform, "python_version", lambda v=version: v)
        row = environment.check().set_index("check").loc["Python"]
        assert bool(row["ok"]) is ok, version
        assert row["result"] == f"version {version} (the course needs 3.11, 3.12 or 3.13)"


def test_make_setup_refuses_an_unsupported_python_and_says_which_are_supported(tmp_path):
    venv = tmp_path / "venv"
    done = make("setup", f"PYTHON={sys.executable}", f"VENV={venv}", "SUPPORTED_PYTHONS=3.9 3.10")
    assert done.returncode != 0
    assert f"Python {THIS_PYTHON} is not supported" in done.stderr and "supports Python 3.9 3.10" in done.stderr
    assert not venv.exists(), "nothing is installed before the check"
    missing = make("setup", "PYTHON=/nonexistent/python3.12", f"VENV={venv}")
    assert missing.returncode != 0 and "PYTHON=/nonexistent/python3.12 was not found" in missing.stderr


def test_a_venv_built_from_another_python_is_rebuilt_and_kept_otherwise(tmp_path):
    venv = tmp_path / "venv"
    venv.mkdir()
    (venv / "pyvenv.cfg").write_text(f"home = /usr/bin\nexecutable = {sys.executable}\n")
    (venv / ".python-3.99").touch()
    (venv / ".installed").touch()  # newer than every file the setup depends on
    rebuild = make("-n", "setup", f"PYTHON={sys.executable}", f"VENV={venv}")
    assert rebuild.returncode == 0 and f"-m venv --clear {venv}" in rebuild.stdout
    (venv / f".python-{THIS_PYTHON}").touch()
    (venv / ".installed").touch()
    kept = make("-n", "setup", f"PYTHON={sys.executable}", f"VENV={venv}")
    assert kept.returncode == 0 and "venv" not in kept.stdout
    # Without PYTHON=..., make keeps the Python the venv was built from.
    shown = make(f"VENV={venv}", "--eval", "show-python: ; @echo $(PYTHON)", "show-python")
    assert shown.stdout.strip() == sys.executable


def test_the_scheduled_workflow_runs_make_test_on_each_python_and_audits_the_locks():
    workflow = scheduled()
    assert workflow[True]["schedule"][0]["cron"]  # YAML reads the key "on" as True
    test = workflow["jobs"]["test"]
    assert test["container"] == "python:${{ matrix.python }}-bookworm" and not test["strategy"]["fail-fast"]
    runs = [step.get("run", "") for step in test["steps"]]
    assert "PYTHON=/usr/local/bin/python${{ matrix.python }} bash .ci/run" in runs
    assert 'make test PYTHON="$PYTHON"' in (REPO / ".ci" / "run").read_text()
    # The other legs add Binder's Python with the locked uv.
    binder = (REPO / "binder" / "runtime.txt").read_text().strip().removeprefix("python-")
    (uv_step,) = [run for run in runs if "uv python install" in run]
    assert f"uv python install {binder}" in uv_step and f"command -v python{binder}" in uv_step
    assert {re.search(r'"uv==([^"]+)"', uv_step).group(1)} == lock(REPO / "requirements-test.txt")["uv"]
    assert "bash .ci/audit" in [step.get("run", "") for step in workflow["jobs"]["audit"]["steps"]]
    audit = (REPO / ".ci" / "audit").read_text()
    assert ".venv/bin/pip-audit" in audit and "pip-audit" in lock(REPO / "requirements-test.txt")
