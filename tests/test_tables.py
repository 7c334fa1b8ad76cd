"""The course's one table display: full text, headings in words, missing values named, no 0..n index."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

from dmjak.data import load_table
from dmjak.tables import (
    NOT_REPORTED,
    breakable,
    cell_text,
    heading,
    missing_texts,
    show_record,
    show_table,
    table_html,
)


def cells(markup: str, tag: str = "td") -> list[str]:
    return [re.sub(r"<[^>]+>", "", c) for c in re.findall(rf"<{tag}[^>]*>(.*?)</{tag}>", markup, flags=re.S)]


def test_long_text_is_shown_in_full_and_wraps():
    text = "Typical DM skin disease in 96%, usually mild weakness, and a long sentence that pandas would cut " * 3
    markup = table_html(pd.DataFrame({"typical_phenotype": [text]}))
    assert text.strip() in [c.strip() for c in cells(markup)]
    assert "…" not in markup and "..." not in markup
    assert "white-space:normal" in markup


def test_the_meaningless_row_index_is_dropped_even_after_a_filter():
    frame = pd.DataFrame({"drug": ["a", "b", "c"]}).iloc[[0, 2]]  # index 0, 2: what is left of 0..n
    markup = table_html(frame)
    assert cells(markup) == ["a", "c"]
    assert 'scope="row"' not in markup


def test_a_named_or_label_index_is_kept():
    grouped = pd.DataFrame({"group": ["x", "x", "y"], "score": [1.0, 2.0, 3.0]}).groupby("group").median()
    markup = table_html(grouped)
    assert cells(markup, "th")[0] == "Group"
    assert 'scope="row"' in markup and ">x</th>" in markup


def test_missing_values_are_named_never_na_or_nan():
    frame = pd.DataFrame({"autoantibody": pd.array([pd.NA, "anti-NXP2"], dtype="string"), "x": [float("nan"), 1.5]})
    markup = table_html(frame)
    assert "&lt;NA&gt;" not in markup and "NaN" not in markup and "nan" not in markup
    assert cells(markup)[:2] == [NOT_REPORTED, NOT_REPORTED]


def test_missing_text_follows_the_data_package_and_the_caller():
    # datapackage.json: kinase_2 "empty = a single JAK is needed", low "empty = single value"
    assert missing_texts()["kinase_2"] == "a single JAK is needed"
    assert missing_texts()["low"] == "single value"
    pathways = load_table("jak_pathways")
    assert "a single JAK is needed" in table_html(pathways)
    assert ">none<" in table_html(pd.DataFrame({"course_patient": [None]}), missing={"course_patient": "none"})


def test_headings_are_words_with_units_not_snake_case():
    assert heading("ci_low") == "95% CI, lower"
    assert heading("ic50_nm") == "IC50 (nM)"
    assert heading("sensitivity_pct") == "Sensitivity (%)"
    assert heading("response_element") == "DNA element"
    assert heading("some_new_column") == "Some new column"
    assert heading("ci_low", {"ci_low": "Lower limit"}) == "Lower limit"


@pytest.mark.parametrize(
    "table",
    ["patients", "dm_epidemiology", "jak_pathways", "pk_parameters", "myositis_autoantibodies", "dm_jak_studies"],
)
def test_course_tables_have_no_snake_case_headings_and_no_gaps(table):
    markup = table_html(load_table(table))
    assert not [h for h in cells(markup, "th") if "_" in h]
    assert (
        "&lt;NA&gt;" not in markup
        and ">NaN<" not in markup
        and "<td" in markup
        and "style=" not in markup.split("</style>", 1)[1]
    )


def test_numbers_read_like_a_person_wrote_them():
    assert [cell_text(v) for v in (87.0, 5.9, 10000.0, 13.17, True, 3)] == ["87", "5.9", "10,000", "13.17", "yes", "3"]


def test_a_boolean_column_reads_yes_or_no_not_true_or_false():
    # the data layer's nullable "boolean" columns yield NumPy booleans, which are not Python bools
    markup = table_html(pd.DataFrame({"cdasi_plotted": pd.array([True, False], dtype="boolean")}))
    assert cells(markup) == ["yes", "no"]


def test_show_table_returns_a_display_object_and_refuses_what_is_not_a_frame():
    assert "<table" in show_table(pd.DataFrame({"a": [1]})).data
    with pytest.raises(TypeError, match="DataFrame"):
        table_html([1, 2, 3])


def test_a_calculator_result_reads_as_words_not_a_dict():
    markup = show_record({"before": 28, "meets_mcid_upenn": True, "severity_after": "mild"}).data
    assert cells(markup) == ["Before", "28", "Fall reaches the UPenn MCID", "yes", "Severity after", "mild"]
    table = markup.split("</style>", 1)[1]  # the style sheet before the table has braces of its own
    assert "{" not in table and "_" not in re.sub(r"<[^>]+>", "", table)


def test_long_citation_keys_can_wrap_at_their_word_joints_short_tokens_stay_whole():
    assert breakable("CourseReconstruction2026") == "Course<wbr>Reconstruction<wbr>2026"
    assert breakable("150 mL/min in DermAdvisor2022") == "150 mL/min in Derm<wbr>Advisor<wbr>2022"
    # escaped piece by piece: no break inside an entity, and markup in the text stays text
    assert breakable("the pronoun 'she':MedDialogues2022") == "the pronoun &#x27;she&#x27;:Med<wbr>Dialogues<wbr>2022"
    assert breakable("<b>x</b>") == "&lt;b&gt;x&lt;/b&gt;"
    markup = table_html(pd.DataFrame({"source": ["MIMSOlumiantThailand2026"]}))
    assert "MIMSOlumiant<wbr>Thailand<wbr>2026" in markup


def test_details_move_long_columns_behind_a_reveal_and_keep_every_word():
    """Dense tables (issue 21): a few scannable columns, the long text one click away, nothing cut."""
    antibodies = load_table("myositis_autoantibodies")
    long = ["typical_phenotype", "frequency", "source", "source_detail"]
    markup = table_html(antibodies, details=long)
    headings = re.findall(r"<th>([^<]*)</th>", markup.split("</thead>")[0])
    assert len(headings) == len(antibodies.columns) - len(long) + 1 and headings[-1] == "Details"
    assert markup.count("<details><summary>Show details</summary>") == len(antibodies)
    for text in antibodies["typical_phenotype"]:
        assert html.escape(text).split("&")[0][:40] in markup
    with pytest.raises(KeyError, match="no column"):
        table_html(antibodies, details=["not_a_column"])
