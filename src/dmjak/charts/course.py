"""The start notebook's session-planner chart; the plan itself is ``dmjak.course.plan_session``."""

from __future__ import annotations

import altair as alt
import pandas as pd

from dmjak.charts.style import OKABE_ITO, WIDTH, records, with_layer_data
from dmjak.course import plan_session


def _texts(plan: pd.DataFrame, minutes: float) -> tuple[alt.Title, str]:
    fitting = int((plan["fits"] == "fits").sum())
    title = alt.Title(
        f"With {minutes:.0f} minutes you can take the core path of {fitting} notebook{'' if fitting == 1 else 's'}",
        subtitle=[
            "Bars: core-path time up to and including each notebook; dashed line: your time",
            f"The whole core path takes {plan['minutes'].sum():.0f} minutes; the parts for going deeper come on top",
        ],
    )
    description = (
        f"Bar chart of cumulative core-path minutes per course notebook. {fitting} of {len(plan)} "
        f"notebooks fit in {minutes:.0f} minutes."
    )
    return title, description


def session_chart(course_map: pd.DataFrame, minutes: float, like: alt.LayerChart | None = None) -> alt.LayerChart:
    """Bars of cumulative time per notebook with the reader's time budget as a dashed rule.

    Pass the chart currently shown as ``like`` to reuse its encodings (a fast update for a widget).
    """
    plan = plan_session(course_map, minutes, column="core_minutes")
    budget = pd.DataFrame({"budget": [float(minutes)]})
    title, description = _texts(plan, minutes)
    if like is not None:
        return with_layer_data(like, [records(plan), records(budget)], title, description)
    bars = (
        alt.Chart(records(plan))
        .mark_bar()
        .encode(
            x=alt.X("cumulative_minutes:Q", title="Cumulative core-path time (minutes)"),
            y=alt.Y("title:N", sort=None, title=None, axis=alt.Axis(labelLimit=360)),
            color=alt.Color(
                "fits:N",
                title="In this session",
                scale=alt.Scale(domain=["fits", "later"], range=[OKABE_ITO["blue"], OKABE_ITO["grey"]]),
            ),
            opacity=alt.condition(alt.datum.fits == "fits", alt.value(1.0), alt.OpacityValue(0.55)),
            strokeDash=alt.condition(alt.datum.fits == "fits", alt.value([1, 0]), alt.StrokeDashValue([4, 2])),
            stroke=alt.StrokeValue(OKABE_ITO["black"]),
            tooltip=[
                alt.Tooltip("title:N", title="Notebook"),
                alt.Tooltip("minutes:Q", title="Core-path minutes"),
                alt.Tooltip("cumulative_minutes:Q", title="Cumulative minutes"),
            ],
        )
    )
    rule = (
        alt.Chart(records(budget))
        .mark_rule(strokeDash=[4, 3], color=OKABE_ITO["black"])
        .encode(x=alt.X("budget:Q"), tooltip=[alt.Tooltip("budget:Q", title="Your time (minutes)")])
    )
    return (bars + rule).properties(width=WIDTH, height=28 * max(len(plan), 2), title=title, description=description)
