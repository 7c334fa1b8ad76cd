"""Binder, verified as far as this machine allows: build a fresh environment from exactly what binder/
specifies (the Python in runtime.txt, binder/requirements.txt, binder/postBuild), check it holds only
what the lock (requirements.txt) pins, and run the notebook harness inside it. Install time and size are
recorded in build/binder-parity.json."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO
from packaging.utils import canonicalize_name
from test_environment import VENV_SEED, lock

from dmjak import fonts
from dmjak.course import notebook_paths
from dmjak.tooling.shared_chart import STATIC_MODULE


def python_for_runtime() -> str:
    """An interpreter of binder/runtime.txt's version: this one, one on PATH, or pyenv's (whose shim on PATH
    runs only the versions pyenv has selected, so each candidate is asked for its version)."""
    version = (REPO / "binder" / "runtime.txt").read_text().strip().removeprefix("python-")
    if sys.version.startswith(version + "."):
        return sys.executable
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    candidates = [
        shutil.which(f"python{version}"),
        *map(str, sorted(pyenv.glob(f"versions/{version}.*/bin/python{version}"))),
    ]
    for candidate in filter(None, candidates):
        asked = subprocess.run(
            [candidate, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"], capture_output=True, text=True
        )
        if asked.returncode == 0 and asked.stdout.strip() == version:
            return candidate
    pytest.fail(f"binder/runtime.txt asks for Python {version}, which is not installed here")


def folder_size_mb(folder) -> float:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink()) / 2**20


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
    return done


def test_binder_environment_builds_and_runs_every_notebook(tmp_path):
    venv = tmp_path / "binder-venv"
    start = time.perf_counter()
    run([python_for_runtime(), "-m", "venv", str(venv)])
    pip = venv / "bin" / "pip"
    # repo2docker installs binder/requirements.txt from the repository root, so '-e .' is the course package.
    run(
        [str(pip), "install", "--quiet", "--disable-pip-version-check", "-r", "binder/requirements.txt"],
        cwd=REPO,
        timeout=1200,
    )
    env = {**os.environ, "NB_PYTHON_PREFIX": str(venv), "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    assert os.access(REPO / "binder" / "postBuild", os.X_OK)
    run(["bash", "binder/postBuild"], cwd=REPO, env=env, timeout=300)
    install_seconds = time.perf_counter() - start
    installed = json.loads(run([str(pip), "list", "--format=json", "--disable-pip-version-check"]).stdout)
    pinned = lock(REPO / "requirements.txt")
    unlocked = {
        p["name"]: p["version"]
        for p in installed
        if canonicalize_name(p["name"]) not in VENV_SEED | {"dmjak"}
        and p["version"] not in pinned.get(canonicalize_name(p["name"]), set())
    }
    assert not unlocked, f"Binder installed packages that requirements.txt does not lock: {unlocked}"
    assert (venv / "share/jupyter/voila/templates/dmjak-presenter/index.html.j2").is_file()
    # the presenter page fetches the charts' module and the course font as static files (the lecturer's wait)
    static = venv / "share/jupyter/voila/templates/dmjak-presenter/static"
    assert sorted(p.name for p in static.iterdir()) == sorted([STATIC_MODULE, *(f.path.name for f in fonts.faces())])
    assert (venv / "share/jupyter/lab/settings/overrides.json").is_file()

    harness = run(
        [
            str(venv / "bin" / "python"),
            "-m",
            "dmjak.tooling.harness",
            "--json",
            "--output-dir",
            str(tmp_path / "executed"),
        ],
        cwd=REPO,
        env=env,
        timeout=1800,
    )
    runs = [json.loads(line) for line in harness.stdout.splitlines() if line.startswith("{")]
    notebooks = {p.name for p in notebook_paths(REPO / "notebooks")}
    assert {r["notebook"] for r in runs} == notebooks
    record = {
        "python": python_for_runtime(),
        "install_seconds": round(install_seconds, 1),
        "environment_mb": round(folder_size_mb(venv), 1),
        "runs": runs,
    }
    (REPO / "build").mkdir(exist_ok=True)
    (REPO / "build" / "binder-parity.json").write_text(json.dumps(record, indent=1))
    assert max(r["peak_kernel_mb"] for r in runs) < 1024
