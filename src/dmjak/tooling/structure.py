"""One shape for every notebook: the header is the single source of its metadata, one heading per cell.

``python -m dmjak.tooling.structure notebooks/*.ipynb`` rewrites notebooks in place so that
- ``metadata.course`` title, minutes and objectives are copied from the opening cell (what students read),
- every markdown cell holds at most one heading, at its top (slides and the presenter view break on
  headings); a split cell keeps its id for the first part and gets ``<id>-2``, ``<id>-3``… for the rest;
- the core path is stated under the opening cell and every deeper part carries a banner
  (``core_path.sync``, from the ``deeper`` tags and ``metadata.course.core_minutes``/``deeper_minutes``);
- the first use of every glossary term (``data/glossary.csv``) in a notebook's text is a link whose
  ``title`` is the term's definition, so the definition shows where the word is (hover, or Tab to it:
  ``dmjak.references.POPUP_CSS``) and following the link lands on the term's own row of the glossary in
  notebook 00 (one anchor per term). Older Markdown links to the glossary heading are rewritten.
Running it twice changes nothing. The hygiene tests check the same rules with ``header_fields``,
``heading_parts`` and ``unlinked_terms``.
"""

from __future__ import annotations

import argparse
import html
import re
from pathlib import Path

import nbformat

from dmjak.glossary import (
    GLOSSARY_ANCHOR,
    glossary,
    glossary_cells,
    is_glossary_cell,
    spellings,
    term_anchor,
    term_fragment,
    term_pattern,
)
from dmjak.tooling import core_path

TITLE = re.compile(r"^# (.+)$", re.M)
MINUTES = re.compile(r"^\*\*Time:\*\* about (\d+) minutes\.", re.M)
OBJECTIVE = re.compile(r"^\d+\. (.+?)[;.]?$")
HEADING = re.compile(r"^#{1,6} ")
PREREQUISITES = "**What you need first:**"
LINK = re.compile(r"\[([^\]]*)\]\(([^)]*)\)")
# A term linked by this tool: its definition in the title, the glossary row in the href.
TERM_LINK = re.compile(r'<a class="dmjak-term" href="[^"]*" title="[^"]*">(.*?)</a>')
TERM_HREF = re.compile(r'<a class="dmjak-term" href="[^"#]*#(?:cell-id=)?(term-[a-z0-9-]+)" title="[^"]*">(.*?)</a>')
# spans where a term must not be linked: term links, links, citations/brackets, inline code, HTML tags
PROTECTED = re.compile(r"<a\b[^>]*>.*?</a>|\[[^\]]*\]\([^)]*\)|\[[^\]]*\]|`[^`]*`|<[^>]*>")


def plain_terms(text: str) -> str:
    """Markdown text with every term link (definition in place) replaced by the term as written."""
    return TERM_LINK.sub(r"\1", text)


def without_links(text: str) -> str:
    """Markdown text with every link replaced by its visible text."""
    return LINK.sub(r"\1", text)


def header_fields(source: str) -> dict:
    """Title, minutes and objectives as the opening cell states them (objectives capitalised, no end mark)."""
    source = without_links(source)
    title, minutes = TITLE.search(source), MINUTES.search(source)
    if not title or not minutes or "**By the end of this notebook" not in source:
        raise ValueError(
            "the opening cell needs '# Title', '**Time:** about N minutes.' and a numbered "
            "'**By the end of this notebook you will be able to:**' list"
        )
    listing = source.split("**By the end of this notebook", 1)[1].splitlines()[1:]
    objectives = []
    for line in listing:
        match = OBJECTIVE.match(line.strip())
        if match:
            objectives.append(match.group(1)[0].upper() + match.group(1)[1:])
        elif objectives and line.startswith("   ") and line.strip():  # a wrapped objective
            objectives[-1] = f"{objectives[-1]} {line.strip().rstrip(';.')}"
        elif objectives and not line.strip():
            break
    return {"title": title.group(1).strip(), "minutes": int(minutes.group(1)), "objectives": objectives}


def heading_parts(source: str) -> list[str]:
    """The source split before every heading outside a code fence; empty parts dropped."""
    parts, current, in_fence = [], [], False
    for line in source.splitlines(keepends=True):
        if line.startswith("```"):
            in_fence = not in_fence
        if HEADING.match(line) and not in_fence and any(s.strip() for s in current):
            parts.append("".join(current))
            current = []
        current.append(line)
    parts.append("".join(current))
    return [p.strip("\n") for p in parts if p.strip()]


def split_headings(nb: nbformat.NotebookNode) -> int:
    """Split markdown cells with several headings (or text before a heading); returns cells added."""
    uses_slides = any("slideshow" in c.metadata for c in nb.cells)
    cells, added = [], 0
    for cell in nb.cells:
        parts = heading_parts(cell.source) if cell.cell_type == "markdown" else [cell.source]
        if len(parts) == 1:
            cells.append(cell)
            continue
        for index, part in enumerate(parts):
            new = nbformat.v4.new_markdown_cell(part)
            new.metadata = dict(cell.metadata)
            new.id = cell.id if index == 0 else f"{cell.id}-{index + 1}"[:64]
            if uses_slides and index > 0:
                new.metadata["slideshow"] = {"slide_type": "slide" if HEADING.match(part) else "-"}
            cells.append(new)
        added += len(parts) - 1
    nb.cells = cells
    return added


def glossary_target(path: Path) -> str:
    """Where terms in the notebook at ``path`` link to: notebook 00's glossary cells, named by file even from 00
    itself, so JupyterLab opens or reveals 00 and scrolls to the term's cell (``dmjak.glossary``)."""
    return "00_start_here.ipynb"


def term_link(text: str, row, target: str) -> str:
    """``text`` as a link showing ``row``'s definition in place and leading to its glossary cell."""
    tip = html.escape(f"{row.term}: {row.definition}", quote=True)
    return f'<a class="dmjak-term" href="{target}#{term_fragment(row.term)}" title="{tip}">{text}</a>'


def _masked(line: str) -> str:
    """The line with protected spans blanked out (same length), so matches inside them are ignored."""
    return PROTECTED.sub(lambda m: "\0" * len(m.group(0)), line)


def _first_uses(nb: nbformat.NotebookNode):
    """Yield (cell, line index, start, end, row, linked) for the first use of each glossary term.

    The opening cell (title, audience, objectives) is a summary and stays free of links; terms are
    linked where the text first uses them, and again at their first use on the core path when that comes
    after a first use in a Going deeper part (a novice skips those, so the core path defines every term itself).
    """
    rows = list(glossary().itertuples())
    seen: dict[str, set[str]] = {"core": set(), "deeper": set()}
    for cell, path in list(zip(nb.cells, core_path.paths(nb), strict=True))[1:]:
        if cell.cell_type != "markdown" or is_glossary_cell(cell) or cell.get("id") == core_path.CORE_CELL_ID:
            continue
        # a term is first used on the core path until the core path has used it; in a deeper part, until anyone has
        found = seen["core"] if path == "core" else seen["core"] | seen["deeper"]
        for index, line in enumerate(cell.source.split("\n")):
            if HEADING.match(line) or line.startswith("|"):
                continue
            # a term already linked counts as its first use; a Markdown link to the glossary heading
            # (how terms were linked before) is one to rewrite
            links = [(m, True) for m in TERM_LINK.finditer(line)]
            links += [(m, False) for m in LINK.finditer(line) if m.group(2).endswith(f"#{GLOSSARY_ANCHOR}")]
            for link, current in sorted(links, key=lambda pair: pair[0].start()):
                for row in rows:
                    if row.term not in found and any(term_pattern(s).fullmatch(link.group(1)) for s in spellings(row)):
                        found.add(row.term)
                        seen[path].add(row.term)
                        yield cell, index, link.start(), link.end(), row, current
            masked = _masked(line)
            for row in rows:
                if row.term in found:
                    continue
                hits = [m for s in spellings(row) if (m := term_pattern(s).search(masked))]
                if hits:
                    first = min(hits, key=lambda m: (m.start(), -m.end()))
                    found.add(row.term)
                    seen[path].add(row.term)
                    yield cell, index, first.start(), first.end(), row, False


def unlinked_terms(nb: nbformat.NotebookNode) -> list[str]:
    """Glossary terms whose first use in the notebook's text does not show its definition in place."""
    return [row.term for *_, row, linked in _first_uses(nb) if not linked]


def link_terms(nb: nbformat.NotebookNode, target: str) -> int:
    """Link the first use of every glossary term (definition in place, glossary row in ``target``);
    returns how many links were added or rewritten."""
    todo = [(cell, index, start, end, row) for cell, index, start, end, row, linked in _first_uses(nb) if not linked]
    # apply right to left within a line so earlier offsets stay valid
    for cell, index, start, end, row in sorted(todo, key=lambda t: (id(t[0]), t[1], -t[2])):
        lines = cell.source.split("\n")
        line = lines[index]
        old = LINK.fullmatch(line[start:end])
        text = old.group(1) if old else line[start:end]
        lines[index] = f"{line[:start]}{term_link(text, row, target)}{line[end:]}"
        cell.source = "\n".join(lines)
    return len(todo) + _rewrite_later_glossary_links(nb, target) + _refresh_term_links(nb, target)


def _refresh_term_links(nb: nbformat.NotebookNode, target: str) -> int:
    """Term links written in an earlier form (another href, an older definition) are written again."""
    rows = {term_anchor(row.term): row for row in glossary().itertuples()}
    refreshed = 0

    def replace(match: re.Match) -> str:
        nonlocal refreshed
        row = rows.get(match.group(1))
        if row is None:
            return match.group(0)  # tests/test_definitions_in_place.py reports a link to no term
        new = term_link(match.group(2), row, target)
        refreshed += new != match.group(0)
        return new

    for cell in nb.cells:
        if cell.cell_type == "markdown" and not is_glossary_cell(cell):
            cell.source = TERM_HREF.sub(replace, cell.source)
    return refreshed


def _rewrite_later_glossary_links(nb: nbformat.NotebookNode, target: str) -> int:
    """Markdown links to the glossary heading that name a term (later uses) become term links too, so every
    term link shows its definition and lands on its own row; a link whose text is 'glossary' stays."""
    rows = list(glossary().itertuples())
    rewritten = 0

    def replace(match: re.Match) -> str:
        nonlocal rewritten
        text, href = match.groups()
        if not href.endswith(f"#{GLOSSARY_ANCHOR}") or text.strip().lower() == "glossary":
            return match.group(0)
        row = next((r for r in rows if any(term_pattern(s).fullmatch(text) for s in spellings(r))), None)
        if row is None:
            return match.group(0)  # the site build refuses a glossary link that names no term (site.pages)
        rewritten += 1
        return term_link(text, row, target)

    for cell in nb.cells:
        if cell.cell_type == "markdown" and not is_glossary_cell(cell):
            cell.source = LINK.sub(replace, cell.source)
    return rewritten


def sync_glossary(nb: nbformat.NotebookNode) -> None:
    """Write ``data/glossary.csv`` under the glossary heading (notebook 00 only): one Markdown cell per term,
    its id the term's anchor (``dmjak.glossary`` says why).

    Markdown, not a code cell's output: the notebooks are kept without outputs, and a glossary link must
    land on the definitions before anything has run.
    """
    headings = [
        i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and c.source.startswith(f"## {GLOSSARY_ANCHOR}")
    ]
    if not headings:
        return
    uses_slides = any("slideshow" in c.metadata for c in nb.cells)
    heading = nb.cells[headings[0]]
    kept = [
        c
        for c in nb.cells
        if not is_glossary_cell(c) and not (c.cell_type == "code" and c.source.strip() == "show_glossary()")
    ]
    at = kept.index(heading) + 1
    terms = []
    for cell_id, text in glossary_cells():
        cell = nbformat.v4.new_markdown_cell(text)
        cell.id = cell_id
        if uses_slides:
            cell.metadata["slideshow"] = {"slide_type": "-"}
        terms.append(cell)
    nb.cells = kept[:at] + terms + kept[at:]


def sync_header(nb: nbformat.NotebookNode) -> None:
    """Copy title, minutes and objectives from the opening cell into ``metadata.course``."""
    nb.metadata.setdefault("course", {}).update(header_fields(nb.cells[0].source))


def tidy(path: Path) -> bool:
    """Apply the rules (headings, glossary, term links, header) to one notebook file; True if it changed."""
    before = path.read_text(encoding="utf-8")
    nb = nbformat.reads(before, as_version=4)
    split_headings(nb)
    sync_glossary(nb)
    link_terms(nb, glossary_target(path))
    sync_header(nb)
    core_path.sync(nb)
    after = nbformat.writes(nb) + "\n"
    if after != before:
        path.write_text(after, encoding="utf-8")
    return after != before


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    for path in parser.parse_args(argv).notebooks:
        print(f"{path}: {'rewritten' if tidy(path) else 'already tidy'}")


if __name__ == "__main__":
    main()
