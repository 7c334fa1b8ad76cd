"""The presenter view's projector mode, as a lecturer uses it: Voilà started as `make present` starts it,
opened in Chromium at projector sizes with the internet blocked.

Text sizes at 1280x720 and 1920x1080 (body >= 24 px, tables and widget labels >= 20 px, chart text >=
18 px), one section per screen with keyboard navigation, a live widget redrawing its chart, and charts that
keep a legible layout when the browser is zoomed to 150 % and 200 % (a zoomed browser lays the page out
in fewer CSS pixels at a higher device pixel ratio, which is what the test gives it)."""

from __future__ import annotations

import pytest
from browser import (
    COURSE_FONT_LOADED,
    chart_of,
    chromium_page,
    control,
    layout_problems,
    marks,
    require_browser,
    screenshot,
    timed_redraw,
)
from presenter_view import PRESENTER_CHARTS, SIZES, show_all, voila, wait_for_charts
from test_export_browser import block_internet

from dmjak import fonts
from dmjak.tooling.shared_chart import REQUEST, STATIC_MODULE

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
        page.keyboard.press("ArrowRight")
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


# how far the page (or the panel holding the cells) is scrolled
SCROLLED = (
    "() => { let top = window.scrollY; for (let el = document.querySelector('#rendered_cells'); el;"
    " el = el.parentElement) top = Math.max(top, el.scrollTop); return top; }"
)
# the bottom of the visible section's last cell, relative to the bottom of the page's panel (<= 0: on screen)
SECTION_END = (
    "() => Math.max(...[...document.querySelectorAll('#rendered_cells [cell-index]:not(.dmjak-off)')]"
    ".map((c) => c.getBoundingClientRect().bottom))"
    " - Math.min(window.innerHeight, document.getElementById('rendered_cells').getBoundingClientRect().bottom)"
)


def test_pagedown_scrolls_through_a_tall_section_before_the_next_one(presenter):
    """A clicker reaches everything: in a section taller than the screen, PageDown shows the next screen of
    it, and moves on only once the section's end is on screen; PageUp goes back the same way."""
    with chromium_page(PROJECTORS[0]) as page:
        opened(page, presenter)
        page.locator("body").click(position={"x": 5, "y": 5})
        tall = page.evaluate(
            "() => { for (let i = 0; i < dmjakSections.count(); i++) { dmjakSections.show(i);"
            " const end = (" + SECTION_END + ")(); if (end > 2 * window.innerHeight) return i; } return -1; }"
        )
        assert tall >= 0, "no section of notebook 05 is taller than three screens at 1280x720"
        page.evaluate(f"() => dmjakSections.show({tall})")
        page.wait_for_timeout(500)
        positions = [page.evaluate(SCROLLED)]
        while page.evaluate("() => dmjakSections.current()") == tall:
            end_before = page.evaluate(SECTION_END)
            page.keyboard.press("PageDown")
            if page.evaluate("() => dmjakSections.current()") == tall:
                positions.append(page.evaluate(SCROLLED))
                assert positions[-1] > positions[-2], "PageDown neither scrolled nor changed section"
                # a screen at a time: the next screen overlaps the last one, nothing is skipped
                assert positions[-1] - positions[-2] <= 720, positions
            else:
                assert end_before <= 2, f"left the section with {end_before:.0f} px of it still below the screen"
            assert len(positions) < 40
        assert len(positions) >= 3, f"the tall section was not scrolled a screen at a time: {positions}"
        assert page.evaluate("() => dmjakSections.current()") == tall + 1
        assert page.evaluate(SCROLLED) == 0, "the next section starts at its top"
        page.keyboard.press("PageUp")  # at the top of a section PageUp goes back a section
        assert page.evaluate("() => dmjakSections.current()") == tall
        page.keyboard.press("End")
        page.keyboard.press("Home")
        page.evaluate(f"() => dmjakSections.show({tall})")
        page.keyboard.press("Space")  # Space, with no control focused, pages like PageDown
        assert page.evaluate("() => dmjakSections.current()") == tall and page.evaluate(SCROLLED) > 0
        page.keyboard.press("PageUp")
        assert page.evaluate("() => dmjakSections.current()") == tall and page.evaluate(SCROLLED) == 0


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


# Per chart: its drawn width and height, its column's width, the scale it is drawn at, and the smallest
# chart text as the screen shows it (font size x scale, in CSS px).
CHART_FIT = """
() => [...document.querySelectorAll('.vega-embed svg.marks')].filter((svg) => svg.getClientRects().length)
  .map((svg) => {
    const box = Element.prototype.getBoundingClientRect.call(svg);
    const column = svg.closest('.jp-OutputArea-output');
    const scale = box.width / parseFloat(svg.getAttribute('width'));
    const fonts = [...svg.querySelectorAll('text')].filter((t) => t.textContent.trim())
      .map((t) => parseFloat(getComputedStyle(t).fontSize));
    return { width: box.width, height: box.height, column: column.clientWidth, scale,
             scrolls: column.scrollWidth > column.clientWidth + 1, text: Math.min(...fonts) * scale,
             title: (svg.querySelector('.role-title-text') || {}).textContent || '' };
  })
"""


@pytest.mark.parametrize(("zoom", "viewport"), ZOOMS, ids=lambda z: f"{z}" if isinstance(z, float | int) else "")
def test_charts_scale_to_their_column_when_the_browser_is_zoomed(presenter, zoom, viewport):
    """Zoomed, a chart keeps its projector layout and is scaled down to its column: nothing scrolls sideways,
    and its text on the screen's pixels is as large as at 1280x720 without zoom (at least 18 px)."""
    with chromium_page(viewport, device_scale_factor=zoom) as page:
        opened(page, presenter)
        show_all(page)
        charts = page.evaluate(CHART_FIT)
        shot = screenshot(page, f"presenter-zoom-{int(zoom * 100)}")
        assert len(charts) >= PRESENTER_CHARTS[NOTEBOOK], f"{charts}; see {shot}"
        for chart in charts:
            assert not chart["scrolls"] and chart["width"] <= chart["column"] + 1, f"{chart}; see {shot}"
            assert chart["text"] * zoom >= MINIMUM["charts"], f"chart text {chart}; see {shot}"
        problems = chart_text_problems(page)
        assert problems == [], f"{problems[:5]}; see {shot}"


def test_charts_fill_a_1920_column_and_a_brush_follows_the_pointer(presenter):
    """At 1920x1080 every chart is as wide as its column (concatenated charts scaled up, text included);
    dragging across the explorer's timeline draws the brush exactly under the pointer."""
    with chromium_page(PROJECTORS[1]) as page:
        opened(page, presenter)
        show_all(page)
        charts = page.evaluate(CHART_FIT)
        shot = screenshot(page, "presenter-projector-1920-fitted")
        for chart in charts:
            assert chart["width"] >= 0.95 * (chart["column"] - 8) and chart["scale"] >= 1, f"{chart}; see {shot}"
        assert sum(chart["scale"] > 1.3 for chart in charts) >= 2, charts  # the two concatenated charts
        timeline = page.locator(".vega-embed svg.marks").filter(has_text="drag to zoom the chart below").first
        timeline.scroll_into_view_if_needed()
        left, right, top, bottom = page.evaluate(
            "(svg) => { const plot = svg.querySelector('.window_brush').closest('g.role-scope')"
            ".querySelector(':scope > g > path.background').getBoundingClientRect();"
            " return [plot.left, plot.right, plot.top, Math.min(plot.bottom, window.innerHeight)]; }",
            timeline.element_handle(),
        )
        start, end, y = left + 0.3 * (right - left), left + 0.6 * (right - left), (top + bottom) / 2
        page.mouse.move(start, y)
        page.mouse.down()
        page.mouse.move((start + end) / 2, y, steps=4)
        page.mouse.move(end, y, steps=4)
        page.mouse.up()
        page.wait_for_timeout(500)
        brush = page.evaluate(
            "(svg) => { const b = svg.querySelector('.window_brush path');"
            " const r = Element.prototype.getBoundingClientRect.call(b); return [r.left, r.right]; }",
            timeline.element_handle(),
        )
        shot = screenshot(page, "presenter-projector-1920-brush")
        assert abs(brush[0] - start) <= 6 and abs(brush[1] - end) <= 6, f"brush {brush}, drag {start}-{end}; see {shot}"
        assert page.script_errors == []


def kernel_asked_for_the_module(page) -> list[str]:
    """The websocket frames in which the page asks its kernel for the Vega module (recorded as they are sent)."""
    asked: list[str] = []

    def sent(payload) -> None:
        text = payload if isinstance(payload, str) else payload.decode("utf-8", "replace")
        if REQUEST in text:
            asked.append(text[:200])

    page.on("websocket", lambda socket: socket.on("framesent", sent))
    return asked


def static_files_served(page) -> list[str]:
    """The names of the files the page received from the presenter template's static folder."""
    served: list[str] = []
    page.on(
        "response",
        lambda response: (
            served.append(response.url.split("?")[0].rsplit("/", 1)[-1])
            if "/dmjak-presenter/static/" in response.url and response.ok
            else None
        ),
    )
    return served


def test_the_chart_module_and_the_font_come_as_static_files_while_the_page_loads(presenter):
    """The lecturer's wait: the page fetches Vega's module and the course font from the template's static folder
    from its first moment, instead of asking its kernel for them once connected (about a second later)."""
    with chromium_page(PROJECTORS[0]) as page:
        asked, served = kernel_asked_for_the_module(page), static_files_served(page)
        opened(page, presenter)
        assert STATIC_MODULE in served, served
        assert {face.path.name for face in fonts.faces()} <= set(served), served
        assert asked == [], "the page still asked its kernel for the Vega module"
        assert page.evaluate(COURSE_FONT_LOADED, fonts.FAMILY), "chart text was measured before the course font"
        assert page.script_errors == []


def test_charts_still_draw_through_the_kernel_when_the_static_module_is_missing(presenter):
    """A template installed without its static files (or a proxy that drops them) costs time, not charts."""
    with chromium_page(PROJECTORS[0]) as page:
        asked = kernel_asked_for_the_module(page)
        page.route(f"**/{STATIC_MODULE}*", lambda route: route.abort())
        opened(page, presenter)
        assert len(asked) == 1, "the loader did not fall back to its kernel exactly once"
        assert page.evaluate(COURSE_FONT_LOADED, fonts.FAMILY)


# Visible content (text, charts and their legends, widget labels) that lies under the section controls: the
# part of each element the page's scrolling panel shows, intersected with the controls' box.
UNDER_THE_CONTROLS = """
() => {
  const nav = document.getElementById('dmjak-nav').getBoundingClientRect();
  const panel = document.getElementById('rendered_cells').getBoundingClientRect();
  const selector = '.jp-RenderedMarkdown p, .jp-RenderedMarkdown li, .vega-embed svg.marks, '
    + '.vega-embed svg.marks .role-legend, .widget-label, .jp-OutputArea-output td';
  const hits = [];
  for (const el of document.querySelectorAll(`#rendered_cells ${selector.split(', ').join(', #rendered_cells ')}`)) {
    if (!el.getClientRects().length) continue;
    const r = Element.prototype.getBoundingClientRect.call(el);
    const top = Math.max(r.top, panel.top), bottom = Math.min(r.bottom, panel.bottom);
    const left = Math.max(r.left, panel.left), right = Math.min(r.right, panel.right);
    if (bottom - top < 1 || right - left < 1) continue;  // scrolled out of the panel
    if (bottom > nav.top + 1 && top < nav.bottom - 1 && right > nav.left + 1 && left < nav.right - 1) {
      hits.push(`${el.tagName.toLowerCase()}.${el.getAttribute('class') || ''}: ${el.textContent.trim().slice(0, 40)}`);
    }
  }
  return hits;
}
"""


def test_the_section_controls_never_cover_a_chart_legend_or_text(presenter):
    """Review #5: the controls sat over the page's bottom-right corner and covered the timeline's legend. Every
    section, at every PageDown position, shows its content clear of them."""
    with chromium_page(PROJECTORS[0]) as page:
        opened(page, presenter)
        page.locator("body").click(position={"x": 5, "y": 5})
        covered, section = [], 0
        count = page.evaluate("() => dmjakSections.count()")
        for _ in range(80):  # PageDown through the whole notebook, a screen at a time
            page.wait_for_timeout(150)
            covered += [f"section {section + 1}: {hit}" for hit in page.evaluate(UNDER_THE_CONTROLS)]
            if section == count - 1 and page.evaluate(SECTION_END) <= 2:
                break
            page.keyboard.press("PageDown")
            section = page.evaluate("() => dmjakSections.current()")
        assert section == count - 1, "PageDown did not reach the last section"
        if covered:
            page.evaluate("() => dmjakSections.show(3)")
            shot = screenshot(page, "presenter-controls-covering")
            assert covered == [], f"{covered[:8]}; see {shot}"
        page.evaluate("() => dmjakSections.show(3)")
        screenshot(page, "presenter-projector-1280-timeline")
