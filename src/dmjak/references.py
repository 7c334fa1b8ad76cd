"""Citations: ``[Key]`` in notebook text resolves to a row of ``data/references.csv``.

A citation may pinpoint where in the source a fact stands: ``[Werth2023, Table 2]``,
``[Olumiant2024, section 12.3; Narang2015, Results]``. Only the key must resolve; the pinpoint is
free text (no ``;`` or ``]``) that a reader uses to find the figure.

Students read numbers instead: ``dmjak.tooling.citations`` turns each citation into a superscript number
that keeps the original citation beside it in an HTML comment, so everything here reads the keys the
same way in either form. The reference list is numbered in order of first citation, like the numbers.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pandas as pd

from dmjak.data import load_table
from dmjak.glossary import is_glossary_cell
from dmjak.markup import markdown_text, safe_url
from dmjak.paths import notebooks_dir

# A citation is [Key], [Key, pinpoint] or several of those joined by "; ". A key is a capitalised name
# followed by a year (Fischer2022), optionally with a letter (Paik2021b).
KEY = r"[A-Z][A-Za-z]+\d{4}[a-z]?"
_ONE = rf"{KEY}(?:,\s*[^;\]\[]+?)?"
CITATION = re.compile(rf"\[({_ONE}(?:;\s*{_ONE})*)\]")
_PART = re.compile(rf"^({KEY})(?:,\s*(.+))?$", re.DOTALL)  # a pinpoint may wrap across lines
# A numbered citation written by dmjak.tooling.citations: the superscript, then the citation it stands for.
CONVERTED = re.compile(r'<sup class="dmjak-cite">.*?</sup><!-- (\[[^\]]*\]) -->', re.S)
# How a citation number and a glossary term show their text in place when pointed at or focused with the
# keyboard. JupyterLab strips <style> from Markdown, so each notebook's set-up cell (its first code cell) brings
# it with ``show_popup_style``, before the first term or number a student meets; the presenter and offline
# templates include it themselves.
POPUP_CSS = """
.dmjak-cite a, a.dmjak-term { position: relative; }
a.dmjak-term { text-decoration: underline dotted; }
.dmjak-cite a:hover::after, a.dmjak-term:hover::after,
.dmjak-cite a:focus::after, a.dmjak-term:focus::after {
  content: attr(title); position: absolute; left: 0; top: 1.5em; z-index: 20; pointer-events: none;
  width: max-content; max-width: min(30rem, 80vw); white-space: normal; text-align: left;
  font-size: 0.85rem; font-weight: normal; font-style: normal; line-height: 1.35; color: #1a1a1a;
  background: #fffbe6; border: 1px solid #7a6400; border-radius: 4px; padding: 0.4rem 0.6rem;
  box-shadow: 0 2px 6px rgba(0, 0, 0, 0.25);
}
/* JupyterLab and Voila clip a Markdown cell's overflow: let the popup out while a link has focus */
.jp-MarkdownOutput:has(.dmjak-cite a:focus, a.dmjak-term:focus, .dmjak-cite a:hover, a.dmjak-term:hover),
.jp-Cell-inputArea:has(.dmjak-cite a:focus, a.dmjak-term:focus, .dmjak-cite a:hover, a.dmjak-term:hover) {
  overflow: visible;
}
"""


def citations_in_text(text: str) -> list[tuple[str, str | None]]:
    """Every (key, pinpoint) cited in ``text`` in order; pinpoint is None for a bare ``[Key]``."""
    found = []
    for group in CITATION.findall(plain_citations(text)):
        for part in re.split(r";\s*", group):
            key, pinpoint = _PART.match(part.strip()).groups()
            found.append((key, " ".join(pinpoint.split()) if pinpoint else None))
    return found


def plain_citations(text: str) -> str:
    """``text`` with numbered citations turned back into the ``[Key, pinpoint]`` they were written from."""
    return CONVERTED.sub(lambda m: html.unescape(m.group(1)), text)


def keys_in_text(text: str) -> list[str]:
    """Every reference key cited in ``text``, in order of first use."""
    return list(dict.fromkeys(key for key, _ in citations_in_text(text)))


def keys_in_cells(cells) -> list[str]:
    """Keys cited in the Markdown cells, in order of first citation in the text, then those only the
    glossary table (notebook 00) cites: the order of the citation numbers and of the reference list."""
    sources = ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown" and not is_glossary_cell(c)]
    sources += ["".join(c["source"]) for c in cells if is_glossary_cell(c)]
    return keys_in_text("\n".join(sources))


def keys_in_notebook(path: str | Path) -> list[str]:
    """Every reference key cited in the markdown cells of a notebook file, in citation-number order.

    A bare notebook name (each notebook's closing cell passes its own) is looked for in the working directory,
    then in the course's notebooks folder: papermill runs a notebook in the directory it was started from."""
    path = Path(path)
    if not path.is_absolute() and not path.exists() and (notebooks_dir() / path).exists():
        path = notebooks_dir() / path
    return keys_in_cells(json.loads(path.read_text(encoding="utf-8"))["cells"])


def anchor_id(notebook: str | Path, key: str) -> str:
    """The id of a reference-list entry, unique per notebook (two notebooks may be open on one page)."""
    return f"ref{Path(notebook).name[:2]}-{key}"


def superscript(cited, numbers: dict[str, int], notebook: str | Path) -> str:
    """Numbered citations as one superscript: each number links to its reference-list entry and carries the
    reference with its pinpoint as its title (shown on hover and, with the course stylesheet, on focus)."""
    links = []
    for key, pinpoint in cited:
        tip = f"[{numbers[key]}] {short_entry(key)}" + (f" See: {pinpoint}." if pinpoint else "")
        # named "reference n" (a bare "1" tells a screen-reader user nothing); the title adds the reference itself
        links.append(
            f'<a href="#{anchor_id(notebook, key)}" aria-label="reference {numbers[key]}" '
            f'title="{html.escape(tip, quote=True)}">{numbers[key]}</a>'
        )
    return f'<sup class="dmjak-cite">{",".join(links)}</sup>'


def cite_html(cited, notebook: str | Path | None = None) -> str:
    """Citations in HTML the notebook's Markdown does not hold (a picture's caption): numbered as in the notebook
    for every key its text cites, and the short reference for any other, never a bare key."""
    numbers = {}
    if notebook is not None:
        from dmjak.paths import notebooks_dir

        numbers = {k: n for n, k in enumerate(keys_in_notebook(notebooks_dir() / Path(notebook).name), start=1)}
    cited = list(dict.fromkeys(cited))
    numbered = [(k, pin) for k, pin in cited if k in numbers]
    others = [html.escape(short_entry(k) + (f" See: {pin}." if pin else "")) for k, pin in cited if k not in numbers]
    return (superscript(numbered, numbers, notebook) if numbered else "") + (
        f" <small>({' '.join(others)})</small>" if others else ""
    )


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


def short_entry(key: str) -> str:
    """One reference as plain text (authors. title. container, year.), for a citation's tooltip."""
    row = _table().loc[key]
    return f"{row['authors'].rstrip('.')}. {row['title']}. {row['container']}, {row['year']}."


def _table() -> pd.DataFrame:
    return load_table("references").set_index("key", drop=False)


def reference_list(keys: list[str], notebook: str | Path | None = None) -> str:
    """Markdown list of the given references, in the order given; unknown keys are an error.

    With ``notebook``, a numbered list whose entries carry the ids the citation numbers link to.
    """
    missing = unresolved(keys)
    if missing:
        raise KeyError(f"Reference key(s) {missing} are not in data/references.csv")
    table = _table()
    if notebook is None:
        return "\n".join(format_entry(table.loc[k]) for k in keys)
    return "\n".join(
        f'{n}. <span id="{anchor_id(notebook, k)}"></span>{format_entry(table.loc[k])[2:]}'
        for n, k in enumerate(keys, start=1)
    )


def notebook_references(path: str | Path) -> str:
    """The reference list for a notebook: every key its text cites, resolved, numbered as cited."""
    return reference_list(keys_in_notebook(path), notebook=path)


def show_popup_style() -> None:
    """Display the stylesheet that shows a term's definition and a citation's reference in place on hover or
    keyboard focus (the set-up cell of every notebook, so it holds from the first term on)."""
    from IPython.display import HTML, display

    display(HTML(f"<style>{POPUP_CSS}</style>"))


def show_references(path: str | Path) -> None:
    """Display the numbered reference list of the notebook at ``path`` (the closing cell of every notebook)."""
    from IPython.display import Markdown, display

    display(Markdown(notebook_references(path)))
