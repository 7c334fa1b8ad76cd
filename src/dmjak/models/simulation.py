"""Seeded teaching simulations. Their output is labelled 'simulated' wherever it is shown."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dmjak.models.inputs import number


def regression_to_the_mean(
    seed: int = 2022,
    n_patients: int = 2000,
    typical_level: float = 20,
    between_sd: float = 6,
    visit_sd: float = 5,
    flare_threshold: float = 28,
) -> pd.DataFrame:
    """Two visits of a skin-activity score for patients whose disease does NOT change between them.

    Each patient has a stable true level (spread ``between_sd`` around ``typical_level``); each visit adds
    independent noise (``visit_sd``: day-to-day fluctuation and rater variation). Patients whose first visit
    reaches ``flare_threshold`` are flagged as 'picked at a flare', as a patient starting a new drug often is.
    Same seed, same data.
    """
    seed = number("seed", seed, 0, 2**32 - 1, integer=True)
    n_patients = number("n_patients", n_patients, 0, 1_000_000, integer=True)
    for name, value in (("typical_level", typical_level), ("flare_threshold", flare_threshold)):
        number(name, value, 0, 100)
    between_sd, visit_sd = number("between_sd", between_sd, 0, 100), number("visit_sd", visit_sd, 0, 100)
    rng = np.random.default_rng(seed)
    true_level = rng.normal(typical_level, between_sd, n_patients)
    first = np.clip(true_level + rng.normal(0, visit_sd, n_patients), 0, 100)
    second = np.clip(true_level + rng.normal(0, visit_sd, n_patients), 0, 100)
    return pd.DataFrame(
        {
            "patient": np.arange(n_patients),
            "first_visit": first.round(1),
            "second_visit": second.round(1),
            "group": np.where(first >= flare_threshold, "picked at a flare", "everyone else"),
            "evidence": "simulated",
        }
    )


def regression_summary(simulated: pd.DataFrame) -> pd.DataFrame:
    """Mean score at each visit for each group (long format, for a slope chart)."""
    means = simulated.groupby("group")[["first_visit", "second_visit"]].mean().round(1)
    counts = simulated.groupby("group").size().rename("n")
    long = means.join(counts).reset_index().melt(id_vars=["group", "n"], var_name="visit", value_name="mean_score")
    long["visit"] = long["visit"].map({"first_visit": "first visit", "second_visit": "four weeks later"})
    return long
