"""The pinned environment: exact pins everywhere, and Binder builds the same one as local and CI."""

from __future__ import annotations

import os
import re
import tomllib

from conftest import REPO

PIN = re.compile(r"^([A-Za-z0-9_.\-\[\]]+)==([\w.\-+]+)$")


def pins(path) -> dict[str, str]:
    found = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith(("-e", "-r")):
            continue
        match = PIN.match(line)
        assert match, f"{path.name}: '{line}' is not pinned with =="
        found[match.group(1).lower()] = match.group(2)
    return found


def test_runtime_and_test_requirements_are_exactly_pinned():
    runtime = pins(REPO / "requirements.txt")
    for core in ("jupyterlab", "ipywidgets", "pandas", "altair", "papermill"):
        assert core in runtime
    assert {"pytest", "pytest-xdist", "ruff"} <= set(pins(REPO / "requirements-test.txt"))


def test_binder_pins_equal_requirements():
    assert pins(REPO / "binder" / "requirements.txt") == pins(REPO / "requirements.txt")
    assert "-e ." in (REPO / "binder" / "requirements.txt").read_text().splitlines()


def test_binder_python_matches_the_project():
    assert (REPO / "binder" / "runtime.txt").read_text().strip() == "python-3.11"
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == ">=3.11,<3.12"


def test_binder_post_build_is_executable_with_lf_endings():
    post_build = REPO / "binder" / "postBuild"
    if post_build.exists():
        assert os.access(post_build, os.X_OK)
        assert b"\r\n" not in post_build.read_bytes()
