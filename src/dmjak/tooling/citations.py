"""Numbered citations that do not break sentences: ``[Key, pinpoint]`` becomes a superscript number.

``python -m dmjak.tooling.citations notebooks/`` rewrites every citation in the notebooks' Markdown cells
as ``<sup class="dmjak-cite"><a href="#ref02-Key" aria-label="reference n" title="reference (pinpoint)">n</a></sup>``
followed by the original citation in an HTML comment, so the key and pinpoint stay in the source (the reference tests
read them there) and a later run can renumber. Numbers follow the order of first citation in the
notebook, the order of its reference list (``dmjak.references.show_references``). Hovering a number shows
the reference with its pinpoint (the ``title``), focusing it with Tab shows the same text in place (the
course stylesheet, ``dmjak.references.POPUP_CSS``), and following it goes to the numbered entry.

The tool reads plain citations and already converted ones alike, so it can be run again after anyone
edits the text: running it twice changes nothing. The glossary cell of notebook 00 is a table written by
``dmjak.tooling.structure`` and keeps its citations as they are.
"""

from __future__ import annotations

import argparse
import html
import re
from pathlib import Path

import nbformat

from dmjak.course import notebook_paths
from dmjak.glossary import is_glossary_cell
from dmjak.references import CITATION, citations_in_text, keys_in_cells, plain_citations, superscript

# Spaces (and one line break) before a citation go: the number sits on the word it supports.
BEFORE = re.compile(r"[ \t]*(?:(?<=[^\n])\n[ \t]*)?\Z")


def _superscript(group: str, numbers: dict[str, int], notebook: str | Path) -> str:
    # the comment keeps the citation for the tests and the next run, escaped so it cannot close early
    return f"{superscript(citations_in_text(group), numbers, notebook)}<!-- {html.escape(group, quote=True)} -->"


def convert_text(text: str, numbers: dict[str, int], notebook: str | Path) -> str:
    """``text`` with every citation as a numbered superscript; ``numbers`` maps key -> number."""
    text = plain_citations(text)
    out, last = [], 0
    for match in CITATION.finditer(text):
        out.append(BEFORE.sub("", text[last : match.start()]))
        out.append(_superscript(match.group(0), numbers, notebook))
        last = match.end()
    out.append(text[last:])
    return "".join(out)


def convert_notebook(nb, notebook: str | Path) -> None:
    """Rewrite every citation in ``nb`` (in place) as a numbered superscript."""
    numbers = {key: n for n, key in enumerate(keys_in_cells(nb.cells), start=1)}
    for cell in nb.cells:
        if cell.cell_type != "markdown" or is_glossary_cell(cell):
            continue
        cell.source = convert_text(cell.source, numbers, notebook)


def convert(path: Path) -> bool:
    """Convert one notebook file; True if it changed."""
    before = path.read_text(encoding="utf-8")
    nb = nbformat.reads(before, as_version=4)
    convert_notebook(nb, path)
    after = nbformat.writes(nb) + "\n"
    if after != before:
        path.write_text(after, encoding="utf-8")
    return after != before


def named_notebooks(targets: list[Path]) -> list[Path]:
    """The notebooks named, and the course notebooks of the folders named, in order."""
    return [path for target in targets for path in (notebook_paths(target) if target.is_dir() else [target])]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m dmjak.tooling.citations", description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="+", type=Path, help="notebooks, or folders of notebooks")
    for path in named_notebooks(parser.parse_args(argv).targets):
        print(f"{path}: {'converted' if convert(path) else 'already converted'}")


if __name__ == "__main__":
    main()
