"""Hostile text in the data never runs: every output kind opened in Chromium with a payload in every text cell.

``hostile.plant`` appends a script, an ``onerror`` image, a Markdown ``javascript:`` link and an HTML
``javascript:`` link to every free-text cell of every table in a copy of data/ (it passes validation).
The copy is used by the exported pages and slides, the Voilà presenter and JupyterLab after Run All
(the kernel and the exporter read ``DMJAK_DATA_DIR``; notebook 00's glossary cell is rewritten from the
planted table, as ``dmjak.tooling.structure`` does). In each page: no dialog opens, no planted script
ran, no planted element exists, no ``javascript:`` link is left, and the payload's text is shown as text.
The review (2026-12, section 4) found script running in the exported site, Voilà and JupyterLab.
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import nbformat
import pytest
from browser import chromium_page, require_browser, screenshot
from conftest import REPO
from hostile import TAG, plant
from servers import free_port, serving, token
from test_browser import lab_command, run_all_cells, wait_until_drawn
from test_export import require_node_modules
from test_export_browser import loopback_server

from dmjak.course import notebook_paths
from dmjak.data import validate_all
from dmjak.tooling import structure

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
BIN = Path(sys.executable).parent
NOTEBOOKS = [path.name for path in notebook_paths(REPO / "notebooks")]

EXECUTABLE = "script:not([type]), script[type*=javascript], script[type=module]"  # not JSON data scripts
# What a payload would leave in the page if it were markup rather than text.
PLANTED = f"""() => ({{
  ran: window.__planted || 0,
  elements: [...document.querySelectorAll('.{TAG}, [onerror], {EXECUTABLE}')]
    .filter(e => e.classList.contains('{TAG}') || e.outerHTML.includes("alert('{TAG}")).length,
  scriptLinks: [...document.querySelectorAll('a[href], area[href]')]
    .filter(a => /^javascript:/i.test(a.getAttribute('href').replace(/\\s/g, ''))).length,
  shownAsText: document.body.innerText.includes('{TAG}'),
}})"""


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    """A planted copy of data/ and of notebooks/ (glossary cell rewritten), and the environment that uses them."""
    root = tmp_path_factory.mktemp("planted")
    shutil.copytree(REPO / "data", root / "data")
    plant(root / "data")
    shutil.copytree(REPO / "notebooks", root / "notebooks")
    env = {"DMJAK_DATA_DIR": str(root / "data"), "DMJAK_NOTEBOOKS_DIR": str(root / "notebooks")}
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        # the payload passes validation; validating once here leaves the markers every kernel then reuses
        # (otherwise notebook 00's environment check validates all 31 tables inside one 60 s cell)
        assert validate_all(root / "data")
        start = root / "notebooks" / "00_start_here.ipynb"
        nb = nbformat.read(start, as_version=4)
        structure.sync_glossary(nb)
        nbformat.write(nb, start)
    assert TAG in start.read_text(encoding="utf-8")
    return root, env


def settle(page, timeout: float = 180) -> None:
    """Wait until the planted text shows and its count holds for 3 s (Voilà and Lab render after loading)."""
    deadline, last, since = time.monotonic() + timeout, None, time.monotonic()
    while time.monotonic() < deadline:
        count = page.evaluate(f"() => document.body.innerText.split('{TAG}').length - 1")
        if count != last:
            last, since = count, time.monotonic()
        elif count and time.monotonic() - since >= 3:
            return
        page.wait_for_timeout(250)


def check_page(page, url: str, shot: str, ready=None) -> None:
    dialogs = []
    page.on("dialog", lambda dialog: dialogs.append(dialog.message) or dialog.dismiss())
    page.goto(url, timeout=180_000)
    if ready:
        ready(page)
    settle(page)
    page.wait_for_timeout(1500)  # an onerror handler fires once the broken image has failed to load
    found = page.evaluate(PLANTED)
    path = screenshot(page, shot)
    assert not dialogs, f"{shot}: dialogs {dialogs}; see {path}"
    assert found["ran"] == 0 and found["elements"] == 0 and found["scriptLinks"] == 0, f"{shot}: {found}; see {path}"
    assert found["shownAsText"], f"{shot}: the planted text is not shown at all, so nothing was tested; see {path}"


def test_exported_pages_and_slides_show_hostile_text_as_text(planted, tmp_path, monkeypatch):
    require_browser()
    require_node_modules()
    from dmjak.tooling import export

    root, env = planted
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(export, "build_dir", lambda: tmp_path / "build")  # executed copies stay in this test
    site = tmp_path / "site"
    export.export_slides(out=site / "slides")
    export.export_site(out=site)
    pages = sorted(p.relative_to(site).as_posix() for p in site.glob("*.html")) + sorted(
        f"slides/{p.name}" for p in (site / "slides").glob("*.slides.html")
    )
    assert len(pages) >= len(NOTEBOOKS) + 3
    with loopback_server(site) as base, chromium_page() as page:
        for name in pages:
            if name in ("index.html", "instructor_guide.html"):
                continue  # built from the notebooks' metadata and the guide, not from the tables
            ready = every_slide_shown if name.startswith("slides/") else None
            check_page(page, f"{base}/{name}", f"hostile-export-{Path(name).stem}", ready=ready)


def every_slide_shown(page) -> None:
    """reveal.js displays only the slides near the current one: show them all, so the text of every slide
    is on the page (and its planted text is looked for)."""
    page.wait_for_function("() => window.Reveal && Reveal.isReady()")
    page.evaluate(
        "() => document.querySelectorAll('.reveal .slides section').forEach((s) => {"
        " s.hidden = false; s.style.setProperty('display', 'block', 'important');"
        " s.style.setProperty('visibility', 'visible', 'important'); })"
    )


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_the_voila_presenter_shows_hostile_text_as_text(planted, tmp_path, notebook):
    require_browser()
    root, env = planted
    port = free_port()
    command = [
        str(BIN / "voila"),
        str(root / "notebooks" / notebook),
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
    ]
    env = {**env, "DMJAK_RENDER": "live", "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")}
    with serving(command, "/voila/static/", port, tmp_path / "voila.log", cwd=REPO, env=env, timeout=90) as base:
        with chromium_page() as page:
            shot = f"hostile-voila-{notebook[:2]}"

            def every_section_drawn(page):
                # projector mode shows one section at a time; "all" lays out every one (as in test_browser)
                page.locator("#dmjak-nav:not([hidden]) #dmjak-all").click(timeout=180_000)
                wait_until_drawn(page, f"{shot}-loading")

            check_page(page, f"{base}/", shot, ready=every_section_drawn)


@pytest.fixture(scope="module")
def planted_lab(planted, tmp_path_factory):
    require_browser()
    root, env = planted
    secret, port = token(), free_port()
    runtime = tmp_path_factory.mktemp("hostile-lab-runtime")
    command = lab_command(port, secret, root)
    env = {**env, "DMJAK_RENDER": "live", "JUPYTER_RUNTIME_DIR": str(runtime)}
    with serving(command, "/api/status", port, runtime / "lab.log", cwd=root, env=env) as base:
        yield base, secret


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_jupyterlab_after_run_all_shows_hostile_text_as_text(planted_lab, notebook):
    base, secret = planted_lab

    def run_all(page):
        page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=60_000)
        page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(timeout=120_000)
        run_all_cells(page, f"hostile-lab-{notebook[:2]}-not-started")
        wait_until_drawn(page, f"hostile-lab-{notebook[:2]}-loading", timeout=240)

    with chromium_page() as page:
        check_page(
            page,
            f"{base}/lab/tree/notebooks/{notebook}?reset&token={secret}",
            f"hostile-lab-{notebook[:2]}",
            ready=run_all,
        )
