"""The code-free presenter view: Voilà renders the cases notebook with live widgets, setup cells hidden."""

from __future__ import annotations

import html
import re
import sys
import urllib.request
from pathlib import Path

import pytest
from conftest import REPO
from servers import free_port, serving

from dmjak.data import load_table
from dmjak.tooling.core_path import BANNER

VOILA = Path(sys.executable).with_name("voila")


def render(notebook: str, tmp_path: Path) -> tuple[int, str]:
    port = free_port()
    command = [str(VOILA), f"notebooks/{notebook}", "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1"]
    with serving(command, "/voila/static/", port, tmp_path / "voila.log", cwd=REPO, timeout=90) as base:
        with urllib.request.urlopen(base + "/", timeout=180) as response:
            return response.status, response.read().decode("utf-8")


@pytest.fixture(scope="module")
def cases_page(tmp_path_factory) -> tuple[int, str]:
    return render("05_baricitinib_cases.ipynb", tmp_path_factory.mktemp("voila"))


def test_voila_renders_the_cases_notebook_with_widgets_and_without_setup_cells(cases_page):
    status, page = cases_page
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


def visible_text(page: str) -> str:
    """The page's text as a reader sees it: no scripts, styles, comments or tags, entities decoded."""
    page = re.sub(r"<(script|style)\b.*?</\1>|<!--.*?-->", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_a_projected_page_shows_the_live_parts_without_reader_advice_or_citation_keys(cases_page):
    """What the projector shows (review #5, #7): every section, the going-deeper ones too (they hold the live
    explorers), each citation as its small number; not the advice to a student reading alone (the going-deeper
    banner, "test a curve in code"), and never a raw citation key."""
    text = " ".join(visible_text(cases_page[1]).split())
    assert "What if? How much does a case report pin down?" in text and "Explore the cases" in text
    assert 'class="dmjak-cite"' in cases_page[1], "numbered citations stay"
    assert BANNER.split("**")[2].strip()[:40] not in text, "the going-deeper banner is projected"
    assert "test a curve in code" not in text
    keys = [key for key in load_table("references")["key"] if re.search(rf"\[{re.escape(key)}\b", text)]
    assert keys == [], f"raw citation keys on the projector: {keys}"
