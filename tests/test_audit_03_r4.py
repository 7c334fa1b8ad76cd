"""Specialist audit of notebook 03, round 4 (reviews/audit-03-r4.md): each test fails on the content before it."""

from __future__ import annotations

import json
import re
from pathlib import Path

from dmjak.charts import pharmacology, shared
from dmjak.data import load_table
from dmjak.models import pk
from dmjak.references import plain_citations
from dmjak.tooling.structure import plain_terms, without_links

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = REPO / "notebooks" / "03_baricitinib_pharmacology.ipynb"


def _cells() -> list[dict]:
    return json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]


def _flat(kind: str = "markdown") -> str:
    """The cells' text as a student reads it: citation numbers as their [Key, pinpoint], terms as words."""
    text = "\n".join("".join(c["source"]) for c in _cells() if c["cell_type"] == kind)
    return " ".join(without_links(plain_terms(plain_citations(text))).split())


def _quiz(quiz_id: str):
    return load_table("quiz_items").set_index("quiz_id").loc[quiz_id]


def test_the_volunteers_half_life_is_called_a_midpoint_of_25_men_given_the_drug():
    # F4: 6.5 h is the course's midpoint of 5.7-7.3 h, not a reported value. F5: 25 men got baricitinib (33 randomised).
    flat, code = _flat(), _flat("code")
    assert "6.5 hours is the sourced" not in flat and "6.5 is the sourced" not in code
    assert "the midpoint of the 5.7 to 7.3 hours" in flat and "midpoint of the volunteer range 5.7-7.3 h" in code
    assert "33 healthy Chinese men" not in flat and "25 healthy Chinese men" in flat
    assert "[ChinaPKAbstract2026, Results]" in flat


def test_protein_binding_is_said_of_the_drug_not_of_its_volume():
    # F6: "its volume of distribution is about 76 L and about half of it is bound" bound the volume.
    flat = _flat()
    assert "about half of it is bound" not in flat and "half of the drug in plasma is bound" in flat


def test_the_enzyme_versus_cell_point_is_cited_to_a_source_that_makes_it_and_the_models_are_rodent():
    # F8: Chimalakonda's Key Summary Points do not say it; Fridman's abstract gives cellular potency (< 50 nM).
    # F9: the arthritis models were in rats and mice.
    flat = _flat()
    assert "Chimalakonda2021" not in flat
    assert re.search(r"below 50 nM, a different and looser measure ?\[Fridman2010, Abstract\]", flat)
    assert "in arthritis models partial" not in flat and "rodent (rat and mouse) arthritis models" in flat


def test_the_class_warnings_are_cited_and_the_zoster_and_pk_captions_say_what_they_show():
    # F14: the sentence on the class warnings had no citation. F22: captions.
    flat = _flat()
    sentence = re.search(r"The mortality, cancer and cardiovascular warnings[^.]*\.", flat).group(0)
    assert "[DrugsComBaricitinib2024, Warning]" in sentence
    assert "extended to the class" not in flat
    title = shared.rates_chart(load_table("safety_rates")).title.text
    assert title.startswith("Herpes zoster with baricitinib and placebo")
    profile = pk.steady_state_profile(4, pk.sourced_parameters())
    chart = pharmacology.pk_chart(profile, {"JAK1": 5.9, "JAK2": 5.7}, "t", "s").to_dict()
    assert "assumed clearance" in json.dumps(chart)


def test_the_eu_kidney_rule_is_a_fixed_2_mg_and_the_oat3_rule_a_halving():
    # F15: the EU label sets 2 mg at CrCl 30-60 (not "halves"); with OAT3 inhibitors it halves whatever the dose.
    flat = _flat()
    assert "halves the dose at a creatinine clearance" not in flat
    assert "sets 2 mg once daily at a creatinine clearance of 30-60 mL/min and halves the dose with strong OAT3" in flat
    probenecid = load_table("exposure_modifiers").set_index("modifier").loc["strong OAT3 inhibitor (probenecid)"]
    assert probenecid["eu_dose_advice"] != "halve the dose (2 mg once daily)"
    assert probenecid["eu_dose_advice"].startswith("halve the dose (from the usual 4 mg")
    assert "halve the dose to 2 mg" not in _quiz("pk-kidney")["question"]


def test_the_quiz_distractors_are_not_ruled_out_by_the_stem_or_by_their_wording():
    # F17: "keeps JAK signalling at its lowest level through the day" was refuted by the stem itself.
    fractional = _quiz("pk-fractional")["options"]
    assert "lowest level through the day" not in fractional and "partly" not in fractional
    # F18: "no other risk factors" named age as the risk factor; the options are now parallel.
    options = _quiz("pk-eu-dose-groups")["options"].split(" | ")
    assert all(re.match(r"A \d\d-year-old non-smoker ", option) for option in options)
    assert not any("other" in option for option in options)
    # F19: a licence category that does not exist; the stem's FREE (unbound) echoed by the key.
    assert "licence for inflammatory skin disease" not in _quiz("pk-off-label")["options"]
    free = _quiz("pk-free-drug")
    assert "unbound" not in free["question"] and "Only unbound drug" not in free["options"]


def test_terms_are_defined_where_the_notebook_first_uses_them():
    # F21: Hill slope had no definition; PK, ka/ke, IL-6, Cmax, CrCl, VTE/MACE before the table, hazard ratio.
    glossary = load_table("glossary").set_index("term")
    assert "Hill slope" in glossary.index and glossary.loc["Hill slope", "source"] == "GraphPadHillSlope2026"
    cells = _cells()
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    for anchor in ("term-hill-slope", "term-pharmacokinetics", "term-ic50", "term-hazard-ratio", "term-stat"):
        assert f"#cell-id={anchor}" in text, anchor
    flat = _flat()
    assert "ka and ke are the absorption and elimination rate constants" in flat
    assert "IL-6 (interleukin-6, a cytokine)" in flat
    assert "CrCl is creatinine clearance, Cmax the peak concentration" in flat
    table_cell = next(i for i, c in enumerate(cells) if 'load_table("exposure_modifiers")' in "".join(c["source"]))
    before = "\n".join("".join(c["source"]) for c in cells[:table_cell])
    assert "#cell-id=term-vte" in before and "#cell-id=term-mace" in before
