"""The JAK inhibition teaching model: occupancy, censored IC50s and the pairing rules."""

from __future__ import annotations

import numpy as np
import pytest

from dmjak.data import load_table
from dmjak.models.classification import classify_score
from dmjak.models.inhibition import RULES, fraction_inhibited, kinase_inhibition, pathway_signal


@pytest.fixture(scope="module")
def potency():
    return load_table("jak_inhibitor_potency")


@pytest.fixture(scope="module")
def pathways():
    return load_table("jak_pathways")


def test_half_inhibited_at_ic50_with_hill_slope_one():
    assert fraction_inhibited(5.9, 5.9) == pytest.approx(0.5)
    assert fraction_inhibited(53, 53, hill=2) == pytest.approx(0.5)


def test_inhibition_rises_monotonically_with_concentration():
    values = fraction_inhibited(np.logspace(-2, 5, 200), 5.9)
    assert np.all(np.diff(values) > 0) and values[0] < 0.01 and values[-1] > 0.99


def test_steeper_hill_slope_sharpens_the_curve():
    assert fraction_inhibited(59, 5.9, hill=2) > fraction_inhibited(59, 5.9, hill=1)


@pytest.mark.parametrize(("conc", "ic50", "hill"), [(-1, 5.9, 1), (1, 0, 1), (1, 5.9, 0)])
def test_impossible_inputs_are_refused(conc, ic50, hill):
    with pytest.raises(ValueError):
        fraction_inhibited(conc, ic50, hill)


def test_censored_ic50_gives_an_upper_bound(potency):
    table = kinase_inhibition(potency, "baricitinib", 40).set_index("kinase")
    assert table.loc["JAK3", "bound"] == "at most"
    assert table.loc["JAK3", "inhibited"] == pytest.approx(40 / 440)
    assert (table.drop("JAK3")["bound"] == "estimate").all()


def test_bounds_propagate_to_pathways_that_use_the_censored_kinase(pathways, potency):
    signal = pathway_signal(pathways, kinase_inhibition(potency, "baricitinib", 40), RULES[0]).set_index("pathway")
    assert signal.loc["common gamma-chain", "bound"] == "at least"
    assert signal.loc["type I interferon", "bound"] == "estimate"


def test_rules_give_the_expected_arithmetic_for_type_one_interferon(pathways, potency):
    kinases = kinase_inhibition(potency, "baricitinib", 30)
    f = kinases.set_index("kinase")["inhibited"]
    ifn = {
        rule: pathway_signal(pathways, kinases, rule).set_index("pathway").loc["type I interferon", "signal_remaining"]
        for rule in RULES
    }
    assert ifn["both kinases needed"] == pytest.approx((1 - f["JAK1"]) * (1 - f["TYK2"]))
    assert ifn["either kinase suffices"] == pytest.approx(1 - f["JAK1"] * f["TYK2"])
    assert ifn["both kinases needed"] < 0.2 < 0.5 < ifn["either kinase suffices"]


def test_unknown_drug_and_rule_are_refused_with_the_options(pathways, potency):
    with pytest.raises(ValueError, match="abrocitinib"):
        kinase_inhibition(potency, "tofacitinib", 10)
    with pytest.raises(ValueError, match="both kinases needed"):
        pathway_signal(pathways, kinase_inhibition(potency, "baricitinib", 10), "majority vote")


@pytest.mark.parametrize(
    ("score", "biopsy", "expected"),
    [
        (5.49, False, "below probable"),
        (5.5, False, "probable"),
        (7.49, False, "probable"),
        (7.5, False, "definite"),
        (6.69, True, "below probable"),
        (6.7, True, "probable"),
        (8.69, True, "probable"),
        (8.7, True, "definite"),
    ],
)
def test_classification_thresholds_at_every_boundary(score, biopsy, expected):
    assert classify_score(score, biopsy, load_table("classification_thresholds")) == expected


def test_classification_refuses_impossible_scores():
    with pytest.raises(ValueError, match="score=-1 is out of range; valid: a finite number from 0 to 20"):
        classify_score(-1, False, load_table("classification_thresholds"))
