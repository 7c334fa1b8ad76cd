"""The course website in Chromium with the internet blocked: every page and deck loads nothing from another
host, every chart is drawn live by vega-embed (tooltips and the chart's own controls working), axe-core finds
no critical or serious violation, and the search page finds a glossary term. Screenshots: build/screenshots/site-*.png.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import axe_violations, chromium_page, require_browser, screenshot
from test_export import require_node_modules
from test_export_browser import loopback_server, open_offline

from dmjak.tooling.site import build, repository

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
BLOCKING = ("critical", "serious")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    require_browser()
    require_node_modules()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(repository.REPO_ENV_VAR, "https://github.com/example-org/dmjak-course")
        return build.build("student", out=tmp_path_factory.mktemp("site-browser") / "site")


def site_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in [*site.glob("*.html"), *site.glob("slides/*.slides.html")])


def test_every_page_loads_nothing_remote_draws_every_chart_live_and_passes_axe(site):
    names = site_pages(site)
    assert len(names) >= 8 + 5 + 3  # notebooks, home/glossary/references/search/index, decks
    report, charts_seen = {}, 0
    with loopback_server(site) as base, chromium_page() as page:
        for name in names:
            page.script_errors.clear()
            blocked = open_offline(page, f"{base}/{name}")
            assert blocked == [], f"{name} asked the internet for {blocked}"
            drawn = page.evaluate("window.dmjakCharts || null")
            figures = page.locator("figure.dmjak-chart").count()
            if figures and name.startswith("slides/"):  # decks show the static SVG (no Vega in reveal.js)
                assert page.locator("figure.dmjak-chart > svg.marks").count() == figures, name
                charts_seen += figures
            elif figures:
                assert drawn == {**drawn, "charts": figures, "live": figures}, f"{name}: {drawn} for {figures} figures"
                assert page.locator("figure.dmjak-chart .dmjak-live svg.marks").count() == figures
                charts_seen += figures
            assert page.script_errors == [], f"{name}: {page.script_errors}"
            violations = axe_violations(page)
            report[name] = [f"{v['impact']} {v['id']} ({v['nodes']}): {v['targets']}" for v in violations]
            screenshot(page, f"site-{name.replace('/', '-').removesuffix('.html')}")
    blocking = {name: [v for v in found if v.split()[0] in BLOCKING] for name, found in report.items()}
    assert {n: v for n, v in blocking.items() if v} == {}
    assert charts_seen >= 30


def test_tooltips_and_the_charts_own_controls_work_without_a_kernel(site):
    with loopback_server(site) as base, chromium_page() as page:
        assert open_offline(page, f"{base}/00_start_here.html") == []
        page.evaluate("window.dmjakCharts")
        page.locator("figure.dmjak-chart .dmjak-live .mark-rect path").first.hover()
        tooltip = page.locator("#vg-tooltip-element")
        tooltip.wait_for(state="visible", timeout=5000)
        assert "minutes" in tooltip.inner_text().lower()

        assert open_offline(page, f"{base}/01_dermatomyositis.html") == []
        page.evaluate("window.dmjakCharts")
        select = page.locator(".dmjak-live .vega-bind select").first
        chart = select.locator("xpath=ancestor::div[contains(@class, 'dmjak-live')]")
        before = chart.locator("svg.marks").inner_html()
        options = select.locator("option").all_inner_texts()
        select.select_option(options[-1])
        page.wait_for_function(
            "(b) => document.querySelector('.vega-bind select')"
            ".closest('.dmjak-live').querySelector('svg.marks').innerHTML !== b",
            arg=before,
        )


def test_search_from_the_site_finds_a_glossary_term(site):
    with loopback_server(site) as base, chromium_page() as page:
        assert open_offline(page, f"{base}/search.html?q=calcinosis") == []
        results = page.locator("#search-results li a")
        results.first.wait_for(timeout=15_000)
        targets = [results.nth(i).get_attribute("href") for i in range(results.count())]
        assert any(t.startswith("glossary.html") for t in targets), targets
        status = page.locator("#search-results p.search-summary[role='status']")  # read out, not only shown
        status.wait_for(timeout=15_000)
        page.wait_for_function("() => /found/.test(document.querySelector('p.search-summary').textContent)")
        screenshot(page, "site-search-calcinosis")


def test_a_term_link_opens_the_glossary_at_that_term(site):
    with loopback_server(site) as base, chromium_page() as page:
        assert open_offline(page, f"{base}/05_baricitinib_cases.html") == []
        link = page.locator("a[href^='glossary.html#term-']").first
        term = link.get_attribute("href").split("#")[1]
        link.click()
        page.wait_for_url(f"**/glossary.html#{term}")
        entry = page.locator(f"dt[id='{term}']")
        assert entry.is_visible()
        assert entry.bounding_box()["y"] < 200  # scrolled to the entry, not the top of the page


def test_a_chart_that_cannot_be_drawn_live_shows_its_static_picture(site):
    """The static SVG (in <noscript>, live_charts) is what a reader sees without JavaScript, and what charts.js
    puts back when Vega cannot be loaded; the room kept for a chart is given back either way."""
    page_name = "05_baricitinib_cases.html"
    with loopback_server(site) as base, chromium_page() as page:
        page.route("**/vega-embed.min.js*", lambda route: route.abort())
        page.goto(f"{base}/{page_name}", wait_until="networkidle")
        drawn = page.evaluate("window.dmjakCharts")
        figures = page.locator("figure.dmjak-chart")
        assert drawn["live"] == 0 and drawn["charts"] == figures.count() >= 5
        assert page.locator("figure.dmjak-chart > svg.marks").count() == figures.count()
        assert page.locator("figure.dmjak-chart.dmjak-settled").count() == figures.count()
        heights = figures.evaluate_all("fs => fs.map(f => getComputedStyle(f, '::before').height)")
        assert set(heights) <= {"auto", "0px"}, heights
    with loopback_server(site) as base, chromium_page() as page:
        page.context.new_cdp_session(page).send("Emulation.setScriptExecutionDisabled", {"value": True})
        page.goto(f"{base}/{page_name}", wait_until="load")  # the whole page parsed (networkidle may come first)
        shown = page.locator("figure.dmjak-chart noscript svg.marks")
        assert shown.count() == page.locator("figure.dmjak-chart").count() >= 5
        assert all(box and box["height"] > 100 for box in (shown.nth(i).bounding_box() for i in range(shown.count())))
