"""The start notebook's environment check in plain words: Python, course software, data, and how charts are drawn."""

from __future__ import annotations

import platform
from importlib.metadata import PackageNotFoundError, version

import pandas as pd

from dmjak import data, render

# The Pythons the lock resolves for and CI tests (the Makefile's SUPPORTED_PYTHONS and pyproject's requires-python).
SUPPORTED_PYTHONS = ("3.11", "3.12", "3.13")

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


CHART_MODES = {
    "live": "interactive, drawn in this browser without an internet connection",
    "svg": "still pictures (this copy was run without a browser, for printing or export)",
}


def check() -> pd.DataFrame:
    """One row per check, in plain words; ``ok`` is False where something needs fixing."""
    python = platform.python_version()
    supported = ".".join(python.split(".")[:2]) in SUPPORTED_PYTHONS
    needs = f"{', '.join(SUPPORTED_PYTHONS[:-1])} or {SUPPORTED_PYTHONS[-1]}"
    rows = [{"check": "Python", "result": f"version {python} (the course needs {needs})", "ok": supported}]
    missing = [name for name in PACKAGES if _version(name) == "not installed"]
    rows.append(
        {
            "check": "Course software",
            "result": f"missing: {', '.join(missing)}" if missing else f"all {len(PACKAGES)} programs installed",
            "ok": not missing,
        }
    )
    try:
        tables = data.table_names()
        for name in tables:
            data.load_table(name)
        rows.append({"check": "Course data", "result": f"all {len(tables)} tables complete and valid", "ok": True})
    except Exception as error:  # shown to the reader, never hidden
        rows.append({"check": "Course data", "result": f"{type(error).__name__}: {error}", "ok": False})
    rows.append({"check": "Charts", "result": CHART_MODES[render.mode()], "ok": True})
    return pd.DataFrame(rows)


def require_ok(checks: pd.DataFrame) -> pd.DataFrame:
    """The checks table, or an error listing every check that failed (so a broken setup is never silent)."""
    failed = checks[~checks["ok"]]
    if not failed.empty:
        raise RuntimeError(
            "environment check failed: " + "; ".join(f"{r.check}: {r.result}" for r in failed.itertuples())
        )
    return checks


def report_markdown(checks: pd.DataFrame) -> str:
    """The checks as a short list of sentences, a tick or a cross in front of each."""
    return "\n".join(f"- {'✔' if r.ok else '✘'} **{r.check}:** {r.result}" for r in checks.itertuples())


def show_check() -> None:
    """Run every check, stop with the failures if any, and show the results as sentences."""
    from IPython.display import Markdown, display

    display(Markdown(report_markdown(require_ok(check()))))
