"""Sphinx configuration of the course website; ``dmjak.tooling.site.build`` passes the rest in ``site.json``.

myst-nb reads the notebooks as the harness executed them (``nb_execution_mode = "off"``: no second run);
sphinx-book-theme gives the sidebar, previous/next and the search box; Sphinx's own search index is a
script file, so search works from a local folder. Vega and vega-embed (from npm) are added only to pages
that hold a chart, whose Vega-Lite specs are compiled to Vega here (``live_charts``).
"""

import json
import os
from pathlib import Path

from dmjak.tooling.site import live_charts

SETTINGS = json.loads(Path(os.environ["DMJAK_SITE_SETTINGS"]).read_text(encoding="utf-8"))
HERE = Path(__file__).parent

project = SETTINGS["title"]
author = "The course authors"
copyright = "the course authors; text and data CC BY 4.0, code MIT"
language = "en"
extensions = ["myst_nb"]
exclude_patterns = ["extra", "_build", "*.json"]
nb_execution_mode = "off"
nb_output_stderr = "remove"
nb_merge_streams = True
myst_enable_extensions = ["colon_fence"]
suppress_warnings = ["mystnb.unknown_mime_type"]

html_theme = "sphinx_book_theme"
html_title = SETTINGS["title"]
html_static_path = [str(HERE / "static"), SETTINGS["vendor"]]
templates_path = [str(HERE / "templates")]
html_css_files = [
    "fontawesome/css/fontawesome.min.css",
    "fontawesome/css/solid.min.css",
    "course-font.css",
    "course.css",
]
html_extra_path = [SETTINGS["extra"]]
html_copy_source = False
html_show_sourcelink = False
html_last_updated_fmt = None
html_theme_options = {
    # no repository icon: it is the only brand icon, and its font alone is 0.13 MB on every page
    "use_repository_button": False,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "home_page_in_toc": True,
    "show_toc_level": 2,
    "navigation_with_keys": False,
}
html_context = {"default_mode": "light"}

CHART_SCRIPTS = ["vega.min.js", "vega-embed.min.js", "charts.js"]


def add_chart_scripts(app, pagename, templatename, context, doctree):
    """Vega only where a chart is drawn, ready to draw; the other pages load none of it."""
    if "dmjak-chart" in context.get("body", ""):
        context["body"] = live_charts.prepared(context["body"])
        for name in CHART_SCRIPTS:
            app.add_js_file(name, defer="defer")


def add_search_status(app, pagename, templatename, context, doctree):
    """The search page's outcome is read out by screen readers (static/search-status.js)."""
    if pagename == "search":
        app.add_js_file("search-status.js", defer="defer")


def mark_deeper_sections(app, doctree, docname):
    """A Going deeper part is its heading's section (down to the next heading of its level, as in
    ``dmjak.tooling.core_path.paths``); myst-nb gives Markdown cells no tag classes, so the section whose opening
    block is the banner gets the class the set-apart box (``course.css``) is drawn by."""
    # nodes told apart by their tag name: this file imports nothing Sphinx brings (dmjak's wheel does not)
    for section in doctree.findall(lambda node: getattr(node, "tagname", "") == "section"):
        opening = next((child for child in section.children if child.tagname != "title"), None)
        banner = opening is not None and opening.tagname == "block_quote"
        if banner and opening.astext().startswith("Going deeper (optional)."):
            section["classes"].append("dmjak-deeper")


def setup(app):
    app.connect("html-page-context", add_chart_scripts)
    app.connect("html-page-context", add_search_status)
    app.connect("doctree-resolved", mark_deeper_sections)
