"""One typography everywhere: every chart names the course font, has glyphs for all its text in it, and its
static SVG, laid out by vl-convert in that font, keeps every text inside the figure when a browser draws it.

The last two checks open the figures in Chromium: once with the course font (every text fits) and once with
the font replaced by Debian's default, DejaVu Sans (some text runs out): the font is what makes them fit.
"""

from __future__ import annotations

import html
import re
from functools import cache

import pytest
from browser import chromium_page, require_browser
from fontTools.ttLib import TTFont
from test_chart_layout import CHARTS

from dmjak import fonts, render

TEXT = re.compile(r"<text\b[^>]*>(.*?)</text>", re.S)


@cache
def svgs() -> dict[str, str]:
    return {name: render.to_svg(build()) for name, build in CHARTS.items()}


def test_the_course_font_is_installed_complete_and_openly_licensed():
    faces = fonts.faces()
    weights_and_styles = {(f.weight, f.style) for f in faces}
    assert weights_and_styles == {(w, s) for w in ("normal", "bold") for s in ("normal", "italic")}
    for face in faces:
        assert TTFont(face.path)["name"].getDebugName(1) == fonts.FAMILY, face.path
    assert "SIL OPEN FONT LICENSE" in (fonts.font_dir() / "OFL.txt").read_text(encoding="utf-8").upper()


@pytest.mark.parametrize("name", list(CHARTS))
def test_every_chart_sets_its_text_in_the_course_font(name):
    spec = CHARTS[name]().to_dict(validate=False)
    assert spec["config"]["font"] == fonts.FAMILY
    families = set(re.findall(r'font-family="([^"]*)"', svgs()[name]))
    assert families == {fonts.FAMILY}, f"{name}: SVG text in {families}"


def test_every_character_of_chart_text_has_a_glyph_in_the_course_font():
    """A missing glyph would be drawn from another font, with another width, on each machine."""
    maps = {face.path.name: TTFont(face.path).getBestCmap() for face in fonts.faces()}
    missing = {
        f"{name} ({face}): {char!r} in {text!r}"
        for name, svg in svgs().items()
        for text in (html.unescape(t) for t in TEXT.findall(svg))
        for char in text
        for face, cmap in maps.items()
        if not char.isspace() and ord(char) not in cmap
    }
    assert not missing, sorted(missing)


def test_a_chart_drawn_in_another_font_is_not_taken_from_the_svg_cache(monkeypatch):
    spec = CHARTS["timeline"]().to_dict(validate=False)
    before = render.svg_cache_path(spec)
    monkeypatch.setattr(fonts, "identity", lambda: "Another Sans (another-package 1.0)")
    assert render.svg_cache_path(spec) != before


# Each figure's texts that stick out of its SVG's box (tolerance 1 px), as the browser draws them.
_OUTSIDE = """
() => [...document.querySelectorAll('figure')].flatMap((figure) => {
  const svg = figure.querySelector('svg');
  const box = svg.getBoundingClientRect();
  return [...svg.querySelectorAll('text')].filter((t) => t.textContent.trim()).map((t) => t.getBoundingClientRect())
    .filter((r) => r.width > 0 && (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1
                                   || r.bottom > box.bottom + 1))
    .map(() => figure.id);
})
"""


def _figures_outside(style: str) -> list[str]:
    require_browser()
    body = "".join(f'<figure id="{html.escape(name)}">{svg}</figure>' for name, svg in svgs().items())
    head = f"<meta charset='utf-8'><style>{style}</style>"
    page_html = f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"
    with chromium_page() as page:
        page.set_content(page_html)
        page.evaluate("() => document.fonts.ready")
        return sorted(set(page.evaluate(_OUTSIDE)))


def test_static_figures_keep_every_text_inside_with_the_course_font():
    assert _figures_outside(fonts.font_face_css()) == []


def test_static_figures_clip_without_the_course_font():
    """Guard: the check above can fail. With Debian's wider default font in its place, text runs out."""
    wider = "svg text { font-family: 'DejaVu Sans' !important; }"
    assert _figures_outside(wider), "no figure clipped in DejaVu Sans: the font check cannot tell a font apart"
