"""The course map, read from the notebooks' own metadata so it cannot drift from them."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from dmjak.paths import notebooks_dir

# Notebooks the course plan names but that are not written yet, shown on the map as "coming" with the
# planned time; a written notebook's own metadata replaces its entry.
PLANNED = {  # file: (title, planned minutes)
    "01_dermatomyositis.ipynb": ("Dermatomyositis: clinical picture, autoantibodies, interferon signature", 40),
    "02_interferon_jak_stat.ipynb": ("Interferon, JAK–STAT signalling and JAK inhibitors", 35),
    "03_baricitinib_pharmacology.ipynb": ("Baricitinib pharmacology: exposure, dose and kidney function", 35),
    "04_measuring_disease.ipynb": ("Measuring disease: CDASI, DLQI and interferon scores", 30),
    "05_baricitinib_cases.ipynb": ("The three baricitinib cases", 45),
    "06_weighing_the_evidence.ipynb": ("Weighing the evidence: case series versus trials", 40),
}


def notebook_metadata(path: Path) -> dict:
    """The ``metadata.course`` block of a notebook file (title, minutes, objectives, ci_parameters)."""
    return json.loads(path.read_text(encoding="utf-8"))["metadata"].get("course", {})


def course_map(folder: Path | None = None) -> pd.DataFrame:
    """One row per notebook, in course order: file, title, minutes, and whether it is available."""
    folder = folder or notebooks_dir()
    rows = {}
    for path in sorted(folder.glob("[0-9][0-9]_*.ipynb")):
        meta = notebook_metadata(path)
        rows[path.name] = {
            "notebook": path.name,
            "title": meta.get("title", path.stem),
            "minutes": meta.get("minutes"),
            "status": "available",
        }
    for name, (title, minutes) in PLANNED.items():
        rows.setdefault(name, {"notebook": name, "title": title, "minutes": minutes, "status": "coming"})
    return pd.DataFrame([rows[k] for k in sorted(rows)])


def plan_session(course_map: pd.DataFrame, minutes_available: float) -> pd.DataFrame:
    """Course order with cumulative minutes and whether each notebook fits in ``minutes_available``."""
    plan = course_map.dropna(subset=["minutes"]).copy()
    plan["minutes"] = plan["minutes"].astype(float)
    plan["cumulative_minutes"] = plan["minutes"].cumsum()
    plan["fits"] = plan["cumulative_minutes"].le(minutes_available).map({True: "fits", False: "later"})
    return plan[["title", "minutes", "cumulative_minutes", "fits", "status"]]
