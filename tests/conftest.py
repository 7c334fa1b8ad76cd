"""Shared fixtures: a private copy of the data folder that a test may corrupt."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dmjak.paths import data_dir

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of data/ (datapackage.json and every table)."""
    target = tmp_path / "data"
    shutil.copytree(data_dir(), target)
    return target
