"""Static outputs for readers without a kernel: an offline HTML site and offline reveal.js slides.

Both start from notebooks executed by the harness (static SVG charts, network blocked). Live widget views
cannot work without a kernel, so they are replaced by a short note; every chart still shows its default
state, its caption, a data table and its Vega-Lite spec. Pages load nothing from the internet: the HTML
uses a template without CDN scripts, and the slides load reveal.js and require.js from copies installed
from the npm registry (``package.json``). Usage: ``python -m dmjak.tooling.export site|slides|all``.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import shutil
import sys
from html.parser import HTMLParser
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from dmjak import fonts, quiz
from dmjak.course import notebook_metadata, notebook_paths
from dmjak.paths import build_dir, instructors_dir, mark_lecturers_only, notebooks_dir, repo_root
from dmjak.tooling import slides
from dmjak.tooling.harness import default_run

TEMPLATES = Path(__file__).with_name("templates")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = (
    "<p><em>Interactive controls appear here when the notebook runs live (JupyterLab, Voilà or "
    "Binder); the chart below shows their default setting.</em></p>"
)
REMOTE_URL = r"(?:https?:)?//[^\s\"'`]"
# An ES module import, static (`import x from "https://..."`, `import "https://..."`) or dynamic.
JS_IMPORT = re.compile(r"\bimport\b\s*(?:\(\s*)?(?:[\w$*{},\s]+?\bfrom\s*)?[\"'`]" + REMOTE_URL)
CSS_URL = re.compile(r"""@import\s+(?:url\(\s*)?["']?([^"')\s;]+)|url\(\s*["']?([^"')\s]+)""", re.I)
# Attributes whose URL the browser fetches as the page opens (srcset-style lists: each candidate's URL) ...
FETCHED = {"src", "srcset", "imagesrcset", "poster", "data", "background", "lowsrc", "dynsrc", "codebase", "manifest"}
# ... and href, except on <a>/<area>, which follow it only on a click (a link out is fine, a script link is not).
LINK_TAGS = {"a", "area"}
LOCAL_SCHEMES = {"", "data", "blob", "about"}
# The page's own origin and inline data only: a URL the checker missed is blocked by the browser too.
CSP = (
    "default-src 'self' data: blob:; script-src 'self' 'unsafe-inline' 'unsafe-eval' data: blob:; "
    "style-src 'self' 'unsafe-inline' data:; img-src 'self' data: blob:; font-src 'self' data:; "
    "connect-src 'self' data: blob:; media-src 'self' data: blob:; object-src 'none'; base-uri 'none'; "
    "form-action 'none'"
)
CSP_META = f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
# reveal.js's "white" theme ships its fonts; "simple" (nbconvert's default) imports Google Fonts.
SLIDE_THEME = "white"
# the decks of the guide's lecture plans (45 and 90 minutes) and of the notebook 07 seminar
SLIDE_NOTEBOOKS = (
    "00_start_here",
    "02_interferon_jak_stat",
    "05_baricitinib_cases",
    "06_weighing_the_evidence",
    "07_using_jak_inhibitors_safely",
)
VENDOR_FILES = {  # node_modules path -> path under slides/vendor
    "reveal.js/dist": "reveal.js/dist",
    "reveal.js/plugin/notes": "reveal.js/plugin/notes",
    "requirejs/require.js": "require.js",
}


class OfflineError(RuntimeError):
    """An exported page would fetch something from the internet."""


def without_widget_views(nb, note: str = WIDGET_NOTE):
    """The executed notebook with live widget views replaced by ``note`` (once per cell), and no widget state."""
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for output in cell.get("outputs", []):
            if WIDGET_VIEW in output.get("data", {}):
                if not any(note in o.get("data", {}).get("text/html", "") for o in kept):
                    kept.append(nbformat.v4.new_output("display_data", data={"text/html": note}))
            else:
                kept.append(output)
        cell.outputs = kept
    nb.metadata.pop("widgets", None)
    return nb


def _remote(url: str) -> bool:
    """True if fetching ``url`` would leave the page's own origin (or run script: ``javascript:``)."""
    url = "".join(url.split()).lower()  # browsers ignore whitespace inside a scheme ("java\tscript:")
    if url.startswith("//"):
        return True
    scheme = url.split(":", 1)[0] if re.match(r"^[a-z][a-z0-9+.-]*:", url) else ""
    return scheme not in LOCAL_SCHEMES


class _OfflineScan(HTMLParser):
    """Every place in a page that makes the browser fetch (or run a link): (where, what) per finding."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self._script: dict | None = None
        self._style = False

    def handle_starttag(self, tag, attrs):
        values = {k.lower(): v or "" for k, v in attrs}
        for name, value in values.items():
            if name in FETCHED or (name in ("href", "xlink:href") and tag not in LINK_TAGS):
                urls = [c.split()[0] for c in value.split(",") if c.split()] if "srcset" in name else [value]
                self.found += [(f"<{tag} {name}>", u) for u in urls if _remote(u)]
            elif name in ("href", "xlink:href") and _remote(value) and not re.match(r"(?i)\s*(https?|mailto):", value):
                self.found.append((f"<{tag} {name}> (a script link)", value))
            elif name == "style":
                self.css(f"<{tag} style>", value)
        if tag == "base" and "href" in values:
            self.found.append(("<base href> (moves every relative URL)", values["href"]))
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            target = re.sub(r"(?i)^\s*[\d.]*\s*[;,]?\s*(url\s*=\s*)?", "", values.get("content", "")).strip("'\" ")
            if target and _remote(target):
                self.found.append(("<meta http-equiv=refresh>", values.get("content", "")))
        if tag == "script":
            self._script = values
        self._style = tag == "style"

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self._script, self._style = None, False

    def handle_endtag(self, tag):
        self._script = None if tag == "script" else self._script
        self._style = False if tag == "style" else self._style

    def handle_data(self, data):
        if self._style:
            self.css("<style>", data)
        elif self._script is not None:
            kind = self._script.get("type", "").lower()
            if kind == "module":  # a module may import a remote URL held in a variable
                self.found += [("<script type=module>", m.group(0)) for m in re.finditer(r"[\"'`]" + REMOTE_URL, data)]
            elif kind in ("", "text/javascript", "application/javascript"):
                self.found += [("import in <script>", m.group(0)) for m in JS_IMPORT.finditer(data)]

    def css(self, where: str, css: str):
        for match in CSS_URL.finditer(css):
            url = match.group(1) or match.group(2)
            if _remote(url):
                self.found.append((f"{where} CSS url()/@import", url))


def check_offline(page: str, name: str) -> str:
    """Return ``page`` unchanged, or raise if opening it would fetch anything from another host.

    Parses the HTML (a ``.css`` name: the stylesheet) and checks every URL-bearing attribute (``src``,
    ``srcset``, ``poster``, ``data``, ``href`` outside links, SVG ``xlink:href`` ...), CSS ``url()`` and
    ``@import`` in ``style`` attributes and ``<style>``, ``<base href>``, ``<meta http-equiv=refresh>``,
    ES module imports (static or ``import()``), any remote URL in a ``<script type="module">``, and
    ``javascript:`` links. The CSP every page carries (``with_csp``) blocks whatever a check misses.
    """
    scan = _OfflineScan()
    if name.endswith(".css"):
        scan.css("stylesheet", page)
    else:
        scan.feed(page)
        scan.close()
    if scan.found:
        where, what = scan.found[0]
        more = f" (and {len(scan.found) - 1} more)" if len(scan.found) > 1 else ""
        raise OfflineError(f"{name} would load from the internet: {where} {what[:120]!r}{more}")
    return page


def with_csp(page: str) -> str:
    """``page`` with a Content-Security-Policy allowing only its own origin and inline data, first in <head>."""
    head = re.search(r"<head\b[^>]*>", page, re.I)
    if head is None:
        raise ValueError("an exported page has no <head> to carry its Content-Security-Policy")
    return page[: head.end()] + CSP_META + page[head.end() :]


def executed_notebooks(names: list[str] | None = None) -> list[Path]:
    """The harness's executed copies of the named notebooks (default: all) at their default parameters,
    under the notebooks' own names (build/export-executed/), so pages are named after the notebooks."""
    paths = notebook_paths()
    if names:
        paths = [p for p in paths if p.stem in names]
    folder = build_dir() / "export-executed"
    folder.mkdir(parents=True, exist_ok=True)
    copies = []
    for path in paths:
        partial = folder / f".{path.stem}.{os.getpid()}.partial"
        shutil.copyfile(default_run(path), partial)
        os.replace(partial, folder / path.name)  # whole or not at all, for two test workers at once
        copies.append(folder / path.name)
    return copies


NOTEBOOK_LINK = re.compile(r'href="(\d\d_\w+)\.ipynb([#"])')


def site_links(page: str) -> str:
    """Links between notebooks point at their pages in the site (a glossary term at its row in 00)."""
    return NOTEBOOK_LINK.sub(r'href="\1.html\2', page)


def _write_figures(nb, stem: str, folder: Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            for svg in re.findall(r"<svg\b.*?</svg>", output.get("data", {}).get("text/html", ""), re.S):
                count += 1
                (folder / f"{stem}-figure-{count:02d}.svg").write_text(fonts.embed_in_svg(svg), encoding="utf-8")
    return count


def _index(entries: list[dict], slides: list[str]) -> str:
    items = "".join(
        f"<li><a href='{e['file']}'>{html.escape(e['title'])}</a> <small>({e['minutes']} min, "
        f"{e['figures']} figures)</small><br><small>{html.escape('; '.join(e['objectives']))}</small></li>"
        for e in entries
    )
    slide_items = "".join(f"<li><a href='slides/{s}.slides.html'>{s}</a></li>" for s in slides)
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Dermatomyositis and JAK inhibition"
        "</title><style>body{font-family:sans-serif;max-width:52rem;margin:2rem auto;line-height:1.5}"
        "li{margin-bottom:.8rem}</style></head><body><h1>Dermatomyositis and JAK inhibition</h1>"
        "<p>Static, offline copies of the course notebooks, executed with their default settings. "
        "Educational, not medical advice. Interactive widgets need a live kernel (JupyterLab, Voilà or "
        "Binder); each chart here shows its default state with its data table and specification.</p>"
        f"<h2>Notebooks</h2><ol>{items}</ol>"
        + (f"<h2>Slides</h2><ul>{slide_items}</ul>" if slides else "")
        + "<h2>For lecturers</h2><p>Figures for handouts are in <code>figures/</code> (SVG). The instructor "
        "guide and answer key are not in these pages: lecturers find them in <code>build/lecturer/</code> "
        "(<code>make lecturer</code>) and in the instructor build of the course website (<code>make site</code>)."
        "</p></body></html>"
    )


def export_site(names: list[str] | None = None, out: Path | None = None) -> Path:
    """Write one offline HTML page per notebook, SVG figures and an index (the guide and key stay out)."""
    out = out or build_dir() / "pages"
    out.mkdir(parents=True, exist_ok=True)
    exporter = HTMLExporter(template_name="dmjak_offline", extra_template_basedirs=[str(TEMPLATES)])
    entries = []
    for executed in executed_notebooks(names):
        nb = without_widget_views(nbformat.read(executed, as_version=4))
        page, _ = exporter.from_notebook_node(nb, resources={"dmjak_font_css": fonts.font_face_css()})
        name = f"{executed.stem}.html"
        page = quiz.without_model_answers(site_links(page))  # the same questions are polled in class
        (out / name).write_text(check_offline(with_csp(page), name), encoding="utf-8")
        meta = notebook_metadata(notebooks_dir() / executed.name)
        entries.append(
            {
                "file": name,
                "title": meta["title"],
                "minutes": meta["minutes"],
                "objectives": meta["objectives"],
                "figures": _write_figures(nb, executed.stem, out / "figures"),
            }
        )
    slides = sorted(p.name.removesuffix(".slides.html") for p in (out / "slides").glob("*.slides.html"))
    (out / "index.html").write_text(check_offline(with_csp(_index(entries, slides)), "index.html"), "utf-8")
    return out


def vendor_slides_javascript(target: Path) -> None:
    """Copy reveal.js and require.js from node_modules (``npm ci`` installs them)."""
    modules = repo_root() / "node_modules"
    for source, destination in VENDOR_FILES.items():
        path = modules / source
        if not path.exists():
            raise FileNotFoundError(f"{path} is missing: run `npm ci` (or `make slides`) to install it")
        dest = target / destination
        dest.parent.mkdir(parents=True, exist_ok=True)
        if path.is_dir():
            shutil.copytree(path, dest, dirs_exist_ok=True)
        else:
            shutil.copy2(path, dest)


def export_slides(names: tuple[str, ...] = SLIDE_NOTEBOOKS, out: Path | None = None) -> Path:
    """reveal.js decks for a 1280x720 projector (``dmjak.tooling.slides``), with vendored JavaScript."""
    out = out or build_dir() / "site" / "slides"
    out.mkdir(parents=True, exist_ok=True)
    vendor_slides_javascript(out / "vendor")
    for stylesheet in ("reveal.css", f"theme/{SLIDE_THEME}.css"):  # CSS can @import from the internet too
        css = out / "vendor" / "reveal.js" / "dist" / stylesheet
        check_offline(css.read_text(encoding="utf-8"), css.name)
    for executed in executed_notebooks(list(names)):
        page = slides.deck_html(executed.stem, slides.deck(executed.stem, executed))
        name = f"{executed.stem}.slides.html"
        (out / name).write_text(check_offline(with_csp(page), name), encoding="utf-8")
    return out


def export_guide(out: Path | None = None) -> Path:
    """The instructor guide as one HTML page for lecturers, outside the student site (``build/lecturer``)."""
    out = out or build_dir() / "lecturer"
    mark_lecturers_only(out)
    guide = (instructors_dir() / "guide.md").read_text(encoding="utf-8")
    page = out / "instructor_guide.html"
    guide_page = (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Instructor guide</title></head><body>"
        + markdown2html_mistune(guide)
        + "</body></html>"
    )
    page.write_text(check_offline(with_csp(guide_page), page.name), encoding="utf-8")
    return page


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dmjak.tooling.export", description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["site", "slides", "guide", "all"])
    parser.add_argument("--notebooks", nargs="*", help="notebook stems (default: all that apply)")
    args = parser.parse_args(argv)
    if args.what in ("slides", "all"):
        print(f"slides -> {export_slides(tuple(args.notebooks) if args.notebooks else SLIDE_NOTEBOOKS)}")
    if args.what in ("site", "all"):
        print(f"site -> {export_site(args.notebooks)}")
    if args.what in ("guide", "all"):
        print(f"guide (lecturers only) -> {export_guide()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
