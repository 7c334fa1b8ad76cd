"""What the EU label says about the dose when kidney function and an OAT3 inhibitor combine.

``data/exposure_modifiers.csv`` holds one rule per modifier, each with its source in the table's ``source``
column: 2 mg once daily at a creatinine clearance of 30-60 mL/min, not recommended below 30, and the dose
halved with a strong OAT3 inhibitor (from the usual 4 mg, 2 mg once daily). The label gives each rule on its
own; this module puts the rules that apply side by side so that one sentence never says two things (issue 21,
defect 03-1).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

NORMAL = "normal renal function"
OAT3 = "strong OAT3 inhibitor (probenecid)"
_DOSE = re.compile(r"(\d+) mg once daily")


def _rule(modifiers: pd.DataFrame, modifier: str) -> tuple[str, int | None]:
    """(kind, dose in mg) of one modifier's label advice: 'usual', 'dose' or 'not recommended'."""
    advice = modifiers.loc[modifier, "eu_dose_advice"]
    if advice.startswith("not recommended"):
        return "not recommended", None
    if advice.startswith("no adjustment") or modifier == NORMAL:
        return "usual", None
    match = _DOSE.search(advice)
    if not match:
        raise ValueError(f"{modifier!r}: no dose in the label advice {advice!r}")
    return "dose", int(match.group(1))


def label_advice(modifiers: pd.DataFrame, kidney: str, oat3: bool) -> dict:
    """The label's dose for a kidney group with or without a strong OAT3 inhibitor, in one coherent sentence.

    Returns ``recommended`` (bool), ``dose_mg`` (the labelled daily dose, None when not recommended) and
    ``text``. ``modifiers`` is the exposure-modifier table indexed by ``modifier``.
    """
    kidney_groups = [m for m in modifiers.index if m != OAT3]
    if not isinstance(kidney, str) or kidney not in kidney_groups:
        raise ValueError(f"kidney={kidney!r} is not a kidney function group; valid: {kidney_groups}")
    if not isinstance(oat3, bool | np.bool_):  # the text "no" would count as yes
        raise ValueError(f"oat3={oat3!r} is not True or False (is a strong OAT3 inhibitor taken?)")
    usual = int(_DOSE.search(modifiers.loc[NORMAL, "eu_dose_advice"]).group(1))
    kind, kidney_dose = _rule(modifiers, kidney)
    if kind == "not recommended":
        extra = "; with or without probenecid, no dose applies" if oat3 else ""
        return {
            "recommended": False,
            "dose_mg": None,
            "text": f"not recommended with {kidney}{extra}",
        }
    rules = [(kidney, kidney_dose)] if kind == "dose" else []
    if oat3:
        rules.append(("a strong OAT3 inhibitor such as probenecid", _rule(modifiers, OAT3)[1]))
    if not rules:
        usual_text = modifiers.loc[NORMAL, "eu_dose_advice"]
        prefix = f"no adjustment for {kidney}: " if kidney != NORMAL else ""
        return {"recommended": True, "dose_mg": usual, "text": prefix + usual_text}
    doses = sorted({dose for _, dose in rules})
    if len(rules) == 1:
        ((reason, dose),) = rules
        return {"recommended": True, "dose_mg": dose, "text": f"{dose} mg once daily, for {reason}"}
    each = " and ".join(f"{dose} mg for {reason}" for reason, dose in rules)
    text = f"the label gives {each}, and no separate dose for both together"
    if len(doses) == 1:
        text = f"{doses[0]} mg once daily: {text}"
    return {"recommended": True, "dose_mg": doses[0] if len(doses) == 1 else None, "text": text}
