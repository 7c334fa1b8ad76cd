"""Offline static outputs: HTML pages and reveal.js slides that load nothing from the internet."""

from __future__ import annotations

import json
import re

import nbformat
import offline_bypasses
import pytest
from conftest import REPO, skip_or_fail

from dmjak.paths import LECTURERS_ONLY
from dmjak.tooling import export

# nbconvert re-serialises HTML outputs (attribute order may change), so match attributes in any order.
SPEC = re.compile(
    r'<script(?=[^>]*class="dmjak-spec")(?=[^>]*type="application/vnd.vegalite\+json")[^>]*>(.*?)</script>', re.S
)
# a chart figure named by a caption, its picture hidden from screen readers (the caption and table speak)
FIGURE = re.compile(
    r'<figure class="dmjak-chart"><svg aria-hidden="true"[^>]*>.*?<figcaption><small>[^<]+</small>', re.S
)


def require_node_modules():
    """Slides need reveal.js from npm: skip with instructions locally, fail in CI (CI must run this)."""
    if not (REPO / "node_modules" / "reveal.js").is_dir():
        skip_or_fail("node_modules/ is missing", "Install Node.js and run `npm ci` (make setup does) to test slides.")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    return export.export_site(["00_start_here", "05_baricitinib_cases"], out=out)


def test_pages_load_nothing_from_the_internet(site):
    for page in site.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"<script[^>]*\bsrc=[\"']https?://", text), page.name
        assert not re.search(r"<link[^>]*\bhref=[\"']https?://", text), page.name
        assert export.check_offline(text, page.name) == text


def test_each_page_contains_its_vega_lite_specs_and_accessible_figures(site):
    page = (site / "05_baricitinib_cases.html").read_text(encoding="utf-8")
    specs = [json.loads(s) for s in SPEC.findall(page)]
    assert len(specs) >= 10
    assert all(s["$schema"].startswith("https://vega.github.io/schema/vega-lite/") for s in specs)
    assert all(s.get("description") for s in specs)
    assert len(FIGURE.findall(page)) == len(specs)
    assert page.count("Show the data as a table") >= len(specs)
    assert "illustrative reconstruction" in page


def test_widget_cells_show_their_default_chart_and_a_note_instead_of_a_dead_widget(site):
    page = (site / "05_baricitinib_cases.html").read_text(encoding="utf-8")
    assert export.WIDGET_NOTE in page
    assert "application/vnd.jupyter.widget-view+json" not in page
    assert "P1: your reconstruction satisfies" in page  # the what-if chart at its default values


def test_index_and_figures_without_the_instructor_guide(site):
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "05_baricitinib_cases.html" in index and "instructor_guide" not in index
    assert "not medical advice" in index
    assert len(list((site / "figures").glob("05_baricitinib_cases-figure-*.svg"))) >= 10
    assert not (site / "instructor_guide.html").exists()
    assert "Answer key" in export.export_guide(site.parent / "lecturer").read_text(encoding="utf-8")


def test_widget_views_are_replaced_once_per_cell():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    view = {"application/vnd.jupyter.widget-view+json": {"model_id": "a"}, "text/plain": "Slider"}
    cell.outputs = [
        nbformat.v4.new_output("display_data", data=view),
        nbformat.v4.new_output("display_data", data=view),
        nbformat.v4.new_output("display_data", data={"text/html": "<p>chart</p>"}),
    ]
    nb.cells = [cell]
    nb.metadata["widgets"] = {"state": {}}
    cleaned = export.without_widget_views(nb)
    assert [o["data"].get("text/html") for o in cleaned.cells[0].outputs] == [export.WIDGET_NOTE, "<p>chart</p>"]
    assert "widgets" not in cleaned.metadata


def test_a_remote_script_is_refused():
    with pytest.raises(export.OfflineError, match="unpkg"):
        export.check_offline('<html><script src="https://unpkg.com/x.js"></script></html>', "page.html")


def test_slides_are_offline_with_local_reveal_js(tmp_path):
    require_node_modules()
    out = export.export_slides(("05_baricitinib_cases",), out=tmp_path / "slides")
    slides = (out / "05_baricitinib_cases.slides.html").read_text(encoding="utf-8")
    assert export.check_offline(slides, "slides") == slides
    assert 'src="vendor/require.js"' in slides and "vendor/reveal.js/dist/reveal.js" in slides
    assert "jquery" not in slides.lower() and "mermaid.esm" not in slides
    assert f"vendor/reveal.js/dist/theme/{export.SLIDE_THEME}.css" in slides
    assert (out / "vendor" / "reveal.js" / "dist" / "reveal.js").is_file()
    assert slides.count("<section") >= 8  # one per heading at least
    assert "import pandas" not in slides and "Out[" not in slides  # no code, no prompts


@pytest.mark.parametrize(
    "snippet",
    [
        '<script type="module">import mermaid from "https://cdn.example/mermaid.mjs";</script>',
        "<script type='module'>\n  import mermaid from 'https://cdnjs.cloudflare.com/m.mjs';\n</script>",
        '<script>const m = (await import("https://cdnjs.cloudflare.com/m.mjs")).default;</script>',
        '<script type="module">const url = "https://cdn.example/elk.mjs"; await import(url);</script>',
        '<script type="module">import "//cdn.example/side-effect.js";</script>',
        "<style>@import url('https://fonts.example/css');</style>",
        "<img src=https://example.org/x.png>",
    ],
)
def test_module_imports_of_remote_urls_are_refused(snippet):
    with pytest.raises(export.OfflineError, match="would load from the internet"):
        export.check_offline(f"<html><head>{snippet}</head></html>", "page.html")


def test_local_scripts_links_and_vega_lite_schema_urls_are_allowed():
    page = (
        '<script src="vendor/require.js"></script><a href="https://doi.org/10.1111/bjd.21102">paper</a>'
        '<script type="application/vnd.vegalite+json">{"$schema": "https://vega.github.io/schema/vega-lite/v6.json"}'
        '</script><script type="module">import x from "./local.mjs";</script>'
    )
    assert export.check_offline(page, "page.html") == page


def test_the_page_template_blanks_nbconverts_mermaid_cdn_import():
    text = (export.TEMPLATES / "dmjak_offline" / "index.html.j2").read_text()
    assert "{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}" in text
    assert "jquery" not in json.loads((REPO / "package.json").read_text())["dependencies"]


@pytest.mark.parametrize(
    "snippet",
    [
        '<img srcset="pic.png 1x, https://example.org/x.png 2x">',
        "<span style=\"background:url('https://example.org/x.png')\">x</span>",
        '<svg><image href="https://example.org/x.png"/></svg>',
        '<svg><image xlink:href="//example.org/x.png"/></svg>',
        '<input type="image" src="https://example.org/x.png">',
        '<video poster="https://example.org/x.png"></video>',
        '<object data="https://example.org/x.swf"></object>',
        '<embed src="https://example.org/x.swf">',
        '<base href="https://example.org/">',
        '<meta http-equiv="refresh" content="0; url=https://example.org/">',
        "<style>p { background: url(https://example.org/x.png) }</style>",
        '<a href="javascript:alert(1)">click</a>',
        '<a href=" JaVa\tScRiPt:alert(1)">click</a>',
    ],
)
def test_every_url_bearing_attribute_css_url_base_and_refresh_is_checked(snippet):
    """Review 4.7: the regex checker let five of these fetch remote URLs in Chromium."""
    with pytest.raises(export.OfflineError, match="would load from the internet"):
        export.check_offline(f"<html><head></head><body>{snippet}</body></html>", "page.html")


@pytest.mark.parametrize("case", sorted(offline_bypasses.REFUSED))
def test_the_re_reviews_parser_differences_and_escapes_are_refused(case):
    """Re-review R3: CSS escapes and comments, image-set(), markup in an SVG <style>, comment endings,
    <noscript>, iframe srcdoc, ping/action, "refresh " and script URLs got past the regex-and-HTMLParser check."""
    with pytest.raises(export.OfflineError, match="would load from the internet"):
        export.check_offline(offline_bypasses.page(offline_bypasses.REFUSED[case]), "page.html")


@pytest.mark.parametrize("case", sorted(offline_bypasses.PASSED))
def test_what_a_browser_reads_as_text_links_or_namespaces_passes(case):
    """The check follows the browser's parser: text in a <textarea> or a raw-text <style> is not markup,
    a link out and an XML namespace name fetch nothing (test_export_browser.py opens each in Chromium)."""
    page = offline_bypasses.page(offline_bypasses.PASSED[case])
    assert export.check_offline(page, "page.html") == page


def test_a_stylesheet_is_tokenised_as_css():
    with pytest.raises(export.OfflineError, match="@import"):
        export.check_offline('@import "\\68ttps://fonts.example/a.css";', "theme.css")
    css = "@namespace url(http://www.w3.org/1999/xhtml); p { background: url(img/a.png); content: 'a: b' }"
    assert export.check_offline(css, "theme.css") == css


def test_every_exported_page_carries_a_content_security_policy_for_its_own_origin(site, tmp_path):
    guide = export.export_guide(out=tmp_path / "lecturer")  # lecturers' page, outside the student pages
    pages = sorted(site.glob("*.html")) + [guide]
    assert {p.name for p in pages} >= {"index.html", "instructor_guide.html", "00_start_here.html"}
    assert not (site / "instructor_guide.html").exists(), "the guide (with the answer key) is not a student page"
    assert (guide.parent / LECTURERS_ONLY).is_file(), "the lecturers' folder says it is for lecturers only"
    for page in pages:
        head = page.read_text(encoding="utf-8").split("</head>")[0]
        assert export.CSP_META in head, page.name
    assert "default-src 'self' data: blob:" in export.CSP and "https:" not in export.CSP and "*" not in export.CSP
