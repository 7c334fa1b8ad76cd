"""Charts for weighing evidence: published CDASI changes side by side, and the levels of evidence."""

from __future__ import annotations

import altair as alt
import pandas as pd

from dmjak.charts.style import OKABE_ITO, WIDTH, fraction_of_width, tooltips


def levels_chart(levels: pd.DataFrame, studies: pd.DataFrame) -> alt.LayerChart:
    """The OCEBM ladder (described on the axis) with each course study placed on its level."""
    placed = studies.dropna(subset=["ocebm_level"])[["study", "ocebm_level", "level_basis"]].rename(
        columns={"ocebm_level": "level"}
    )
    placed = pd.concat(
        [
            placed,
            pd.DataFrame(
                [
                    {
                        "study": "JAK1 mechanism (notebook 02)",
                        "level": 5,
                        "level_basis": "stated: mechanism-based reasoning",
                    }
                ]
            ),
        ]
    )
    placed["level"] = placed["level"].astype(int)
    placed["which"] = placed["study"].eq("Fischer 2022").map({True: "the case series", False: "other evidence"})
    placed["rank"] = placed.groupby("level").cumcount()
    labels = {int(r.level): f"{int(r.level)}: {r.therapy_question_evidence}" for r in levels.itertuples()}
    placed["rung"] = placed["level"].map(labels)
    rungs = levels.assign(rung=levels["level"].astype(int).map(labels))
    y = alt.Y(
        "rung:N",
        title=None,
        sort=[labels[k] for k in sorted(labels)],
        axis=alt.Axis(labelLimit=340),
        scale=alt.Scale(paddingInner=0.15),
    )
    ladder = (
        alt.Chart(rungs)
        .mark_rect(color="#eeeeee")
        .encode(
            y=y,
            x=alt.XValue(0),
            x2=alt.X2Value(fraction_of_width(1)),
            tooltip=tooltips("level:O", "therapy_question_evidence:N", "source:N"),
        )
    )
    dots = (
        alt.Chart(placed)
        .mark_point(size=140, filled=True)
        .encode(
            y=y,
            x=alt.X("rank:Q", title=None, axis=None, scale=alt.Scale(domain=[-0.3, 5.5])),
            color=alt.Color(
                "which:N",
                title=None,
                scale=alt.Scale(
                    domain=["the case series", "other evidence"], range=[OKABE_ITO["vermillion"], OKABE_ITO["blue"]]
                ),
            ),
            shape=alt.Shape(
                "which:N",
                title=None,
                scale=alt.Scale(domain=["the case series", "other evidence"], range=["diamond", "circle"]),
            ),
            tooltip=tooltips("study:N", "level:O", "level_basis:N"),
        )
    )
    # Names start at their dot and run right (centred names ran into the level labels at the left edge);
    # neighbours alternate above and below.
    above = (
        dots.mark_text(dy=-14, dx=-6, align="left")
        .encode(text=alt.Text("study:N"))
        .transform_filter("datum.rank % 2 == 0")
    )
    below = (
        dots.mark_text(dy=15, dx=-6, align="left")
        .encode(text=alt.Text("study:N"))
        .transform_filter("datum.rank % 2 == 1")
    )
    return alt.layer(ladder, dots, above, below).properties(
        width=WIDTH,
        height=260,
        title=alt.Title(
            "Where each piece of evidence sits on the OCEBM ladder",
            subtitle=[  # two short lines: one long line was cut at the right edge of a narrow output
                "OCEBM 2011 levels for 'does this treatment help?' (1 = strongest):",
                "a shortcut to the likely best evidence, to be used with judgement",
            ],
        ),
        description=f"{len(levels)} OCEBM levels with the course's evidence placed: "
        + "; ".join(
            f"level {level}: {', '.join(group['study'])}"
            for level, group in placed.sort_values("level").groupby("level")
        )
        + ".",
    )
