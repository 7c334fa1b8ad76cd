"""P5, the course website (``make site``), against floors taken in the same run.

- build time: the student site from the executed notebooks vs a bare Sphinx build of the same source pages
  (myst-nb only: default theme, none of the course's templates, static files, vendored scripts or checks);
  median of paired rounds;
- JavaScript and fonts received per page, opened on a cold browser cache (the worst a student meets; later
  pages reuse Vega from the cache);
- time from navigation to every chart drawn live on the page with most charts (warm cache, reached as by a link,
  median of 3), and
  how long the page's main thread was busy in that time (its CPU time, from Chromium's trace): on a shared,
  loaded machine the wall time grows with the load while the work does not, so the two are reported together.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

from dmjak.tooling.site import build, pages

REPO = Path(__file__).resolve().parents[1]
ROUNDS = 2
TRACED = ["toplevel", "disabled-by-default-devtools.timeline"]  # the renderer's tasks, with their CPU time
BARE_CONF = (
    "extensions = ['myst_nb']\nnb_execution_mode = 'off'\nmyst_enable_extensions = ['colon_fence']\n"
    "exclude_patterns = ['extra', '*.json']\n"
)


def bare_build(source: Path, out: Path, conf: Path) -> float:
    start = time.perf_counter()
    build.sphinx(source, out, {}, warnings_as_errors=False, conf_dir=conf)
    return time.perf_counter() - start


def course_build(out: Path) -> float:
    start = time.perf_counter()
    build.build("student", out=out, slides=False)
    return time.perf_counter() - start


def build_times(work: Path) -> dict:
    """Paired rounds (course first, then floor first) of the course build and the bare build."""
    site = work / "site"
    course_build(site)  # executes any notebook whose executed copy is missing or stale, outside the timing
    conf = work / "bare-conf"
    conf.mkdir(parents=True, exist_ok=True)
    (conf / "conf.py").write_text(BARE_CONF)
    source = work / "site-src" / "pages"
    ratios, course, floor = [], [], []
    for index in range(ROUNDS):
        order = ("course", "floor") if index % 2 == 0 else ("floor", "course")
        times = {}
        for kind in order:
            times[kind] = course_build(site) if kind == "course" else bare_build(source, work / f"bare-{index}", conf)
        course.append(times["course"])
        floor.append(times["floor"])
        ratios.append(times["course"] / times["floor"])
    return {
        "course_s": round(statistics.median(course), 2),
        "floor_s": round(statistics.median(floor), 2),
        "ratio": round(statistics.median(ratios), 2),
        "site": str(site),
    }


def browser_figures(site: Path) -> dict:
    """Bytes of JavaScript and fonts per page on a cold cache; time to all charts drawn on the largest page."""
    sys.path.insert(0, str(REPO / "tests"))
    from browser import chromium_page
    from test_export_browser import loopback_server

    names = sorted(p.name for p in site.glob("*.html"))
    weights = {}
    with loopback_server(site) as base:
        for name in names:
            with chromium_page() as page:  # a fresh profile: nothing cached
                received = []
                page.on(
                    "requestfinished",
                    lambda request, received=received: received.append(
                        request.sizes()["responseBodySize"] if request.resource_type in ("script", "font") else 0
                    ),
                )
                page.goto(f"{base}/{name}", wait_until="networkidle")
                page.evaluate("window.dmjakCharts || null")
                weights[name] = sum(received)
        largest = max(names, key=lambda n: (site / n).read_text(encoding="utf-8").count('class="dmjak-chart"'))
        drawn, busy = [], []
        with chromium_page() as page:
            page.goto(f"{base}/{largest}", wait_until="networkidle")  # fills the cache
            for traced in (False,) * 3 + (True,) * 3:  # tracing slows the page: timed rounds are not traced
                if traced:
                    page.context.browser.start_tracing(page=page, categories=TRACED)
                # following a link to the page, as a student does (a reload would revalidate every cached file)
                page.goto(f"{base}/{largest}", wait_until="domcontentloaded")
                done = page.evaluate("window.dmjakCharts.then((r) => ({ ...r, at: performance.now() }))")
                if traced:
                    busy.append(main_thread_busy_ms(page.context.browser.stop_tracing()))
                else:
                    drawn.append(done)
    return {
        "js_font_bytes": weights,
        "largest_js_font_bytes": max(weights.values()),
        "heaviest_page": max(weights, key=weights.get),
        "charts_page": largest,
        "charts": drawn[-1]["charts"],
        "all_charts_drawn_ms": round(statistics.median(d["at"] for d in drawn), 1),
        "main_thread_busy_ms": round(statistics.median(busy), 1),
        "load_average": round(os.getloadavg()[0], 1),
        "site_bytes": sum(p.stat().st_size for p in site.rglob("*") if p.is_file()),
    }


def main_thread_busy_ms(trace: bytes) -> float:
    """CPU time of the renderer's main thread over a trace started just before a navigation and stopped once
    every chart was drawn (the top-level tasks' thread time)."""
    events = json.loads(trace)
    events = events["traceEvents"] if isinstance(events, dict) else events
    main = {
        (e["pid"], e["tid"])
        for e in events
        if e.get("name") == "thread_name" and e.get("args", {}).get("name") == "CrRendererMain"
    }
    tasks = [e for e in events if e.get("ph") == "X" and e.get("name") == "RunTask" and (e["pid"], e["tid"]) in main]
    return sum(e.get("tdur", 0) for e in tasks) / 1000


def p5_site(work: Path) -> dict:
    times = build_times(work)
    figures = browser_figures(Path(times["site"]))
    return {**times, **figures, "pages": len(pages.notebooks())}
