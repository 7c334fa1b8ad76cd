"""The course website (make site): built with warnings as errors, every link and anchor resolving, term links
landing on their glossary entry, launch links from the configured repository, collapsed cells collapsed,
and no answer key in the student build. The browser side is in test_site_browser.py."""

from __future__ import annotations

import html
import json
import re

import nbformat
import pytest
from conftest import REPO
from test_export import require_node_modules

from dmjak.course import notebook_paths
from dmjak.paths import LECTURERS_ONLY
from dmjak.tooling.site import build, links, pages, repository

pytestmark = pytest.mark.xdist_group("site")  # one worker builds the sites once for the module
REPO_URL = "https://github.com/example-org/dmjak-course"
HUB = "https://hub.example.edu"


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """The student and the instructor site (with slides), built once for this module."""
    require_node_modules()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(repository.REPO_ENV_VAR, REPO_URL)
        patch.setenv(repository.HUB_ENV_VAR, HUB)
        root = tmp_path_factory.mktemp("sites")
        return {audience: build.build(audience, out=root / audience) for audience in pages.AUDIENCES}


CURLY = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def page_text(path) -> str:
    """What a page says (tags dropped, entities decoded, quotes straight, spaces collapsed), scripts included."""
    text = path.read_text(encoding="utf-8", errors="replace")
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).replace("\\n", " ").translate(CURLY).split())


def _plain(markdown: str) -> str:
    """The longest run of an answer between citations and emphasis, as a page shows it."""
    runs = re.split(r"\[[A-Z][A-Za-z]+\d{4}[a-z]?[^\]]*\]|\*|`", markdown)  # citations, emphasis, code
    return max((" ".join(run.split()) for run in runs), key=len)


def key_answers() -> list[str]:
    """Needles from the answer key: every quiz explanation, and each model answer of the guide's discussion."""
    quiz = [row["explanation"] for row in __import__("csv").DictReader(open(REPO / "data" / "quiz_items.csv"))]
    quiz += [row["explanation"] for row in __import__("csv").DictReader(open(REPO / "data" / "murad_appraisal.csv"))]
    guide = (REPO / "instructors" / "guide.md").read_text(encoding="utf-8")
    discussion = guide.split("## Discussion questions with model answers")[1].split("\n## ")[0]
    answers = re.findall(r"\?\*\s+([^*]+)", discussion)  # the text after each *question?*
    needles = [_plain(a)[:60] for a in quiz + answers]
    return [n for n in needles if len(n) >= 40]


def test_both_builds_pass_with_warnings_as_errors_and_title_every_notebook_page(sites):
    for site in sites.values():
        for notebook in notebook_paths():
            page = (site / f"{notebook.stem}.html").read_text(encoding="utf-8")
            title = re.search(r"<title>(.*?) &#8212;", page).group(1)
            assert html.unescape(title) == pages.notebook_metadata(notebook)["title"]
        assert (site / "search.html").is_file() and (site / "searchindex.js").is_file()


def test_a_broken_link_stops_the_build(tmp_path):
    """Warnings are errors: a link to no page fails the Sphinx run (so the build above proves something)."""
    source = tmp_path / "src"
    source.mkdir()
    (source / "index.md").write_text("# Home\n\n[gone](no_such_page.md)\n")
    conf = tmp_path / "conf"
    conf.mkdir()
    (conf / "conf.py").write_text("extensions = ['myst_parser']\n")
    with pytest.raises(RuntimeError, match="Sphinx failed"):
        build.sphinx(source, tmp_path / "out", {}, conf_dir=conf)


def test_every_link_and_anchor_resolves_in_site_and_slides(sites):
    for audience, site in sites.items():
        assert (site / "slides").is_dir() and list((site / "slides").glob("*.slides.html"))
        assert links.broken_links(site) == [], audience
        assert links.link_count(site) > 1000


def test_the_link_checker_finds_a_dead_link_and_a_dead_anchor(tmp_path):
    (tmp_path / "a.html").write_text(
        '<p id="here"><a href="b.html#nowhere">x</a><a href="c.ipynb">y</a>'
        '<a href="#here">ok</a><a href="https://example.org/x">remote</a></p>'
    )
    (tmp_path / "b.html").write_text('<h1 id="top">b</h1>')
    assert links.broken_links(tmp_path) == [
        "a.html: b.html#nowhere (no anchor #nowhere)",
        "a.html: c.ipynb (no such file)",
    ]


def test_every_term_link_lands_on_its_own_glossary_entry(sites):
    site = sites["student"]
    glossary_ids = set(re.findall(r'id="(term-[^"]+)"', (site / "glossary.html").read_text(encoding="utf-8")))
    terms = pages.course_glossary.glossary()
    assert len(glossary_ids) >= len(terms)  # one anchor per term (and per alias)
    linked = 0
    for notebook in notebook_paths():
        page = (site / f"{notebook.stem}.html").read_text(encoding="utf-8")
        assert "00_start_here.html#glossary" not in page.lower()
        source = "\n".join(c.source for c in nbformat.read(notebook, as_version=4).cells if c.cell_type == "markdown")
        expected = [m for m in pages.TERM_LINK.findall(source) if m.strip().lower() != "glossary"]
        expected += pages.TERM_ANCHOR_LINK.findall(source)
        found = re.findall(r'href="glossary\.html#(term-[^"]+)"', page)
        assert len(found) == len(expected), notebook.name
        assert set(found) <= glossary_ids
        linked += len(found)
    assert linked >= 100


def test_a_term_link_to_no_term_is_refused():
    with pytest.raises(pages.SiteSourceError, match="names no term"):
        pages.link_terms("a [flux capacitor](00_start_here.ipynb#Glossary)", pages.course_glossary.glossary(), "x")
    assert pages.link_terms("[kinases](#Glossary)", pages.course_glossary.glossary(), "x") == "{term}`kinases <kinase>`"
    linked = '<a class="dmjak-term" href="00_start_here.ipynb#term-kinase" title="kinase: An enzyme">kinases</a>'
    assert pages.link_terms(linked, pages.course_glossary.glossary(), "x") == "{term}`kinases <kinase>`"
    with pytest.raises(pages.SiteSourceError, match="names no term"):
        pages.link_terms(linked.replace("term-kinase", "term-flux"), pages.course_glossary.glossary(), "x")


def test_the_glossary_page_shows_hostile_text_as_text():
    """Review 2, F1: the website's glossary page wrote the table's text into its Markdown raw, so a script or an
    event handler in a definition ran on the page (MyST passes raw HTML through, as CommonMark does)."""
    from bs4 import BeautifulSoup
    from hostile import PAYLOAD, TAG
    from markdown_it import MarkdownIt

    table = pages.course_glossary.glossary().head(3).copy()
    for column in ("term", "aliases", "definition", "source_detail"):
        table[column] = table[column].fillna(TAG) + PAYLOAD
    page = BeautifulSoup(MarkdownIt("commonmark").render(pages.glossary_page(table)), "html.parser")
    planted = page.select(f".{TAG}, script, img, [onerror]") + [
        a for a in page.select("a[href]") if a["href"].replace(" ", "").lower().startswith("javascript:")
    ]
    assert not planted, planted[:3]
    assert page.get_text().count(f"alert('{TAG}-script')") == 3 * 4  # each field's payload shown as text


def test_the_student_build_has_no_answer_key_and_the_instructor_build_has_it(sites):
    needles = key_answers()
    assert len(needles) >= 45  # every quiz explanation and the guide's discussion answers
    student = {
        p: page_text(p) for p in sites["student"].rglob("*") if p.suffix in (".html", ".js", ".ipynb") and p.is_file()
    }
    leaks = [(p.name, n) for p, text in student.items() for n in needles if n in text]
    assert leaks == []
    assert not list(sites["student"].rglob("instructor_guide*"))
    assert (sites["instructor"] / LECTURERS_ONLY).is_file() and not (sites["student"] / LECTURERS_ONLY).exists()
    instructor = " ".join(page_text(p) for p in sites["instructor"].glob("*.html"))
    assert all(n in instructor for n in needles)


def test_launch_links_come_from_the_configured_repository(sites):
    site = sites["student"]
    for notebook in notebook_paths():
        page = (site / f"{notebook.stem}.html").read_text(encoding="utf-8")
        binder = f"https://mybinder.org/v2/gh/example-org/dmjak-course/main?urlpath=lab/tree/notebooks/{notebook.name}"
        assert binder in page
        assert html.escape(f"{HUB}/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Fexample-org") in page
        assert f'href="notebooks/{notebook.name}"' in page
        downloaded = json.loads((site / "notebooks" / notebook.name).read_text())
        assert all(not c.get("outputs") for c in downloaded["cells"] if c["cell_type"] == "code")
    everything = " ".join(p.read_text(errors="replace") for p in site.glob("*.html"))
    assert "OWNER/REPO" not in everything and "OWNER/REPO" not in (REPO / "README.md").read_text()


@pytest.mark.parametrize(
    ("url", "public"),
    [
        ("https://github.com/a/b.git", "https://github.com/a/b"),
        ("git@github.com:a/b.git", "https://github.com/a/b"),
        ("https://gitlab.com/group/sub/repo", "https://gitlab.com/group/sub/repo"),
        ("/work/repos/course", None),
        ("file:///srv/course.git", None),
        ("https://user:token@github.com/a/b", None),
        ("http://github.com/a/b", None),
        ("https://github.com/onlyowner", None),
        (None, None),
    ],
)
def test_only_public_https_git_urls_make_launch_links(url, public):
    assert repository.public_url(url) == public


def test_binder_links_for_github_gitlab_and_other_hosts():
    assert repository.binder_url("https://gitlab.com/g/r", "05_baricitinib_cases.ipynb", interface="voila") == (
        "https://mybinder.org/v2/gl/g%2Fr/main?urlpath=voila/render/notebooks/05_baricitinib_cases.ipynb"
    )
    assert repository.binder_url("https://codeberg.org/a/b", "00_start_here.ipynb").startswith(
        "https://mybinder.org/v2/git/https%3A%2F%2Fcodeberg.org%2Fa%2Fb.git/main?"
    )


def test_a_bad_configured_repository_is_refused(monkeypatch):
    monkeypatch.setenv(repository.REPO_ENV_VAR, "https://user:pw@github.com/a/b")
    with pytest.raises(ValueError, match="not a public https git URL"):
        repository.repository_url()


def test_the_readme_launch_block_is_the_generated_one():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert repository.rewrite_readme(readme, repository.repository_url()) == readme, "run `make launch-links`"
    with_repo = repository.rewrite_readme(readme, REPO_URL)
    assert (
        "https://mybinder.org/v2/gh/example-org/dmjak-course/main?urlpath=lab/tree/notebooks/00_start_here.ipynb"
        in (with_repo)
    )


def test_cells_collapsed_in_the_notebook_stay_collapsed(sites):
    for notebook in notebook_paths():
        hidden = [
            c
            for c in nbformat.read(notebook, as_version=4).cells
            if c.get("metadata", {}).get("jupyter", {}).get("source_hidden")
        ]
        page = (sites["student"] / f"{notebook.stem}.html").read_text(encoding="utf-8")
        assert page.count('<details class="admonition hide above-input"') == len(hidden), notebook.name
        assert "<details open" not in page


def test_widgets_become_a_note_with_a_launch_link_and_no_widget_script(sites):
    page = (sites["student"] / "05_baricitinib_cases.html").read_text(encoding="utf-8")
    assert "dmjak-widget-note" in page and "open it live" in page
    assert "application/vnd.jupyter.widget-view+json" not in page and "require.js" not in page
    charts = page.count('class="dmjak-chart"')
    assert charts >= 10 and page.count('class="dmjak-spec"') == charts
    assert "_static/vega-embed.min.js" in page
    assert "vega-embed" not in (sites["student"] / "glossary.html").read_text(encoding="utf-8")


def test_every_code_cell_is_named_as_code_for_screen_readers(sites):
    for notebook in notebook_paths():
        page = (sites["student"] / f"{notebook.stem}.html").read_text(encoding="utf-8")
        cells = page.count('<div class="cell_input docutils container"')
        assert cells > 0 and page.count(build.NAMED_CODE_CELL) == cells, notebook.name


def test_charts_are_compiled_by_the_build_and_pages_load_no_vega_lite(sites):
    for name in ("05_baricitinib_cases.html", "03_baricitinib_pharmacology.html"):
        page = (sites["student"] / name).read_text(encoding="utf-8")
        assert 'type="application/vnd.vega+json"' in page and "application/vnd.vegalite+json" not in page
        assert "vega-lite.min.js" not in page and "_static/vega.min.js" in page
    assert not (sites["student"] / "_static" / "vega-lite.min.js").exists()
