"""Data-level content corrections of notebooks 00-04 and the glossary (issue 11): each fails if an old error returns."""

from __future__ import annotations

import json
import re

import pytest
from conftest import REPO

from dmjak.course import notebook_paths
from dmjak.data import load_table
from dmjak.references import plain_citations
from dmjak.tooling.structure import plain_terms, without_links


@pytest.fixture(scope="module")
def references():
    return set(load_table("references")["key"])


def test_anti_mda5_lung_risk_is_the_antibody_s_own_not_tied_to_ulcers():
    mda5 = load_table("myositis_autoantibodies").set_index("antibody").loc["anti-MDA5"]
    lung = mda5["lung_disease"]
    assert "risk of the antibody itself" in lung
    assert "rapidly progressive" in lung
    assert not lung.startswith("higher when ulcers")  # the old framing made the lung risk depend on ulcers
    # Issue 20: Mehta 2021's abstract says nothing about ulcers, so "with or without ulcers" is not cited to it.
    assert "ulcers are present" not in lung and "with or without ulcers" not in mda5["typical_phenotype"]
    glossary = load_table("glossary").set_index("term").loc["anti-MDA5", "definition"]
    assert "interstitial lung disease" in glossary and "with ulcers" not in glossary  # the old entry tied them


def test_quiz_on_anti_mda5_teaches_the_lung_risk_and_lung_follow_up_for_patient_3():
    quiz = load_table("quiz_items").set_index("quiz_id").loc["dm-mda5"]
    assert "whether or not ulcers are present" not in quiz["explanation"]  # not in the cited abstract (issue 20)
    assert "interstitial lung disease" in quiz["explanation"] and "follow-up" in quiz["explanation"]
    assert "Patient 3 had no lung disease." not in quiz["explanation"]


def test_eu_indications_include_alopecia_areata_and_juvenile_arthritis_each_sourced(references):
    table = load_table("baricitinib_indications")
    eu = table[table["region"] == "EU"]
    for indication in ("alopecia areata", "juvenile idiopathic arthritis"):
        rows = eu[eu["indication"].str.contains(indication)]
        assert len(rows) == 1, indication
        assert rows["source"].iloc[0] in references and rows["source_detail"].notna().iloc[0]


def test_off_label_quiz_lists_the_eu_alopecia_areata_indication():
    quiz = load_table("quiz_items").set_index("quiz_id").loc["pk-off-label"]
    assert "severe alopecia areata (EU and US)" in quiz["explanation"]
    assert "juvenile idiopathic arthritis (EU)" in quiz["explanation"]


def test_every_jak_pathway_row_says_where_its_stats_come_from(references):
    pathways = load_table("jak_pathways")
    assert set(pathways["stat_basis"]) <= {"stated", "inferred"}
    assert pathways["stat_source"].isin(references).all()
    assert pathways["stat_source_detail"].notna().all()
    # O'Shea 2015 Table 1 lists STAT4 (not STAT3) for IL-12 and IL-23.
    assert pathways.set_index("pathway").loc["IL-12 / IL-23", "stat"] == "STAT4"


def test_fold_selectivities_in_the_profiles_match_the_potency_table():
    potency = load_table("jak_inhibitor_potency").query("drug == 'baricitinib'").set_index("kinase")["ic50_nm"]
    detail = load_table("jak_inhibitor_profiles").set_index("drug").loc["baricitinib", "detail"]
    tyk2_fold, jak3_fold = (int(n) for n in re.findall(r"(\d+)-fold", detail))
    assert tyk2_fold == round(potency["TYK2"] / potency["JAK1"])  # 53 / 5.9 = 9.0
    # JAK3's IC50 is only "> 400", so the fold is a lower bound: > 400 / 5.9 = 67.8; the old "> 70" overstated it.
    assert jak3_fold == int(potency["JAK3"] / potency["JAK1"]) == 67


def test_new_references_resolve_and_carry_an_address(references):
    table = load_table("references").set_index("key")
    for key in (
        "OlumiantUSPI2026",
        "Mehta2021",
        "CHMPAlopecia2022",
        "BestPracticeJIA2023",
        "OlumiantSmPC2023",
        "LeFigaroOlumiant2024",
    ):
        assert key in references
        assert table.loc[key, "url"].startswith("https://")


@pytest.mark.parametrize(
    "table",
    [
        "dm_epidemiology",
        "classification_thresholds",
        "myositis_autoantibodies",
        "jak_inhibitor_potency",
        "jak_inhibitor_profiles",
        "pk_parameters",
        "exposure_modifiers",
        "baricitinib_indications",
        "dlqi_items",
    ],
)
def test_sourced_tables_of_notebooks_00_to_04_say_where_in_the_source(table):
    frame = load_table(table)
    assert "source_detail" in frame.columns
    # A pinpoint is given wherever the source has sections; only whole-page news sources may leave it empty.
    assert frame["source_detail"].notna().mean() >= 0.8


# Glossary fact-check (issue 11 follow-up): each test fails on the glossary as it stood before the check.


@pytest.fixture(scope="module")
def glossary_rows():
    return load_table("glossary").set_index("term")


def test_glossary_cdasi_flags_the_activity_maximum_as_the_course_s_inference(glossary_rows):
    cdasi = glossary_rows.loc["CDASI"]
    assert "activity 0-100)" not in cdasi["definition"]  # the old entry stated the range as Yassaee's fact
    assert "inference" in cdasi["definition"] and "no score range" in cdasi["definition"]


def test_glossary_interferon_signature_and_skin_activity_rest_on_tabata(glossary_rows):
    signature = glossary_rows.loc["interferon signature"]
    assert signature["source"] == "Tabata2023"  # Kim2021 reports blood and muscle, not skin
    assert "skin activity" in signature["definition"] and "tracks skin activity" not in signature["definition"]


def test_glossary_anti_nxp2_reports_what_the_ichimura_cohort_showed(glossary_rows):
    nxp2 = glossary_rows.loc["anti-NXP2"]
    assert "in DM it often comes with" not in nxp2["definition"]
    for figure in ("76", "35.5%", "26.3%", "11.8%"):
        assert figure in nxp2["definition"], figure
    assert "Abstract" in nxp2["source_detail"]


def test_glossary_half_life_no_longer_pinpoints_the_healthy_volunteer_figure(glossary_rows):
    half_life = glossary_rows.loc["half-life"]
    assert half_life["source"] != "ChinaPK2020"
    assert "healthy volunteers" not in str(half_life["source_detail"])
    # issue 20 then audit 03-r4, F1: both readable values side by side, neither called a patient value
    assert "5.7 to 7.3 hours in healthy volunteers" in half_life["definition"]
    assert "about 12 hours in the US label's figure" in half_life["definition"]
    assert "patients" not in half_life["definition"]


@pytest.mark.parametrize("term", ["ISGF3", "ISRE"])
def test_glossary_isgf3_and_isre_cite_michalska_and_explain_irf9(glossary_rows, term):
    row = glossary_rows.loc[term]
    assert (row["source"], row["source_detail"]) == ("Michalska2018", "Abstract")
    assert "IRF9" in row["definition"]
    if term == "ISGF3":
        assert "interferon regulatory factor 9" in row["definition"]


def test_glossary_herpes_zoster_no_longer_generalises_to_all_jak_inhibitors(glossary_rows):
    zoster = glossary_rows.loc["herpes zoster"]
    assert "JAK inhibitors" not in zoster["definition"]
    assert zoster["source"] != "Winthrop2020"  # a baricitinib-only source cannot carry a class statement


def test_glossary_and_notebook_01_call_the_autoantibodies_myositis_specific(glossary_rows):
    definition = glossary_rows.loc["autoantibody", "definition"]
    assert "almost only in DM" not in definition and "specific to myositis" in definition
    notebook = _markdown_of("01_dermatomyositis.ipynb")
    assert "found almost only in DM" not in notebook
    assert "specific to myositis" in notebook and "[Marvi2012, Abstract], and each such antibody" in notebook


def test_glossary_eular_name_and_lundberg_address_are_right(glossary_rows, references):
    assert "European League Against Rheumatism" in glossary_rows.loc["EULAR/ACR", "definition"]
    url = load_table("references").set_index("key").loc["Lundberg2017", "url"]
    assert url.endswith("/content/76/12/1955.abstract")  # the old address led to a different article


def test_every_corrected_or_new_glossary_row_says_where_in_its_source(glossary_rows, references):
    corrected = [
        "CDASI", "interferon signature", "anti-NXP2", "half-life", "ISGF3", "ISRE", "herpes zoster", "autoantibody",
        "hazard ratio", "EULAR/ACR", "sensitivity", "specificity", "eGFR", "Gottron's papules", "polyphasic",
        "panniculitis", "boxed warning", "phase 3", "non-inferiority", "IVIG", "cytokine", "clinically amyopathic",
        "patient-years", "ILD", "HRCT", "VTE", "EMA", "CHMP", "DMARD", "MACE", "MMT-8", "CK", "Skindex-29", "TIS",
        "odds ratio", "calcinosis",
    ]  # fmt: skip
    rows = glossary_rows.loc[corrected]
    assert rows["source"].isin(references).all()
    assert rows["source_detail"].notna().all(), list(rows.index[rows["source_detail"].isna()])


# Second check of the glossary (issue 11 follow-up): each test fails on main as it stood at 4a10b11.

REMOVED_REFERENCES = (
    "LillyRADosing2026",  # mixed the pre-2023 EU 2 mg rule with US-style eGFR limits
    "BritannicaCreatinine2026",
    "TMACalcinosis2026",
    "OrlandoHealthILD2026",
    "EUPATIGlossary2026",  # not verifiable
)


def _markdown_of(notebook: str) -> str:
    """The notebook's text as a student reads it: citation numbers as their [Key, pinpoint], terms as words."""
    cells = json.loads((REPO / "notebooks" / notebook).read_text(encoding="utf-8"))["cells"]
    text = "\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown")
    return without_links(plain_terms(plain_citations(text)))


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.;])\s+", " ".join(text.split())) if s]


def test_kidney_dosing_eu_rule_uses_creatinine_clearance_and_us_rule_uses_egfr_at_1_mg(glossary_rows):
    kidney = [s for s in _sentences(_markdown_of("03_baricitinib_pharmacology.ipynb")) if "30" in s and "mg" in s]
    eu = [s for s in kidney if "LillyRenalUK2024" in s and "creatinine clearance" in s]
    us = [s for s in kidney if "eGFR" in s]
    assert eu and all("creatinine clearance" in s and "2 mg" in s and "eGFR" not in s for s in eu)
    assert us, "notebook 03 states the US kidney rule"
    assert all("US" in s and "1 mg" in s and "LillyUSRADosing2026" in s for s in us)
    assert "creatinine clearance" not in " ".join(us)
    egfr = glossary_rows.loc["eGFR"]
    assert "2 mg" not in egfr["definition"]  # the old row paired eGFR with the EU dose
    assert egfr["source"] == "NIDDKeGFR2026"
    assert glossary_rows.loc["creatinine clearance", "source"] == "NIDDKDrugDosing2026"
    question = load_table("quiz_items").set_index("quiz_id").loc["pk-kidney", "question"]
    assert "creatinine clearance 30-60" in question and "EU label" in question and "2 mg" in question


def test_no_table_or_notebook_cites_a_removed_reference(references):
    assert not set(REMOVED_REFERENCES) & references
    cited = set(load_table("glossary")["source"])
    for notebook in notebook_paths():
        cited |= set(re.findall(r"[A-Z][A-Za-z]+[0-9]{4}[a-z]?", notebook.read_text(encoding="utf-8")))
    assert not set(REMOVED_REFERENCES) & cited


@pytest.mark.parametrize(
    ("term", "source"),
    [
        ("ILD", "NHLBIILD2026"),
        ("calcinosis", "Hoeltzel2014"),
        ("half-life", "IUPACHalfLife2007"),
        ("DMARD", "StatPearlsBaricitinib2024"),
        ("non-inferiority", "OMERACTGlossary2026"),
    ],
)
def test_glossary_definitions_rest_on_the_stronger_sources(glossary_rows, references, term, source):
    assert glossary_rows.loc[term, "source"] == source
    assert source in references
    assert glossary_rows.loc[term, "source_detail"]


def test_mace_definition_names_its_three_events(glossary_rows):
    mace = glossary_rows.loc["MACE", "definition"]
    for event in ("cardiovascular cause", "myocardial infarction", "stroke"):
        assert event in mace, event


def test_clinically_amyopathic_no_longer_claims_the_disease_stays_in_the_skin(glossary_rows):
    definition = glossary_rows.loc["clinically amyopathic", "definition"]
    assert "only in the skin" not in definition
    assert "more than six months" in definition and "muscle enzymes" in definition


def test_hazard_ratio_says_which_group_a_value_away_from_1_favours_and_stays_within_its_source(glossary_rows):
    definition = glossary_rows.loc["hazard ratio", "definition"]
    assert "1 means no difference" in definition and "less often in the first group" in definition
    assert "half as often" not in definition  # worked examples the cited dictionary entry does not give


def test_non_inferiority_names_the_margin_fixed_in_advance(glossary_rows):
    definition = glossary_rows.loc["non-inferiority", "definition"]
    assert "non-inferiority margin" in definition and "before the trial starts" in definition


# Public-domain NCI Dictionary entries (cancer.gov), quoted only to check that the glossary does not copy them.
NCI_ENTRIES = {
    "IVIG": "A substance made from antibodies that have been taken from the blood of many healthy donors. It is "
    "given to a patient through a needle or tube inserted into a vein.",
    "phase 3": "A study that tests the safety and how well a new treatment works compared with a standard treatment.",
    "sensitivity": "When referring to a medical test, sensitivity refers to the percentage of people who test "
    "positive for a specific disease among a group of people who have the disease.",
    "non-inferiority": "A study that tests whether a new treatment is not worse than an active treatment it is "
    "being compared to.",
}


def _five_word_runs(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {tuple(words[i : i + 5]) for i in range(len(words) - 4)}


@pytest.mark.parametrize("term", sorted(NCI_ENTRIES))
def test_glossary_does_not_copy_runs_of_five_words_from_the_nci_entry(glossary_rows, term):
    shared = _five_word_runs(glossary_rows.loc[term, "definition"]) & _five_word_runs(NCI_ENTRIES[term])
    assert not shared, sorted(shared)


# Issue 20 (specialist audit, part A): each test fails on the content as it stood before the corrections.


def test_eu_dose_groups_follow_the_label_after_the_2023_review(references):
    eu = load_table("baricitinib_indications").query("region == 'EU'").set_index("indication")
    ra = eu.loc["rheumatoid arthritis"]
    assert "65" in ra["note"] and "75" not in ra["note"]  # the pre-2023 SmPC said 2 mg from age 75
    for risk in ("VTE", "MACE", "cancer"):
        assert risk in ra["note"], risk
    # Round 3: no dose figure for the groups, because the SmPC's section 4.2 was not read in a copy in force.
    assert "section 4.2" in ra["note"] and "could not read" in ra["note"] and "2 mg for people" not in ra["note"]
    atopic = eu.loc[[i for i in eu.index if i.startswith("atopic dermatitis")]]
    assert len(atopic) == 1 and "children from 2 years" in atopic.index[0]
    assert set(eu["source"]) & {"MIMSOlumiant2024"} == set()  # a pre-2023 reproduction is not the EU label
    normal = load_table("exposure_modifiers").set_index("modifier").loc["normal renal function"]
    assert "65" in normal["eu_dose_advice"] and normal["source"] == "LillyUKRADosing2026"
    assert "could not read" in normal["eu_dose_advice"]
    notebook = _markdown_of("03_baricitinib_pharmacology.ipynb")
    assert "MIMSOlumiant2024" not in notebook and "aged 65 or over" in notebook
    assert "usually given at 4 mg daily" not in notebook
    assert {"CRPVReimsPRAC2023", "MHRAJAK2023", "HPRAPRAC2023"} <= references
    assert not {"BaricitinibDosageEU2026", "PRACJanuary2023"} & references  # a scraper and a reproduction


def test_ifn_gamma_receptor_chains_carry_the_right_jaks():
    note = load_table("jak_pathways").set_index("pathway").loc["type II interferon", "note"]
    assert "IFNGR1 carries JAK1" in note and "IFNGR2 carries JAK2" in note
    assert "IFNGR1 carries JAK2" not in note
    assert "IFNGR1 carries JAK1 and IFNGR2 carries JAK2" in _markdown_of("02_interferon_jak_stat.ipynb")


def test_type_i_interferon_also_uses_gaf_and_gas():
    row = load_table("jak_pathways").set_index("pathway").loc["type I interferon"]
    assert "GAF" in row["stat"] and "GAS" in row["response_element"] and "ISRE" in row["response_element"]
    assert "IFN-γ works differently" not in _markdown_of("02_interferon_jak_stat.ipynb")


def test_the_pk_notebook_cites_no_unreadable_label_section_and_no_patient_half_life():
    notebook = _markdown_of("03_baricitinib_pharmacology.ipynb")
    for gone in ("OlumiantUSPI2026", "section 12.3", "patients' 12 hours", "about 19 nM", "86%"):
        assert gone not in notebook, gone
    flat = " ".join(notebook.split())
    assert "45% inhibited at 24 hours" in flat and "patients' 12 hours" not in flat
    # Audit 03-r4, F1: the label's 12 h and 2-3 days are taught, cited to the summary the course read, which
    # names no population; the sentence says so.
    sentence = next(s for s in _sentences(flat) if "2 to 3 days" in s)
    assert "12 hours" in sentence and "[PharmacyTimesOlumiant2018, Pharmacology and Pharmacokinetics]" in sentence
    assert "does not say in whom the 12 hours were measured" in flat


def test_kidney_function_is_needed_before_the_first_dose():
    text = " ".join(_markdown_of("03_baricitinib_pharmacology.ipynb").split())
    kidney = [s for s in _sentences(text) if "before the first dose" in s]
    assert kidney and any("Kidney function" in s for s in kidney)


def test_dlqi_band_question_keys_the_band_change_and_the_mcid():
    item = load_table("quiz_items").set_index("quiz_id").loc["measures-dlqi-band"]
    keyed = item["options"].split(" | ")[int(item["answer"]) - 1]
    assert "'very large'" in keyed and "'moderate'" in keyed and "MCID of 4" in keyed
    assert "still has a moderate effect" not in item["options"]  # 12 is in the very-large band (Hongbo 2005)
    bands = load_table("score_thresholds").query("measure == 'dlqi'").set_index("threshold")["value"]
    assert bands["band_moderate_max"] < 12 <= bands["band_very_large_max"]
    assert bands["band_small_max"] < 9 <= bands["band_moderate_max"]


def test_dlqi_licence_is_stated_as_its_rights_holders_state_it(references):
    feedback = load_table("quiz_items").set_index("quiz_id").loc["measures-dlqi-dm", "option_feedback"]
    assert "not its use" not in feedback
    assert "permission" in feedback and "fee" in feedback and "free" in feedback
    assert "DLQIRights2024" in references and "DLQIRights2024" in _markdown_of("04_measuring_disease.ipynb")


def test_what_the_course_read_is_named_the_summaries_not_the_publication():
    assert "**Reported** means the publication" not in _markdown_of("00_start_here.ipynb")
    assert "but gave no numbers" not in _markdown_of("04_measuring_disease.ipynb")
    assert "The case series reported that" not in _markdown_of("02_interferon_jak_stat.ipynb")
    cadm = load_table("quiz_items").set_index("quiz_id").loc["dm-cadm", "explanation"]
    assert "in the same spirit" not in cadm


def test_no_reference_of_this_half_points_at_a_staging_host_or_file_share():
    table = load_table("references").set_index("key")
    for key in ("Hongbo2005", "Ferreira2020"):
        url = table.loc[key, "url"]
        assert "scribd" not in url and "staging" not in url, key
    assert "Finlay1994" not in table.index  # the painscale page was not the 1994 paper; no readable copy found


# Fact-check A of the issue-20 corrections (reviews/factcheck-clin-a.md): each test fails on the content before it.


def _code_of(notebook: str) -> str:
    cells = json.loads((REPO / "notebooks" / notebook).read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "code")


def _quiz(quiz_id: str):
    return load_table("quiz_items").set_index("quiz_id").loc[quiz_id]


def test_the_model_clearance_is_not_called_a_healthy_volunteer_measurement():
    # F1: V 76 L (intravenous) and t1/2 6.5 h (oral, another study) give an assumed clearance, not a measured one.
    flat = " ".join(_markdown_of("03_baricitinib_pharmacology.ipynb").split())
    assert "is theirs too" not in flat and "teaching assumption" in flat
    code = _code_of("03_baricitinib_pharmacology.ipynb")
    assert "every value measured in healthy volunteers" not in code and "apparent_clearance_l_per_h" in code


def test_the_gap_between_model_and_measured_inhibition_is_not_pinned_on_the_ic50s():
    # F2: the course's inference was stated as fact; exposure, potency, slope and readout are all assumptions.
    flat = " ".join(_markdown_of("03_baricitinib_pharmacology.ipynb").split())
    for gone in ("half-life cannot explain the gap", "The main reason is the potency", "overstate inhibition in blood"):
        assert gone not in flat, gone
    assert "Several of the model's assumptions could explain the gap" in flat and "Hill slope" in flat
    assert "even with the volunteers' own half-life" not in _quiz("pk-fractional")["option_feedback"]


def test_the_2023_eu_restriction_to_no_suitable_alternative_is_taught_with_the_dose(references):
    # F4: from 65, in smokers and with cardiovascular or cancer risk, only if no suitable alternative exists.
    flat = " ".join(_markdown_of("03_baricitinib_pharmacology.ipynb").split())
    assert re.search(r"only when no suitable alternative treatment exists ?\[EMAJAK2023\]", flat)
    assert "EMAJAK2023" in references and "HPRAPRAC2023" in references
    ra = load_table("baricitinib_indications").query("region == 'EU'").set_index("indication")
    assert "no suitable alternative" in ra.loc["rheumatoid arthritis", "note"]
    item = _quiz("pk-eu-dose-groups")
    assert "no suitable alternative" in item["explanation"]
    assert "no suitable alternative" in item["option_feedback"].split(" | ")[int(item["answer"]) - 1]


def test_combination_with_biologics_or_other_jak_inhibitors_is_called_not_recommended():
    # F5: the label the course read says not studied AND not recommended.
    flat = " ".join(_markdown_of("03_baricitinib_pharmacology.ipynb").split())
    assert "has not been studied and is not recommended" in flat and "[OlumiantFISwiss2026]" in flat


def test_the_us_pregnancy_view_names_its_real_source_and_its_quiz_has_no_give_away():
    # F6: the UK Lilly page is not a US source; distractors must each state a difference, not begin "Both allow".
    flat = " ".join(_markdown_of("03_baricitinib_pharmacology.ipynb").split())
    assert "US-facing" not in flat and "Human Fetal Development" not in flat
    # Audit 03-r4, F3/F16: the US view is the label's (no contraindications), and Drugs.com's line is named as the
    # site's own advice; the key is not the longest option, and no distractor mirrors it.
    assert "Drugs.com's summary of the US labeling" not in flat and "the site's own advice, not label text" in flat
    assert "[LillyUSCovidDosing2026, Contraindications]" in flat
    item = _quiz("pk-pregnancy")
    options = item["options"].split(" | ")
    key = options[int(item["answer"]) - 1]
    assert "US-facing" not in item["question"] + item["explanation"]
    assert not any(option.startswith("Both") for option in options)
    assert all(option.startswith("The EU label") and "the US label" in option for option in options)
    assert len(key) < max(len(option) for option in options)
    assert "lists no contraindication" in key and "if the benefit outweighs the risk" not in " ".join(options)


def test_screening_and_free_drug_distractors_are_not_ruled_out_by_their_wording():
    # F7, F11: absolute words or a self-contradiction gave the key away.
    nxp2 = _quiz("dm-nxp2-screening")
    for option in nxp2["options"].split(" | "):
        assert " alone" not in option and "whatever" not in option and "reserved" not in option, option
    assert "Routine drug assays report the free concentration" not in _quiz("pk-free-drug")["options"]


def test_the_kidney_explorer_says_its_peaks_differ_from_the_reported_ones():
    # F9: clearance-only ratios reproduce the AUC ratios, not the reported Cmax ratios.
    flat = " ".join(_markdown_of("03_baricitinib_pharmacology.ipynb").split())
    assert "not the peaks" in flat and "1.46" in flat


def test_the_jak1_side_of_the_type_i_pairing_rule_is_taught_with_a_source(references):
    # F13: cells lacking JAK1 lose the type I response; the course had left that side untaught.
    flat = " ".join(_markdown_of("02_interferon_jak_stat.ipynb").split())
    assert "[Bonjardim1998, Abstract]" in flat and "Bonjardim1998" in references
    assert "found no readable source for is how much signal TYK2 can carry" not in flat
