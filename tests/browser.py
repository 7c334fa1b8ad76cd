"""Drive the course in Debian's Chromium with Playwright: launch, find a widget's chart, time a redraw.

Everything here reads the page as a student sees it: charts are found by their Vega SVG, widgets by
their rendered controls, and a redraw is the moment the chart's marks differ from before.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import statistics
import tempfile
from pathlib import Path

from conftest import skip_or_fail

CHROMIUM = Path(os.environ.get("DMJAK_CHROMIUM", "/usr/bin/chromium"))
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REPO = Path(__file__).resolve().parents[1]
SCREENSHOTS = REPO / "build" / "screenshots"
LATENCY_DIR = REPO / "build" / "bench" / "latency"
WEIGHT_DIR = REPO / "build" / "bench" / "weight"
WIDGET_PROBLEMS = ("Error displaying widget", "Loading widget", "JavaScript Error")


def require_browser() -> None:
    """Skip (developer machine) or fail (CI) when Chromium is missing."""
    if not CHROMIUM.exists():
        skip_or_fail(
            f"Chromium not found at {CHROMIUM}",
            "To run the browser tests: `sudo apt-get install chromium` (or set DMJAK_CHROMIUM to a Chromium "
            "binary), then `make test`.",
        )


@contextlib.contextmanager
def chromium_page():
    """A fresh headless Chromium profile and one page that records script errors."""
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="dmjak-chromium-")
    try:
        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                profile,
                executable_path=str(CHROMIUM),
                headless=True,
                args=FLAGS,
                viewport={"width": 1400, "height": 1000},
            )
            try:
                page = context.pages[0] if context.pages else context.new_page()
                page.script_errors = []
                page.on("pageerror", lambda error: page.script_errors.append(str(error)))
                page.chart_js_bytes = 0
                page.on("websocket", lambda socket: socket.on("framereceived", lambda f: _count_js(page, f)))
                yield page
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def _count_js(page, frame) -> None:
    """Add the size of a kernel message that carries widget JavaScript (a chart's ``_esm``, the Vega module)."""
    text = frame if isinstance(frame, str) else frame.decode("utf-8", "replace")
    if '"_esm"' in text or "dmjak-vega-module" in text:
        page.chart_js_bytes += len(text.encode())


def record_weight(environment: str, notebook: str, page) -> dict:
    """Write the widget JavaScript this page received to build/bench/weight/ for ``make bench`` (P4)."""
    charts = page.locator(".vega-embed").count()
    result = {"environment": environment, "notebook": notebook, "charts": charts, "js_bytes": page.chart_js_bytes}
    WEIGHT_DIR.mkdir(parents=True, exist_ok=True)
    (WEIGHT_DIR / f"{environment}-{notebook.removesuffix('.ipynb')}.json").write_text(json.dumps(result, indent=2))
    return result


def screenshot(page, name: str, show=None) -> Path:
    """Save a screenshot under build/screenshots/ (scrolled to ``show`` if given) and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    if show is not None:
        show.scroll_into_view_if_needed()
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# The chart that belongs to a control: the first Vega view in the same cell (JupyterLab and Voilà both
# render outputs inside .jp-Cell), else in the same output area.
_CHART_OF_CONTROL = """
(control) => {
  const scope = control.closest('.jp-Cell') || control.closest('.jp-OutputArea') || document.body;
  return scope.querySelector('.vega-embed');
}
"""

_MARKS = "(embed) => { const svg = embed.querySelector('svg.marks'); return svg ? svg.outerHTML : null; }"

# Resolve with the time from the next keydown/change on the page to the moment the chart's marks differ.
_ARM_TIMER = """
(embed) => {
  const before = embed.querySelector('svg.marks')?.outerHTML ?? null;
  window.__dmjakRedraw = new Promise((resolve) => {
    let start = null;
    const mark = (event) => { if (start === null) start = event.timeStamp; };
    document.addEventListener('keydown', mark, { capture: true, once: true });
    document.addEventListener('change', mark, { capture: true, once: true });
    const observer = new MutationObserver(() => {
      const svg = embed.querySelector('svg.marks');
      if (start !== null && svg && svg.outerHTML !== before) {
        observer.disconnect();
        resolve(performance.now() - start);
      }
    });
    observer.observe(embed, { subtree: true, childList: true, attributes: true, characterData: true });
    setTimeout(() => { observer.disconnect(); resolve(null); }, 10000);
  });
}
"""


def control(page, kind: str, label: str):
    """The rendered ipywidget of ``kind`` ('slider' or 'dropdown') whose description is ``label``."""
    locator = page.locator(f".widget-{kind}").filter(has=page.locator("label", has_text=label)).first
    locator.wait_for(state="visible", timeout=60_000)
    return locator


def chart_of(control_locator):
    handle = control_locator.evaluate_handle(_CHART_OF_CONTROL)
    element = handle.as_element()
    assert element is not None, "no Vega chart found in the control's cell"
    return element


def marks(embed) -> str | None:
    return embed.evaluate(_MARKS)


def timed_redraw(page, embed, act) -> float | None:
    """Run ``act()`` (one user input) and return ms from its event to the chart's changed marks."""
    embed.evaluate(_ARM_TIMER)
    act()
    return page.evaluate("window.__dmjakRedraw")


def slider_latencies(page, slider, embed, moves: int) -> list[float]:
    """Press ArrowRight/ArrowLeft alternately on the slider's handle; one redraw time per press."""
    handle = slider.locator(".noUi-handle").first
    samples = []
    for i in range(moves):
        key = "ArrowRight" if i % 2 == 0 else "ArrowLeft"
        elapsed = timed_redraw(page, embed, lambda key=key: handle.press(key))
        assert elapsed is not None, f"move {i + 1} ({key}) did not redraw the chart within 10 s"
        samples.append(elapsed)
    return samples


def record_latency(environment: str, widget: str, samples: list[float]) -> dict:
    """Write p50/p95 of the samples to build/bench/latency/ for ``make bench`` (P2) and return them."""
    ordered = sorted(samples)
    result = {
        "environment": environment,
        "widget": widget,
        "interactions": len(samples),
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))], 1),
        "samples_ms": [round(s, 1) for s in samples],
    }
    LATENCY_DIR.mkdir(parents=True, exist_ok=True)
    (LATENCY_DIR / f"{environment}-{widget.replace(' ', '-')}.json").write_text(json.dumps(result, indent=2))
    return result


def rendering_problems(page) -> list[str]:
    """Script errors, widget placeholders, error outputs and Vega views that drew nothing."""
    problems = [f"script error: {e}" for e in page.script_errors]
    text = page.locator("body").inner_text()
    problems += [f"page shows {phrase!r}" for phrase in WIDGET_PROBLEMS if phrase in text]
    errors = page.locator('[data-mime-type="application/vnd.jupyter.stderr"]')
    problems += [f"error output: {errors.nth(i).inner_text()[:300]}" for i in range(errors.count())]
    embeds = page.locator(".vega-embed")
    blank = embeds.count() - page.locator(".vega-embed svg.marks").count()
    if blank:
        problems.append(f"{blank} of {embeds.count()} Vega charts have no SVG marks")
    return problems
