"""The course glossary: every technical term, defined in the course's words, with its source.

The terms live in ``data/glossary.csv`` (validated like every table). Notebook 00 carries them as Markdown
cells written from that table by ``dmjak.tooling.structure``, one cell per term whose cell id is the term's
anchor (so the glossary reads before anything runs, and a link to it lands on text); every notebook links the
first use of each term there as ``00_start_here.ipynb#cell-id=term-...``. That form is the one JupyterLab 4
applies when it opens notebook 00 fresh (it finds the cell in the notebook's model, even before the cell is
drawn, and scrolls to it; an ``#id`` inside a cell is looked up in the page and is not there yet), and
nbconvert's pages (the exports, Voila) give every cell ``id="cell-id=..."``, so the same link works there.
"""

from __future__ import annotations

import hashlib
import re

import pandas as pd

from dmjak.data import load_table
from dmjak.markup import markdown_text

GLOSSARY_CELL_ID = "glossary-terms"  # the single glossary cell of earlier versions (replaced by one cell per term)
TERM_CELL_PREFIX = "term-"  # a glossary cell's id: the term's anchor
GLOSSARY_ANCHOR = "Glossary"  # the heading "## Glossary" in notebook 00; JupyterLab and nbconvert use it as the id


def glossary() -> pd.DataFrame:
    """The glossary table, sorted alphabetically (case-insensitive)."""
    table = load_table("glossary")
    return table.sort_values("term", key=lambda s: s.str.lower()).reset_index(drop=True)


def spellings(row) -> list[str]:
    """The term and its aliases, longest first (so 'type I interferons' wins over 'type I interferon')."""
    aliases = [] if pd.isna(row.aliases) else [a.strip() for a in row.aliases.split("|") if a.strip()]
    return sorted({row.term, *aliases}, key=lambda spelling: (-len(spelling), spelling))  # a set: order fixed here


def term_pattern(spelling: str) -> re.Pattern:
    """Whole-word match; case-sensitive if the spelling has capitals (IC50, JAK), otherwise not.

    A lower-case first letter may also be capitalised, as at the start of a sentence ("Type I interferon").
    """
    if not any(c.isupper() for c in spelling):
        return re.compile(rf"(?<![\w-]){re.escape(spelling)}(?![\w-])", re.IGNORECASE)
    head, rest = spelling[0], spelling[1:]
    first = f"[{head}{head.upper()}]" if head.islower() else re.escape(head)
    return re.compile(rf"(?<![\w-]){first}{re.escape(rest)}(?![\w-])")


ANCHOR_MAX = 64  # the glossary cell's id is the anchor, and nbformat allows cell ids of at most 64 characters


def term_anchor(term: str) -> str:
    """The id of a term's row in the glossary (``term-`` and the term in lower case, words joined by -);
    a longer one is cut and ends in a short hash of the term, so it stays a valid, distinct cell id."""
    anchor = "term-" + "-".join(re.findall(r"[a-z0-9]+", term.lower()))
    if len(anchor) <= ANCHOR_MAX:
        return anchor
    digest = hashlib.sha1(term.encode("utf-8")).hexdigest()[:8]
    return f"{anchor[: ANCHOR_MAX - 9].rstrip('-')}-{digest}"


def term_fragment(term: str) -> str:
    """The fragment of a link to a term's glossary cell in notebook 00 (see the module docstring)."""
    return f"cell-id={term_anchor(term)}"


def is_glossary_cell(cell) -> bool:
    """A cell of notebook 00's glossary (one per term; the single table cell of earlier versions too)."""
    cell_id = cell.get("id") or ""
    return cell_id.startswith(TERM_CELL_PREFIX) or cell_id == GLOSSARY_CELL_ID


def _citation(row) -> str:
    key = markdown_text(row.source)  # a key (letters and digits) is unchanged by escaping
    return f"[{key}, {markdown_text(row.source_detail)}]" if pd.notna(row.source_detail) else f"[{key}]"


def glossary_entry(row) -> str:
    """One term as Markdown: its anchor, the term and its other spellings, the definition and its source."""
    also = [s for s in spellings(row) if s != row.term]
    name = f'<span id="{term_anchor(row.term)}"></span>**{markdown_text(row.term)}**' + (
        f" ({markdown_text(', '.join(also))})" if also else ""
    )
    return f"{name}: {markdown_text(row.definition)} *Source:* {_citation(row)}"


def glossary_cells(table: pd.DataFrame | None = None) -> list[tuple[str, str]]:
    """(cell id, Markdown) for every term, alphabetical, text escaped; the id is the term's anchor."""
    table = glossary() if table is None else table
    return [(term_anchor(row.term), glossary_entry(row)) for row in table.itertuples()]


def glossary_markdown(table: pd.DataFrame | None = None) -> str:
    """The whole glossary as one Markdown text (the cells' texts, one paragraph per term)."""
    return "\n\n".join(text for _, text in glossary_cells(table))
