"""Models and calculators refuse NaN, infinite, negative or out-of-range input, naming it and its range.

Each case is one the reliability review (2026-12, section 3) found returning a plausible wrong number or
failing with an error that named neither the input nor what is allowed.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from dmjak.data import load_table
from dmjak.models import cdasi, classification, inhibition, isg_score, pk, reconstruction, simulation
from dmjak.models.inputs import InputError
from dmjak.quiz import quiz_items

NAN, INF = math.nan, math.inf
T = np.array([0, 1, 12, 24.0])


@pytest.fixture(scope="module")
def p():
    return pk.sourced_parameters()


CASES = [
    ("3.57 negative dose", lambda p: pk.single_dose(T, -4, p), "dose_mg=-4"),
    ("3.58 NaN dose", lambda p: pk.single_dose(T, NAN, p), "dose_mg=nan"),
    ("3.59 infinite dose", lambda p: pk.single_dose(T, INF, p), "dose_mg=inf"),
    ("3.61 no dose", lambda p: pk.single_dose(T, None, p), "dose_mg=None is not a number"),
    ("3.63 NaN time", lambda p: pk.single_dose([NAN, -5], 4, p), "t_h"),
    ("3.64 zero interval", lambda p: pk.steady_state(T, 4, p, interval_h=0), "interval_h=0"),
    ("3.67 no doses", lambda p: pk.repeated_doses(T, 4, p, n_doses=0), "n_doses=0"),
    ("3.69 fractional doses", lambda p: pk.repeated_doses(T, 4, p, n_doses=2.5), "n_doses=2.5 is not a whole number"),
    ("3.73 zero interval", lambda p: pk.accumulation_ratio(p, interval_h=0), "interval_h=0"),
    ("3.75 negative concentration", lambda p: pk.to_nanomolar(-5), "ng_per_ml"),
    ("3.76 zero elimination", lambda p: pk.absorption_rate(1, 0), "ke=0"),
    ("3.78 zero Tmax", lambda p: pk.absorption_rate(0, 0.06), "tmax_h=0"),
    ("3.80 NaN Tmax", lambda p: pk.absorption_rate(NAN, 0.06), "tmax_h=nan"),
    ("3.49 no half-life", lambda p: pk.sourced_parameters(half_life_h=None), "half_life_h=None is not a number"),
    (
        "3.84 one-point profile",
        lambda p: pk.average_inhibition(pk.steady_state_profile(4, p, points=1), 5.9),
        "points=1",
    ),
    ("3.85 NaN threshold", lambda p: pk.time_above(pk.steady_state_profile(4, p), NAN), "threshold_nm=nan"),
    ("3.87 NaN concentration", lambda p: inhibition.fraction_inhibited(NAN, 5.9), "concentration_nm"),
    ("3.89 NaN IC50", lambda p: inhibition.fraction_inhibited(10, NAN), "ic50_nm=nan"),
    ("3.93 NaN Hill slope", lambda p: inhibition.fraction_inhibited(10, 5.9, hill=NAN), "hill=nan"),
    ("3.95 IC50 as text", lambda p: inhibition.fraction_inhibited(10, "5.9"), "ic50_nm='5.9' is not a number"),
    ("3.26 no CDASI", lambda p: cdasi.severity(None), "CDASI activity (the maximum is inferred)=None"),
    ("3.28 CDASI True", lambda p: cdasi.severity(True), "=True is not a number"),
    ("3.33 no CDASI before", lambda p: cdasi.interpret_change(None, 12), "before (the maximum is inferred)=None"),
    ("3.43 no EULAR/ACR score", lambda p: classification.classify_score(None, True, None), "score=None"),
    ("3.44 biopsy 'no'", lambda p: classification.classify_score(7.5, "no", None), "biopsy='no'"),
    ("3.105 negative seed", lambda p: isg_score.simulate_qpcr(seed=-1), "seed=-1"),
    ("3.106 fractional seed", lambda p: isg_score.simulate_qpcr(seed=3.5), "seed=3.5 is not a whole number"),
    ("3.107 no controls", lambda p: isg_score.simulate_qpcr(n_controls=0), "n_controls=0"),
    ("3.108 negative patients", lambda p: isg_score.simulate_qpcr(n_patients=-5), "n_patients=-5"),
    ("3.109 negative spread", lambda p: isg_score.simulate_qpcr(activity_sd=-1), "activity_sd=-1"),
    ("3.122 negative patients", lambda p: simulation.regression_to_the_mean(n_patients=-1), "n_patients=-1"),
    ("3.123 negative visit spread", lambda p: simulation.regression_to_the_mean(visit_sd=-1), "visit_sd=-1"),
    (
        "3.115 baseline as text",
        lambda p: reconstruction.Assumptions("x", "cdasi_activity", "20", 5, "linear", 2),
        "baseline='20'",
    ),
    ("3.116 DLQI above 30", lambda p: reconstruction.Assumptions("x", "dlqi", 100, 5, "linear", 2), "baseline=100"),
    ("3.117 zero weeks", lambda p: reconstruction.progress(np.arange(3), "exponential", 0), "weeks_to_half=0"),
    ("3.120 NaN weeks", lambda p: reconstruction.progress(np.arange(3), "linear", NAN), "weeks_to_half=nan"),
    # re-review of issue 22 (R5, R7, R9-R11)
    ("R5 huge dose", lambda p: pk.auc_single_dose(10**400, p), "dose_mg=100000000000...000000 (401 characters)"),
    ("R5 huge CDASI", lambda p: cdasi.severity(10**400), "(401 characters) is out of range"),
    ("R7 times as text", lambda p: pk.single_dose(["1", "2"], 4, p), "t_h=['1', '2'] is not numeric"),
    ("R7 times as booleans", lambda p: pk.single_dose([True, False], 4, p), "t_h=[True, False] is not numeric"),
    ("R7 concentration as text", lambda p: pk.to_nanomolar("5"), "ng_per_ml='5' is not numeric"),
    ("R7 concentration True", lambda p: pk.to_nanomolar(True), "ng_per_ml=True is not numeric"),
    ("R9 unreachable Tmax", lambda p: pk.absorption_rate(1e-6, 0.1), "tmax_h=1e-06 is too short"),
    ("R9 tiniest Tmax", lambda p: pk.absorption_rate(5e-324, 0.1), "tmax_h=5e-324 is too short"),
    ("R10 NaN week", lambda p: reconstruction.progress([NAN, 1], "exponential", 4), "weeks has 1 invalid"),
    ("R10 negative week", lambda p: reconstruction.progress([-10, 1], "exponential", 4), "weeks has 1 invalid"),
    (
        "R11 NaN in a profile",
        lambda p: pk.time_above(pk.steady_state_profile(4, p).assign(free_nm=NAN), 1),
        "profile free_nm has 97 invalid",
    ),
    (
        "R11 two rows at hour 0",
        lambda p: pk.average_inhibition(pk.steady_state_profile(4, p).iloc[[0, 0]], 5.9),
        "the profile's hours do not rise",
    ),
    ("R11 vanishing interval", lambda p: pk.accumulation_ratio(p, interval_h=5e-324), "interval_h=5e-324"),
    ("R11 beyond any concentration", lambda p: pk.to_nanomolar(1e308), "ng_per_ml has 1 invalid"),
    # review 2 (F11, F13)
    ("F11 half-life at its stated minimum", lambda p: pk.sourced_parameters(half_life_h=0.5), "half_life_h=0.5 is too"),
    ("F11 half-life below Tmax ln 2", lambda p: pk.with_half_life(p, 0.69), "valid: above 0.693 h"),
    (
        "F13 concentration too large for a float",
        lambda p: inhibition.kinase_inhibition(load_table("jak_inhibitor_potency"), "baricitinib", 10**400),
        "holds a number too large for a float",
    ),
    ("F16 masked times", lambda p: pk.single_dose(np.ma.array([0, 1e30], mask=[0, 1]), 4, p), "1 masked value"),
]


@pytest.mark.parametrize(("case", "call", "named"), CASES, ids=[c[0] for c in CASES])
def test_a_model_refuses_bad_input_naming_it_and_its_range(p, case, call, named):
    with pytest.raises(InputError) as caught:
        call(p)
    message = str(caught.value)
    assert named in message and "valid" in message, message


def test_a_quiz_choice_must_be_an_option_index_not_a_boolean_or_fraction():
    item = next(iter(quiz_items().values()))
    for choice in (True, 1.5):
        with pytest.raises(ValueError, match="is not an option index"):
            item.check(choice)


def test_valid_inputs_still_give_the_same_numbers(p):
    assert inhibition.fraction_inhibited(5.9, 5.9) == pytest.approx(0.5)
    assert inhibition.fraction_inhibited(0, 5.9) == 0
    assert inhibition.fraction_inhibited(1e308, 1e-308, hill=2) == pytest.approx(1.0)  # was NaN (3.97)
    assert pk.single_dose(T, 4, p)[0] == 0
    assert cdasi.severity(28.0) == cdasi.severity(28)
    assert classification.classify_score(7.5, False, load_table("classification_thresholds")) in {
        "definite",
        "probable",
        "below probable",
    }


def _widget_cases():
    from dmjak.models.reconstruction import load_assumptions
    from dmjak.widgets.cases import WhatIfExplorer
    from dmjak.widgets.jak import PathwayExplorer
    from dmjak.widgets.measures import DLQICalculator
    from dmjak.widgets.pharmacology import DoseExplorer

    mods, potency = load_table("exposure_modifiers"), load_table("jak_inhibitor_potency")
    what_if = (load_table("trajectories"), load_table("outcome_statements"), load_assumptions())
    return {
        "3.143 dose 3": (lambda: DoseExplorer(mods, potency, dose_mg=3), r"valid values: \[1, 2, 4\]"),
        "3.144 dose True": (lambda: DoseExplorer(mods, potency, dose_mg=True), "dose_mg=True"),
        "3.145 half-life 100": (lambda: DoseExplorer(mods, potency, half_life_h=100), "half_life_h=100"),
        "3.147 half-life NaN": (lambda: DoseExplorer(mods, potency, half_life_h=math.nan), "half_life_h=nan"),
        "3.148 DLQI item 5": (lambda: DLQICalculator(load_table("dlqi_items"), [5] * 10, [0] * 10), "before"),
        "3.149 nine items": (lambda: DLQICalculator(load_table("dlqi_items"), [0] * 9, [0] * 10), "10 item scores"),
        "3.150 patient P9": (lambda: WhatIfExplorer(*what_if, patient="P9"), "patient='P9'"),
        "3.151 measure cdasi": (lambda: WhatIfExplorer(*what_if, measure="cdasi"), "measure='cdasi'"),
        "3.152 drug": (lambda: PathwayExplorer(potency, load_table("jak_pathways"), drug="tofacitinib"), "tofacitinib"),
    }


@pytest.mark.parametrize("case", list(_widget_cases()))
def test_a_widget_refuses_a_starting_value_its_controls_cannot_show(case):
    from dmjak.params import ParameterError

    build, expected = _widget_cases()[case]
    with pytest.raises(ParameterError, match=expected):
        build()


def test_a_checklist_progress_without_a_list_of_steps_names_the_valid_steps():
    """Review 3.127 (TypeError: 'NoneType' object is not iterable) and 3.125 (steps listed as np.int64(1), ...)."""
    from dmjak.models import checklist

    table = load_table("jak_safety_checklist")
    with pytest.raises(ValueError, match=r"ticked=None is not a list of step numbers; valid steps: \[1, 2, 3"):
        checklist.progress(table, None)
    with pytest.raises(ValueError, match=r"unknown checklist step\(s\) \[99\]; valid steps: \[1, 2, 3"):
        checklist.open_checks(table, [99])


def test_the_interferon_score_of_huge_fold_changes_is_their_median_not_infinity():
    """Re-review R11: the median of six 1e308 folds overflowed to inf (np.median adds the middle two)."""
    assert isg_score.score_from_folds([1e308] * 6) == 1e308
    assert isg_score.score_from_folds([1, 2, 3, 5, 8, 13]) == 4.0


def test_label_advice_refuses_a_flag_that_is_not_a_boolean_and_names_the_kidney_groups():
    """Re-review R8: oat3="no" counted as yes; an unknown kidney group was a bare KeyError."""
    from dmjak.models import label_dose

    modifiers = load_table("exposure_modifiers").set_index("modifier")
    for flag in ("no", 0, None):
        with pytest.raises(ValueError, match=r"oat3=.* is not True or False"):
            label_dose.label_advice(modifiers, label_dose.NORMAL, flag)
    with pytest.raises(ValueError, match=r"kidney='eGFR -5' is not a kidney function group; valid: \['normal renal"):
        label_dose.label_advice(modifiers, "eGFR -5", False)
    with pytest.raises(ValueError, match="not a kidney function group"):
        label_dose.label_advice(modifiers, label_dose.OAT3, False)
    assert label_dose.label_advice(modifiers, label_dose.NORMAL, np.bool_(True))["dose_mg"] == 2


def test_true_is_not_checklist_step_1_nor_appraisal_item_1():
    """Re-review R12: bool keys were accepted as step/item 1."""
    from dmjak.models import appraisal, checklist

    steps = load_table("jak_safety_checklist")
    with pytest.raises(ValueError, match="True and False are not step numbers"):
        checklist.open_checks(steps, [True])
    with pytest.raises(ValueError, match="True and False are not item numbers"):
        appraisal.compare({True: "yes"})
    assert len(checklist.open_checks(steps, [1])) == len(steps) - 1


def test_a_huge_total_improvement_score_is_named_in_a_short_message():
    """Re-review R5: tis.category(10**400) printed all 401 digits."""
    from dmjak.models import tis

    with pytest.raises(tis.TISError, match=r"\(401 characters\) is outside the valid range 0 to 100") as caught:
        tis.category(10**400)
    assert len(str(caught.value)) < 120
