"""The course map, read from the notebooks' own metadata so it cannot drift from them."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from dmjak.paths import notebooks_dir


def notebook_metadata(path: Path) -> dict:
    """The ``metadata.course`` block of a notebook file (title, minutes, objectives, ci_parameters)."""
    return json.loads(path.read_text(encoding="utf-8"))["metadata"].get("course", {})


def course_map(folder: Path | None = None) -> pd.DataFrame:
    """One row per notebook, in course order: file, title and minutes."""
    folder = folder or notebooks_dir()
    rows = {}
    for path in sorted(folder.glob("[0-9][0-9]_*.ipynb")):
        meta = notebook_metadata(path)
        rows[path.name] = {
            "notebook": path.name,
            "title": meta.get("title", path.stem),
            "minutes": meta.get("minutes"),
        }
    return pd.DataFrame([rows[k] for k in sorted(rows)])
