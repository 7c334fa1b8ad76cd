"""The Murad et al. checklist applied to the case series: compare a student's answers with the model."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dmjak.data import load_table

ANSWERS = ("yes", "partly", "no", "unclear", "not reported")
# Answers that mean the same for appraisal: if a report does not say, the answer is unclear.
EQUIVALENT = ({"unclear", "not reported"},)
# One step apart on the yes - partly - no scale: defensible, worth a second look.
CLOSE = ({"yes", "partly"}, {"partly", "no"})
VERDICTS = ("agree", "equivalent", "close", "differs", "not answered")


def checklist() -> pd.DataFrame:
    """The eight items with the model appraisal (data/murad_appraisal.csv)."""
    return load_table("murad_appraisal").sort_values("item").reset_index(drop=True)


def compare(student: dict[int, str], model: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per item: the student's answer, the model answer, a verdict, whether they agree, and why.

    Verdicts: ``agree`` (same answer), ``equivalent`` ("unclear" and "not reported" mean the same here),
    ``close`` (one step apart on yes - partly - no), ``differs``, or ``not answered``.
    """
    model = checklist() if model is None else model
    flags = [item for item in student if isinstance(item, bool | np.bool_)]
    if flags:
        raise ValueError(f"item(s) {flags}: True and False are not item numbers; items are {list(model['item'])}")
    unknown = sorted(set(student) - set(model["item"]))
    if unknown:
        raise ValueError(f"no checklist item(s) {unknown}; items are {list(model['item'])}")
    bad = {item: answer for item, answer in student.items() if answer not in ANSWERS}
    if bad:
        raise ValueError(f"answer(s) {bad} not among {list(ANSWERS)}")
    result = model[["item", "domain", "question", "model_answer", "explanation", "evidence_source"]].copy()
    # map over plain objects: with no answer at all, pandas would infer the item numbers' integer dtype
    answers = [student.get(item, "(not answered)") for item in result["item"]]
    result.insert(3, "your_answer", answers)
    result["verdict"] = [verdict(a, m) for a, m in zip(result["your_answer"], result["model_answer"], strict=True)]
    result["agree"] = result["verdict"].isin(["agree", "equivalent"])
    return result


def verdict(answer: str, model: str) -> str:
    """How a student's answer relates to the model answer (one of ``VERDICTS``)."""
    if answer == "(not answered)":
        return "not answered"
    if answer == model:
        return "agree"
    pair = {answer, model}
    if any(pair <= group for group in EQUIVALENT):
        return "equivalent"
    if any(pair == group for group in CLOSE):
        return "close"
    return "differs"
