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
from pathlib import Path

import html5lib
import nbformat
import tinycss2
from nbconvert import HTMLExporter
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from dmjak import fonts, quiz
from dmjak.course import notebook_metadata, notebook_paths
from dmjak.paths import build_dir, instructors_dir, mark_lecturers_only, notebooks_dir, repo_root
from dmjak.tooling import core_path, slides
from dmjak.tooling.harness import default_run

TEMPLATES = Path(__file__).with_name("templates")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = (
    "<p><em>Interactive controls appear here when the notebook runs live (JupyterLab, Voilà or "
    "Binder); the chart below shows their default setting.</em></p>"
)
# A URL literal in script (also JSON-escaped "https:\/\/"): a scheme with //, or a quoted protocol-relative //.
JS_URL = re.compile(r"""(?i)\b[a-z][a-z0-9+.-]*:\\?/\\?/[^\s"'`]+|["'`]\s*\\?/\\?/[^\s"'`/][^\s"'`]*""")
# XML namespace names look like URLs in script but are never fetched.
NAMESPACE_URL = re.compile(r"(?i)https?:\\?/\\?/www\.w3\.org\\?/")
# Attributes whose URL the browser fetches as the page opens, or on a click sends data to (ping, form action)
# (srcset-style lists: each candidate's URL) ...
FETCHED = {
    "src", "srcset", "imagesrcset", "poster", "data", "background", "lowsrc", "dynsrc", "codebase", "manifest",
    "archive", "ping", "action", "formaction",
}  # fmt: skip
# ... and href, except on <a>/<area>, which follow it only on a click (a link out is fine, a script link is not).
LINK_TAGS = {"a", "area"}
LOCAL_SCHEMES = {"", "data", "blob", "about"}
# Script types the browser runs (classic: no type or a JavaScript MIME type), or whose JSON it fetches from.
JS_TYPES = {
    "", "module", "importmap", "speculationrules", "text/javascript", "application/javascript",
    "application/ecmascript", "application/x-ecmascript", "application/x-javascript", "text/ecmascript",
    "text/javascript1.0", "text/javascript1.1", "text/javascript1.2", "text/javascript1.3", "text/javascript1.4",
    "text/javascript1.5", "text/jscript", "text/livescript", "text/x-ecmascript", "text/x-javascript",
}  # fmt: skip
# CSS functions that take a URL, quoted or not; in @import a plain string is a URL too.
CSS_URL_FUNCTIONS = {"url", "src", "image", "image-set", "-webkit-image-set", "cross-fade", "-webkit-cross-fade"}
# SVG presentation attributes whose CSS value may be a url() (text attributes such as aria-label are not CSS).
SVG_URL_ATTRIBUTES = {
    "fill",
    "stroke",
    "filter",
    "clip-path",
    "mask",
    "marker",
    "marker-start",
    "marker-mid",
    "marker-end",
    "cursor",
}
SVG_ANIMATION = {"animate", "set", "animatemotion", "animatetransform"}
SRCDOC_DEPTH = 4
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
    """True if fetching ``url`` would leave the page's own origin (or run script: ``javascript:``).

    Read as the URL parser reads it: leading and trailing controls and spaces dropped, tabs and newlines
    dropped anywhere ("java\\tscript:"), and a backslash taken as a slash ("/\\host" is "//host").
    """
    url = re.sub(r"[\t\n\r]", "", url.strip("".join(map(chr, range(33))))).lower().replace("\\", "/")
    if url.startswith("//"):
        return True
    scheme = url.split(":", 1)[0] if re.match(r"^[a-z][a-z0-9+.-]*:", url) else ""
    return scheme not in LOCAL_SCHEMES


def _urls(name: str, value: str) -> list[str]:
    """The URLs in an attribute value: every candidate of a srcset-style list, every URL of a ping list."""
    if "srcset" in name:
        return [part for part in re.split(r"[\s,]+", value) if part and not re.fullmatch(r"[\d.]+[wxh]", part)]
    if name in ("ping", "archive"):
        return value.split()
    return [value]


def _script_urls(code: str) -> list[str]:
    """URL literals in script code, except XML namespace names (which are never fetched)."""
    return [m.group(0) for m in JS_URL.finditer(code) if not NAMESPACE_URL.match(code, m.start())]


def _local_name(name: str) -> str:
    """``{namespace}local`` (html5lib's etree names) -> ``local``, lower-case."""
    return name.rsplit("}", 1)[-1].lower()


def _attribute_name(key: str) -> str:
    """An html5lib attribute key as written: ``xlink:href``, ``xmlns:xlink``, or the plain local name."""
    for prefix, namespace in (("xlink", "http://www.w3.org/1999/xlink"), ("xmlns", "http://www.w3.org/2000/xmlns/")):
        if key.startswith("{" + namespace + "}"):
            return f"{prefix}:{_local_name(key)}"
    return _local_name(key)


def _refresh_target(content: str) -> str:
    """The URL a ``<meta http-equiv=refresh>`` content value navigates to (WHATWG "shared declarative refresh")."""
    return re.sub(r"(?i)^\s*[\d.]*\s*[;,]?\s*(url\s*=\s*)?", "", content).strip("'\" \t\n\f\r")


def _element_findings(element, depth: int) -> list[tuple[str, str]]:
    """What one parsed element would fetch: URL attributes, inline CSS, script URLs, a nested srcdoc page."""
    tag = _local_name(element.tag)
    foreign = not element.tag.startswith("{http://www.w3.org/1999/xhtml}")
    attributes = {_attribute_name(k): v for k, v in element.attrib.items()}
    found = []
    for name, value in attributes.items():
        where = f"<{tag} {name}>"
        if name in FETCHED or (name in ("href", "xlink:href") and tag not in LINK_TAGS):
            found += [(where, u) for u in _urls(name, value) if _remote(u)]
        elif name in ("href", "xlink:href") and _remote(value) and not re.match(r"(?i)\s*(https?|mailto):", value):
            found.append((f"{where} (a script link)", value))
        elif name == "style" or (foreign and name in SVG_URL_ATTRIBUTES):  # presentation attributes are CSS
            found += _css_findings(where, value)
        elif name.startswith("on"):
            found += [(f"{where} (event handler)", u) for u in _script_urls(value)]
        elif name == "srcdoc" and depth < SRCDOC_DEPTH:
            found += [(f"<{tag} srcdoc> {w}", u) for w, u in _html_findings(value, depth + 1)]
        elif name == "srcdoc":
            found.append((f"<{tag} srcdoc>", f"pages nested more than {SRCDOC_DEPTH} deep"))
        elif (tag in SVG_ANIMATION and name in ("to", "from", "by", "values")) or (tag == "param" and name == "value"):
            found += [(where, u) for u in value.split(";") if _remote(u) and "/" in u]
    if tag == "base" and "href" in attributes:
        found.append(("<base href> (moves every relative URL)", attributes["href"]))
    if tag == "meta" and "refresh" in attributes.get("http-equiv", "").lower():
        target = _refresh_target(attributes.get("content", ""))
        if target and _remote(target):
            found.append(("<meta http-equiv=refresh>", attributes.get("content", "")))
    if tag == "style":
        found += _css_findings("<style>", "".join(element.itertext()))
    elif tag == "script" and attributes.get("type", "").strip().lower() in JS_TYPES:
        kind = attributes.get("type", "")
        found += [(f"<script type={kind!r}>", u) for u in _script_urls("".join(element.itertext()))]
    return found


def _html_findings(page: str, depth: int = 0) -> list[tuple[str, str]]:
    """Every place in ``page`` that makes a browser fetch, parsed as browsers parse it (html5lib, WHATWG).

    Parsed twice: with scripting on (``<noscript>`` holds text) and off (it holds markup), since a
    browser may do either.
    """
    found = []
    for scripting in (True, False):
        document = html5lib.parse(page, treebuilder="etree", scripting=scripting)
        for element in document.iter():
            if isinstance(element.tag, str):  # comments and the doctype have no URLs
                found += [f for f in _element_findings(element, depth) if f not in found]
    return found


def _css_findings(where: str, css: str) -> list[tuple[str, str]]:
    """Every remote URL in CSS, tokenised as browsers do (escapes decoded, comments dropped): ``url()``
    and its unquoted or commented forms, strings in URL functions (``image-set``, ``src``) and ``@import``."""
    found = []

    def walk(tokens, in_url_function=False):
        tokens = [t for t in tokens if t.type not in ("whitespace", "comment")]
        skip_until_semicolon = importing = False
        for i, token in enumerate(tokens):
            if token.type == "at-keyword":
                importing, skip_until_semicolon = token.lower_value == "import", token.lower_value == "namespace"
            elif token.type == "literal" and token.value == ";":
                importing = skip_until_semicolon = False
            if skip_until_semicolon:  # @namespace names a namespace; it fetches nothing
                continue
            if token.type == "url" and _remote(token.value):
                found.append((f"{where} CSS url()", token.value))
            elif token.type == "error" and token.kind == "bad-url":  # no browser fetches it; no page needs it
                found.append((f"{where} CSS malformed url()", token.message))
            elif token.type == "string" and (in_url_function or importing) and _remote(token.value):
                found.append((f"{where} CSS {'@import' if importing else 'url string'}", token.value))
            elif token.type == "string" and re.match(r"(?i)^\s*([a-z][a-z0-9+.-]*:)?[/\\]{2}[^/\\]", token.value):
                found.append((f"{where} CSS string", token.value))
            elif token.type == "function":
                walk(token.arguments, in_url_function or token.lower_name in CSS_URL_FUNCTIONS)
            elif (
                token.type == "() block"
                and i
                and tokens[i - 1].type == "ident"
                and (tokens[i - 1].lower_value in CSS_URL_FUNCTIONS)
            ):  # "url/**/(...)": not a URL to a browser, refused all the same
                text = tinycss2.serialize(token.content).strip().strip("'\"")
                if _remote(text):
                    found.append((f"{where} CSS url()", text))
                walk(token.content, True)
            elif token.type in ("() block", "[] block", "{} block"):
                walk(token.content, in_url_function)

    walk(tinycss2.parse_component_value_list(css))
    return found


def check_offline(page: str, name: str) -> str:
    """Return ``page`` unchanged, or raise if opening it could fetch anything from another host.

    Parses the HTML the way browsers do (html5lib follows the WHATWG parsing algorithm, so foreign
    content, comments and ``<noscript>`` read as in Chromium) and the CSS with a CSS tokenizer (escapes
    decoded, comments dropped); a ``.css`` name is a stylesheet. Refused: a remote URL in any attribute a
    browser fetches or sends to (``src``, ``srcset``, ``poster``, ``data``, ``href`` outside links, SVG
    ``xlink:href``, ``ping``, form ``action`` ...), CSS ``url()``/``image-set()``/``@import`` in style
    attributes, SVG presentation attributes and ``<style>``, any ``<base href>``, a ``<meta http-equiv=refresh>``
    to another host, any URL literal in a script the browser runs (classic, module, import map, event
    handler), ``javascript:`` links, and all of this inside ``<iframe srcdoc>``. Script can build a URL no
    static check sees: the CSP every page carries (``with_csp``) blocks what a check misses.
    """
    found = _css_findings("stylesheet", page) if name.endswith(".css") else _html_findings(page)
    if found:
        where, what = found[0]
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
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
        shutil.copyfile(default_run(path, build_dir() / "executed"), partial)
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
        resources = {"dmjak_font_css": fonts.font_face_css(), "dmjak_deeper_css": core_path.DEEPER_CSS}
        page, _ = exporter.from_notebook_node(nb, resources=resources)
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
