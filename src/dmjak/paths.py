"""Where the course's folders are, found the same way from notebooks, tests and scripts."""

from __future__ import annotations

import os
from pathlib import Path

DATA_ENV_VAR = "DMJAK_DATA_DIR"
CACHE_ENV_VAR = "DMJAK_CACHE_DIR"
NOTEBOOKS_ENV_VAR = "DMJAK_NOTEBOOKS_DIR"


def repo_root() -> Path:
    """The course's top folder: the one holding ``data/datapackage.json``.

    The package is installed in place (``pip install -e .``), so the folder two levels above
    ``src/dmjak`` is the checkout. ``DMJAK_DATA_DIR`` overrides the data folder (used by tests).
    """
    root = Path(__file__).resolve().parents[2]
    if (root / "data" / "datapackage.json").is_file():
        return root
    for folder in [Path.cwd(), *Path.cwd().parents]:
        if (folder / "data" / "datapackage.json").is_file():
            return folder
    raise FileNotFoundError(
        "Cannot find the course folder (one holding data/datapackage.json). Install the package with "
        "'pip install -e .' from the checkout, or run from inside it."
    )


def data_dir() -> Path:
    """The folder holding ``datapackage.json`` and the CSV tables."""
    override = os.environ.get(DATA_ENV_VAR)
    return Path(override) if override else repo_root() / "data"


def notebooks_dir() -> Path:
    """The course's notebooks; ``DMJAK_NOTEBOOKS_DIR`` overrides it (tests export a planted copy)."""
    override = os.environ.get(NOTEBOOKS_ENV_VAR)
    return Path(override) if override else repo_root() / "notebooks"


def instructors_dir() -> Path:
    """Material for lecturers only (the instructor guide with its answer key), kept out of students' way."""
    return repo_root() / "instructors"


def build_dir() -> Path:
    """Git-ignored folder for executed notebooks, exports and benchmark results."""
    return repo_root() / "build"


def cache_dir() -> Path:
    """Where content-keyed results are kept (validated tables, Vega's bundle); ``DMJAK_CACHE_DIR`` overrides."""
    override = os.environ.get(CACHE_ENV_VAR)
    return Path(override) if override else build_dir() / "cache"


LECTURERS_ONLY = "LECTURERS-ONLY.txt"


def mark_lecturers_only(folder: Path) -> None:
    """A note in a folder that holds the answer key, so nobody uploads it for students by mistake."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / LECTURERS_ONLY).write_text(
        "This folder holds the answer key (model answers, the instructor guide). Lecturers only: never upload it\n"
        "where students can see it. The students' website is build/site/ (see README.md, For lecturers).\n",
        encoding="utf-8",
    )
