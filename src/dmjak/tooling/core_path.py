"""The core path through a notebook, and what is for going deeper (issue 21, item 4).

A heading cell tagged ``deeper`` marks its section (down to the next heading of the same or a higher
level) as optional. ``structure.tidy`` then writes, from this module:

- a banner under every deeper heading, so the part is set apart wherever the notebook is read
  (JupyterLab, Voilà, the exported pages);
- a "core path" cell under the opening cell, stating ``metadata.course.core_minutes`` and
  ``deeper_minutes`` and naming the deeper parts.

The minutes are the author's statement after a timed walkthrough. ``estimate_minutes`` gives the check:
words read at ``WORDS_PER_MINUTE`` plus a fixed time per chart, table, widget and question, so that a
stated time that is far below the content fails a test.
"""

from __future__ import annotations

import ast
import re

import nbformat

DEEPER_TAG = "deeper"
CORE_CELL_ID = "core-path"
BANNER = (
    "> **Going deeper (optional).** Nothing in the core path needs this part: skip it on a first pass "
    "and come back to it when you want more."
)
HEADING = re.compile(r"^(#{1,6}) (.+)")
CITATION_MARKUP = re.compile(r'<sup class="dmjak-cite">.*?</sup>|<!--.*?-->', re.S)
HTML_TAG = re.compile(r"<[^>]+>")
WORDS_PER_MINUTE = 110  # a novice reading dense technical prose
MINUTES_FOR = {"quiz": 1.5, "widget": 3.0, "chart": 1.5, "table": 1.5, "other": 0.3}
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
    return cell.cell_type == "markdown" and cell.source == BANNER


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
        if cell.get("id") == "glossary-terms":
            return 0.0  # a look-up table, not read through
        text = CITATION_MARKUP.sub("", cell.source)  # numbered citations and their keys are not read
        text = HTML_TAG.sub("", text)  # a term link's definition (its title) is read only on demand
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links: their words only
        text = re.sub(r"\[[A-Z][^\]]*\]", "", text)  # citation keys are not read
        return len(re.findall(r"[A-Za-z0-9][\w'-]*", text)) / WORDS_PER_MINUTE
    source = cell.source
    if "hide-in-presenter" in cell.metadata.get("tags", []):
        return 0.0
    if "quiz(" in source:
        kind = "quiz"
    elif WIDGET.search(source):
        kind = "widget"
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
    """Write the banners under deeper headings and the core-path cell (only where minutes are stated)."""
    if "core_minutes" not in nb.metadata.get("course", {}):
        return
    uses_slides = any("slideshow" in c.metadata for c in nb.cells)
    cells = []
    for cell in nb.cells:
        if is_banner(cell) or cell.get("id") == CORE_CELL_ID:
            continue
        cells.append(cell)
        if heading(cell) and DEEPER_TAG in cell.metadata.get("tags", []):
            cells.append(_generated(BANNER, f"{cell.id}-deeper"[:64], uses_slides))
    cells.insert(1, _generated("", CORE_CELL_ID, uses_slides))
    nb.cells = cells
    nb.cells[1].source = core_path_markdown(nb)


def _generated(text: str, cell_id: str, uses_slides: bool) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_markdown_cell(text)
    cell.id = cell_id
    if uses_slides:
        cell.metadata["slideshow"] = {"slide_type": "-"}
    return cell
