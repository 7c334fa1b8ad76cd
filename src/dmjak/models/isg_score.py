"""The six-gene interferon score of Rice et al., and a seeded simulated qPCR data set to practise on.

Score (Rice2017): for each gene, divide a sample's relative expression by the median of the healthy
controls for that gene (the fold change); the sample's score is the median of its six fold changes.
A score above 2.466 (two standard deviations above the control mean in the original panel) is positive.

The simulated data are invented for teaching: 29 controls (the size of the original control panel) and
DM patients whose interferon activity is tuned so that their median score lies near the median of
about 9 reported for juvenile DM by Rice et al. They are labelled 'simulated' wherever shown.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dmjak.models.inputs import number

GENES = ("IFI27", "IFI44L", "IFIT1", "ISG15", "RSAD2", "SIGLEC1")
POSITIVE_ABOVE = 2.466  # Rice2017: +2 SD of the control panel

# Teaching assumptions of the simulation (not measured values).
_CONTROL_LEVEL = {"IFI27": 0.4, "IFI44L": 1.5, "IFIT1": 2.0, "ISG15": 3.0, "RSAD2": 0.8, "SIGLEC1": 0.6}
_SENSITIVITY = {"IFI27": 1.3, "IFI44L": 1.15, "IFIT1": 1.0, "ISG15": 0.9, "RSAD2": 1.05, "SIGLEC1": 0.8}


def simulate_qpcr(
    seed: int = 17,
    n_controls: int = 29,
    n_patients: int = 40,
    patient_log2_activity: float = 3.2,
    activity_sd: float = 1.4,
) -> pd.DataFrame:
    """Long table: sample_id, group ('healthy control' or 'DM patient'), gene, relative_expression.

    relative_expression stands for 2^-ΔCt against reference genes (arbitrary units). Each patient has an
    interferon activity (log2 fold, normal around ``patient_log2_activity``) that every gene follows with
    its own sensitivity, plus gene-level noise. Same seed, same data.
    """
    seed = number("seed", seed, 0, 2**32 - 1, integer=True)
    n_controls = number("n_controls", n_controls, 1, 10_000, integer=True)
    n_patients = number("n_patients", n_patients, 1, 10_000, integer=True)
    patient_log2_activity = number("patient_log2_activity", patient_log2_activity, -20, 20)
    activity_sd = number("activity_sd", activity_sd, 0, 20)
    rng = np.random.default_rng(seed)
    rows = []
    for group, n in (("healthy control", n_controls), ("DM patient", n_patients)):
        prefix = "C" if group == "healthy control" else "DM"
        for i in range(1, n + 1):
            activity = rng.normal(patient_log2_activity, activity_sd) if prefix == "DM" else 0.0
            for gene in GENES:
                log2_fold = _SENSITIVITY[gene] * activity + rng.normal(0, 0.45)
                rows.append(
                    {
                        "sample_id": f"{prefix}{i:02d}",
                        "group": group,
                        "gene": gene,
                        "relative_expression": round(_CONTROL_LEVEL[gene] * 2.0**log2_fold, 4),
                    }
                )
    frame = pd.DataFrame(rows)
    frame["evidence"] = "simulated"
    return frame


def control_medians(data: pd.DataFrame) -> pd.Series:
    """Median relative expression of each gene across the healthy controls."""
    controls = data[data["group"] == "healthy control"]
    return controls.groupby("gene")["relative_expression"].median()


def fold_changes(data: pd.DataFrame, medians: pd.Series | None = None) -> pd.DataFrame:
    """Wide table (sample x gene) of fold change against the control median of each gene."""
    medians = control_medians(data) if medians is None else medians
    wide = data.pivot_table(index="sample_id", columns="gene", values="relative_expression")
    missing = set(GENES) - set(wide.columns)
    if missing:
        raise ValueError(f"expression data lack gene(s) {sorted(missing)}; the score needs all of {GENES}")
    return wide[list(GENES)].div(medians[list(GENES)], axis=1)


def score_from_folds(folds) -> float:
    """The interferon score: the median of a sample's six fold changes."""
    values = np.asarray(folds, dtype=float)
    if values.shape != (len(GENES),) or not np.all(np.isfinite(values)) or np.any(values <= 0):
        raise ValueError(f"need {len(GENES)} positive fold changes ({', '.join(GENES)}), got {folds!r}")
    middle = np.sort(values)[len(GENES) // 2 - 1 : len(GENES) // 2 + 1]
    return float(middle[0] / 2 + middle[1] / 2)  # the median of six, without overflow at the float limit


def interferon_scores(data: pd.DataFrame, cutoff: float = POSITIVE_ABOVE) -> pd.DataFrame:
    """One row per sample: group, score and whether it is positive (score > cutoff)."""
    cutoff = number("cutoff", cutoff, -1000, 1000)
    folds = fold_changes(data)
    groups = data.drop_duplicates("sample_id").set_index("sample_id")["group"]
    scores = folds.median(axis=1).rename("score")
    result = pd.concat([groups, scores], axis=1).reset_index()
    result["positive"] = result["score"] > cutoff
    return result
