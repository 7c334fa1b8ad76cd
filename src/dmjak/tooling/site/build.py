"""Build the course website: ``python -m dmjak.tooling.site.build [student|instructor|both]``.

The student build (``build/site/``) has no instructor guide and no model answers; the instructor build
(``build/site-instructor/``) adds both. Sphinx runs with warnings as errors (a term link to no glossary
term, a link to no page, a heading out of order all stop the build), and every written page then passes
the same offline check as the exported pages (nothing fetched from another host).
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from dmjak import fonts, quiz
from dmjak.paths import build_dir, mark_lecturers_only, repo_root
from dmjak.tooling.export import check_offline, export_slides
from dmjak.tooling.site import pages, repository

CONF_DIR = Path(__file__).parent
FONTAWESOME = "@fortawesome/fontawesome-free"
VENDOR = {  # node_modules path -> path in the site's _static/ (no Vega-Lite: the build compiles, live_charts)
    "vega/build/vega.min.js": "vega.min.js",
    "vega-embed/build/vega-embed.min.js": "vega-embed.min.js",
    **{
        f"{FONTAWESOME}/{kind}/{name}": f"fontawesome/{kind}/{name}"
        for kind, names in {
            "css": ("fontawesome.min.css", "solid.min.css"),
            "webfonts": ("fa-solid-900.woff2",),
        }.items()
        for name in names
    },
}
OUTPUT = {"student": "site", "instructor": "site-instructor"}
# a link in a slide deck to a notebook (exported slides keep the notebooks' .ipynb links)
NOTEBOOK_LINK = re.compile(r'<a href="(\d\d_[\w-]+)\.ipynb(#[^"]*)?"([^>]*)>(.*?)</a>', re.S)
# links in running text told apart by more than colour (axe: link-in-text-block)
DECK_STYLE = "<style>.reveal a { text-decoration: underline !important; }</style>"
# myst-nb names a collapsed cell's toggle "Toggle hidden content" over its visible "Show code cell source";
# without the label the visible words name it (WCAG 2.5.3; axe: label-content-name-mismatch, serious)
UNNAMED_TOGGLE = '<summary aria-label="Toggle hidden content">'
# a code cell is announced as code to a screen reader, as a sighted reader sees it from its box and colours
CODE_CELL = '<div class="cell_input docutils container">'
NAMED_CODE_CELL = '<div class="cell_input docutils container" role="group" aria-label="Python code">'
GLOSSARY_ENTRY = re.compile(r'<dt id="(term-[^"]+)">([^<]+)')


def font_css(folder: Path) -> str:
    """Copy the course font's faces into ``folder``/fonts and return ``@font-face`` rules for them, with
    the page text set in the same family: one file per face, cached by the browser across pages (the
    exported pages inline the faces instead, as they travel one file at a time)."""
    (folder / "fonts").mkdir(parents=True, exist_ok=True)
    rules = []
    for face in fonts.faces():
        shutil.copy2(face.path, folder / "fonts" / face.path.name)
        rules.append(
            f"@font-face {{ font-family: '{fonts.FAMILY}'; font-weight: {face.weight}; font-style: {face.style}; "
            f"font-display: swap; src: url('fonts/{face.path.name}') format('truetype'); }}"
        )
    family = f"'{fonts.FAMILY}', sans-serif"
    rules.append(f"html {{ --pst-font-family-base: {family}; --pst-font-family-heading: {family}; }}")
    return "\n".join(rules) + "\n"


def vendor(folder: Path) -> Path:
    """Copy Vega, vega-embed and Font Awesome's web fonts from node_modules (``npm ci``) and the
    course font into ``folder``."""
    for source, name in VENDOR.items():
        path = repo_root() / "node_modules" / source
        if not path.is_file():
            raise FileNotFoundError(f"{path} is missing: run `npm ci` (make setup does) to install it")
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, folder / name)
    (folder / "course-font.css").write_text(font_css(folder), encoding="utf-8")
    return folder


def sphinx(source: Path, out: Path, settings: dict, warnings_as_errors: bool = True, conf_dir: Path = CONF_DIR) -> None:
    """Run Sphinx's HTML builder on ``source`` with the course's (or a given) configuration.

    In its own process: Sphinx extensions register parsers globally, so two builds with different
    configurations in one process interfere (myst-nb after myst-parser: "parser for markdown not registered").
    """
    settings_file = source / "site.json"
    settings_file.write_text(json.dumps(settings), encoding="utf-8")
    args = ["-b", "html", "-q", "-c", str(conf_dir), "-d", str(source / ".doctrees"), str(source), str(out)]
    args = (["-W", "--keep-going"] if warnings_as_errors else []) + args
    environment = {**os.environ, "DMJAK_SITE_SETTINGS": str(settings_file)}
    done = subprocess.run([sys.executable, "-m", "sphinx", *args], env=environment, check=False)
    if done.returncode:
        raise RuntimeError(f"Sphinx failed (status {done.returncode}) building {source}: see the warnings above")


def build(
    audience: str = "student", out: Path | None = None, slides: bool = True, executed: Path | None = None
) -> Path:
    """Build the ``audience`` site into ``out`` (default ``build/site`` or ``build/site-instructor``)."""
    out = out or build_dir() / OUTPUT[audience]
    work = out.parent / f"{out.name}-src"  # beside the output, so two builds at once never share it
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    decks = []
    if slides and (repo_root() / "node_modules" / "reveal.js").is_dir():
        export_slides(out=out / "slides")
        decks = sorted(p.name.removesuffix(".slides.html") for p in (out / "slides").glob("*.slides.html"))
    source = pages.write_sources(work / "pages", audience, decks, executed)
    settings = {
        "title": pages.COURSE_TITLE,
        "repository": repository.repository_url(),
        "vendor": str(vendor(work / "vendor")),
        "extra": str(source / "extra"),
    }
    sphinx(source, out, settings)
    if decks:
        adapt_decks(out, audience)
    for macros in (out / "_static").glob("*.html"):  # the themes' Jinja macro files, copied as if static
        macros.unlink()
    unused = [*(out / "_static").rglob("*.js.map"), out / "_static" / "scripts" / "fontawesome.js"]
    for path in unused:  # source maps (for the themes' developers) and the icon script the layout no longer loads
        path.unlink(missing_ok=True)
    if audience == "instructor":
        mark_lecturers_only(out)
    definitions = term_definitions(out / "glossary.html")
    for page in out.rglob("*.html"):
        text = page.read_text(encoding="utf-8").replace(UNNAMED_TOGGLE, "<summary>").replace(CODE_CELL, NAMED_CODE_CELL)
        text = with_definitions(text, definitions)
        page.write_text(check_offline(text, str(page.relative_to(out))), encoding="utf-8")
    return out


GLOSSARY_DEFINITION = re.compile(r'<dt id="(term-[^"]+)">([^<]+).*?</dt>\s*<dd>(.*?)</dd>', re.S)
TERM_REFERENCE = re.compile(r'<a class="reference internal" href="((?:\.\./)?glossary\.html#(term-[^"]+))">')


def _plain(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", markup)).split())


def term_definitions(glossary: Path) -> dict[str, str]:
    """Sphinx's glossary anchor -> 'term: definition' as plain text (what a term link shows on hover)."""
    text = glossary.read_text(encoding="utf-8")
    return {anchor: f"{_plain(term)}: {_plain(meaning)}" for anchor, term, meaning in GLOSSARY_DEFINITION.findall(text)}


def with_definitions(page: str, definitions: dict[str, str]) -> str:
    """Every term link carries its definition (title, dotted underline), as in the notebooks."""

    def titled(match: re.Match) -> str:
        href, anchor = match.groups()
        if anchor not in definitions:
            return match.group(0)
        return f'<a class="reference internal dmjak-term" href="{href}" title="{html.escape(definitions[anchor])}">'

    return TERM_REFERENCE.sub(titled, page)


def adapt_decks(site: Path, audience: str) -> int:
    """Point the decks' notebook links at the site's pages and term links at their glossary entry; underline
    links; for students, leave out the quizzes' model answers as on the pages."""
    table = pages.course_glossary.glossary()
    anchors = {
        html.unescape(term).strip(): anchor
        for anchor, term in GLOSSARY_ENTRY.findall((site / "glossary.html").read_text(encoding="utf-8"))
    }
    changed = 0

    def relink(match: re.Match) -> str:
        nonlocal changed
        stem, fragment, rest, text = match.groups()
        target = f"../{stem}.html"
        if fragment == f"#{pages.course_glossary.GLOSSARY_ANCHOR}":
            words = html.unescape(re.sub(r"<[^>]+>", "", text))
            term = None if words.strip().lower() == "glossary" else pages.term_for(words, table)
            target = f"../glossary.html#{anchors[term]}" if term else "../glossary.html"
        changed += 1
        return f'<a href="{target}"{rest}>{text}</a>'

    for deck in (site / "slides").glob("*.slides.html"):
        text = NOTEBOOK_LINK.sub(relink, deck.read_text(encoding="utf-8"))
        if audience == "student":
            notebook = deck.name.removesuffix(".slides.html") + ".ipynb"
            text = quiz.without_model_answers(text, pages.quiz_note(notebook))
        deck.write_text(text.replace("</head>", f"{DECK_STYLE}</head>", 1), encoding="utf-8")
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dmjak.tooling.site.build", description=__doc__.splitlines()[0])
    parser.add_argument("audience", nargs="?", default="both", choices=[*pages.AUDIENCES, "both"])
    parser.add_argument("--no-slides", action="store_true", help="leave out the reveal.js slide decks")
    args = parser.parse_args(argv)
    for audience in pages.AUDIENCES if args.audience == "both" else [args.audience]:
        start = time.perf_counter()
        out = build(audience, slides=not args.no_slides)
        print(f"{audience} site -> {out} ({time.perf_counter() - start:.1f} s)")
    if repository.repository_url() is None:
        print(
            "No public repository URL: the pages offer the notebook download only. Set REPO_URL=https://... "
            "(or a public https origin remote) for Binder links."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
