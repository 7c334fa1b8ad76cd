"""The six-gene interferon score (against a hand-computed example) and its seeded simulation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dmjak.models.isg_score import (
    GENES,
    POSITIVE_ABOVE,
    fold_changes,
    interferon_scores,
    score_from_folds,
    simulate_qpcr,
)


def tiny_dataset() -> pd.DataFrame:
    """Three controls and one patient with round numbers, so the score can be checked by hand."""
    rows = []
    control_values = {"C1": 1.0, "C2": 2.0, "C3": 4.0}  # control median of every gene = 2.0
    for sample, value in control_values.items():
        rows += [
            {"sample_id": sample, "group": "healthy control", "gene": g, "relative_expression": value} for g in GENES
        ]
    patient = dict(zip(GENES, [2.0, 4.0, 6.0, 8.0, 20.0, 40.0], strict=True))  # folds 1, 2, 3, 4, 10, 20
    rows += [{"sample_id": "P", "group": "DM patient", "gene": g, "relative_expression": v} for g, v in patient.items()]
    return pd.DataFrame(rows)


def test_score_matches_a_hand_computed_example():
    scores = interferon_scores(tiny_dataset()).set_index("sample_id")
    # Folds 1, 2, 3, 4, 10, 20 -> median of the middle two (3 and 4) = 3.5 > 2.466 -> positive.
    assert scores.loc["P", "score"] == pytest.approx(3.5)
    assert bool(scores.loc["P", "positive"]) is True
    assert scores.loc["C2", "score"] == pytest.approx(1.0) and not scores.loc["C2", "positive"]


def test_cutoff_is_strictly_greater_than():
    assert score_from_folds([2.466] * 6) == pytest.approx(POSITIVE_ABOVE)
    data = tiny_dataset()
    assert not interferon_scores(data, cutoff=3.5).set_index("sample_id").loc["P", "positive"]


def test_one_gene_moving_barely_moves_the_median():
    base = [1, 2, 3, 4, 10, 20]
    assert score_from_folds(base) == score_from_folds([1, 2, 3, 4, 10, 2000])


@pytest.mark.parametrize("folds", [[1, 2, 3], [1, 2, 3, 4, 5, -6], [1, 2, 3, 4, 5, float("nan")]])
def test_score_refuses_incomplete_or_impossible_folds(folds):
    with pytest.raises(ValueError, match="6 positive fold changes"):
        score_from_folds(folds)


def test_missing_gene_is_named():
    data = tiny_dataset()
    with pytest.raises(ValueError, match="SIGLEC1"):
        fold_changes(data[data["gene"] != "SIGLEC1"])


def test_simulation_is_seeded_and_labelled():
    first, again, other = simulate_qpcr(seed=5), simulate_qpcr(seed=5), simulate_qpcr(seed=6)
    pd.testing.assert_frame_equal(first, again)
    assert not first.equals(other)
    assert set(first["evidence"]) == {"simulated"}
    assert first["sample_id"].nunique() == 29 + 40 and set(first["gene"]) == set(GENES)


def test_simulated_groups_separate_as_designed():
    scores = interferon_scores(simulate_qpcr(seed=17))
    medians = scores.groupby("group")["score"].median()
    assert medians["healthy control"] == pytest.approx(1.0, abs=0.1)
    assert 6 < medians["DM patient"] < 13  # tuned near the juvenile DM median of about 9 (Rice2017)
    assert not scores.loc[scores["group"] == "healthy control", "positive"].any()
    assert np.isfinite(scores["score"]).all()
