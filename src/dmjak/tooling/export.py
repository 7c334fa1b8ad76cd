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

import nbformat
from nbconvert import HTMLExporter, SlidesExporter

from dmjak import fonts
from dmjak.course import notebook_metadata
from dmjak.paths import build_dir, notebooks_dir, repo_root
from dmjak.tooling.harness import default_run

TEMPLATES = Path(__file__).with_name("templates")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = (
    "<p><em>Interactive controls appear here when the notebook runs live (JupyterLab, Voilà or "
    "Binder); the chart below shows their default setting.</em></p>"
)
REMOTE_URL = r"(?:https?:)?//[^\s\"'`]"
REMOTE = [  # anything a browser would fetch from another host when it opens the page
    re.compile(r"<(?:script|link|img|iframe|source|video|audio)\b[^>]*\b(?:src|href)\s*=\s*[\"']?" + REMOTE_URL, re.I),
    # an ES module import, static (`import x from "https://..."`, `import "https://..."`) or dynamic
    re.compile(r"\bimport\b\s*(?:\(\s*)?(?:[\w$*{},\s]+?\bfrom\s*)?[\"'`]" + REMOTE_URL),
    re.compile(r"@import\s+(?:url\()?\s*[\"']?" + REMOTE_URL, re.I),
]
NOTEBOOK_HREF = re.compile(r'href="(\d\d_[\w-]+)\.ipynb')
MODULE_SCRIPT = re.compile(r"<script\b[^>]*\btype\s*=\s*[\"']?module\b[^>]*>(.*?)</script>", re.I | re.S)
# reveal.js's "white" theme ships its fonts; "simple" (nbconvert's default) imports Google Fonts.
SLIDE_THEME = "white"
SLIDE_NOTEBOOKS = ("02_interferon_jak_stat", "05_baricitinib_cases", "06_weighing_the_evidence")
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


def check_offline(page: str, name: str) -> str:
    """Return ``page`` unchanged, or raise if opening it would fetch anything from another host.

    Looks for remote ``src``/``href`` attributes, ES module imports (static or ``import()``) and CSS
    ``@import`` of remote URLs, and any remote URL inside a ``<script type="module">`` (which may import
    it through a variable).
    """
    hits = [(m.start(), page, m) for pattern in REMOTE for m in [pattern.search(page)] if m]
    for module in MODULE_SCRIPT.finditer(page):
        inner = re.search(r"[\"'`]" + REMOTE_URL, module.group(1))
        if inner:
            hits.append((module.start(1) + inner.start(), module.group(1), inner))
    if hits:
        _, text, first = min(hits, key=lambda hit: hit[0])
        context = text[max(first.start() - 40, 0) : first.end() + 60]
        raise OfflineError(f"{name} would load from the internet: ...{context}...")
    return page


def executed_notebooks(names: list[str] | None = None) -> list[Path]:
    """The harness's executed copies of the named notebooks (default: all) at their default parameters,
    under the notebooks' own names (build/export-executed/), so pages are named after the notebooks."""
    paths = sorted(notebooks_dir().glob("[0-9][0-9]_*.ipynb"))
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
        "guide and answer key are not in these pages: they are in the instructor build of the course website "
        "(<code>make site</code>).</p></body></html>"
    )


def export_site(names: list[str] | None = None, out: Path | None = None) -> Path:
    """Write one offline HTML page per notebook, SVG figures and an index (no instructor guide: students read these)."""
    out = out or build_dir() / "site"
    out.mkdir(parents=True, exist_ok=True)
    exporter = HTMLExporter(template_name="dmjak_offline", extra_template_basedirs=[str(TEMPLATES)])
    entries = []
    for executed in executed_notebooks(names):
        nb = without_widget_views(nbformat.read(executed, as_version=4))
        page, _ = exporter.from_notebook_node(nb, resources={"dmjak_font_css": fonts.font_face_css()})
        name = f"{executed.stem}.html"
        page = NOTEBOOK_HREF.sub(r'href="\1.html', page)  # links between notebooks lead to their pages
        (out / name).write_text(check_offline(page, name), encoding="utf-8")
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
    (out / "index.html").write_text(_index(entries, slides), encoding="utf-8")
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
    """reveal.js slides (static charts) for the notebooks that carry slide metadata."""
    out = out or build_dir() / "site" / "slides"
    out.mkdir(parents=True, exist_ok=True)
    vendor_slides_javascript(out / "vendor")
    exporter = SlidesExporter(
        template_name="dmjak_slides",
        extra_template_basedirs=[str(TEMPLATES)],
        reveal_url_prefix="vendor/reveal.js",
        reveal_theme=SLIDE_THEME,
        require_js_url="vendor/require.js",
        exclude_input=True,
    )
    for stylesheet in ("reveal.css", f"theme/{SLIDE_THEME}.css"):  # CSS can @import from the internet too
        css = out / "vendor" / "reveal.js" / "dist" / stylesheet
        check_offline(css.read_text(encoding="utf-8"), str(css))
    for executed in executed_notebooks(list(names)):
        nb = without_widget_views(nbformat.read(executed, as_version=4))
        page, _ = exporter.from_notebook_node(nb, resources={"dmjak_font_css": fonts.font_face_css()})
        name = f"{executed.stem}.slides.html"
        (out / name).write_text(check_offline(page, name), encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dmjak.tooling.export", description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["site", "slides", "all"])
    parser.add_argument("--notebooks", nargs="*", help="notebook stems (default: all that apply)")
    args = parser.parse_args(argv)
    if args.what in ("slides", "all"):
        print(f"slides -> {export_slides(tuple(args.notebooks) if args.notebooks else SLIDE_NOTEBOOKS)}")
    if args.what in ("site", "all"):
        print(f"site -> {export_site(args.notebooks)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
