"""The course glossary: every technical term, defined in the course's words, with its source.

The terms live in ``data/glossary.csv`` (validated like every table). Notebook 00 carries them as a
Markdown cell written from that table by ``dmjak.tooling.structure`` (so the glossary reads before anything
runs, and a link to it lands on text); every other notebook links the first use of each term there.
"""

from __future__ import annotations

import re

import pandas as pd

from dmjak.data import load_table
from dmjak.markup import markdown_text

GLOSSARY_CELL_ID = "glossary-terms"  # notebook 00's Markdown cell that holds the glossary table
GLOSSARY_ANCHOR = "Glossary"  # the heading "## Glossary" in notebook 00; JupyterLab and nbconvert use it as the id


def glossary() -> pd.DataFrame:
    """The glossary table, sorted alphabetically (case-insensitive)."""
    table = load_table("glossary")
    return table.sort_values("term", key=lambda s: s.str.lower()).reset_index(drop=True)


def spellings(row) -> list[str]:
    """The term and its aliases, longest first (so 'type I interferons' wins over 'type I interferon')."""
    aliases = [] if pd.isna(row.aliases) else [a.strip() for a in row.aliases.split("|") if a.strip()]
    return sorted({row.term, *aliases}, key=len, reverse=True)


def term_pattern(spelling: str) -> re.Pattern:
    """Whole-word match; case-sensitive if the spelling has capitals (IC50, JAK), otherwise not.

    A lower-case first letter may also be capitalised, as at the start of a sentence ("Type I interferon").
    """
    if not any(c.isupper() for c in spelling):
        return re.compile(rf"(?<![\w-]){re.escape(spelling)}(?![\w-])", re.IGNORECASE)
    head, rest = spelling[0], spelling[1:]
    first = f"[{head}{head.upper()}]" if head.islower() else re.escape(head)
    return re.compile(rf"(?<![\w-]){first}{re.escape(rest)}(?![\w-])")


def term_anchor(term: str) -> str:
    """The id of a term's row in the glossary (``term-`` and the term in lower case, words joined by -)."""
    return "term-" + "-".join(re.findall(r"[a-z0-9]+", term.lower()))


def _citation(row) -> str:
    key = markdown_text(row.source)  # a key (letters and digits) is unchanged by escaping
    return f"[{key}, {markdown_text(row.source_detail)}]" if pd.notna(row.source_detail) else f"[{key}]"


def glossary_markdown(table: pd.DataFrame | None = None) -> str:
    """The glossary as a Markdown table (term, meaning, source with pinpoint), alphabetical, text escaped; each
    term's row carries the anchor its links lead to."""
    table = glossary() if table is None else table
    lines = ["| Term | Meaning | Source |", "|---|---|---|"]
    for row in table.itertuples():
        also = [s for s in spellings(row) if s != row.term]
        name = f'<span id="{term_anchor(row.term)}"></span>**{markdown_text(row.term)}**' + (
            f" ({markdown_text(', '.join(also))})" if also else ""
        )
        lines.append(f"| {name} | {markdown_text(row.definition)} | {_citation(row)} |")
    return "\n".join(lines)
