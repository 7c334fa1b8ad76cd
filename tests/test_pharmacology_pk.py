"""The one-compartment PK model against closed-form results, and its kidney/OAT3 adjustments."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from dmjak.models import pk

P = pk.sourced_parameters()
HEALTHY = pk.sourced_parameters(half_life_h=pk.half_life("healthy volunteers"))
FINE = np.linspace(0, 96, 96 * 200 + 1)


def test_parameters_come_from_the_data_table():
    assert (P.bioavailability, P.volume_l, P.tmax_h, P.half_life_h, P.fraction_unbound) == (0.79, 76, 1.0, 12, 0.5)


def test_default_half_life_is_the_patient_value_and_both_values_are_sourced():
    table = pk._table()
    patients, healthy = table.loc["half_life"], table.loc["half_life_healthy_volunteers"]
    assert P.half_life_h == pk.half_life("patients") == patients["value"] == 12
    assert "rheumatoid arthritis" in patients["population"]
    assert (patients["source"], patients["source_detail"]) == ("OlumiantUSPI2026", "section 12.3")
    assert (healthy["value"], healthy["low"], healthy["high"], healthy["source"]) == (6.5, 5.7, 7.3, "ChinaPK2020")
    with pytest.raises(ValueError, match="healthy volunteers"):
        pk.half_life("children")


def test_a_twelve_hour_half_life_reaches_steady_state_in_two_to_three_days():
    # The label's 2-3 days to steady state: after 2 and 3 days of dosing the trough is within 7% and 2% of it.
    troughs = [pk.repeated_doses(24 * n - 1e-9, 4, P, n_doses=n) for n in (2, 3)]
    steady = pk.steady_state(24 - 1e-9, 4, P)
    assert troughs[0] / steady == pytest.approx(1 - 0.25**2, rel=1e-3)  # 1 - exp(-ke*48), ke*24 = ln 4
    assert troughs[1] / steady > 0.98


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
    assert ratio == pytest.approx(4 / 3)  # half-life 12 h: exp(-ke*24) = 1/4
    assert 1.0 < pk.accumulation_ratio(HEALTHY) <= 1.10  # ChinaPK2020: accumulation up to 10% in healthy men
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


def test_longer_patient_half_life_raises_the_free_trough_and_jak1_inhibition():
    patient, healthy = pk.steady_state_profile(4, P), pk.steady_state_profile(4, HEALTHY)
    assert patient["free_nm"].iloc[-1] == pytest.approx(18.9, abs=0.1)
    assert healthy["free_nm"].iloc[-1] == pytest.approx(4.8, abs=0.1)
    assert pk.average_inhibition(patient, 5.9) == pytest.approx(0.857, abs=0.002)
    assert pk.average_inhibition(healthy, 5.9) == pytest.approx(0.720, abs=0.002)


@pytest.mark.parametrize("override", [{"bioavailability": 1.5}, {"half_life_h": 0.1}, {"exposure_ratio": 0}])
def test_impossible_parameters_are_refused(override):
    with pytest.raises(ValueError, match="out of range"):
        pk.sourced_parameters(**override)
