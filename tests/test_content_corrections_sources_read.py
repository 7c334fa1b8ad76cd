"""Issue 20, round 3: cite what was read, in the version in force (EU dose and PK, glossary sources,
author lists, a staging host, a test-fixture leaflet).

Each test fails on the content before this round (commit 74ffc98).
"""

from __future__ import annotations

import json

from conftest import REPO

from dmjak.course import notebook_paths
from dmjak.data import load_table

NOTEBOOKS = notebook_paths()
GUIDE = REPO / "instructors" / "guide.md"


def _markdown(name: str) -> str:
    cells = json.loads((REPO / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]
    return " ".join(" ".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown").split())


def _refs():
    return load_table("references").set_index("key")


def test_eu_dose_groups_are_not_attributed_to_an_smpc_section_nobody_read():
    refs = _refs()
    assert "BaricitinibDosageEU2026" not in refs.index  # round 3: a scraper site, replaced by the regulators' pages
    assert "could not be read" in refs.loc["OlumiantSmPC2023", "note"]
    assert "reproduces the EU SmPC" not in refs.loc["LillyPK2024", "container"]
    for path in NOTEBOOKS:
        assert "SmPC section 4.2 as reproduced" not in path.read_text(encoding="utf-8"), path.name
    checklist = load_table("jak_safety_checklist")
    assert not checklist["source_detail"].str.contains("SmPC section 4.2 as reproduced").any()
    assert not checklist["action"].str.contains("the SmPC recommends").any()
    for name in ("03_baricitinib_pharmacology", "07_using_jak_inhibitors_safely"):
        text = _markdown(name)
        assert "could not read" in text and "4.2" in text and "SmPC recommends" not in text, name


def test_glossary_terms_cite_definitions_not_a_study_or_a_news_site():
    glossary = load_table("glossary").set_index("term")
    refs = _refs()
    expected = {
        "qPCR": "NCIRTPCR2019",
        "fold change": "NCIFoldRatio2026",
        "heliotrope rash": "Lundberg2017",
        "DLQI": "CardiffREFDLQI2014",
    }
    for term, key in expected.items():
        assert glossary.loc[term, "source"] == key, term
        assert key in refs.index, key
    assert "number and domain" in glossary.loc["DLQI", "definition"]
    # The DLQI entry describes the questionnaire without quoting any item.
    assert "itchy" not in glossary.loc["DLQI", "definition"].lower()
    assert "Rheumatology TT" in refs.loc["Lundberg2017", "note"]


def test_author_fields_say_what_the_records_read_showed():
    refs = _refs()
    assert "TofacitinibMDAILD2018" not in refs.index  # fact-check r4 #9: the same paper as Kurasawa2018
    for key in ("Kurasawa2018", "DermTherJAKReview2021"):
        row = refs.loc[key]
        assert row["authors"].startswith("Authors not shown in the record"), key
        assert "checked in" in row["note"], key
    assert refs.loc["Kurasawa2018", "url"] == "https://doi.org/10.1093/rheumatology/key188"
    assert "peeref" not in refs.loc["Kurasawa2018", "url"]


def test_diverticulitis_and_tb_screening_are_not_cited_to_a_staging_copy():
    refs = _refs()
    assert refs.loc["MHRADiverticulitis2020", "url"].startswith("https://www.gov.uk/drug-safety-update/")
    checklist = load_table("jak_safety_checklist").set_index("step")
    assert checklist.loc[23, "source"] == "MHRADiverticulitis2020"
    assert checklist.loc[2, "source"] == "DrugsComOlumiantDosage2023"  # TB screening: the US label as reproduced
    text = _markdown("07_using_jak_inhibitors_safely")
    assert text.count("[MHRADiverticulitis2020, Advice for healthcare professionals]") == 2
    assert "The Thai label reproduction names corticosteroids" not in text
    # Round 3: the staging host is gone; its four remaining facts cite sources in force.
    assert "MIMSOlumiantThailand2026" not in refs.index
    assert not refs["url"].fillna("").str.contains("mimsdev").any()


def test_tofacitinib_contraception_interval_cites_a_label_not_a_test_fixture():
    refs = _refs()
    assert "XeljanzPILEU2026" not in refs.index
    swiss = refs.loc["XeljanzFISwiss2026"]
    assert "ch.oddb.org" in swiss["url"] and "62630" in swiss["url"] and "4 weeks" in swiss["note"]
    for path in [*NOTEBOOKS, GUIDE, REPO / "data" / "quiz_items.csv", REPO / "data" / "jak_safety_checklist.csv"]:
        assert "XeljanzPILEU2026" not in path.read_text(encoding="utf-8"), path.name
    assert "[XeljanzFISwiss2026" in _markdown("07_using_jak_inhibitors_safely")
    assert "test repository" not in _markdown("07_using_jak_inhibitors_safely")
