"""The presenter view as a lecturer meets it: Voilà started the way `make present` starts it, opened in
Chromium with the internet blocked, measured for text sizes, sections and the wait for its charts."""

from __future__ import annotations

import contextlib
import sys
import time
from pathlib import Path

from conftest import REPO
from servers import free_port, serving

VOILA = Path(sys.executable).with_name("voila")
PRESENTER_CHARTS = {"05_baricitinib_cases.ipynb": 10, "02_interferon_jak_stat.ipynb": 3}

# Smallest rendered font size per kind of text on the page (visible elements only), with an example.
SIZES = """
() => {
  const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const kinds = {
    body: '.jp-RenderedMarkdown p, .jp-RenderedMarkdown li',
    tables: '.jp-OutputArea-output td, .jp-OutputArea-output th, .jp-RenderedMarkdown td, .jp-RenderedMarkdown th',
    widgets: '.widget-label, .widget-readout, .widget-dropdown select, .widget-radio-box label, .jupyter-button, '
      + '.vega-bind-name, .vega-bind select, .lm-AccordionPanel-title, .jupyter-widget-Collapse-header',
    charts: '.vega-embed svg.marks text',
  };
  const out = {};
  for (const [kind, selector] of Object.entries(kinds)) {
    let smallest = null;
    for (const el of document.querySelectorAll(selector)) {
      if (!visible(el) || !el.textContent.trim()) continue;
      const size = parseFloat(getComputedStyle(el).fontSize);
      if (!smallest || size < smallest.px) smallest = { px: size, text: el.textContent.trim().slice(0, 40) };
    }
    out[kind] = smallest;
  }
  return out;
}
"""

CHARTS_DRAWN = "(n) => document.querySelectorAll('.vega-embed svg.marks').length >= n"


@contextlib.contextmanager
def voila(notebook: str, log: Path, *extra: str, env: dict | None = None):
    """Voilà on 127.0.0.1 serving ``notebook`` (options in ``extra``, more environment in ``env``); yields the
    page URL."""
    port = free_port()
    command = [str(VOILA), f"notebooks/{notebook}", "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1", *extra]
    with serving(command, "/voila/static/", port, log, cwd=REPO, timeout=120, env=env) as base:
        yield base + "/"


def wait_for_charts(page, url: str, charts: int, timeout: float = 120) -> float:
    """Open ``url`` and return the seconds until ``charts`` Vega charts have drawn their marks."""
    start = time.perf_counter()
    page.goto(url, wait_until="commit", timeout=timeout * 1000)
    page.wait_for_function(CHARTS_DRAWN, arg=charts, timeout=timeout * 1000, polling=50)
    return time.perf_counter() - start


def show_all(page) -> None:
    """Every section at once (the projector mode's 'all' switch), for measuring the whole notebook."""
    page.evaluate(
        "() => { if (window.dmjakSections && !document.querySelector('#dmjak-all[aria-pressed=true]')) "
        "document.getElementById('dmjak-all').click(); }"
    )
    page.wait_for_timeout(800)
