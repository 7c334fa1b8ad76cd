"""The 'what would convince you?' exercise: feedback on a proposed trial against the BIRD design."""

from __future__ import annotations

import zlib

import pandas as pd

from dmjak.data import load_table


def options() -> dict[str, list[str]]:
    """Every design dimension and its offered choices, in a fixed order that does not give the answer away.

    The table lists BIRD's choice first; offering it first every time would teach "pick the first".
    Choices are ordered by a checksum of their text: the same every run, different across dimensions.
    """
    table = load_table("design_options")
    return {
        d: sorted(group["option"], key=lambda option: zlib.crc32(option.encode("utf-8")))
        for d, group in table.groupby("dimension", sort=False)
    }


def bird_design() -> dict[str, str]:
    """The choice BIRD made on every dimension (the model answer to the exercise)."""
    table = load_table("design_options")
    chosen = table[table["matches_bird"]]
    return dict(zip(chosen["dimension"], chosen["option"], strict=True))


def feedback(choices: dict[str, str]) -> pd.DataFrame:
    """Per dimension: the choice, whether BIRD made it, the feedback, and the source."""
    table = load_table("design_options").set_index(["dimension", "option"])
    missing = [d for d in options() if d not in choices]
    if missing:
        raise ValueError(f"choose an option for every dimension; missing: {missing}")
    rows = []
    for dimension, option in choices.items():
        if (dimension, option) not in table.index:
            raise ValueError(f"{option!r} is not an option for {dimension!r}; options: {options().get(dimension)}")
        row = table.loc[(dimension, option)]
        rows.append(
            {
                "dimension": dimension,
                "your_choice": option,
                "as_in_bird": bool(row["matches_bird"]),
                "feedback": row["feedback"],
                "source": row["source"],
            }
        )
    return pd.DataFrame(rows)
