"""Numbered citations: the conversion tool keeps every key and pinpoint, numbers as the reference list
does, escapes what it writes into HTML, and changes nothing when run again (also after an edit)."""

from __future__ import annotations

import html
import json
import re
import shutil

import nbformat
import pytest

from dmjak.course import notebook_paths
from dmjak.paths import notebooks_dir
from dmjak.references import citations_in_text, keys_in_notebook, notebook_references, plain_citations
from dmjak.tooling import citations

NUMBER = re.compile(r'<a href="#(ref\d\d-\w+)" aria-label="reference \d+" title="([^"]*)">(\d+)</a>')


def _markdown(path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def _cited(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [citations_in_text("".join(c["source"])) for c in cells if c["cell_type"] == "markdown"]


def test_a_citation_becomes_a_superscript_on_the_word_it_supports():
    text = "JAK1 and TYK2 [Kim2021]. Then ISGF3\n[Michalska2018, Abstract; Kim2021] binds."
    out = citations.convert_text(text, {"Kim2021": 1, "Michalska2018": 2}, "02_x.ipynb")
    assert "[Kim2021]" not in out.split("<!--")[0]  # no bracket left in the visible text
    assert out.startswith(
        'JAK1 and TYK2<sup class="dmjak-cite"><a href="#ref02-Kim2021" aria-label="reference 1" title="[1] Kim H.'
    )  # a screen reader says "reference 1", not "1"
    assert "ISGF3<sup" in out  # the line break before the citation went too
    second = out.split("ISGF3", 1)[1]
    assert [m[2] for m in NUMBER.findall(second)] == ["2", "1"]
    assert "See: Abstract." in NUMBER.findall(second)[0][1]
    assert citations_in_text(out) == citations_in_text(text)  # keys and pinpoints stay in the source


def test_a_citation_that_opens_a_paragraph_keeps_the_paragraph_break():
    out = citations.convert_text("First paragraph.\n\n[Kim2021] opens the next.", {"Kim2021": 1}, "02_x.ipynb")
    assert out.startswith("First paragraph.\n\n<sup")


def test_text_written_into_html_is_escaped():
    out = citations.convert_text('x [Kim2021, Table "1" <b>&]', {"Kim2021": 1}, "02_x.ipynb")
    title = re.search(r'title="([^"]*)"', out).group(1)
    assert "<b>" not in title and html.unescape(title).endswith('See: Table "1" <b>&.')
    assert out.count('"') == out.count('="') * 2  # every quote delimits an attribute
    assert out.count("<") == out.count("</") * 2 + 1  # tags the tool wrote (and the comment), nothing else
    assert citations_in_text(out) == [("Kim2021", 'Table "1" <b>&')]
    closing = citations.convert_text("x [Kim2021, p. 3 --> <img src=x>]", {"Kim2021": 1}, "02_x.ipynb")
    assert closing.endswith("-->") and closing.count("-->") == 1 and "<img" not in closing
    # O'Shea's apostrophe is escaped too
    assert "O&#x27;Shea" in citations.convert_text("[OShea2015]", {"OShea2015": 1}, "02_x.ipynb")


def test_running_again_renumbers_after_an_edit_and_otherwise_changes_nothing(tmp_path):
    path = tmp_path / "02_interferon_jak_stat.ipynb"
    nb = nbformat.read(notebooks_dir() / path.name, as_version=4)
    for cell in nb.cells:  # the notebook as authors write it: plain citations
        cell.source = plain_citations(cell.source)
    nbformat.write(nb, path)
    assert citations.convert(path) is True
    once = path.read_text(encoding="utf-8")
    assert citations.convert(path) is False and path.read_text(encoding="utf-8") == once
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if "dmjak-cite" in c.source)
    cell.source = "A new first claim [Fridman2010, Abstract]. " + cell.source  # an author adds a citation
    nbformat.write(nb, path)
    citations.convert(path)
    numbers = {key: int(n) for key, _, n in NUMBER.findall(_markdown(path))}
    assert numbers["ref02-Fridman2010"] == 1
    assert len(set(numbers.values())) == len(numbers)  # one number per reference


@pytest.mark.parametrize("path", notebook_paths(), ids=lambda p: p.stem)
def test_every_notebook_keeps_its_citations_and_list_numbers_match(path, tmp_path):
    copy = tmp_path / path.name
    shutil.copy(path, copy)
    citations.main([str(tmp_path)])
    assert _cited(copy) == _cited(path)
    assert keys_in_notebook(copy) == keys_in_notebook(path)
    listing = notebook_references(copy)
    entries = re.findall(r'^(\d+)\. <span id="(ref\d\d-\w+)"></span>', listing, re.M)
    numbered = {anchor: int(n) for anchor, _, n in NUMBER.findall(_markdown(copy))}
    for n, anchor in entries:  # every number in the text is the number of its entry in the list
        assert numbered.get(anchor, int(n)) == int(n)
    assert set(numbered) <= {anchor for _, anchor in entries}
