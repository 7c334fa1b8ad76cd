"""The one-compartment PK model against closed-form results, and its kidney/OAT3 adjustments."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from dmjak.models import pk

P = pk.sourced_parameters()
FINE = np.linspace(0, 96, 96 * 200 + 1)


def test_parameters_come_from_the_data_table():
    assert (P.bioavailability, P.volume_l, P.tmax_h, P.half_life_h, P.fraction_unbound) == (0.79, 76, 1.0, 6.5, 0.5)


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
    assert 1.0 < ratio <= 1.10  # ChinaPK2020: accumulation up to 10%
    # Trough at steady state over trough after the first dose equals the same ratio for elimination.
    first_trough = pk.single_dose(24, 4, P)
    assert pk.steady_state(24, 4, P) / first_trough == pytest.approx(ratio, rel=1e-2)


def test_superposition_of_many_doses_converges_to_the_steady_state_formula():
    t = np.linspace(0, 24, 49)
    after_ten = pk.repeated_doses(t + 9 * 24, 4, P, n_doses=10)
    assert np.allclose(after_ten, pk.steady_state(t, 4, P), rtol=1e-6)


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
    assert 0 < pk.average_inhibition(profile, 5.9) < 1


@pytest.mark.parametrize("override", [{"bioavailability": 1.5}, {"half_life_h": 0.1}, {"exposure_ratio": 0}])
def test_impossible_parameters_are_refused(override):
    with pytest.raises(ValueError, match="out of range"):
        pk.sourced_parameters(**override)
