"""The code-free presenter view: Voilà renders the cases notebook with live widgets, setup cells hidden."""

from __future__ import annotations

import sys
import urllib.request
from pathlib import Path

from conftest import REPO
from servers import free_port, serving

VOILA = Path(sys.executable).with_name("voila")


def render(notebook: str, tmp_path: Path) -> tuple[int, str]:
    port = free_port()
    command = [str(VOILA), f"notebooks/{notebook}", "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1"]
    with serving(command, "/voila/static/", port, tmp_path / "voila.log", cwd=REPO, timeout=90) as base:
        with urllib.request.urlopen(base + "/", timeout=180) as response:
            return response.status, response.read().decode("utf-8")


def test_voila_renders_the_cases_notebook_with_widgets_and_without_setup_cells(tmp_path):
    status, page = render("05_baricitinib_cases.ipynb", tmp_path)
    assert status == 200
    assert "application/vnd.jupyter.widget-view+json" in page, "widget models are rendered"
    assert "Traceback" not in page and "NameError" not in page
    assert "The three baricitinib cases" in page
    # Cells tagged hide-in-presenter still run (later cells use their names) but are not shown:
    assert "import pandas as pd" not in page and '<span class="s1">&#39;all&#39;</span>' not in page
    assert "dmjak-presenter" in page or "voila" in page.lower()
    # nothing from a CDN: a stylesheet that a network silently drops keeps the whole page blank
    assert "cdn.jsdelivr.net" not in page and "cdnjs.cloudflare.com" not in page
    assert 'id="dmjak-nav"' in page  # projector mode: one section per screen
