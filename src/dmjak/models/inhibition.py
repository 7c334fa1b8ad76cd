"""A teaching model of JAK inhibition: occupancy from enzyme IC50s, and signal left in each pathway.

Fraction of a kinase inhibited at free concentration C: C^h / (C^h + IC50^h) (Hill slope h, 1 by default).
A censored IC50 ('> 400 nM') only bounds the inhibition from above, and results that depend on it are
flagged 'at most' / 'at least'. Enzyme IC50s are not cellular potency: this is a model for reasoning
about selectivity, not a prediction of what happens in a patient.

How much signal a two-kinase receptor keeps depends on an assumed rule, which the student can switch:
- 'both kinases needed': the pair signals only if both kinases are free -> (1 - f1)(1 - f2);
- 'either kinase suffices': it signals if at least one is free -> 1 - f1 * f2.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dmjak.models.inputs import array, number

RULES = ("both kinases needed", "either kinase suffices")
KINASES = ("JAK1", "JAK2", "JAK3", "TYK2")


def fraction_inhibited(concentration_nm, ic50_nm: float, hill: float = 1.0):
    """Fraction of the kinase inhibited (0-1) at the given free concentration(s) in nM."""
    ic50_nm = number("ic50_nm", ic50_nm, 0, low_open=True, unit="nM")
    hill = number("hill", hill, 0, 10, low_open=True)
    c = array("concentration_nm", concentration_nm, 0, unit="nM")
    with np.errstate(divide="ignore", over="ignore"):  # C = 0 gives (IC50/C)^h = inf -> 0 inhibited
        return 1 / (1 + (ic50_nm / c) ** hill)


def kinase_inhibition(potency: pd.DataFrame, drug: str, concentration_nm: float, hill: float = 1.0) -> pd.DataFrame:
    """Per kinase: fraction inhibited by ``drug`` at ``concentration_nm``; censored IC50s give an upper bound."""
    rows = potency[potency["drug"] == drug]
    if rows.empty:
        raise ValueError(f"no potency data for {drug!r}; drugs with data: {sorted(potency['drug'].unique())}")
    result = pd.DataFrame(
        {
            "kinase": rows["kinase"].to_numpy(),
            "inhibited": [float(fraction_inhibited(concentration_nm, float(ic50), hill)) for ic50 in rows["ic50_nm"]],
            "bound": np.where(rows["qualifier"].to_numpy() == ">", "at most", "estimate"),
            "ic50_nm": rows["ic50_nm"].astype(float).to_numpy(),
            "qualifier": rows["qualifier"].to_numpy(),
        }
    )
    return result.set_index("kinase").reindex(list(KINASES)).reset_index()


def pathway_signal(pathways: pd.DataFrame, inhibition: pd.DataFrame, rule: str) -> pd.DataFrame:
    """Per pathway: fraction of signal remaining under ``rule``, flagged 'at least' if a bound was used."""
    if rule not in RULES:
        raise ValueError(f"rule {rule!r} is not one of {RULES}")
    by_kinase = inhibition.set_index("kinase")
    rows = []
    for p in pathways.itertuples():
        kinases = [k for k in (p.kinase_1, p.kinase_2) if isinstance(k, str)]
        f = [float(by_kinase.loc[k, "inhibited"]) for k in kinases]
        if len(f) == 1:
            remaining = 1 - f[0]
        elif rule == RULES[0]:
            remaining = (1 - f[0]) * (1 - f[1])
        else:
            remaining = 1 - f[0] * f[1]
        bounded = any(by_kinase.loc[k, "bound"] == "at most" for k in kinases)
        rows.append(
            {
                "pathway": p.pathway,
                "kinases": " + ".join(kinases),
                "signal_remaining": remaining,
                "bound": "at least" if bounded else "estimate",
            }
        )
    return pd.DataFrame(rows)
