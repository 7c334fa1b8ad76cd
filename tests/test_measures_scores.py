"""DLQI scoring and CDASI change interpretation: totals, every band boundary, every kind of bad input."""

from __future__ import annotations

import pytest

from dmjak.models import cdasi, dlqi


def answers(total: int) -> list[int]:
    """Ten item scores that add up to ``total`` (fill items with 3s, then the remainder)."""
    scores = [0] * 10
    for i in range(10):
        scores[i] = min(3, total - sum(scores))
    assert sum(scores) == total
    return scores


def test_total_of_a_list_and_of_a_mapping():
    assert dlqi.total([2, 2, 1, 1, 2, 1, 0, 1, 0, 2]) == 12
    assert dlqi.total({i: 3 for i in range(1, 11)}) == 30
    assert dlqi.total([0] * 10) == 0


@pytest.mark.parametrize(
    ("score", "label"),
    [
        (0, "no effect on the patient's life"),
        (1, "no effect on the patient's life"),
        (2, "small effect"),
        (5, "small effect"),
        (6, "moderate effect"),
        (10, "moderate effect"),
        (11, "very large effect"),
        (20, "very large effect"),
        (21, "extremely large effect"),
        (30, "extremely large effect"),
    ],
)
def test_bands_at_every_boundary(score, label):
    assert dlqi.band(dlqi.total(answers(score))) == label


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        ({i: 1 for i in range(1, 11) if i != 7}, "item 7 is missing"),
        ([1, 1, 1, 1, 1, 1, None, 1, 1, 1], "item 7 is missing"),
        ([1, 1, 1.5, 1, 1, 1, 1, 1, 1, 1], "item 3 has the non-integer score 1.5"),
        ([1, 1, 1, 1, "2", 1, 1, 1, 1, 1], "item 5 has the non-integer score '2'"),
        ([1, 1, 1, 1, 1, 1, 1, True, 1, 1], "item 8 has the non-integer score True"),
        ([1, 1, 1, 1, 1, 1, 1, 1, 1, 4], "item 10 has the score 4, outside 0 to 3"),
        ([-1, 1, 1, 1, 1, 1, 1, 1, 1, 1], "item 1 has the score -1, outside 0 to 3"),
        ([1] * 9, "expected 10 item scores, got 9"),
        ({**{i: 1 for i in range(1, 11)}, 11: 2}, r"unknown item number\(s\) \[11\]"),
        ("1111111111", "expected 10 item scores"),
    ],
)
def test_every_kind_of_invalid_response_is_refused_naming_the_item(scores, message):
    with pytest.raises(dlqi.DLQIError, match=message):
        dlqi.total(scores)


def test_whole_number_floats_are_accepted():
    assert dlqi.total([2.0] * 10) == 20


@pytest.mark.parametrize("bad_total", [-1, 31, 2.5, True])
def test_band_refuses_impossible_totals(bad_total):
    with pytest.raises(dlqi.DLQIError):
        dlqi.band(bad_total)


def test_change_meets_the_mcid_only_from_a_fall_of_four():
    assert dlqi.change(answers(12), answers(8))["meaningful_improvement"] is True
    assert dlqi.change(answers(12), answers(9))["meaningful_improvement"] is False
    assert dlqi.change(answers(8), answers(12))["change"] == 4


@pytest.mark.parametrize(
    ("before", "after", "upenn", "stanford"),
    [
        (28, 25, False, False),
        (28, 24, True, False),
        (28, 23, True, True),
        (20, 25, False, False),
    ],
)
def test_cdasi_change_against_both_published_mcids(before, after, upenn, stanford):
    result = cdasi.interpret_change(before, after)
    assert (result["meets_mcid_upenn"], result["meets_mcid_stanford"]) == (upenn, stanford)


@pytest.mark.parametrize(
    ("activity", "label"),
    [
        (14, "mild by both cut-offs"),
        (15, "between the cut-offs (mild at UPenn, not at Stanford)"),
        (18.9, "between the cut-offs (mild at UPenn, not at Stanford)"),
        (19, "moderate to severe by both cut-offs"),
    ],
)
def test_cdasi_severity_at_the_cut_offs(activity, label):
    assert cdasi.severity(activity) == label


def test_cdasi_refuses_impossible_scores():
    with pytest.raises(ValueError, match="=120 is out of range; valid: a finite number from 0 to 100"):
        cdasi.severity(120)


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        ({True: 3, **{i: 0 for i in range(2, 11)}}, r"unknown item number\(s\) \[True\]"),  # True is not item 1
        ({**{i: 0 for i in range(1, 11)}, "x": 0, 11: 0}, r"unknown item number\(s\) \['x', 11\]"),  # no TypeError
        (b"0000000000", "got bytes"),  # not ten scores of 48
    ],
    ids=["boolean-item", "mixed-unknown-items", "bytes"],
)
def test_dlqi_refuses_items_that_are_not_item_numbers_by_name(scores, message):
    """Review 2, F12."""
    with pytest.raises(dlqi.DLQIError, match=message):
        dlqi.total(scores)


def test_a_whole_dlqi_score_written_as_another_kind_of_number_counts():
    """Review 2, F12: np.float32(2.0) and Fraction(2) were refused as "non-integer" scores."""
    from fractions import Fraction

    import numpy as np

    assert dlqi.total([np.float32(2.0)] * 5 + [Fraction(2)] * 5) == 20
    with pytest.raises(dlqi.DLQIError, match="non-integer score np.float32"):
        dlqi.total([np.float32(2.5)] + [0] * 9)
