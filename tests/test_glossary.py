"""The glossary: validated, complete for the terms the course must explain, and shown from its data."""

from __future__ import annotations

import re

import pytest

from dmjak.glossary import glossary, glossary_markdown, spellings, term_pattern

REQUIRED = [
    "IC50", "MCID", "OCEBM", "OAT3", "IVIG", "panniculitis", "hazard ratio", "non-inferiority", "patient-years",
    "EULAR/ACR", "qPCR", "fold change", "AUC", "open-label", "topline",
    # added after the clinical fact-check (issue 11 follow-up): used in notebooks 01, 04, 05 and 07
    "ILD", "HRCT", "VTE", "CHMP", "EMA", "DMARD", "MACE", "MMT-8", "CK", "Skindex-29", "TIS", "odds ratio",
    "calcinosis", "eGFR",
]  # fmt: skip


def test_glossary_covers_the_terms_students_asked_about():
    assert set(REQUIRED) <= set(glossary()["term"])


def test_every_definition_has_a_resolvable_source():
    table = glossary()  # load_table validates the foreign key into references.csv
    assert table["source"].notna().all() and (table["definition"].str.len() >= 20).all()
    markdown = glossary_markdown(table)
    for row in table.itertuples():
        assert f"[{row.source}" in markdown, f"{row.term}: its source is not cited in the glossary"
    # notebook 00's reference list resolves every key the glossary cites (hygiene test on unresolved keys)


def test_spellings_are_unique_across_terms():
    seen = {}
    for row in glossary().itertuples():
        for spelling in spellings(row):
            assert spelling.lower() not in seen, f"'{spelling}' names both {seen.get(spelling.lower())} and {row.term}"
            seen[spelling.lower()] = row.term


@pytest.mark.parametrize(
    ("spelling", "text", "hit"),
    [
        ("JAK", "blocks JAK1 and JAK2", False),
        ("JAK", "the JAK–STAT pathway", True),
        ("type I interferon", "Type I interferon signals", True),
        ("type I interferon", "type I interferon-stimulated genes", False),
        ("placebo", "placebo-controlled", False),
        ("IC50", "an ic50", False),
    ],
)
def test_terms_match_whole_words_only(spelling, text, hit):
    assert bool(term_pattern(spelling).search(text)) is hit


def test_a_long_term_gets_a_short_distinct_anchor_that_is_a_valid_cell_id():
    """The hostile-text run planted text in the term column: its anchor, a cell id, broke nbformat's 64."""
    from dmjak.glossary import ANCHOR_MAX, term_anchor

    long_a, long_b = "anti-MDA5 " + "word " * 30 + "a", "anti-MDA5 " + "word " * 30 + "b"
    anchors = {term_anchor(long_a), term_anchor(long_b)}
    assert len(anchors) == 2 and all(len(a) <= ANCHOR_MAX and re.fullmatch(r"term-[a-z0-9-]+", a) for a in anchors)
    assert term_anchor("Gottron's papules") == "term-gottron-s-papules"
