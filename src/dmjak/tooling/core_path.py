"""The core path through a notebook, and what is for going deeper (issue 21, item 4).

A heading cell tagged ``deeper`` marks its section (down to the next heading of the same or a higher
level) as optional. ``structure.tidy`` then writes, from this module:

- a banner in every deeper heading's cell, right under the heading (any text the heading cell held moves to a
  cell of its own after it), so a reader learns the part is optional before reading any of it;
- ``jp-MarkdownHeadingCollapsed`` on every deeper heading: JupyterLab 4 opens the part folded under its
  heading, with its own buttons (the fold arrow, "N cells hidden") to open it by keyboard or pointer;
- the tag ``going-deeper`` on every cell of a deeper part (and on no other cell): the exported pages and Voilà
  draw those cells in a set-apart box (``DEEPER_CSS``), nothing hidden; the website boxes the part's whole section
  (``site.conf.mark_deeper_sections``: myst-nb puts tags on code cells only);
- a "core path" cell under the opening cell, stating ``metadata.course.core_minutes`` and
  ``deeper_minutes`` and naming the deeper parts.

``estimate_minutes`` gives the time a novice needs: words read at ``WORDS_PER_MINUTE`` plus a fixed time per
chart, table, picture, widget and question. Its rates are calibrated on the independent student walkthrough of
2026-12-03 (``/work/reviews/student.md``: about 3 h 15 to 3 h 30 for the core path, per notebook 15-45 min),
which found the earlier rates (110 words a minute, 1.5 min per chart) a third too fast. ``python -m
dmjak.tooling.core_path notebooks/*.ipynb`` writes the estimate, rounded up, as ``core_minutes`` and
``deeper_minutes`` and the opening cell's "**Time:**" line (their sum), so the stated times are the estimate.
"""

from __future__ import annotations

import argparse
import ast
import math
import re
from pathlib import Path

import nbformat

from dmjak.glossary import is_glossary_cell

DEEPER_TAG = "deeper"
PRESENTER_HIDDEN = "hide-in-presenter"  # run (if code) but not shown in the presenter view, slides or handouts
CORE_CELL_ID = "core-path"
BANNER = (
    "> **Going deeper (optional).** Nothing in the core path needs this part: skip it on a first pass "
    "and come back to it when you want more. In JupyterLab it opens folded: the button under this heading "
    "shows it."
)
BANNER_START = "> **Going deeper (optional).**"  # a banner in any wording, old or new
PART_TAG = "going-deeper"  # every cell of a deeper part (written by ``sync``)
COLLAPSED = "jp-MarkdownHeadingCollapsed"  # the cell metadata JupyterLab 4 folds a heading's section by
# The set-apart box of a deeper part's cells: nbconvert and Voila mark a cell's tags as ``celltag_<tag>``,
# myst-nb (the website) as ``tag_<tag>``; the lab template's own cell rule would win over one class.
# Nothing is hidden, so keyboard and screen reader reach it all; no tint, which would take links below 4.5:1.
DEEPER_CSS = """
.celltag_going-deeper, div.jp-Cell.celltag_going-deeper, .tag_going-deeper {
  border-left: 6px solid #5e3c99; padding-left: 0.6rem; margin: 0;
}
"""
HEADING = re.compile(r"^(#{1,6}) (.+)")
CITATION_MARKUP = re.compile(r'<sup class="dmjak-cite">.*?</sup>|<!--.*?-->', re.S)
HTML_TAG = re.compile(r"<[^>]+>")
WORDS_PER_MINUTE = 90  # a novice reading dense technical prose (calibrated on the 2026-12 walkthrough)
MINUTES_FOR = {"quiz": 1.5, "widget": 4.0, "picture": 3.0, "chart": 2.5, "table": 1.5, "other": 0.3}
PICTURE = re.compile(r"\b(skin_signs_map|interferon_cascade)\(")  # dmjak.pictures: a drawing and its legend to read
TIME_LINE = re.compile(r"^\*\*Time:\*\* about \d+ minutes\.", re.M)
WIDGET = re.compile(
    r"\b(\w+Explorer|DLQICalculator|IsgLab)\(|appraisal_checklist\(|design_exercise\(|"
    r"screening_checklist\(|chart_view\("
)


def heading(cell) -> tuple[int, str] | None:
    """(level, text) of a markdown cell that opens with a heading, else None."""
    if cell.cell_type != "markdown":
        return None
    match = HEADING.match(cell.source)
    return (len(match.group(1)), match.group(2).strip()) if match else None


def is_banner(cell) -> bool:
    """A banner cell of its own (how banners were written before they moved into the heading's cell)."""
    return cell.cell_type == "markdown" and cell.source.strip().startswith(BANNER_START)


def is_deeper_heading(cell) -> bool:
    return bool(heading(cell)) and DEEPER_TAG in cell.metadata.get("tags", [])


def has_banner(cell) -> bool:
    """The cell is a deeper heading with the banner right under its heading line."""
    first, _, rest = cell.source.partition("\n")
    return is_deeper_heading(cell) and rest.strip() == BANNER


def paths(nb: nbformat.NotebookNode) -> list[str]:
    """'core' or 'deeper' for every cell, in order."""
    result, deeper_from = [], None  # the level of the deeper heading we are under, if any
    for cell in nb.cells:
        found = heading(cell)
        if found:
            level = found[0]
            if deeper_from is not None and level <= deeper_from:
                deeper_from = None
            if deeper_from is None and DEEPER_TAG in cell.metadata.get("tags", []):
                deeper_from = level
        result.append("deeper" if deeper_from is not None else "core")
    return result


def deeper_headings(nb: nbformat.NotebookNode) -> list[str]:
    """The text of every heading that starts a deeper part."""
    return [heading(c)[1] for c in nb.cells if heading(c) and DEEPER_TAG in c.metadata.get("tags", [])]


def cell_minutes(cell) -> float:
    """Time a novice needs for one cell (see the module docstring)."""
    if cell.cell_type == "markdown":
        if is_glossary_cell(cell):
            return 0.0  # the glossary is looked up, not read through
        text = CITATION_MARKUP.sub("", cell.source)  # numbered citations and their keys are not read
        text = HTML_TAG.sub("", text)  # a term link's definition (its title) is read only on demand
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links: their words only
        text = re.sub(r"\[[A-Z][^\]]*\]", "", text)  # citation keys are not read
        return len(re.findall(r"[A-Za-z0-9][\w'-]*", text)) / WORDS_PER_MINUTE
    source = cell.source
    if PRESENTER_HIDDEN in cell.metadata.get("tags", []):
        return 0.0
    if "quiz(" in source:
        kind = "quiz"
    elif WIDGET.search(source):
        kind = "widget"
    elif PICTURE.search(source):
        kind = "picture"
    elif "render.show(" in source:
        kind = "chart"
    elif "show_table(" in source or "show_record(" in source or "show_references(" in source:
        kind = "table"
    else:
        kind = "other"
    return MINUTES_FOR[kind]


def estimate_minutes(nb: nbformat.NotebookNode) -> dict[str, float]:
    """Estimated minutes on the core path and in the deeper parts."""
    totals = {"core": 0.0, "deeper": 0.0}
    for cell, path in zip(nb.cells, paths(nb), strict=True):
        totals[path] += cell_minutes(cell)
    return totals


def write_minutes(nb: nbformat.NotebookNode) -> dict[str, int]:
    """State the estimate (rounded up) as ``core_minutes``/``deeper_minutes`` and their sum in the opening cell."""
    estimate = estimate_minutes(nb)
    minutes = {"core_minutes": math.ceil(estimate["core"]), "deeper_minutes": math.ceil(estimate["deeper"])}
    nb.metadata.setdefault("course", {}).update(minutes)
    total = minutes["core_minutes"] + minutes["deeper_minutes"]
    nb.cells[0].source = TIME_LINE.sub(f"**Time:** about {total} minutes.", nb.cells[0].source, count=1)
    return minutes


def names_needed_from_deeper(nb: nbformat.NotebookNode) -> list[str]:
    """Names a core code cell uses that only a deeper code cell defines (a core section needing a deeper one)."""
    defined_in = {"core": set(), "deeper": set()}
    used_in_core: set[str] = set()
    for cell, path in zip(nb.cells, paths(nb), strict=True):
        if cell.cell_type != "code":
            continue
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            if isinstance(node, ast.Name):
                if isinstance(node.ctx, ast.Store):
                    defined_in[path].add(node.id)
                elif path == "core":
                    used_in_core.add(node.id)
            elif isinstance(node, ast.FunctionDef | ast.ClassDef):
                defined_in[path].add(node.name)
            elif isinstance(node, ast.Import | ast.ImportFrom):
                defined_in[path].update((a.asname or a.name).split(".")[0] for a in node.names)
    return sorted((used_in_core & defined_in["deeper"]) - defined_in["core"])


def core_path_markdown(nb: nbformat.NotebookNode) -> str:
    """The cell under the opening cell: both paths' minutes and the deeper parts by name."""
    course = nb.metadata.get("course", {})
    core, deeper = course.get("core_minutes"), course.get("deeper_minutes")
    parts = deeper_headings(nb)
    if not parts:
        return f"**Core path:** about {core} minutes; all of this notebook is on it."
    names = "; ".join(f"*{p}*" for p in parts)
    return (
        f"**Core path:** about {core} minutes. **Going deeper (optional):** about {deeper} minutes more, in "
        f"the parts marked *Going deeper* ({names}). Nothing in a later core section needs them."
    )


def sync(nb: nbformat.NotebookNode) -> None:
    """Write the banners, folds and part tags of the deeper parts and the core-path cell (only where minutes
    are stated). Running it again changes nothing."""
    if "core_minutes" not in nb.metadata.get("course", {}):
        return
    uses_slides = any("slideshow" in c.metadata for c in nb.cells)
    cells = []
    for cell in nb.cells:
        if is_banner(cell) or cell.get("id") == CORE_CELL_ID:
            continue
        cells.append(cell)
        if heading(cell):
            cell.metadata.pop(COLLAPSED, None)
        if is_deeper_heading(cell):
            first, _, rest = cell.source.partition("\n")
            rest = rest.replace(BANNER, "").strip()
            cell.source = f"{first}\n\n{BANNER}"
            cell.metadata[COLLAPSED] = True
            if rest:  # the heading's own text follows the banner, in a cell of its own
                cells.append(_generated(rest, f"{cell.id}-body"[:64], uses_slides))
    nb.cells = cells
    for cell, path in zip(nb.cells, paths(nb), strict=True):
        tags = [t for t in cell.metadata.get("tags", []) if t != PART_TAG] + ([PART_TAG] if path == "deeper" else [])
        if tags:
            cell.metadata["tags"] = tags
        else:
            cell.metadata.pop("tags", None)
    nb.cells.insert(1, _generated("", CORE_CELL_ID, uses_slides))
    nb.cells[1].source = core_path_markdown(nb)


def _generated(text: str, cell_id: str, uses_slides: bool) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_markdown_cell(text)
    cell.id = cell_id
    if uses_slides:
        cell.metadata["slideshow"] = {"slide_type": "-"}
    return cell


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m dmjak.tooling.core_path", description=write_minutes.__doc__)
    parser.add_argument("notebooks", nargs="+", type=Path)
    for path in parser.parse_args(argv).notebooks:
        nb = nbformat.read(path, as_version=4)
        minutes = write_minutes(nb)
        sync(nb)
        path.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
        print(f"{path}: core {minutes['core_minutes']} min, deeper {minutes['deeper_minutes']} min")


if __name__ == "__main__":
    main()
