"""The start notebook's environment check: versions, data, and a test render, as a table."""

from __future__ import annotations

import platform
from importlib.metadata import PackageNotFoundError, version

import pandas as pd

from dmjak import data, render

PACKAGES = [
    "jupyterlab",
    "ipywidgets",
    "pandas",
    "altair",
    "anywidget",
    "vl-convert-python",
    "papermill",
    "frictionless",
]


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def check() -> pd.DataFrame:
    """One row per check with its result; ``ok`` is False where something needs fixing."""
    rows = [
        {"check": "Python", "result": platform.python_version(), "ok": platform.python_version().startswith("3.11")}
    ]
    rows += [{"check": name, "result": _version(name), "ok": _version(name) != "not installed"} for name in PACKAGES]
    try:
        tables = data.table_names()
        for name in tables:
            data.load_table(name)
        rows.append({"check": "course data", "result": f"{len(tables)} tables valid", "ok": True})
    except Exception as error:  # shown to the reader, never hidden
        rows.append({"check": "course data", "result": f"{type(error).__name__}: {error}", "ok": False})
    rows.append({"check": "chart rendering", "result": render.mode(), "ok": True})
    return pd.DataFrame(rows)
