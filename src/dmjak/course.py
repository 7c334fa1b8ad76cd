"""The course map, read from the notebooks' own metadata so it cannot drift from them."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from dmjak.paths import notebooks_dir


def notebook_paths(folder: Path | None = None) -> list[Path]:
    """The course's notebooks (``NN_name.ipynb``) in course order: the one list every tool uses."""
    return sorted((folder or notebooks_dir()).glob("[0-9][0-9]_*.ipynb"))


def notebook_metadata(path: Path) -> dict:
    """The ``metadata.course`` block of a notebook file (title, minutes, objectives, ci_parameters)."""
    return json.loads(path.read_text(encoding="utf-8"))["metadata"].get("course", {})


def course_map(folder: Path | None = None) -> pd.DataFrame:
    """One row per notebook, in course order: file, title and minutes."""
    rows = {}
    for path in notebook_paths(folder):
        meta = notebook_metadata(path)
        rows[path.name] = {
            "notebook": path.name,
            "title": meta.get("title", path.stem),
            "minutes": meta.get("minutes"),
        }
    return pd.DataFrame([rows[k] for k in sorted(rows)])


def plan_session(course_map: pd.DataFrame, minutes_available: float) -> pd.DataFrame:
    """Course order with cumulative minutes and whether each notebook fits in ``minutes_available``."""
    plan = course_map.dropna(subset=["minutes"]).copy()
    plan["minutes"] = plan["minutes"].astype(float)
    plan["cumulative_minutes"] = plan["minutes"].cumsum()
    plan["fits"] = plan["cumulative_minutes"].le(minutes_available).map({True: "fits", False: "later"})
    return plan[["title", "minutes", "cumulative_minutes", "fits"]]
