"""Quiz content parses and checks answers; citations resolve to formatted references."""

from __future__ import annotations

import pytest

from dmjak.quiz import _static_html, quiz_items
from dmjak.references import citations_in_text, keys_in_text, reference_list


def test_every_quiz_has_one_right_answer_and_feedback_per_option():
    items = quiz_items()
    assert items
    for item in items.values():
        assert len(item.options) == len(item.feedback) >= 2
        verdicts = [item.check(i)[0] for i in range(len(item.options))]
        assert verdicts.count(True) == 1


def test_quiz_check_rejects_a_non_option():
    item = next(iter(quiz_items().values()))
    with pytest.raises(ValueError, match="not an option index"):
        item.check(len(item.options))


def test_static_quiz_hides_the_answer_behind_a_reveal():
    item = quiz_items()["start-illustrative"]
    markup = _static_html(item)
    question_part, answer_part = markup.split("<details>")
    assert item.explanation[:40] not in question_part
    assert item.explanation[:40] in answer_part and "[DermAdvisor2022]" in answer_part


def test_keys_in_text_finds_single_and_grouped_citations():
    text = "One [Fischer2022], two [Anyanwu2015; Paik2021], again [Fischer2022], not [a link](x)."
    assert keys_in_text(text) == ["Fischer2022", "Anyanwu2015", "Paik2021"]


def test_reference_list_formats_doi_links_and_refuses_unknown_keys():
    listing = reference_list(["Anyanwu2015"])
    assert "https://doi.org/10.1111/bjd.13915" in listing and "Anyanwu CO" in listing
    with pytest.raises(KeyError, match="Nobody2000"):
        reference_list(["Nobody2000"])


def test_citations_carry_pinpoints_and_keys_resolve_without_them():
    text = "Trough [Olumiant2024, section 12.3]; lung [Narang2015, Results; Paik2021]. Not a citation: [1, 2]."
    assert citations_in_text(text) == [
        ("Olumiant2024", "section 12.3"),
        ("Narang2015", "Results"),
        ("Paik2021", None),
    ]
    assert keys_in_text(text) == ["Olumiant2024", "Narang2015", "Paik2021"]
    wrapped = "cleared [DermAdvisor2022, paragraph on\npatient 1]."
    assert citations_in_text(wrapped) == [("DermAdvisor2022", "paragraph on patient 1")]
