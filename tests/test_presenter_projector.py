"""The presenter view's projector mode, as a lecturer uses it: Voilà started as `make present` starts it,
opened in Chromium at projector sizes with the internet blocked.

Text sizes at 1280x720 and 1920x1080 (body >= 24 px, tables and widget labels >= 20 px, chart text >=
18 px), one section per screen with keyboard navigation, a live widget redrawing its chart, and charts that
keep a legible layout when the browser is zoomed to 150 % and 200 % (a zoomed browser lays the page out
in fewer CSS pixels at a higher device pixel ratio, which is what the test gives it)."""

from __future__ import annotations

import pytest
from browser import chart_of, chromium_page, control, layout_problems, marks, require_browser, screenshot, timed_redraw
from presenter_view import PRESENTER_CHARTS, SIZES, show_all, voila, wait_for_charts
from test_export_browser import block_internet

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
NOTEBOOK = "05_baricitinib_cases.ipynb"
MINIMUM = {"body": 24, "tables": 20, "widgets": 20, "charts": 18}
PROJECTORS = [{"width": 1280, "height": 720}, {"width": 1920, "height": 1080}]
ZOOMS = [(1.5, {"width": 853, "height": 480}), (2, {"width": 640, "height": 360})]


@pytest.fixture(scope="module")
def presenter(tmp_path_factory):
    require_browser()
    with voila(NOTEBOOK, tmp_path_factory.mktemp("voila") / "voila.log") as url:
        yield url


def opened(page, url: str) -> list[str]:
    blocked = block_internet(page)
    wait_for_charts(page, url, PRESENTER_CHARTS[NOTEBOOK], timeout=240)
    page.locator("#dmjak-nav:not([hidden])").wait_for(timeout=60_000)
    return blocked


def chart_text_problems(page) -> list[str]:
    """Chart text that overlaps other text or leaves its chart (a chart wider than a zoomed page scrolls)."""
    return [p for p in layout_problems(page)["chart text"] if "past its output" not in p]


@pytest.mark.parametrize("viewport", PROJECTORS, ids=lambda v: f"{v['width']}x{v['height']}")
def test_projector_text_sizes_with_the_internet_blocked(presenter, viewport):
    with chromium_page(viewport) as page:
        blocked = opened(page, presenter)
        show_all(page)
        sizes = page.evaluate(SIZES)
        shot = screenshot(page, f"presenter-projector-{viewport['width']}")
        assert blocked == [], f"the presenter view asked the internet for {blocked}"
        too_small = {k: sizes[k] for k, least in MINIMUM.items() if sizes[k] is None or sizes[k]["px"] < least}
        assert not too_small, f"{too_small}; see {shot}"
        assert chart_text_problems(page) == []
        assert page.script_errors == []


def test_one_section_per_screen_and_keyboard_navigation(presenter):
    visible_headings = (
        "() => [...document.querySelectorAll('.jp-MarkdownCell h1, .jp-MarkdownCell h2')]"
        ".filter((h) => h.getClientRects().length).map((h) => h.textContent.replace('¶', '').trim())"
    )
    with chromium_page(PROJECTORS[0]) as page:
        opened(page, presenter)
        count = page.evaluate("() => dmjakSections.count()")
        assert count >= 12
        assert page.evaluate(visible_headings) == ["The three baricitinib cases"]
        page.locator("body").click(position={"x": 5, "y": 5})
        page.keyboard.press("PageDown")
        assert page.evaluate(visible_headings) == ["What kind of evidence this is"]
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowLeft")
        assert page.evaluate("() => dmjakSections.current()") == 1
        page.keyboard.press("End")
        assert page.evaluate("() => dmjakSections.current()") == count - 1
        page.keyboard.press("Home")
        assert page.evaluate("() => dmjakSections.current()") == 0
        assert page.evaluate("() => location.hash") == "#section-1"
        page.locator("#dmjak-next").click()
        assert page.evaluate(visible_headings) == ["What kind of evidence this is"]


def test_a_live_widget_redraws_its_chart_and_arrow_keys_stay_with_the_control(presenter):
    with chromium_page(PROJECTORS[0]) as page:
        opened(page, presenter)
        index = page.evaluate(
            "() => { for (let i = 0; i < dmjakSections.count(); i++) { dmjakSections.show(i);"
            " if ([...document.querySelectorAll('.jp-MarkdownCell h2')].some((h) => h.getClientRects().length"
            " && h.textContent.startsWith('What if'))) return i; } return -1; }"
        )
        assert index > 0
        page.wait_for_timeout(1000)
        slider = control(page, "slider", "Weeks to half the improvement")
        embed = chart_of(slider)
        before = marks(embed)
        handle = slider.locator(".noUi-handle").first
        elapsed = timed_redraw(page, embed, lambda: handle.press("ArrowRight"))
        assert elapsed is not None and marks(embed) != before, "the slider did not redraw its chart"
        assert page.evaluate("() => dmjakSections.current()") == index, "an arrow key on a slider changed section"
        screenshot(page, "presenter-projector-what-if", show=embed)


@pytest.mark.parametrize(("zoom", "viewport"), ZOOMS, ids=lambda z: f"{z}" if isinstance(z, float | int) else "")
def test_charts_stay_legible_when_the_browser_is_zoomed(presenter, zoom, viewport):
    with chromium_page(viewport, device_scale_factor=zoom) as page:
        opened(page, presenter)
        show_all(page)
        widths = page.evaluate(
            "() => [...document.querySelectorAll('.vega-embed svg.marks')].map((svg) => {"
            " const frame = svg.querySelector('g.mark-group.role-frame.root path.background, path.background');"
            " return [svg.getBoundingClientRect().width, frame ? frame.getBoundingClientRect().width : 0,"
            " (svg.querySelector('.role-title-text') || {}).textContent || '']; })"
        )
        shot = screenshot(page, f"presenter-zoom-{int(zoom * 100)}")
        assert widths and all(svg >= 1100 for svg, _, _ in widths), f"{widths}; see {shot}"
        problems = chart_text_problems(page)
        assert problems == [], f"{problems[:5]}; see {shot}"
