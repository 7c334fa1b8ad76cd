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
    """One row per notebook, in course order: file, title, minutes on the core path and for going deeper
    (with the deeper parts by name), and the whole notebook's minutes."""
    rows = {}
    for path in notebook_paths(folder):
        meta = notebook_metadata(path)
        rows[path.name] = {
            "notebook": path.name,
            "title": meta.get("title", path.stem),
            "core_minutes": meta.get("core_minutes"),
            "deeper_minutes": meta.get("deeper_minutes"),
            "deeper_parts": "; ".join(deeper_parts(path)) or "none",
            "minutes": meta.get("minutes"),
        }
    return pd.DataFrame([rows[k] for k in sorted(rows)])


def deeper_parts(path: Path) -> list[str]:
    """The headings of a notebook's optional parts (heading cells tagged ``deeper``)."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [
        "".join(c["source"]).split("\n")[0].lstrip("#").strip()
        for c in cells
        if c["cell_type"] == "markdown" and "deeper" in c.get("metadata", {}).get("tags", [])
    ]


def plan_session(course_map: pd.DataFrame, minutes_available: float, column: str = "minutes") -> pd.DataFrame:
    """Course order with cumulative minutes and whether each notebook fits in ``minutes_available``.

    ``column`` is the time to plan with: ``minutes`` (whole notebooks) or ``core_minutes`` (the core path).
    """
    plan = course_map.dropna(subset=[column]).copy()
    plan["minutes"] = plan[column].astype(float)
    plan["cumulative_minutes"] = plan["minutes"].cumsum()
    plan["fits"] = plan["cumulative_minutes"].le(minutes_available).map({True: "fits", False: "later"})
    return plan[["title", "minutes", "cumulative_minutes", "fits"]]
