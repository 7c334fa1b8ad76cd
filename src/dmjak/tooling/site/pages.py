"""The website's source pages: the executed notebooks made fit for a site, and pages made from the tables.

Each notebook page starts from the copy the harness executed with the notebook's first CI parameter set
(its defaults), in ``build/executed/``; a missing copy is executed once. On the way in: term links to the
start notebook's glossary (Markdown links to its heading, or the term links with the definition in
their title that ``dmjak.tooling.structure`` writes) become ``{term}`` references to the glossary page
(Sphinx checks each one), cells collapsed in the notebook stay collapsed, widget views become a note with
a launch link, a launch bar follows the title, and in the student build the quizzes' model answers are left out.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import nbformat
import pandas as pd

from dmjak import glossary as course_glossary
from dmjak import quiz
from dmjak.course import notebook_metadata, notebook_paths
from dmjak.data import load_table
from dmjak.markup import markdown_text
from dmjak.paths import instructors_dir
from dmjak.references import format_entry
from dmjak.tooling.export import without_widget_views
from dmjak.tooling.harness import default_run
from dmjak.tooling.site import repository

AUDIENCES = ("student", "instructor")
COURSE_TITLE = "Dermatomyositis and JAK inhibition"
# [text](00_start_here.ipynb#Glossary) or [text](#Glossary): a term link in a notebook
TERM_LINK = re.compile(r"\[([^\]]+)\]\((?:00_start_here\.ipynb)?#" + course_glossary.GLOSSARY_ANCHOR + r"\)")
# <a class="dmjak-term" href="00_start_here.ipynb#term-..." title="...">text</a>: a term with its definition
TERM_ANCHOR_LINK = re.compile(
    r'<a class="dmjak-term" href="(?:00_start_here\.ipynb)?#(?:cell-id=)?(term-[a-z0-9-]+)" title="[^"]*">(.*?)</a>'
)


def quiz_note(notebook: str) -> str:
    """What a student page says in place of a model answer: where to check it, from the links it offers."""
    links = repository.launch_links(notebook)
    where = (
        "in the live notebook (the launch links at the top of this page)"
        if "binder" in links or "hub" in links
        else "in the notebook, run where your course runs it"
    )
    return (
        f"<p class='dmjak-quiz-note'><em>Choose an answer, then check it {where}; your lecturer has the model "
        "answers.</em></p>"
    )


LAUNCH_NAMES = {"binder": "Run on Binder", "hub": "Run on the course JupyterHub", "download": "Download the notebook"}
GUIDE_PAGE = "instructor_guide"


class SiteSourceError(ValueError):
    """A notebook cannot become a site page as it is (for example, a term link to no glossary term)."""


def term_for(text: str, table: pd.DataFrame) -> str | None:
    """The glossary term a term link's ``text`` names: the term or alias that is the whole text, else the
    longest one inside it ("type I interferon signature" links the term "interferon signature")."""
    text = text.strip()
    inside = []
    for row in table.itertuples():
        for spelling in course_glossary.spellings(row):
            if course_glossary.term_pattern(spelling).fullmatch(text):
                return row.term
            if course_glossary.term_pattern(spelling).search(text):
                inside.append((len(spelling), row.term))
    return max(inside)[1] if inside else None


def link_terms(markdown: str, table: pd.DataFrame, where: str) -> str:
    """Term links (either form) as ``{term}`` roles; a link whose text is 'glossary' goes to the glossary page."""

    def replace(match: re.Match) -> str:
        text = match.group(1)
        if text.strip().lower() == "glossary":
            return f"[{text}](glossary.md)"
        term = term_for(text, table)
        if term is None:
            raise SiteSourceError(f"{where}: the glossary link [{text}] names no term or alias in data/glossary.csv")
        return f"{{term}}`{text} <{term}>`"

    anchors = {course_glossary.term_anchor(row.term): row.term for row in table.itertuples()}

    def replace_anchor(match: re.Match) -> str:
        anchor, text = match.group(1), html.unescape(match.group(2))
        if anchor not in anchors:
            raise SiteSourceError(f"{where}: the term link to #{anchor} names no term in data/glossary.csv")
        return f"{{term}}`{text} <{anchors[anchor]}>`"

    return TERM_ANCHOR_LINK.sub(replace_anchor, TERM_LINK.sub(replace, markdown))


def launch_bar(notebook: str) -> str:
    """The page's launch links as a labelled navigation block (raw HTML in a Markdown cell)."""
    links = repository.launch_links(notebook)
    items = "".join(
        f'<li><a class="dmjak-launch-{kind}" href="{html.escape(url)}"'
        + (' download=""' if kind == "download" else "")
        + f">{LAUNCH_NAMES[kind]}</a></li>"
        for kind, url in links.items()
    )
    # the notebook imports the course package: on its own (without the repository) it stops at the first cell
    items += (
        "<li class='dmjak-launch-note'>The downloaded notebook needs the course package: open it in a copy of "
        "the course repository (README: make lab).</li>"
    )
    return f'<nav class="dmjak-launch" aria-label="Run this notebook"><ul>{items}</ul></nav>'


def widget_note(notebook: str) -> str:
    links = repository.launch_links(notebook)
    live = links.get("binder") or links.get("hub")
    where = f'<a href="{html.escape(live)}">open it live</a>' if live else "open it in JupyterLab or Voilà"
    return (
        f"<div class='dmjak-widget-note'><p><em>Interactive controls appear here when the notebook runs ({where}, "
        f"or <a href='notebooks/{notebook}' download=''>download it</a>); the chart here shows their default "
        "setting.</em></p></div>"
    )


def _collapse(cell) -> None:
    """Carry the notebook's own collapsing over to myst-nb's tags; drop papermill's injected cell."""
    tags = cell.metadata.setdefault("tags", [])
    jupyter = cell.metadata.get("jupyter", {})
    if "injected-parameters" in tags:
        tags.append("remove-cell")
    if jupyter.get("source_hidden"):
        tags.append("hide-input")
    if jupyter.get("outputs_hidden"):
        tags.append("hide-output")


def site_notebook(executed: Path, source: Path, audience: str, table: pd.DataFrame):
    """The executed notebook ``executed`` (of ``source``) as the site shows it to ``audience``."""
    nb = without_widget_views(nbformat.read(executed, as_version=4), note=widget_note(source.name))
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            cell.source = link_terms(cell.source, table, f"{source.name} cell {index}").replace(
                "[glossary](glossary.md) in notebook 00",
                "[glossary](glossary.md) page",  # the site's own page
            )
        elif cell.cell_type == "code":
            _collapse(cell)
            if audience == "student":
                for output in cell.get("outputs", []):
                    markup = output.get("data", {}).get("text/html")
                    if markup and quiz.MODEL_ANSWER.search(markup):
                        output["data"]["text/html"] = quiz.without_model_answers(markup, quiz_note(source.name))
    nb.cells.insert(1, nbformat.v4.new_markdown_cell(launch_bar(source.name)))
    return nb


def glossary_page(table: pd.DataFrame) -> str:
    """Every term with one anchor each (Sphinx's glossary: ``term-...`` ids), its meaning and its source.

    The table's text is escaped (``markdown_text``): MyST, like every Markdown renderer, passes raw HTML through."""
    entries = []
    for row in table.itertuples():
        detail = f", {markdown_text(row.source_detail)}" if pd.notna(row.source_detail) else ""
        also = [s for s in course_glossary.spellings(row) if s != row.term]
        aka = f" Also written: {markdown_text(', '.join(also))}." if also else ""
        meaning = f"{markdown_text(row.definition)}{aka} [{markdown_text(row.source)}{detail}]"
        entries.append(f"{markdown_text(row.term)}\n  {meaning}\n")
    return (
        "# Glossary\n\nEvery technical term of the course, in the course's own words, with its source "
        "(see [References](references.md)). Each notebook links a term's first use here.\n\n"
        ":::{glossary}\n" + "\n".join(entries) + ":::\n"
    )


def references_page() -> str:
    """Every source the course cites, one target each (``ref-<key>``), in key order."""
    table = load_table("references").sort_values("key", key=lambda s: s.str.lower())
    entries = [f"(ref-{row['key']})=\n{format_entry(row)}\n" for _, row in table.iterrows()]
    return (
        "# References\n\nEvery source the notebooks and the glossary cite as `[Key]`, from "
        "`data/references.csv`.\n\n" + "\n".join(entries)
    )


def index_page(audience: str, slides: list[str]) -> str:
    """The home page: what the course is, the course map, where to start, and the other pages."""
    rows = []
    for path in notebook_paths():
        meta = notebook_metadata(path)
        objectives = "; ".join(meta.get("objectives", []))
        rows.append(f"| [{meta['title']}]({path.name}) | {meta['minutes']} | {objectives} |")
    toctree = "\n".join(p.stem for p in notebook_paths())
    extra = "glossary\nreferences" + (f"\n{GUIDE_PAGE}" if audience == "instructor" else "")
    slide_links = "".join(f'<li><a href="slides/{s}.slides.html">{html.escape(s)}</a></li>' for s in slides)
    who = (
        "This is the **instructor** build: it adds the instructor guide with the answer key. Do not upload it "
        "where students can see it; the student build (`build/site/`) has no guide and no key."
        if audience == "instructor"
        else "Interactive widgets need a running notebook: every notebook page has links to run it on "
        "Binder (or your course's JupyterHub) and to download it."
    )
    return (
        f"# {COURSE_TITLE}\n\n"
        "```{admonition} Educational, not medical advice\nThe course teaches how to read a mechanism and its "
        "evidence. It does not tell anyone how to treat or be treated.\n```\n\n"
        "From the biology of dermatomyositis (DM), through the type I interferon / JAK–STAT rationale and the "
        "pharmacology of baricitinib, to three adults with DM treated with baricitinib, and to judging what three "
        "patients can and cannot show. Start with the first notebook and follow them in order; words you do not "
        f"know are in the [glossary](glossary.md). {who}\n\n"
        "## Course map\n\n| notebook | minutes | objectives |\n|---|---:|---|\n"
        + "\n".join(rows)
        + "\n\n"
        + (f"## Slides\n\n<ul>{slide_links}</ul>\n\n" if slides else "")
        + f"```{{toctree}}\n:caption: Course map\n:hidden:\n\n{toctree}\n```\n\n"
        f"```{{toctree}}\n:caption: Reference\n:hidden:\n\n{extra}\n```\n"
    )


def guide_page() -> str:
    """The instructor guide, its links pointed at the site's pages."""
    text = (instructors_dir() / "guide.md").read_text(encoding="utf-8")
    return re.sub(r"\]\(\.\./notebooks/([\w.-]+\.ipynb)\)", r"](\1)", text)


def write_sources(folder: Path, audience: str, slides: list[str], executed: Path | None = None) -> Path:
    """Write every source page of the ``audience`` build into ``folder`` (emptied first)."""
    if audience not in AUDIENCES:
        raise ValueError(f"audience {audience!r} is not one of {list(AUDIENCES)}")
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "extra" / "notebooks").mkdir(parents=True)
    table = course_glossary.glossary()
    for source in notebook_paths():
        nb = site_notebook(default_run(source, executed), source, audience, table)
        nbformat.write(nb, folder / source.name)
        shutil.copy2(source, folder / "extra" / "notebooks" / source.name)  # the clean notebook to download
    (folder / "index.md").write_text(index_page(audience, slides), encoding="utf-8")
    (folder / "glossary.md").write_text(glossary_page(table), encoding="utf-8")
    (folder / "references.md").write_text(references_page(), encoding="utf-8")
    if audience == "instructor":
        (folder / f"{GUIDE_PAGE}.md").write_text(guide_page(), encoding="utf-8")
    return folder
