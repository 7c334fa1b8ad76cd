"""Citations: ``[Key]`` in notebook text resolves to a row of ``data/references.csv``."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from dmjak.data import load_table

# A citation is [Key] or [Key1; Key2]; a key is a capitalised name followed by a year, e.g. Fischer2022.
KEY = r"[A-Z][A-Za-z]+\d{4}[a-z]?"
CITATION = re.compile(rf"\[({KEY}(?:;\s*{KEY})*)\]")


def keys_in_text(text: str) -> list[str]:
    """Every reference key cited in ``text``, in order of first use."""
    seen: dict[str, None] = {}
    for group in CITATION.findall(text):
        for key in re.split(r";\s*", group):
            seen.setdefault(key, None)
    return list(seen)


def keys_in_notebook(path: str | Path) -> list[str]:
    """Every reference key cited in the markdown cells of a notebook file."""
    cells = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return keys_in_text(text)


def unresolved(keys: list[str]) -> list[str]:
    known = set(load_table("references")["key"])
    return [k for k in keys if k not in known]


def format_entry(row: pd.Series) -> str:
    """One reference as a Markdown line: authors. title. container, year. link (note)."""
    link = f"https://doi.org/{row['doi']}" if pd.notna(row["doi"]) else row["url"]
    note = f" *{row['note']}*" if pd.notna(row["note"]) else ""
    authors = row["authors"].rstrip(".")  # "et al." already ends with its full stop
    return f"- **[{row['key']}]** {authors}. {row['title']}. *{row['container']}*, {row['year']}. <{link}>{note}"


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
