"""The one-compartment PK model against closed-form results, and its kidney/OAT3 adjustments."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from dmjak.models import pk

P = pk.sourced_parameters()
FINE = np.linspace(0, 96, 96 * 200 + 1)


def test_parameters_come_from_the_data_table():
    assert (P.bioavailability, P.volume_l, P.tmax_h, P.half_life_h, P.fraction_unbound) == (0.79, 76, 1.0, 6.5, 0.5)


def test_every_parameter_is_a_readable_sourced_value_and_none_is_borrowed_for_patients():
    # Issue 20: the patient half-life (12 h) was cited to a label section nobody could read, and pairing it
    # with the healthy-volunteer volume halved clearance. No row may name patients or that section again.
    # Audit 03-r4, F1: the label's 12 h is now read in a summary of the US label, which names no population, so it
    # stands beside the volunteers' value as the label's figure, and the model's default stays the volunteers'.
    table = pk._table()
    assert set(table.index) == {
        "bioavailability",
        "tmax",
        "volume_of_distribution",
        "fraction_unbound",
        "fraction_excreted_unchanged_urine",
        "half_life",
        "half_life_label",
    }
    label = table.loc["half_life_label"]
    assert (label["value"], label["source"]) == (12, "PharmacyTimesOlumiant2018")
    assert pk.label_half_life() == 12 and "about 12 h" in table.loc["half_life", "note"]
    half_life = table.loc["half_life"]
    assert (half_life["value"], half_life["low"], half_life["high"], half_life["source"]) == (
        6.5,
        5.7,
        7.3,
        "ChinaPK2020",
    )
    assert pk.sourced_half_life() == 6.5
    assert not table["source_detail"].astype(str).str.contains("12.3").any()
    assert not table["population"].str.contains("patients").any()
    assert P.clearance_l_per_h == pytest.approx(76 * np.log(2) / 6.5, rel=1e-9)  # 8.1 L/h


def test_the_clearance_is_declared_an_assumption_and_given_as_cl_f_for_comparison_with_a_label():
    # Fact-check A, F1: V (intravenous, label) and the half-life (oral, another study) are not one measurement, so
    # the clearance derived from them, and every exposure the model gives, is an assumption. Oral-drug labels
    # report apparent clearance CL/F, so the model gives its own in that form.
    assert P.apparent_clearance_l_per_h == pytest.approx(76 * np.log(2) / 6.5 / 0.79, rel=1e-9)  # 10.3 L/h
    assert pk.auc_single_dose(4, P) == pytest.approx(4000 / P.apparent_clearance_l_per_h)
    doc = " ".join(pk.__doc__.split())
    assert "every one was measured in healthy volunteers" not in doc
    assert "teaching assumption" in doc and "not a measurement" in doc


def test_healthy_volunteers_reach_steady_state_by_the_second_dose_as_reported():
    # ChinaPK2020: steady state after the second daily dose; the second trough is within 1% of it.
    second = pk.repeated_doses(48 - 1e-9, 4, P, n_doses=2)
    assert second / pk.steady_state(24 - 1e-9, 4, P) > 0.99


@pytest.mark.parametrize("half_life_h", [4.0, 12.0, 16.0])
def test_a_what_if_half_life_keeps_clearance_and_exposure_and_only_reshapes_the_day(half_life_h):
    what_if = pk.with_half_life(P, half_life_h)
    assert what_if.half_life_h == half_life_h
    assert what_if.clearance_l_per_h == pytest.approx(P.clearance_l_per_h)
    assert pk.auc_single_dose(4, what_if) == pytest.approx(pk.auc_single_dose(4, P))
    base, other = pk.steady_state_profile(4, P), pk.steady_state_profile(4, what_if)
    longer = half_life_h > P.half_life_h
    assert (other["free_nm"].iloc[-1] > base["free_nm"].iloc[-1]) == longer  # trough
    assert (other["free_nm"].max() < base["free_nm"].max()) == longer  # peak
    kidney = pk.with_half_life(replace(P, exposure_ratio=2.22), half_life_h)
    assert pk.auc_single_dose(4, kidney) == pytest.approx(2.22 * pk.auc_single_dose(4, P))


def test_molar_mass_from_the_formula():
    assert pk.MOLAR_MASS == pytest.approx(371.42, abs=0.01)
    assert pk.to_nanomolar(371.42) == pytest.approx(1000, rel=1e-4)


def test_single_dose_peak_matches_the_analytic_solution_and_the_reported_tmax():
    conc = pk.single_dose(FINE, 4, P)
    analytic_tmax = np.log(P.ka / P.ke) / (P.ka - P.ke)
    assert analytic_tmax == pytest.approx(P.tmax_h, abs=1e-6)  # ka was solved from the reported Tmax
    assert FINE[conc.argmax()] == pytest.approx(analytic_tmax, abs=0.01)
    cmax = (
        P.bioavailability
        * 4000
        / P.volume_l
        * P.ka
        / (P.ka - P.ke)
        * (np.exp(-P.ke * analytic_tmax) - np.exp(-P.ka * analytic_tmax))
    )
    assert conc.max() == pytest.approx(cmax, rel=1e-4)


def test_auc_equals_bioavailable_dose_over_clearance():
    conc = pk.single_dose(FINE, 4, P)
    numeric = np.trapezoid(conc, FINE) + conc[-1] / P.ke
    assert numeric == pytest.approx(pk.auc_single_dose(4, P), rel=1e-3)
    assert pk.auc_single_dose(4, P) == pytest.approx(0.79 * 4000 / P.clearance_l_per_h)


def test_steady_state_accumulation_ratio_is_closed_form_and_matches_the_report():
    ratio = pk.accumulation_ratio(P)
    assert ratio == pytest.approx(1 / (1 - np.exp(-P.ke * 24)))
    assert 1.0 < ratio <= 1.10  # ChinaPK2020: accumulation up to 10% in healthy men
    assert pk.accumulation_ratio(pk.with_half_life(P, 12)) == pytest.approx(4 / 3)  # 12 h: exp(-ke*24) = 1/4
    # Trough at steady state over trough after the first dose equals the same ratio for elimination.
    first_trough = pk.single_dose(24, 4, P)
    assert pk.steady_state(24, 4, P) / first_trough == pytest.approx(ratio, rel=1e-2)


def test_superposition_of_many_doses_converges_to_the_steady_state_formula():
    t = np.linspace(0, 24, 49)
    after_twenty = pk.repeated_doses(t + 19 * 24, 4, P, n_doses=20)
    assert np.allclose(after_twenty, pk.steady_state(t, 4, P), rtol=1e-6)


def test_steady_state_interval_auc_equals_single_dose_auc():
    t = np.linspace(0, 24, 24 * 400 + 1)
    assert np.trapezoid(pk.steady_state(t, 4, P), t) == pytest.approx(pk.auc_single_dose(4, P), rel=1e-3)


def test_concentrations_are_dose_linear():
    t = np.linspace(0, 24, 25)
    assert np.allclose(pk.steady_state(t, 4, P), 2 * pk.steady_state(t, 2, P))
    assert np.allclose(pk.steady_state(t, 4, P), 4 * pk.steady_state(t, 1, P))


@pytest.mark.parametrize("ratio", [1.41, 2.0, 2.22])
def test_exposure_ratio_scales_auc_and_halving_the_dose_restores_it(ratio):
    impaired = replace(P, exposure_ratio=ratio)
    assert pk.auc_single_dose(4, impaired) == pytest.approx(ratio * pk.auc_single_dose(4, P))
    if ratio == 2.0:
        assert pk.auc_single_dose(2, impaired) == pytest.approx(pk.auc_single_dose(4, P))


def test_free_concentration_is_the_unbound_fraction_of_total():
    profile = pk.steady_state_profile(4, P)
    assert np.allclose(profile["free_nm"], 0.5 * profile["total_nm"])
    assert 0 < pk.time_above(profile, 5.9) <= 24
    assert pk.time_above(profile, 0) == 24  # always above zero: the whole interval, not one step more
    assert 0 < pk.average_inhibition(profile, 5.9) < 1


def test_the_numbers_notebook_03_states_for_4_mg():
    # The old model (12 h with the volunteers' 76 L, so half the clearance) gave a free trough of 18.9 nM and
    # 86% mean JAK1 inhibition, about 1.7 times the inhibition-driving exposure of the sourced model.
    profile = pk.steady_state_profile(4, P)
    trough = profile["free_nm"].iloc[-1]
    assert trough == pytest.approx(4.8, abs=0.1)
    assert trough / (trough + 5.9) == pytest.approx(0.45, abs=0.01)
    assert pk.average_inhibition(profile, 5.9) == pytest.approx(0.720, abs=0.002)
    assert pk.auc_single_dose(4, P) == pytest.approx(390, abs=1)
    what_if = pk.steady_state_profile(4, pk.with_half_life(P, 12))
    assert what_if["free_nm"].iloc[-1] == pytest.approx(10.2, abs=0.1)
    assert pk.average_inhibition(what_if, 5.9) == pytest.approx(0.767, abs=0.002)


@pytest.mark.parametrize("override", [{"bioavailability": 1.5}, {"half_life_h": 0.1}, {"exposure_ratio": 0}])
def test_impossible_parameters_are_refused(override):
    with pytest.raises(ValueError, match="out of range"):
        pk.sourced_parameters(**override)


def test_time_above_finds_the_crossing_between_samples_not_on_the_nearest_one():
    # Audit 03-r4, F7: counting samples above the line gave 21.8 h at 4 mg; the crossing itself gives 22.1 h.
    falling = pd.DataFrame({"hour": [0.0, 24.0], "free_nm": [10.0, 0.0]})
    assert pk.time_above(falling, 2.5) == pytest.approx(18.0)  # the straight line meets 2.5 nM at 18 h
    peak = pd.DataFrame({"hour": [0.0, 12.0, 24.0], "free_nm": [0.0, 10.0, 0.0]})
    assert pk.time_above(peak, 5.0) == pytest.approx(12.0)  # from 6 h to 18 h
    assert pk.time_above(pd.DataFrame({"hour": [0.0, 24.0], "free_nm": [5.0, 5.0]}), 5.0) == 0.0  # on it, not above
    coarse = pk.time_above(pk.steady_state_profile(4, P), 5.9)
    fine = pk.time_above(pk.steady_state_profile(4, P, points=24_001), 5.9)
    assert coarse == pytest.approx(fine, abs=0.01) and round(coarse, 1) == 22.1


def test_a_lower_dose_in_kidney_impairment_restores_the_auc_but_not_the_shape_of_the_day():
    # Audit 03-r4, F2: notebook 03 said 2 mg with moderate impairment "brings the free curve back close to" 4 mg
    # with normal kidneys. In the model only the AUC comes back; the peak is lower and the trough about 2.7 times
    # as high. These are the numbers the notebook's text now gives.
    normal = pk.steady_state_profile(4, P)
    impaired_p = replace(P, exposure_ratio=2.22)
    impaired = pk.steady_state_profile(2, impaired_p)
    assert pk.auc_single_dose(4, P) == pytest.approx(390, abs=1)
    assert pk.auc_single_dose(2, impaired_p) == pytest.approx(433, abs=1)
    assert normal["free_nm"].max() == pytest.approx(55, abs=0.5)
    assert impaired["free_nm"].max() == pytest.approx(39, abs=0.5)
    assert normal["free_nm"].iloc[-1] == pytest.approx(4.8, abs=0.1)
    assert impaired["free_nm"].iloc[-1] == pytest.approx(13.1, abs=0.1)
    assert pk.time_above(impaired, 5.9) == 24
    text = " ".join(_notebook_markdown().split())
    assert "close to the 4 mg curve" not in text
    for numbers in ("about 433 against 390 ng·h/mL", "about 39 against 55 nM", "about 13 against 5 nM"):
        assert numbers in text, numbers


def test_a_12_hour_half_life_builds_exposure_up_by_a_third_as_notebook_03_says():
    # Audit 03-r4, F1: the text says that with the label's 12 h daily doses build exposure up by about a third.
    assert pk.accumulation_ratio(replace(P, half_life_h=12)) == pytest.approx(4 / 3)
    text = " ".join(_notebook_markdown().split())
    assert "by about a third" in text and "[PharmacyTimesOlumiant2018, Pharmacology and Pharmacokinetics]" in text


def _notebook_markdown() -> str:
    import json
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "notebooks" / "03_baricitinib_pharmacology.ipynb"
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
