"""The Murad et al. checklist applied to the case series: compare a student's answers with the model."""

from __future__ import annotations

import pandas as pd

from dmjak.data import load_table

ANSWERS = ("yes", "partly", "no", "unclear", "not reported")


def checklist() -> pd.DataFrame:
    """The eight items with the model appraisal (data/murad_appraisal.csv)."""
    return load_table("murad_appraisal").sort_values("item").reset_index(drop=True)


def compare(student: dict[int, str], model: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per item: the student's answer, the model answer, whether they agree, and why."""
    model = checklist() if model is None else model
    unknown = sorted(set(student) - set(model["item"]))
    if unknown:
        raise ValueError(f"no checklist item(s) {unknown}; items are {list(model['item'])}")
    bad = {item: answer for item, answer in student.items() if answer not in ANSWERS}
    if bad:
        raise ValueError(f"answer(s) {bad} not among {list(ANSWERS)}")
    result = model[["item", "domain", "question", "model_answer", "explanation", "evidence_source"]].copy()
    result.insert(3, "your_answer", result["item"].map(student).fillna("(not answered)"))
    result["agree"] = result["your_answer"] == result["model_answer"]
    return result
