"""Shared fixtures: a private copy of the data folder that a test may corrupt."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from dmjak.course import notebook_paths
from dmjak.paths import data_dir

REPO = Path(__file__).resolve().parents[1]
CI_ENV_VAR = "DMJAK_CI"  # set by .ci/run: there, a test that cannot run fails instead of skipping


def skip_or_fail(problem: str, how_to_fix: str) -> None:
    """Skip on a developer machine that lacks a tool; fail under CI, where every test must run."""
    if os.environ.get(CI_ENV_VAR) == "1":
        pytest.fail(f"{problem}, and {CI_ENV_VAR}=1 says this test must run here. {how_to_fix}", pytrace=False)
    pytest.skip(f"{problem}. {how_to_fix} (CI sets {CI_ENV_VAR}=1, so it never skips there.)")


NOTEBOOKS = notebook_paths(REPO / "notebooks")


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of data/ (datapackage.json and every table)."""
    target = tmp_path / "data"
    shutil.copytree(data_dir(), target)
    return target
