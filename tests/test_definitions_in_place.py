"""Definitions where the word is: a term's first use carries its definition (shown on hover or keyboard
focus) and links to its own cell of the glossary in notebook 00 (``#cell-id=term-...``, which JupyterLab
applies on a fresh open and nbconvert's pages carry as an id), one cell per term; hostile text is escaped."""

from __future__ import annotations

import html
import re
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

from dmjak.course import notebook_paths
from dmjak.glossary import glossary, glossary_cells, glossary_markdown, is_glossary_cell, term_anchor
from dmjak.paths import notebooks_dir
from dmjak.references import POPUP_CSS
from dmjak.tooling import structure

NOTEBOOKS = notebook_paths()
TERM = re.compile(r'<a class="dmjak-term" href="([^"#]*)#([^"]+)" title="([^"]*)">([^<]*)</a>')


def _notebook(*texts: str):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Title")] + [nbformat.v4.new_markdown_cell(t) for t in texts]
    return nb


def test_the_glossary_has_one_anchor_per_term():
    anchors = re.findall(r'<span id="([^"]+)"></span>\*\*([^*]+)\*\*', glossary_markdown())
    assert [term for _, term in anchors] == list(glossary()["term"])
    assert len({anchor for anchor, _ in anchors}) == len(anchors)
    assert all(anchor == term_anchor(term) for anchor, term in anchors)
    assert term_anchor("Gottron's papules") == "term-gottron-s-papules"


def test_each_term_is_its_own_glossary_cell_whose_id_is_its_anchor():
    """Review S1: JupyterLab resolves ``#cell-id=`` from the notebook's model, so each term needs its own cell."""
    cells = glossary_cells()
    assert [cell_id for cell_id, _ in cells] == [term_anchor(t) for t in glossary()["term"]]
    assert all(text.startswith(f'<span id="{cell_id}"></span>') for cell_id, text in cells)
    nb = nbformat.read(notebooks_dir() / "00_start_here.ipynb", as_version=4)
    in_notebook = [(c.id, c.source) for c in nb.cells if is_glossary_cell(c)]
    assert in_notebook == cells, "notebook 00 holds the glossary as written by dmjak.tooling.structure"
    assert len({c.id for c in nb.cells}) == len(nb.cells)


def test_first_use_shows_the_definition_and_links_to_the_terms_row():
    nb = _notebook("Signals pass through TYK2 and JAK1; TYK2 again.")
    assert structure.unlinked_terms(nb) == ["TYK2"]
    structure.link_terms(nb, "00_start_here.ipynb")
    links = TERM.findall(nb.cells[1].source)
    tyk2 = next(link for link in links if link[3] == "TYK2")
    assert tyk2[:2] == ("00_start_here.ipynb", "cell-id=term-tyk2")
    definition = glossary().set_index("term").loc["TYK2", "definition"]
    assert html.unescape(tyk2[2]) == f"TYK2: {definition}"
    assert nb.cells[1].source.count("TYK2</a>") == 1  # only the first use
    assert structure.unlinked_terms(nb) == [] and structure.link_terms(nb, "00_start_here.ipynb") == 0


def test_an_old_link_to_the_glossary_heading_is_rewritten_to_the_term():
    nb = _notebook("A [heliotrope rash](00_start_here.ipynb#Glossary) on the eyelids.")
    assert structure.unlinked_terms(nb) == ["heliotrope rash"]
    structure.link_terms(nb, "00_start_here.ipynb")
    assert "#Glossary" not in nb.cells[1].source
    assert TERM.search(nb.cells[1].source).groups()[1:2] == ("cell-id=term-heliotrope-rash",)


def test_a_term_link_of_an_earlier_form_is_rewritten_to_the_terms_cell():
    old = '<a class="dmjak-term" href="00_start_here.ipynb#term-tyk2" title="TYK2: old">TYK2</a> and more.'
    nb = _notebook(old)
    assert structure.link_terms(nb, "00_start_here.ipynb") == 1
    assert 'href="00_start_here.ipynb#cell-id=term-tyk2"' in nb.cells[1].source
    assert structure.link_terms(nb, "00_start_here.ipynb") == 0


def test_a_definition_is_escaped_in_the_page():
    row = SimpleNamespace(term="x", definition='A "quoted" <script>alert(1)</script> & more')
    link = structure.term_link("x", row, "00_start_here.ipynb")
    assert "<script>" not in link and link.count('"') == 6
    assert html.unescape(TERM.fullmatch(link).group(3)) == f"x: {row.definition}"


def test_the_popup_shows_on_keyboard_focus_and_on_hover():
    assert "a.dmjak-term:focus::after" in POPUP_CSS and "content: attr(title)" in POPUP_CSS
    assert "a.dmjak-term:hover::after" in POPUP_CSS and ".dmjak-cite a:hover::after" in POPUP_CSS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_popup_style_comes_with_the_set_up_cell_before_any_term_is_met(path: Path):
    """Review S4: the style used to come with the reference list, the last cell, so until a student ran the
    whole notebook terms had no dotted underline and no pop-up. The first code cell now shows it."""
    from unittest import mock

    from dmjak.references import show_popup_style

    cells = nbformat.read(path, as_version=4).cells
    first_code = next(c for c in cells if c.cell_type == "code")
    assert "show_popup_style()" in first_code.source
    with mock.patch("IPython.display.display") as shown:
        show_popup_style()
    assert POPUP_CSS in shown.call_args.args[0].data


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_term_link_in_the_notebooks_reaches_an_anchor(path: Path):
    anchors = {f"cell-id={cell_id}" for cell_id, _ in glossary_cells()}
    nb = nbformat.read(path, as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    links = TERM.findall(text)
    assert links, "the notebook's terms show their definitions in place"
    for page, anchor, _, _ in links:
        assert page == "00_start_here.ipynb"  # named even from 00: JupyterLab reveals it and scrolls to the cell
        assert anchor in anchors, anchor


def test_the_offline_site_links_a_term_to_its_row_on_the_start_page():
    from dmjak.tooling.export import site_links

    page = '<a class="dmjak-term" href="00_start_here.ipynb#term-tyk2" title="t">TYK2</a> <a href="01_x.ipynb">01</a>'
    assert site_links(page) == page.replace("00_start_here.ipynb#", "00_start_here.html#").replace(
        "01_x.ipynb", "01_x.html"
    )
    assert site_links('<a href="https://example.org/00_a.ipynb">x</a>').endswith('00_a.ipynb">x</a>')
