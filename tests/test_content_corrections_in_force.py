"""Issue 20, round 3 (second pass): sources in force, not staging hosts, scrapers or file-sharing copies.

Each test fails on the content before this pass (commit 0c1c409).
"""

from __future__ import annotations

import json

from conftest import REPO

from dmjak.data import load_table

# Hosts that copy other publishers' pages (scrapers, proxies, file-sharing and staging copies) and that the
# course replaced; a reference may not point to any of them.
REPLACED_HOSTS = (
    "mimsdev.com",
    "laoslucius.com",
    "docketalarm.com",
    "prescriberpoint.com",
    "ris.world",
    "rxreasoner.com",
    "basespace.illumina.com",
    "lausr.org",
    "peeref.com",
    "x-mol.com",
    "zendy.io",
    "scilit.net",
    "ccjm.org/highwire",
)


def _markdown(name: str) -> str:
    cells = json.loads((REPO / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]
    return " ".join(" ".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown").split())


def _refs():
    return load_table("references").set_index("key")


def test_no_reference_points_to_a_replaced_copy_host():
    urls = _refs()["url"].fillna("")
    for host in REPLACED_HOSTS:
        assert not urls.str.contains(host, regex=False).any(), host


def test_staging_host_facts_cite_sources_in_force():
    checks = load_table("jak_safety_checklist").set_index("step")
    assert checks.loc[3, "source"] == "OlumiantHCPUS2026" and "hepatologist" in checks.loc[3, "action"]
    assert checks.loc[8, "source"] == "LillyVaccines2026"
    vte = checks.loc[11]
    assert vte["source"] == "MHRABaricitinibVTE2026"
    # the contraception/HRT and inherited-disorder wording was read only on copies the course does not cite
    assert "HRT" not in vte["action"] and "inherited" not in vte["action"]
    refs = _refs()
    assert refs.loc["MHRABaricitinibVTE2026", "url"].startswith("https://www.gov.uk/drug-safety-update/")
    nb07 = _markdown("07_using_jak_inhibitors_safely")
    assert "[OlumiantHCPUS2026, Viral Reactivation]" in nb07
    assert "[LillyVaccines2026, Use of Live Vaccinations with Baricitinib]" in nb07
    assert "[MHRABaricitinibVTE2026, Advice for healthcare professionals]" in nb07
    assert "Thai label reproduction" not in nb07
    nb05 = _markdown("05_baricitinib_cases")
    assert "[OlumiantDailyMed2021, Highlights: Adverse Reactions]" in nb05 and "Thai label" not in nb05


def test_us_boxed_warning_and_combinations_cite_the_official_label_record():
    refs = _refs()
    assert refs.loc["OlumiantDailyMed2021", "url"].startswith("https://dailymed.nlm.nih.gov/")
    assert "12/2021" in refs.loc["OlumiantDailyMed2021", "container"]  # the version read is named
    glossary = load_table("glossary").set_index("term")
    assert glossary.loc["boxed warning", "source"] == "OlumiantDailyMed2021"
    assert glossary.loc["MACE", "source"] == "Ytterberg2022"
    nb07 = _markdown("07_using_jak_inhibitors_safely")
    assert "[OlumiantDailyMed2021, 1.1 Limitation of Use]" in nb07


def test_eu_dose_groups_carry_no_figure_the_course_could_not_read():
    for name in ("03_baricitinib_pharmacology", "07_using_jak_inhibitors_safely"):
        text = _markdown(name)
        assert "2 mg for people aged 65" not in text and "4 mg may be considered" not in text, name
        assert "[CRPVReimsPRAC2023" in text and "[MHRAJAK2023, Advice for healthcare professionals]" in text, name
    quiz = load_table("quiz_items").set_index("quiz_id").loc["pk-eu-dose-groups"]
    assert "2 mg rather than 4 mg" not in quiz["question"] and quiz["source"] == "MHRAJAK2023"
    probenecid = load_table("exposure_modifiers").set_index("modifier").loc["strong OAT3 inhibitor (probenecid)"]
    assert "assumption" in probenecid["note"] and probenecid["source"] == "LillyUKRADosing2026"


def test_pharmacodynamics_and_potency_cite_the_manufacturers_label_quotes():
    refs = _refs()
    assert "OlumiantSmPC2017" not in refs.index  # RxReasoner's copy, under a 2017 key
    potency = load_table("jak_inhibitor_potency")
    assert set(potency.query("drug == 'baricitinib'")["source"]) == {"LillyMOASE2026"}
    nb03 = _markdown("03_baricitinib_pharmacology")
    assert "[LillyMOAMX2026, Mechanism of Action of Baricitinib]" in nb03 and "near baseline" not in nb03
    quiz = load_table("quiz_items").set_index("quiz_id").loc["pk-fractional"]
    assert quiz["source"] == "LillyMOAMX2026" and "healthy volunteers" not in quiz["question"]


def test_publication_bias_harms_point_cites_timmer_and_timmer_links_pubmed():
    refs = _refs()
    assert refs.loc["Timmer2011", "url"] == "https://pubmed.ncbi.nlm.nih.gov/21530909/"
    nb07 = _markdown("07_using_jak_inhibitors_safely")
    assert "not a finding of the source cited above" not in nb07
    assert "publication bias often push in opposite directions" in nb07 and "[Timmer2011, Abstract]" in nb07
