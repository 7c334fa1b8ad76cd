"""Every exported page and slide deck opened in real Chromium with the internet blocked.

The offline site (build/site/*.html) and the reveal.js slides are exported afresh, served from a
loopback HTTP server, and opened one by one. Every request to a host other than the loopback is
aborted and counted (there must be none), and every chart must be drawn: each figure holds a
non-empty SVG with marks, as many figures as Vega-Lite specifications. Screenshots:
build/screenshots/export-*.png.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import ipaddress
import threading
from urllib.parse import urlsplit

import offline_bypasses
import pytest
from browser import chromium_page, require_browser, screenshot
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from test_export import require_node_modules

from dmjak.course import notebook_paths
from dmjak.tooling import export

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

# Per figure: is there an SVG, its drawn size, and how many Vega marks it holds.
FIGURES = """
() => [...document.querySelectorAll('figure.dmjak-chart')].map((figure) => {
  const svg = figure.querySelector('svg');
  const box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
  return {
    label: (figure.querySelector('figcaption') || {}).textContent,
    svg: Boolean(svg),
    width: box.width,
    height: box.height,
    marks: svg ? svg.querySelectorAll('g[class^="mark-"] > *').length : 0,
  };
})
"""
SPECS = "() => document.querySelectorAll('script.dmjak-spec').length"


def is_loopback(url: str) -> bool:
    """True for pages the test serves itself (and the browser's own data:/about: URLs)."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "about", "blob"):
        return True
    host = parts.hostname or ""
    if host == "localhost":
        return True
    with contextlib.suppress(ValueError):
        return ipaddress.ip_address(host).is_loopback
    return False


@contextlib.contextmanager
def loopback_server(folder):
    """Serve ``folder`` over HTTP on 127.0.0.1 (a free port) for the duration of the block."""

    class QuietHandler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    require_browser()
    require_node_modules()
    site = tmp_path_factory.mktemp("offline-site")
    export.export_slides(out=site / "slides")
    export.export_site(out=site)
    return site


def block_internet(page) -> list[str]:
    """Abort every request to a host other than the loopback; return the list they are recorded in."""
    blocked: list[str] = []

    def guard(route):
        if is_loopback(route.request.url):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    page.context.route("**/*", guard)
    return blocked


def open_offline(page, url: str) -> list[str]:
    """Open ``url`` with every non-loopback request aborted; return the blocked URLs."""
    blocked = block_internet(page)
    page.goto(url, wait_until="networkidle")
    return blocked


def test_every_exported_page_and_slide_deck_draws_every_chart_with_zero_remote_requests(exported):
    pages = sorted(exported.glob("*.html")) + sorted((exported / "slides").glob("*.slides.html"))
    notebook_pages = [p for p in pages if p.name[:2].isdigit()]
    assert len(notebook_pages) == len(notebook_paths()) + len(export.SLIDE_NOTEBOOKS)
    report = {}
    with loopback_server(exported) as base, chromium_page() as page:
        for path in pages:
            relative = path.relative_to(exported).as_posix()
            page.script_errors.clear()
            blocked = open_offline(page, f"{base}/{relative}")
            shot = screenshot(page, f"export-{path.stem.replace('.', '-')}")
            figures = page.evaluate(FIGURES)
            specs = page.evaluate(SPECS)
            undrawn = [f["label"] for f in figures if not f["svg"] or not f["marks"]]
            if path.name.endswith(".slides.html"):
                assert page.locator(".reveal.ready").count() == 1, f"reveal.js did not start in {relative}"
            else:  # one long page: every chart is laid out with a size
                undrawn += [f["label"] for f in figures if f["width"] < 50 or f["height"] < 20]
            report[relative] = len(figures)
            assert blocked == [], f"{relative} asked the internet for {blocked}"
            assert page.script_errors == [], f"{relative}: {page.script_errors}; see {shot}"
            assert len(figures) == specs, f"{relative}: {len(figures)} figures for {specs} chart specs"
            assert not undrawn, f"{relative}: charts not drawn: {undrawn}; see {shot}"
    assert sum(report[p.relative_to(exported).as_posix()] for p in notebook_pages) >= 30, report


def test_the_guard_counts_and_blocks_a_remote_request(tmp_path):
    """The check above can fail: a page that asks a CDN is caught, and its request never leaves."""
    require_browser()
    (tmp_path / "remote.html").write_text(
        "<!DOCTYPE html><html><head><script type='module'>import('https://cdn.example.org/m.mjs')"
        ".catch(() => {});</script></head><body><img src='https://cdn.example.org/x.png'></body></html>"
    )
    with loopback_server(tmp_path) as base, chromium_page() as page:
        blocked = open_offline(page, f"{base}/remote.html")
    assert sorted(blocked) == ["https://cdn.example.org/m.mjs", "https://cdn.example.org/x.png"]
    assert is_loopback("http://127.0.0.1:8000/x") and is_loopback("http://localhost/x")
    assert not is_loopback("https://cdnjs.cloudflare.com/x") and not is_loopback("http://10.0.0.1/x")


def test_exported_pages_link_only_to_pages_and_anchors_that_exist(exported):
    """Links between notebooks lead to their exported pages (they led to .ipynb files no export holds).
    The decks are checked as part of the website (test_site.py), which points their links at its pages."""
    from dmjak.tooling.site import links

    pages_only = [p for p in links.broken_links(exported) if not p.startswith("slides/")]
    assert pages_only == []


def test_no_page_the_offline_check_passes_asks_the_internet_in_chromium(tmp_path):
    """Re-review R3: every bypass page of the review (and new forms), with the CSP, through the check;
    Chromium opens each page the check passes, and none of them may request anything off the loopback."""
    require_browser()
    passed = {}
    for case, snippet in {**offline_bypasses.REFUSED, **offline_bypasses.PASSED}.items():
        page = export.with_csp(offline_bypasses.page(snippet))
        with contextlib.suppress(export.OfflineError):
            passed[case] = export.check_offline(page, "case.html")
    for number, page in enumerate(passed.values()):
        (tmp_path / f"case{number}.html").write_text(page, encoding="utf-8")
    with loopback_server(tmp_path) as base, chromium_page() as browser_page:
        for number, case in enumerate(passed):
            blocked = block_internet(browser_page)
            try:
                browser_page.goto(f"{base}/case{number}.html", wait_until="networkidle", timeout=10_000)
            except PlaywrightTimeout:  # a page that keeps asking never goes idle: report what it asked for
                blocked.append("(the page never went idle)") if not blocked else None
            assert blocked == [], f"{case}: the check passed a page that asked the internet for {blocked}"
    assert set(passed) == set(offline_bypasses.PASSED), "the check's verdicts changed: update offline_bypasses.py"
