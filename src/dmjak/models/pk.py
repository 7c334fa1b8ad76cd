"""A one-compartment oral pharmacokinetic model of baricitinib, parameterised only with sourced values.

Model: first-order absorption (rate ka) into one compartment of volume V, first-order elimination
(rate ke = ln 2 / half-life). One dose gives the analytic (Bateman) curve

    C(t) = F * D * ka / (V * (ka - ke)) * (exp(-ke t) - exp(-ka t)).

Repeated once-daily doses are handled by superposition: the curves of all earlier doses add up, which
is exact for a linear model; at steady state the sum has the closed form used in ``steady_state``.
ka is not reported, so it is solved from the reported median Tmax (about 1 h) and ke. Kidney function
and OAT3 inhibition act through clearance: an AUC ratio r divides clearance by r (ka unchanged).
Parameters come from ``data/pk_parameters.csv``, but they come from different studies (F, Tmax and V from the
label as Lilly reproduces it, V after an intravenous dose; the half-life, 5.7-7.3 h with midpoint 6.5 h, from 25
healthy Chinese men given tablets), and the clearance is not a measurement: the model assumes
clearance = ln 2 / half-life x V. That assumed clearance sets the exposure (AUC = F x dose / clearance), so the
model's exposure is a teaching assumption; ``apparent_clearance_l_per_h`` (CL/F) is what to compare with a
label's reported clearance, which the course could not read. Beside the volunteers' value stands the US label's
figure, about 12 h with steady state after 2-3 days (``label_half_life``; read in a summary that does not say in
whom it was measured). ``with_half_life`` changes the half-life at the same clearance (a larger volume), so the
daily exposure (AUC) stays the same and only the daily rise and fall changes; if a longer half-life came from a
lower clearance instead, the exposure would rise as well, and the course has no readable clearance to say which.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache, cached_property

import numpy as np
import pandas as pd

from dmjak.data import load_table
from dmjak.models.inhibition import fraction_inhibited
from dmjak.models.inputs import InputError, array, number

# Standard atomic weights (g/mol) for the molecular formula C16H17N7O2S (DrugsComBaricitinib2024).
ATOMIC_WEIGHT = {"C": 12.011, "H": 1.008, "N": 14.007, "O": 15.999, "S": 32.06}
FORMULA = {"C": 16, "H": 17, "N": 7, "O": 2, "S": 1}
MOLAR_MASS = sum(ATOMIC_WEIGHT[element] * n for element, n in FORMULA.items())  # about 371.4 g/mol
MAX_KA = 1e4  # per hour: an absorption half-life of 0.25 s, far beyond any oral tablet
MAX_NG_PER_ML = 1e12  # 1 kg/mL: any larger concentration is an input error


@dataclass(frozen=True)
class PKParameters:
    bioavailability: float
    volume_l: float
    tmax_h: float
    half_life_h: float
    fraction_unbound: float
    exposure_ratio: float = 1.0  # AUC multiplier from kidney function / interacting drugs

    def __post_init__(self):
        number("bioavailability", self.bioavailability, 0, 1, low_open=True)
        number("volume_l", self.volume_l, 0, 10_000, low_open=True, unit="L")
        number("tmax_h", self.tmax_h, 0, 48, low_open=True, unit="h")
        number("half_life_h", self.half_life_h, 0.5, 48, unit="h")
        number("fraction_unbound", self.fraction_unbound, 0, 1, low_open=True)
        number("exposure_ratio", self.exposure_ratio, 0.1, 10)
        shortest = self.tmax_h * np.log(2)  # the absorption model needs Tmax < 1/ke = half-life / ln 2
        if self.half_life_h <= shortest:
            raise InputError(
                f"half_life_h={self.half_life_h!r} is too short for tmax_h={self.tmax_h!r}: the drug would be "
                f"eliminated before it peaks; valid: above {shortest:.3g} h (tmax_h x ln 2) and at most 48 h"
            )

    @property
    def ke(self) -> float:
        """Elimination rate constant (1/h), slowed by the exposure ratio."""
        return np.log(2) / self.half_life_h / self.exposure_ratio

    @cached_property
    def ka(self) -> float:
        """Absorption rate constant (1/h) that reproduces the reported Tmax with normal elimination."""
        return absorption_rate(self.tmax_h, np.log(2) / self.half_life_h)

    @property
    def clearance_l_per_h(self) -> float:
        """Systemic clearance the model assumes (L/h): ke x V, not a measured value."""
        return self.ke * self.volume_l

    @property
    def apparent_clearance_l_per_h(self) -> float:
        """Apparent oral clearance CL/F (L/h), the form in which oral-drug labels report clearance."""
        return self.clearance_l_per_h / self.bioavailability


@cache
def _table() -> pd.DataFrame:
    return load_table("pk_parameters").set_index("parameter")


def sourced_half_life() -> float:
    """The sourced half-life (h): the midpoint of the healthy-volunteer range."""
    return float(_table().loc["half_life", "value"])


def label_half_life() -> float:
    """The US label's half-life (h), about 12 h, as a summary of it reports it (population not stated there)."""
    return float(_table().loc["half_life_label", "value"])


def sourced_parameters(**overrides) -> PKParameters:
    """Parameters from the data table (several sources, see the module docstring); keyword overrides for exploration."""
    t = _table()["value"]
    base = PKParameters(
        bioavailability=float(t["bioavailability"]),
        volume_l=float(t["volume_of_distribution"]),
        tmax_h=float(t["tmax"]),
        half_life_h=float(t["half_life"]),
        fraction_unbound=float(t["fraction_unbound"]),
    )
    return replace(base, **overrides)


def with_half_life(p: PKParameters, half_life_h: float) -> PKParameters:
    """What-if: the same clearance with another half-life, i.e. the volume scaled by half-life / p.half_life_h.

    Clearance, and so the AUC of each dose, is unchanged; a longer half-life lowers the peak and raises the
    trough. (Lowering clearance instead would also raise the AUC: a different what-if.)
    """
    return replace(p, half_life_h=half_life_h, volume_l=p.volume_l * half_life_h / p.half_life_h)


def absorption_rate(tmax_h: float, ke: float) -> float:
    """Solve ln(ka/ke)/(ka-ke) = tmax for ka > ke by bisection (Tmax falls as ka rises)."""
    number("ke", ke, 0, low_open=True, unit="per hour")
    number("tmax_h", tmax_h, 0, low_open=True, unit="h")
    if tmax_h >= 1 / ke:
        raise ValueError(f"Tmax {tmax_h} h is too long for elimination rate {ke:.3f}/h (needs Tmax < 1/ke)")

    def tmax(ka):
        return np.log(ka / ke) / (ka - ke)

    low, high = ke * (1 + 1e-9), MAX_KA
    if tmax_h <= tmax(high):  # the bisection would return its bound, whose Tmax is not the one asked for
        raise InputError(
            f"tmax_h={tmax_h!r} is too short: at this elimination rate the model's Tmax is at least "
            f"{tmax(high):.3g} h (ka up to {MAX_KA:g}/h); valid: above {tmax(high):.3g} h and below 1/ke"
        )
    for _ in range(100):  # halves a log-interval of ~1e5 each time: far below float precision
        mid = np.sqrt(low * high)
        low, high = (mid, high) if tmax(mid) > tmax_h else (low, mid)
    return float(np.sqrt(low * high))


def single_dose(t_h, dose_mg: float, p: PKParameters) -> np.ndarray:
    """Total plasma concentration (ng/mL) after one oral dose at time 0 (zero before it)."""
    t = array("t_h", t_h, unit="h")
    dose_mg = _dose(dose_mg)
    scale = p.bioavailability * dose_mg * 1000 / p.volume_l * p.ka / (p.ka - p.ke)  # mg/L -> ng/mL
    return np.where(t >= 0, scale * (np.exp(-p.ke * t) - np.exp(-p.ka * t)), 0.0)


def repeated_doses(t_h, dose_mg: float, p: PKParameters, n_doses: int, interval_h: float = 24) -> np.ndarray:
    """Superposition of ``n_doses`` doses given every ``interval_h`` hours from time 0."""
    t = array("t_h", t_h, unit="h")
    n_doses = number("n_doses", n_doses, 1, 10_000, integer=True)
    interval_h = _interval(interval_h)
    return sum(single_dose(t - k * interval_h, dose_mg, p) for k in range(n_doses))


def steady_state(t_in_interval_h, dose_mg: float, p: PKParameters, interval_h: float = 24) -> np.ndarray:
    """Total plasma concentration (ng/mL) at steady state, t measured from the last dose (0..interval)."""
    interval_h = _interval(interval_h)
    t = array("t_in_interval_h", t_in_interval_h, 0, interval_h, unit="h")
    dose_mg = _dose(dose_mg)
    scale = p.bioavailability * dose_mg * 1000 / p.volume_l * p.ka / (p.ka - p.ke)
    return scale * (
        np.exp(-p.ke * t) / (1 - np.exp(-p.ke * interval_h)) - np.exp(-p.ka * t) / (1 - np.exp(-p.ka * interval_h))
    )


def auc_single_dose(dose_mg: float, p: PKParameters) -> float:
    """AUC from 0 to infinity (ng·h/mL) = F * Dose / CL."""
    return p.bioavailability * _dose(dose_mg) * 1000 / p.clearance_l_per_h


def accumulation_ratio(p: PKParameters, interval_h: float = 24) -> float:
    """Steady-state over single-dose exposure for once-every-``interval_h`` dosing: 1 / (1 - exp(-ke tau))."""
    interval_h = _interval(interval_h)
    with np.errstate(divide="ignore"):
        ratio = float(1 / -np.expm1(-p.ke * interval_h))
    if not np.isfinite(ratio):
        raise InputError(f"interval_h={interval_h!r} is too short to compare exposures; valid: above 1e-300 h")
    return ratio


def to_nanomolar(ng_per_ml) -> np.ndarray:
    """ng/mL -> nM for baricitinib (1 ng/mL is 1000 / molar mass nM)."""
    return array("ng_per_ml", ng_per_ml, 0, MAX_NG_PER_ML, unit="ng/mL") * 1000 / MOLAR_MASS


def steady_state_profile(dose_mg: float, p: PKParameters, points: int = 97) -> pd.DataFrame:
    """Hours 0-24 after a dose at steady state: total and free (unbound) plasma concentration in nM."""
    hours = np.linspace(0, 24, number("points", points, 2, 100_000, integer=True))
    total = to_nanomolar(steady_state(hours, dose_mg, p))
    return pd.DataFrame({"hour": hours, "total_nm": total, "free_nm": total * p.fraction_unbound})


def time_above(profile: pd.DataFrame, threshold_nm: float, column: str = "free_nm") -> float:
    """Hours of the dosing interval during which ``column`` exceeds ``threshold_nm`` (at most its length).

    The curve is taken as straight between samples, so a crossing falls where that line meets the threshold,
    not on the nearest sample: 97 samples a day then give 22.1 h above the JAK1 IC50 at 4 mg, as a fine grid does.
    """
    threshold_nm = number("threshold_nm", threshold_nm, 0, unit="nM")
    hours, values = _profile(profile, column)
    start, end = values[:-1] - threshold_nm, values[1:] - threshold_nm
    step = np.diff(hours)
    rise = np.abs(end - start)
    with np.errstate(divide="ignore", invalid="ignore"):  # a flat segment never crosses
        crossing = np.where(rise > 0, np.maximum(start, end) / rise, 0.0)
    above = np.where((start > 0) & (end > 0), step, np.where((start > 0) | (end > 0), crossing * step, 0.0))
    return float(above.sum())


def average_inhibition(profile: pd.DataFrame, ic50_nm: float, column: str = "free_nm") -> float:
    """Time-averaged fraction of the kinase inhibited over the interval (trapezoidal rule)."""
    hours, values = _profile(profile, column)
    f = fraction_inhibited(values, ic50_nm)
    return float(np.trapezoid(f, hours) / (hours[-1] - hours[0]))


def _profile(profile: pd.DataFrame, column: str) -> tuple[np.ndarray, np.ndarray]:
    """(hours, concentrations) of a profile: at least 2 time points, hours rising, concentrations finite, >= 0."""
    if len(profile) < 2:
        raise InputError(f"the profile has {len(profile)} time point(s); valid: at least 2")
    hours = array("profile hour", profile["hour"].to_numpy(), unit="h")
    if not np.all(np.diff(hours) > 0):
        raise InputError("the profile's hours do not rise from row to row; valid: each hour after the last")
    return hours, array(f"profile {column}", profile[column].to_numpy(), 0, unit="nM")


# The course's doses are 1 to 4 mg; the model accepts up to 1000 mg so students can explore, no further.
def _dose(dose_mg) -> float:
    return number("dose_mg", dose_mg, 0, 1000, unit="mg")


def _interval(interval_h) -> float:
    return number("interval_h", interval_h, 0, 24 * 28, low_open=True, unit="h")
