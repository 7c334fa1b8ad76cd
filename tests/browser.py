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
import time
from pathlib import Path

from conftest import skip_or_fail

from dmjak import fonts

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
def chromium_page(viewport: dict | None = None, device_scale_factor: float = 1):
    """A fresh headless Chromium profile and one page that records script errors.

    ``device_scale_factor`` 2 with half the viewport is what a browser zoomed to 200 % lays out."""
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="dmjak-chromium-")
    try:
        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                profile,
                executable_path=str(CHROMIUM),
                headless=True,
                args=FLAGS,
                viewport=viewport or {"width": 1400, "height": 1000},
                device_scale_factor=device_scale_factor,
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


def chart_of(control_locator, timeout: float = 10):
    """The control's chart; waited for, because a viewport resize can make a view re-render for a moment."""
    deadline = time.monotonic() + timeout
    while True:
        element = control_locator.evaluate_handle(_CHART_OF_CONTROL).as_element()
        if element is not None or time.monotonic() > deadline:
            break
        time.sleep(0.25)
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
    if embeds.count() and not page.evaluate(COURSE_FONT_LOADED, fonts.FAMILY):
        problems.append(f"the course font {fonts.FAMILY} is not loaded: chart text was measured in another font")
    return problems


# The chart loader (dmjak.tooling.shared_chart) adds the course font's faces before the first chart is drawn.
COURSE_FONT_LOADED = """
(family) => [...document.fonts].some((face) => face.family.replace(/["']/g, '') === family && face.status === 'loaded')
"""


# --- What a student sees: the layout checks run on every notebook after it has drawn -------------------

# Text of one Vega view that overlaps other text of the same view, or sticks out of the view's SVG.
# Boxes are the rendered (rotation-aware, axis-aligned) client rectangles; TOLERANCE px of touching is fine.
_TEXT_PROBLEMS = """
(tolerance) => {
  const problems = [];
  const label = (el) => JSON.stringify(el.textContent.trim().slice(0, 40));
  document.querySelectorAll('.vega-embed svg.marks').forEach((svg, chart) => {
    const title = (svg.querySelector('.role-title-text') || {}).textContent || `chart ${chart + 1}`;
    const frame = svg.getBoundingClientRect();
    // the output area around the chart clips it: a chart wider than the output is cut off at its edge
    const output = svg.closest('.jp-OutputArea-output');
    const room = output ? output.getBoundingClientRect() : null;
    if (room && frame.right > room.right + tolerance) {
      problems.push(`${title}: the chart runs ${Math.round(frame.right - room.right)} px past its output (cut off)`);
    }
    const texts = [...svg.querySelectorAll('text')]
      .filter((t) => t.textContent.trim() && getComputedStyle(t).visibility !== 'hidden'
              && Number(t.getAttribute('opacity') ?? getComputedStyle(t).opacity) > 0
              && Number(getComputedStyle(t).fillOpacity || 1) > 0)
      .map((t) => ({ t, r: t.getBoundingClientRect() }))
      .filter(({ r }) => r.width > 0 && r.height > 0);
    for (const { t, r } of texts) {
      if (r.left < frame.left - tolerance || r.right > frame.right + tolerance
          || r.top < frame.top - tolerance || r.bottom > frame.bottom + tolerance) {
        problems.push(`${title}: text ${label(t)} runs outside its chart`);
      }
    }
    for (let i = 0; i < texts.length; i++) {
      for (let j = i + 1; j < texts.length; j++) {
        const a = texts[i].r, b = texts[j].r;
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w > tolerance && h > tolerance) {
          problems.push(`${title}: text ${label(texts[i].t)} overlaps ${label(texts[j].t)}`);
        }
      }
    }
  });
  return problems;
}
"""

# A legend entry whose symbol paints nothing visible, and a legend title printed twice in one chart.
_LEGEND_PROBLEMS = """
() => {
  const problems = [];
  const painted = (el) => {
    const s = getComputedStyle(el);
    const fill = el.getAttribute('fill') ?? s.fill, stroke = el.getAttribute('stroke') ?? s.stroke;
    const opacity = Number(el.getAttribute('opacity') ?? s.opacity);
    const fillOn = fill && fill !== 'none' && fill !== 'transparent'
      && Number(el.getAttribute('fill-opacity') ?? s.fillOpacity ?? 1) > 0;
    const strokeOn = stroke && stroke !== 'none' && stroke !== 'transparent'
      && Number(el.getAttribute('stroke-width') ?? 1) > 0
      && Number(el.getAttribute('stroke-opacity') ?? s.strokeOpacity ?? 1) > 0;
    const box = el.getBoundingClientRect();
    // a filled symbol needs an area; a stroked one (a line sample in a line legend) needs a length
    return opacity > 0 && ((fillOn && box.width >= 2 && box.height >= 2)
      || (strokeOn && Math.max(box.width, box.height) >= 2));
  };
  document.querySelectorAll('.vega-embed svg.marks').forEach((svg, chart) => {
    const title = (svg.querySelector('.role-title-text') || {}).textContent || `chart ${chart + 1}`;
    const seen = new Set();
    svg.querySelectorAll('.role-legend-title text').forEach((t) => {
      const name = t.textContent.trim();
      if (name && seen.has(name)) problems.push(`${title}: legend "${name}" is printed twice`);
      seen.add(name);
    });
    svg.querySelectorAll('.role-legend-label text').forEach((t) => {
      const entry = t.closest('.role-scope') || t.parentElement.parentElement;
      const symbols = entry ? [...entry.querySelectorAll('.role-legend-symbol path')] : [];
      if (!symbols.some(painted)) {
        problems.push(`${title}: legend entry "${t.textContent.trim()}" has no visible symbol`);
      }
    });
  });
  return problems;
}
"""

# Sliders with a short (or no) track, and control labels cut off by their box.
_WIDGET_PROBLEMS = """
(minTrack) => {
  const problems = [];
  const visible = (el) => el.offsetParent !== null;
  document.querySelectorAll('.widget-slider, .widget-hslider').forEach((slider) => {
    const name = (slider.querySelector('label, .widget-label') || {}).textContent || 'a slider';
    const track = slider.querySelector('.noUi-target, .slider-container, input[type=range]');
    const width = track ? track.getBoundingClientRect().width : 0;
    if (visible(slider) && width < minTrack) {
      problems.push(`slider "${name.trim()}" track is ${Math.round(width)} px wide`);
    }
  });
  document.querySelectorAll('.vega-bind input[type=range]').forEach((input) => {
    const name = (input.closest('.vega-bind')?.querySelector('.vega-bind-name') || {}).textContent || 'a chart slider';
    const width = input.getBoundingClientRect().width;
    if (visible(input) && width < minTrack) {
      problems.push(`chart slider "${name.trim()}" track is ${Math.round(width)} px wide`);
    }
  });
  const labels = '.widget-label, .widget-label-basic, .widget-button, .widget-toggle-button, '
    + '.widget-checkbox label, .widget-inline-hbox label, .vega-bind-name, .jupyter-button';
  document.querySelectorAll(labels).forEach((el) => {
    // Inline boxes have no clientWidth and never clip; a description collapsed to 0 px on purpose (the
    // visible row label says it; the description is for screen readers) is not a clipped label either.
    const inline = getComputedStyle(el).display === 'inline';
    if (visible(el) && !inline && el.clientWidth > 0 && el.textContent.trim() && el.scrollWidth > el.clientWidth + 1) {
      problems.push(`control label "${el.textContent.trim().slice(0, 50)}" is cut off `
        + `(${el.scrollWidth} px of text in ${el.clientWidth} px)`);
    }
  });
  return problems;
}
"""

# Table cells cut with an ellipsis, text not left-aligned, and pandas' missing-value marker in any output.
_TABLE_PROBLEMS = """
() => {
  const problems = [];
  const outputs = '.jp-OutputArea-output';
  document.querySelectorAll(`:is(${outputs}) :is(td, th)`).forEach((cell) => {
    const text = cell.textContent.trim();
    if (/(…|\\.\\.\\.)$/.test(text)) problems.push(`table cell cut off: "${text.slice(-60)}"`);
    if (['NaN', 'nan', '<NA>', 'None'].includes(text)) problems.push(`table cell shows "${text}"`);
  });
  // a table wider than its output loses its last columns past the edge
  document.querySelectorAll(`:is(${outputs}) table`).forEach((table) => {
    const room = table.closest('.jp-OutputArea-output').getBoundingClientRect();
    const over = table.getBoundingClientRect().right - room.right;
    const head = (table.querySelector('th') || {}).textContent || 'a table';
    if (over > 2) problems.push(`table "${head.trim()}" runs ${Math.round(over)} px past its output (cut off)`);
  });
  // pandas' own HTML (class "dataframe"): a 0..n index and snake_case headings, not the course's table
  document.querySelectorAll(`:is(${outputs}) table.dataframe`).forEach((table) => {
    const head = [...table.querySelectorAll('th')].map((th) => th.textContent.trim()).filter(Boolean);
    problems.push(`a raw pandas table (headings ${JSON.stringify(head.slice(0, 4))}): use render.show_table`);
  });
  // The course's tables read left to right: words are left-aligned (only numbers sit right).
  document.querySelectorAll(`:is(${outputs}) table.dmjak-table :is(td:not(.num), th)`).forEach((cell) => {
    const align = getComputedStyle(cell).textAlign;
    if (!['left', 'start'].includes(align)) {
      problems.push(`table text aligned ${align}: "${cell.textContent.trim().slice(0, 40)}"`);
    }
  });
  document.querySelectorAll(outputs).forEach((out) => {
    if (out.closest('details:not([open])')) return;
    if (out.innerText.includes('<NA>')) problems.push(`an output shows "<NA>": ${out.innerText.slice(0, 80)}`);
  });
  return [...new Set(problems)];
}
"""

# The smallest rendered font size of any chart text (the presenter view promises projector-sized text).
_SMALLEST_CHART_TEXT = """
() => {
  const sizes = [...document.querySelectorAll('.vega-embed svg.marks text')]
    .filter((t) => t.textContent.trim())
    .map((t) => ({ size: parseFloat(getComputedStyle(t).fontSize), text: t.textContent.trim().slice(0, 40) }));
  return sizes.sort((a, b) => a.size - b.size).slice(0, 5);
}
"""

TEXT_TOLERANCE_PX = 1.5
MIN_SLIDER_TRACK_PX = 150


def layout_problems(page) -> dict[str, list[str]]:
    """Everything a student would see as broken layout, by kind (empty lists when all is well)."""
    return {
        "chart text": page.evaluate(_TEXT_PROBLEMS, TEXT_TOLERANCE_PX),
        "legends": page.evaluate(_LEGEND_PROBLEMS),
        "widgets": page.evaluate(_WIDGET_PROBLEMS, MIN_SLIDER_TRACK_PX),
        "tables": page.evaluate(_TABLE_PROBLEMS),
    }


def smallest_chart_text(page) -> list[dict]:
    """The five smallest chart texts on the page, with their rendered font size in px."""
    return page.evaluate(_SMALLEST_CHART_TEXT)


# JupyterLab and Voilà's lab template scroll inside a panel, not the page: the tallest scrolling element.
_SCROLLER_HEIGHT = """
() => {
  let best = null;
  for (const el of document.querySelectorAll('body *')) {
    const style = getComputedStyle(el);
    if (!/(auto|scroll)/.test(style.overflowY) || el.scrollHeight <= el.clientHeight + 1) continue;
    if (!best || el.scrollHeight > best.scrollHeight) best = el;
  }
  window.__dmjakScroller = best;
  return best ? best.scrollHeight - best.clientHeight : 0;
}
"""
_SCROLL_TO_TOP = "() => { if (window.__dmjakScroller) window.__dmjakScroller.scrollTop = 0; window.scrollTo(0, 0); }"


def whole_notebook(page, width: int = 1400, cap: int = 60_000):
    """Make the viewport tall enough that the page's scrolling panel shows everything, so that every cell
    is laid out and a screenshot shows the whole notebook. Returns a function restoring the viewport."""
    old = page.viewport_size
    hidden = page.evaluate(_SCROLLER_HEIGHT)
    if hidden:
        page.set_viewport_size({"width": width, "height": min(old["height"] + hidden + 100, cap)})
        page.evaluate(_SCROLL_TO_TOP)  # Run All leaves the panel scrolled to its last cell
        page.wait_for_timeout(1500)  # Vega views re-measure their container width
    return lambda: page.set_viewport_size(old)


# --- Accessibility: axe-core (from npm, node_modules/axe-core) run inside the page -------------------------

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def axe_violations(page) -> list[dict]:
    """axe-core's violations on the open page: rule id, impact, help and the first few offending elements."""
    if not AXE.is_file():
        skip_or_fail(f"{AXE} is missing", "Install Node.js and run `npm ci` (make setup does).")
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async (tags) => {
          const options = { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] };
          const result = await axe.run(document, options);
          return result.violations.map((v) => ({
            id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length,
            targets: v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')}: ${(n.failureSummary || '').slice(0, 150)}`),
          }));
        }""",
        AXE_TAGS,
    )
