"""The course runs where its users run it: their own pytest plugins, and a scheduled dependency audit."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import REPO

# Like nbval: one test per cell, each needing what the one before it left in the (one) kernel.
CELLS = "state = []\n" + "".join(
    f"def test_cell_{i:02d}():\n    assert len(state) == {i}\n    state.append({i})\n\n" for i in range(12)
)


def test_the_repository_pytest_configuration_keeps_a_users_ordered_tests_in_one_process(tmp_path):
    """Review 5.2: the repo-wide ``-n 2 --dist loadgroup`` split ``pytest --nbval-lax notebooks/`` over two kernels."""
    (tmp_path / "test_cells.py").write_text(CELLS, encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-c",
            str(REPO / "pyproject.toml"),
            "--rootdir",
            str(tmp_path),
            "-p",
            "no:randomly",
            "-q",
            str(tmp_path / "test_cells.py"),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert done.returncode == 0 and "12 passed" in done.stdout, done.stdout[-2000:]


def _checker():
    spec = importlib.util.spec_from_file_location("check_pip_audit", REPO / ".ci" / "check_pip_audit.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_audit_fails_when_pip_audit_skipped_packages_or_found_a_vulnerability():
    """Review 9.1: pip-audit printed "No known vulnerabilities found" after skipping all 131 packages."""
    check = _checker()
    skipped = {"dependencies": [{"name": "altair", "skip_reason": "Dependency not found on PyPI"}], "fixes": []}
    vulnerable = {"dependencies": [{"name": "x", "version": "1", "vulns": [{"id": "GHSA-1", "fix_versions": ["2"]}]}]}
    clean = {"dependencies": [{"name": "x", "version": "1", "vulns": []}], "fixes": []}
    assert check.problems(skipped) == ["altair: NOT AUDITED (Dependency not found on PyPI)"]
    assert check.problems(vulnerable) == ["x 1: GHSA-1 (fixed in: 2)"]
    assert check.problems({"dependencies": []}) and check.problems(clean) == []


def test_a_scheduled_workflow_audits_both_locks_and_npm():
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "scheduled.yml").read_text(encoding="utf-8"))
    assert workflow[True]["schedule"][0]["cron"]  # YAML reads the key "on" as True
    steps = [s.get("run", "") for s in workflow["jobs"]["audit"]["steps"]]
    assert "bash .ci/audit" in steps
    script = (REPO / ".ci" / "audit").read_text(encoding="utf-8")
    for needed in ("requirements.txt requirements-test.txt requirements-site.txt", "check_pip_audit.py", "npm audit"):
        assert needed in script


def test_plain_papermill_from_the_repository_root_runs_a_notebook_to_its_last_cell(tmp_path):
    """Review 2, F4: ``papermill notebooks/00_start_here.ipynb out.ipynb`` (no ``--cwd``) ran every cell, then the
    closing references cell failed with FileNotFoundError: it names its own notebook relative to the working
    directory, which papermill leaves where the user started it."""
    done = subprocess.run(
        [str(Path(sys.executable).parent / "papermill"), "-k", "python3", "--no-progress-bar"]
        + ["notebooks/00_start_here.ipynb", str(tmp_path / "out.ipynb")],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr[-2000:]
