"""Everything built for students (offline pages, slides, handouts) holds neither the instructor guide nor
the answer key; the handouts exist for every notebook as short PDFs without code.

The guide is recognised by its own sentences (those that are not also course text that students see in
the notebooks or data); the key by each question's model answer and per-option feedback, which slides and
handouts (used in class, while a lecturer polls) must not show. The notebooks' own self-check reveals
stay in the self-study pages by design (course conventions)."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess

import nbformat
import pytest
from browser import require_browser
from bs4 import BeautifulSoup
from conftest import REPO, skip_or_fail
from test_export import require_node_modules

from dmjak import references
from dmjak.course import notebook_paths
from dmjak.quiz import quiz_items
from dmjak.tooling import core_path, export, handouts

CODE_MARKERS = re.compile(
    r"\bimport \w|from dmjak|\bIn \[\d*\]:|\bOut\[\d+\]|\bdef \w+\(|render\.show|quiz\(\"|show_table\("
)
MAX_HANDOUT_PAGES = 11  # the core path only (deeper parts named, not printed); glossary and references in two
# small columns (before: 13 pages for 00 and 14 for 07, 65 in all; now 8 and 11, 50 in all)
QUIZ_CALL = re.compile(r'quiz\("([^"]+)"')


def words(text: str) -> str:
    return " ".join(html.unescape(text).split())


def require_poppler():
    if not shutil.which("pdftotext"):
        skip_or_fail("pdftotext is missing", "apt-get install poppler-utils (.ci/run installs it).")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    require_browser()
    require_node_modules()
    require_poppler()
    root = tmp_path_factory.mktemp("student")
    export.export_slides(out=root / "site" / "slides")
    export.export_site(out=root / "site")
    handouts.export_handouts(out=root / "handouts")
    return root


def text_of(path) -> str:
    if path.suffix == ".pdf":
        return words(
            subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
        )
    return words(BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").get_text(" "))


def guide_sentences() -> list[str]:
    """Sentences of the guide (60+ characters) that appear nowhere in the notebooks or the data."""
    guide = words(re.sub(r"[`*|]", " ", (REPO / "instructors" / "guide.md").read_text(encoding="utf-8")))
    course = words(
        " ".join(
            c["source"] if isinstance(c["source"], str) else "".join(c["source"])
            for nb in notebook_paths()
            for c in json.loads(nb.read_text())["cells"]
        )
        + " ".join(p.read_text(encoding="utf-8") for p in (REPO / "data").glob("*.csv"))
    )
    sentences = [s.strip() for s in re.split(r"(?<=[.?!])\s+", guide)]
    return [s for s in sentences if len(s) >= 60 and s not in course]


def student_files(root):
    return sorted(p for p in root.rglob("*") if p.suffix in (".html", ".pdf", ".svg") and "vendor" not in p.parts)


def test_no_student_output_holds_the_guide(built):
    fingerprints = guide_sentences()
    assert len(fingerprints) >= 40
    found = {}
    for path in student_files(built):
        assert "guide" not in path.name, f"{path.relative_to(built)} is built for students"
        text = text_of(path)
        hits = [s for s in fingerprints if s in text]
        if hits:
            found[str(path.relative_to(built))] = hits[:3]
    assert found == {}


def test_slides_and_handouts_hold_no_model_answer_or_feedback(built):
    items = quiz_items().values()
    class_material = list((built / "site" / "slides").glob("*.slides.html")) + list((built / "handouts").glob("*"))
    assert len(class_material) >= 5 + 16
    for path in class_material:
        if path.suffix not in (".html", ".pdf"):
            continue
        text = text_of(path)
        for item in items:
            assert words(item.explanation)[:80] not in text, f"{path.name} holds the answer to {item.quiz_id}"
            for feedback in item.feedback:
                assert words(feedback)[:80] not in text, f"{path.name} holds feedback of {item.quiz_id}"


def test_a_handout_per_notebook_short_without_code_with_figures_and_questions(built):
    notebooks = notebook_paths()
    for notebook in notebooks:
        pdf = built / "handouts" / f"{notebook.stem}.pdf"
        assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF"), pdf
        pages = int(
            re.search(
                r"Pages:\s+(\d+)",
                subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout,
            ).group(1)
        )
        assert 1 <= pages <= MAX_HANDOUT_PAGES, f"{pdf.name}: {pages} pages"
        text = text_of(pdf)
        assert not CODE_MARKERS.findall(text), f"{pdf.name} shows code: {CODE_MARKERS.findall(text)[:3]}"
        executed = nbformat.read(REPO / "build" / "export-executed" / notebook.name, as_version=4)
        core = [c for c, path in zip(executed.cells, core_path.paths(executed), strict=True) if path == "core"]
        asked = {q for c in core if c.cell_type == "code" for q in QUIZ_CALL.findall(c.source)}
        items = quiz_items()
        assert all(words(items[q].question)[:50] in text for q in asked), f"{pdf.name} lacks a core question"
        for heading in core_path.deeper_headings(executed):  # named, not printed
            assert words(heading)[:40] in text, f"{pdf.name} does not name the deeper part {heading!r}"
        page = (built / "handouts" / f"{notebook.stem}.handout.html").read_text(encoding="utf-8")
        core_svgs = sum(json.dumps(c.get("outputs", [])).count("<svg") for c in core)
        assert page.count("<svg") == core_svgs, pdf.name
        assert "jp-InputArea" not in page and "<pre" not in page
        first = subprocess.run(
            ["pdftoppm", "-r", "30", "-f", "1", "-l", "1", "-png", str(pdf)], capture_output=True, check=True
        )
        assert first.stdout.startswith(b"\x89PNG"), f"{pdf.name}: page 1 does not render"


@pytest.mark.parametrize("notebook", ["00_start_here", "05_baricitinib_cases"])
def test_glossary_and_references_are_printed_small_in_one_block_and_complete(notebook):
    """Review #12: a handout for 200 students should not spend half its pages on what is looked up."""
    executed = export.executed_notebooks([notebook])[0]
    page = BeautifulSoup(handouts.handout_html(executed), "html.parser")
    blocks = page.find_all("div", class_="dmjak-compact")
    assert len(blocks) == (2 if notebook == "00_start_here" else 1), [b.get_text()[:60] for b in blocks]
    compact = " ".join(" ".join(b.get_text(" ").split()) for b in blocks)
    nb = nbformat.read(executed, as_version=4)
    for key in references.keys_in_notebook(REPO / "notebooks" / f"{notebook}.ipynb"):
        assert f"[{key}]" in compact, f"{key} is missing from the printed reference list"
    if notebook == "00_start_here":
        terms = [c for c in nb.cells if c.get("id", "").startswith("term-")]
        assert len(terms) > 50 and all(c.id in str(blocks[0]) for c in terms), "a glossary entry is not in the block"
