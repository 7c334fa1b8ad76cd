"""The total improvement score reader: published thresholds, inclusive bounds, bad input refused."""

from __future__ import annotations

import math

import pytest

from dmjak.models import tis


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (0, "less than minimal improvement"),
        (19.5, "less than minimal improvement"),
        (20, "minimal improvement"),
        (39.9, "minimal improvement"),
        (40, "moderate improvement"),
        (59, "moderate improvement"),
        (60, "major improvement"),
        (100, "major improvement"),
    ],
)
def test_category_follows_the_published_thresholds(score, expected):
    assert tis.category(score) == expected


def test_thresholds_come_from_the_data_table_as_published():
    assert tis.thresholds() == {"major improvement": 60, "moderate improvement": 40, "minimal improvement": 20}


def test_six_core_set_measures():
    assert len(tis.CORE_SET_MEASURES) == 6


@pytest.mark.parametrize("bad", [-1, 100.5, math.nan, math.inf])
def test_out_of_range_scores_are_refused_with_the_valid_range(bad):
    with pytest.raises(tis.TISError, match="0 to 100"):
        tis.category(bad)


@pytest.mark.parametrize("bad", ["45", None, True, [45]])
def test_non_numbers_are_refused(bad):
    with pytest.raises(tis.TISError, match="number from 0 to 100"):
        tis.category(bad)
