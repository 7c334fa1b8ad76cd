"""Printable handouts: each notebook's core path as a short A4 PDF with its text, figures and questions, and no code.

Built from the executed notebook (static SVG charts): markdown cells and the outputs students need (charts
with their captions, tables, callouts) go into a plain HTML page; code, prompts, cells tagged
``hide-in-presenter``, live-widget notes, printed logs and the questions' model answers are left out
(the handout is for class; the key stays in the instructor guide). The optional *Going deeper* parts are
named, not printed: the handout follows the class, which takes the core path. What is looked up rather than
read (the glossary, the reference list) is printed small in two columns. Chromium prints the page to PDF
(``--print-to-pdf``), offline, with the course font embedded for the charts: the same browser the
tests use, so no PDF library is added to the lock. Usage: ``python -m dmjak.tooling.handouts``.
"""

from __future__ import annotations

import html
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
from bs4 import BeautifulSoup
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from dmjak import fonts
from dmjak.course import notebook_metadata
from dmjak.glossary import is_glossary_cell
from dmjak.paths import build_dir, notebooks_dir
from dmjak.tooling import core_path
from dmjak.tooling.slides import HIDDEN_TAG

CHROMIUM = Path(os.environ.get("DMJAK_CHROMIUM", "/usr/bin/chromium"))
STYLE = """
@page { size: A4; margin: 14mm 14mm 16mm; }
body { font-family: Lato, 'DejaVu Sans', sans-serif; font-size: 10.5pt; line-height: 1.4; color: #111; }
h1 { font-size: 18pt; margin: 0 0 4pt; } h2 { font-size: 13.5pt; margin: 12pt 0 3pt; break-after: avoid; }
h3 { font-size: 11.5pt; margin: 9pt 0 2pt; break-after: avoid; }
p, li { margin: 3pt 0; } a { color: inherit; text-decoration: none; }
figure { margin: 6pt 0; break-inside: avoid; } figure svg { max-width: 100%; height: auto; }
figcaption { font-size: 9pt; color: #333; }
table, table.dmjak-table { border-collapse: collapse; font-size: 8.5pt !important; margin: 4pt 0;
  width: 100% !important; }
th, td { border-bottom: 1px solid #bbb; padding: 2pt 4pt; text-align: left; vertical-align: top; }
.dmjak-question { border: 1px solid #888; padding: 4pt 8pt; margin: 6pt 0; break-inside: avoid; }
.dmjak-question ol { list-style-type: upper-alpha; }
.dmjak-deeper { font-size: 9.5pt; font-style: italic; border-left: 3px solid #888; padding-left: 6pt; }
.dmjak-handout-note { font-size: 9pt; color: #333; border-top: 1px solid #888; margin-top: 10pt; }
.dmjak-compact { columns: 2; column-gap: 14pt; font-size: 8pt; line-height: 1.25; }
.dmjak-compact p, .dmjak-compact li { margin: 1.5pt 0; break-inside: avoid; }
.dmjak-compact ol, .dmjak-compact ul { margin: 0; padding-left: 14pt; }
"""
# Looked up, not read through: printed small in two columns (review #12: half of notebook 05's handout and
# the tail of notebook 00's were the reference list and the glossary). Every citation still resolves.
LOOKED_UP_SECTIONS = ("References",)


def _question(quiz) -> str:
    stem = " ".join(quiz.find("p").get_text(" ").split()).removeprefix("Check your understanding. ")
    options = "".join(
        f"<li>{html.escape(' '.join(li.get_text(' ').split()))}</li>" for li in quiz.find("ol").find_all("li")
    )
    return f"<div class='dmjak-question'><p><strong>Question.</strong> {html.escape(stem)}</p><ol>{options}</ol></div>"


def _output_html(output) -> str:
    """What a handout keeps of one output: figures (without their data tables and specs), tables, questions."""
    data = output.get("data", {})
    if output.get("output_type") == "stream" or "text/html" not in data:
        markdown = data.get("text/markdown")
        return markdown2html_mistune(markdown) if markdown else ""
    soup = BeautifulSoup(data["text/html"], "html.parser")
    for quiz in soup.find_all("div", class_="dmjak-quiz"):
        quiz.replace_with(BeautifulSoup(_question(quiz), "html.parser"))
    for hidden in soup.find_all(["details", "script"]):
        hidden.decompose()
    for figure in soup.find_all("figure"):
        figure.attrs.pop("role", None)
    return str(soup)


def _without_anchor_links(markup: str) -> str:
    soup = BeautifulSoup(markup, "html.parser")
    for anchor in soup.find_all("a", class_="anchor-link"):
        anchor.decompose()
    return str(soup)


def handout_html(executed: Path) -> str:
    """The handout of one executed notebook as a standalone, code-free HTML page."""
    nb = nbformat.read(executed, as_version=4)
    title = notebook_metadata(notebooks_dir() / executed.name)["title"]
    parts, compact, section = [], [], None

    def add(markup: str, looked_up: bool) -> None:
        """Consecutive looked-up parts (glossary entries, the reference list) share one two-column block."""
        if looked_up:
            compact.append(markup)
            return
        if compact:
            parts.append(f"<div class='dmjak-compact'>{''.join(compact)}</div>")
            compact.clear()
        parts.append(markup)

    for cell, path in zip(nb.cells, core_path.paths(nb), strict=True):
        tags = cell.metadata.get("tags", [])
        if HIDDEN_TAG in tags:
            continue
        if core_path.heading(cell):
            section = core_path.heading(cell)[1]
        looked_up = is_glossary_cell(cell) or (section in LOOKED_UP_SECTIONS and not core_path.heading(cell))
        if path == "deeper":
            if core_path.DEEPER_TAG in tags and core_path.heading(cell):
                parts.append(
                    "<p class='dmjak-deeper'>Going deeper (optional, in the notebook, not in this handout): "
                    f"{html.escape(core_path.heading(cell)[1])}</p>"
                )
            continue
        if cell.cell_type == "markdown":
            add(_without_anchor_links(markdown2html_mistune(cell.source)), looked_up)
        elif cell.cell_type == "code":
            for output in cell.get("outputs", []):
                if "application/vnd.jupyter.widget-view+json" not in output.get("data", {}):
                    add(_output_html(output), looked_up)
    add("", False)  # closes a last two-column block
    note = (
        "<p class='dmjak-handout-note'>Handout of the course notebook, executed with its default settings; "
        "interactive charts and widgets are in the live notebook. Educational, not medical advice.</p>"
    )
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(title)}: handout</title>"
        f"<style>{fonts.font_face_css()}</style><style>{STYLE}</style></head><body>{''.join(parts)}{note}</body></html>"
    )


def print_pdf(page: Path, pdf: Path) -> Path:
    """Print ``page`` to ``pdf`` with headless Chromium (no network, no header or footer)."""
    if not CHROMIUM.exists():
        raise FileNotFoundError(f"Chromium not found at {CHROMIUM}: apt-get install chromium (or set DMJAK_CHROMIUM)")
    with tempfile.TemporaryDirectory(prefix="dmjak-print-") as profile:
        subprocess.run(
            [
                str(CHROMIUM),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--host-resolver-rules=MAP * ~NOTFOUND",
                f"--user-data-dir={profile}",
                "--no-pdf-header-footer",
                f"--print-to-pdf={pdf}",
                page.resolve().as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
    if not pdf.is_file() or pdf.stat().st_size == 0:
        raise RuntimeError(f"Chromium wrote no PDF for {page}")
    return pdf


def export_handouts(names: list[str] | None = None, out: Path | None = None) -> list[Path]:
    """One PDF (and its HTML source) per notebook in ``out`` (default ``build/handouts``)."""
    from dmjak.tooling.export import check_offline, executed_notebooks  # shared with the site and slides

    out = out or build_dir() / "handouts"
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for executed in executed_notebooks(names):
        page = out / f"{executed.stem}.handout.html"
        page.write_text(check_offline(handout_html(executed), page.name), encoding="utf-8")
        written.append(print_pdf(page, out / f"{executed.stem}.pdf"))
    return written


def main(argv: list[str] | None = None) -> int:
    names = (argv if argv is not None else sys.argv[1:]) or None
    for pdf in export_handouts(names):
        print(f"handout -> {pdf}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
