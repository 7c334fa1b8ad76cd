"""Citations: ``[Key]`` in notebook text resolves to a row of ``data/references.csv``.

A citation may pinpoint where in the source a fact stands: ``[Werth2023, Table 2]``,
``[Olumiant2024, section 12.3; Narang2015, Results]``. Only the key must resolve; the pinpoint is
free text (no ``;`` or ``]``) that a reader uses to find the figure.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from dmjak.data import load_table
from dmjak.markup import markdown_text, safe_url

# A citation is [Key], [Key, pinpoint] or several of those joined by "; ". A key is a capitalised name
# followed by a year (Fischer2022), optionally with a letter (Paik2021b).
KEY = r"[A-Z][A-Za-z]+\d{4}[a-z]?"
_ONE = rf"{KEY}(?:,\s*[^;\]\[]+?)?"
CITATION = re.compile(rf"\[({_ONE}(?:;\s*{_ONE})*)\]")
_PART = re.compile(rf"^({KEY})(?:,\s*(.+))?$", re.DOTALL)  # a pinpoint may wrap across lines


def citations_in_text(text: str) -> list[tuple[str, str | None]]:
    """Every (key, pinpoint) cited in ``text`` in order; pinpoint is None for a bare ``[Key]``."""
    found = []
    for group in CITATION.findall(text):
        for part in re.split(r";\s*", group):
            key, pinpoint = _PART.match(part.strip()).groups()
            found.append((key, " ".join(pinpoint.split()) if pinpoint else None))
    return found


def keys_in_text(text: str) -> list[str]:
    """Every reference key cited in ``text``, in order of first use."""
    return list(dict.fromkeys(key for key, _ in citations_in_text(text)))


def keys_in_notebook(path: str | Path) -> list[str]:
    """Every reference key cited in the markdown cells of a notebook file."""
    cells = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return keys_in_text(text)


def unresolved(keys: list[str]) -> list[str]:
    known = set(load_table("references")["key"])
    return [k for k in keys if k not in known]


def format_entry(row: pd.Series) -> str:
    """One reference as a Markdown line: authors. title. container, year. link (note).

    Every field is escaped (``dmjak.markup``), so a table's text is shown, never run; the link is an
    http(s) address or, if the table holds anything else, the escaped text without a link.
    """
    raw = f"https://doi.org/{row['doi']}" if pd.notna(row["doi"]) else row["url"]
    url = safe_url(raw)
    link = f"<{url}>" if url else markdown_text(raw)
    note = f" *{markdown_text(row['note'])}*" if pd.notna(row["note"]) else ""
    authors = markdown_text(row["authors"].rstrip("."))  # "et al." already ends with its full stop
    title, container = markdown_text(row["title"]), markdown_text(row["container"])
    key = row["key"] if re.fullmatch(KEY, row["key"]) else markdown_text(row["key"])
    return f"- **[{key}]** {authors}. {title}. *{container}*, {row['year']}. {link}{note}"


def reference_list(keys: list[str]) -> str:
    """Markdown list of the given references, in the order given; unknown keys are an error."""
    missing = unresolved(keys)
    if missing:
        raise KeyError(f"Reference key(s) {missing} are not in data/references.csv")
    table = load_table("references").set_index("key", drop=False)
    return "\n".join(format_entry(table.loc[k]) for k in keys)


def notebook_references(path: str | Path) -> str:
    """The reference list for a notebook: every key its text cites, resolved."""
    return reference_list(keys_in_notebook(path))


def show_references(path: str | Path) -> None:
    """Display the reference list of the notebook at ``path`` (the closing cell of every notebook)."""
    from IPython.display import Markdown, display

    display(Markdown(notebook_references(path)))
