"""Data text rendered as Markdown stays text: references and the glossary (review 2026-12, 4.1-4.3, 4.13).

nbconvert (exported pages, Voilà) renders Markdown with raw HTML on; JupyterLab trusts the outputs of
cells a student ran. So the Markdown the course builds from its tables must hold no live HTML and no
``javascript:`` link whatever the tables contain. Rendered here with nbconvert's own renderer.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pandas as pd
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from dmjak.glossary import glossary_markdown
from dmjak.markup import markdown_text, safe_url
from dmjak.references import format_entry

PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(2)>[link](javascript:alert(3)) *a* | b"


class Live(HTMLParser):
    """Collects what would run: script elements, event-handler attributes, script links."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "img", "iframe", "object", "embed"):
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on") or (value or "").replace(" ", "").lower().startswith("javascript:"):
                self.found.append(f"{tag} {name}={value}")


def live(markdown: str) -> list[str]:
    parser = Live()
    parser.feed(markdown2html_mistune(markdown))
    return parser.found


def test_a_reference_with_hostile_fields_renders_as_its_text():
    row = pd.Series(
        {
            "key": "Evil2020",
            "authors": PAYLOAD,
            "title": PAYLOAD,
            "container": PAYLOAD,
            "year": 2020,
            "doi": pd.NA,
            "url": "javascript:alert(4)",
            "note": PAYLOAD,
        }
    )
    entry = format_entry(row)
    assert live(entry) == [], entry
    assert "alert(1)" in markdown2html_mistune(entry)  # shown, as text


def test_a_glossary_row_with_hostile_text_renders_as_its_text():
    table = pd.DataFrame(
        [
            {
                "term": PAYLOAD,
                "aliases": "x|" + PAYLOAD,
                "definition": PAYLOAD,
                "source": "Evil2020",
                "source_detail": PAYLOAD,
            }
        ]
    )
    markdown = glossary_markdown(table)
    assert live(markdown) == [], markdown
    assert markdown.count("\n") == 0, "one paragraph: no text may break out of the term's entry"


def test_escaped_text_renders_back_to_itself():
    text = "IC50 > 400 nM & 'quotes' [Key] *stars* under_score"
    assert markdown2html_mistune(markdown_text(text)).strip() == (
        "<p>IC50 &gt; 400 nM &amp; 'quotes' [Key] *stars* under_score</p>"
    )


def test_only_web_and_course_links_become_links():
    assert safe_url("https://doi.org/10.1/x y") == "https://doi.org/10.1/x%20y"
    assert safe_url("../instructors/guide.md") == "../instructors/guide.md"
    for bad in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,<script>", "//evil.example/x"):
        assert safe_url(bad) is None, bad
