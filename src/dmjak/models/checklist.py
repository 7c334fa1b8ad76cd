"""The pre-treatment safety checklist as data: which checks are still open after a student ticks some."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

STAGES = ("all", "before", "during")


def for_stage(checklist: pd.DataFrame, stage: str = "all") -> pd.DataFrame:
    """The checks that apply at ``stage`` (before, during or all), in checklist order."""
    if stage not in STAGES:
        raise ValueError(f"stage {stage!r} is not one of {list(STAGES)}")
    chosen = checklist if stage == "all" else checklist[checklist["stage"] == stage]
    return chosen.sort_values("step").reset_index(drop=True)


def open_checks(checklist: pd.DataFrame, ticked: Iterable[int]) -> pd.DataFrame:
    """The rows whose step has not been ticked; unknown step numbers are an error naming the valid ones."""
    steps = sorted(int(s) for s in checklist["step"])
    if isinstance(ticked, str | bytes) or not isinstance(ticked, Iterable):
        raise ValueError(f"ticked={ticked!r} is not a list of step numbers; valid steps: {steps}")
    ticked = list(ticked)
    flags = [s for s in ticked if isinstance(s, bool | np.bool_)]
    if flags:
        raise ValueError(f"ticked holds {flags}: True and False are not step numbers; valid steps: {steps}")
    ticked = set(ticked)
    unknown = sorted(ticked - set(steps), key=str)
    if unknown:
        raise ValueError(f"unknown checklist step(s) {unknown}; valid steps: {steps}")
    return checklist[~checklist["step"].isin(ticked)].reset_index(drop=True)


def progress(checklist: pd.DataFrame, ticked: Iterable[int]) -> str:
    """One sentence: how many checks are done, and which topics are still open."""
    remaining = open_checks(checklist, ticked)
    done = len(checklist) - len(remaining)
    if remaining.empty:
        return f"All {len(checklist)} checks done. The decision to treat still rests with the treating team."
    topics = ", ".join(dict.fromkeys(remaining["topic"]))
    return f"{done} of {len(checklist)} checks done. Still open: {topics}."
