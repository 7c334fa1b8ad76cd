"""Charts for notebook 07: how much more often clots occur in inflammatory myopathy."""

from __future__ import annotations

import altair as alt
import pandas as pd

from dmjak.charts.style import OKABE_ITO, WIDTH, records

POPULATION_COLOURS = {
    "dermatomyositis": OKABE_ITO["vermillion"],
    "dermatomyositis or polymyositis": OKABE_ITO["orange"],
    "polymyositis": OKABE_ITO["blue"],
    "idiopathic inflammatory myopathy": OKABE_ITO["green"],
}
POPULATION_SHAPES = {
    "dermatomyositis": "circle",
    "dermatomyositis or polymyositis": "diamond",
    "polymyositis": "triangle-up",
    "idiopathic inflammatory myopathy": "square",
}
MEASURE_ABBREVIATIONS = {"odds ratio": "OR", "hazard ratio": "HR", "incidence rate ratio": "IRR"}


def vte_estimates_chart(estimates: pd.DataFrame) -> alt.LayerChart:
    """Each study's relative risk of venous thromboembolism with its 95% CI, on a log axis with 1 marked."""
    drawn = estimates.assign(
        label=lambda d: [f"{MEASURE_ABBREVIATIONS[m]} {v:g}" for m, v in zip(d["measure"], d["estimate"], strict=True)]
    )
    order = list(drawn["study"])
    data = records(drawn)
    populations = [p for p in POPULATION_COLOURS if p in set(drawn["population"])]
    x_scale = alt.Scale(type="log", domain=[0.5, 100])
    x_title = "How many times more often than the comparison group (log scale)"
    y = alt.Y("study:N", title=None, sort=order, axis=alt.Axis(labelLimit=260))
    interval = (
        alt.Chart(data)
        .mark_rule(strokeWidth=2, color=OKABE_ITO["grey"])
        .encode(
            x=alt.X("ci_low:Q", scale=x_scale, title=x_title),
            x2=alt.X2("ci_high:Q"),
            y=y,
        )
    )
    points = (
        alt.Chart(data)
        .mark_point(size=120, filled=True, opacity=1)
        .encode(
            x=alt.X("estimate:Q", scale=x_scale, title=x_title),
            y=y,
            color=alt.Color(
                "population:N",
                title="Patients studied",
                scale=alt.Scale(domain=populations, range=[POPULATION_COLOURS[p] for p in populations]),
                legend=alt.Legend(labelLimit=400),  # long population names read in full, never "myo…"
            ),
            shape=alt.Shape(
                "population:N",
                title="Patients studied",
                scale=alt.Scale(domain=populations, range=[POPULATION_SHAPES[p] for p in populations]),
            ),
            tooltip=[
                alt.Tooltip("study:N", title="Study"),
                alt.Tooltip("population:N", title="Patients"),
                alt.Tooltip("comparison:N", title="Compared with"),
                alt.Tooltip("measure:N", title="Measure"),
                alt.Tooltip("estimate:Q", title="Estimate"),
                alt.Tooltip("ci_low:Q", title="95% CI from"),
                alt.Tooltip("ci_high:Q", title="95% CI to"),
                alt.Tooltip("source:N", title="Source"),
            ],
        )
    )
    values = (
        alt.Chart(data)
        .mark_text(align="left", dx=8, dy=-9, fontSize=11)
        .encode(x=alt.X("estimate:Q", scale=x_scale), y=y, text=alt.Text("label:N"))
    )
    no_difference = (
        alt.Chart(pd.DataFrame({"x": [1], "text": ["1 = no difference"]}))
        .mark_rule(strokeDash=[4, 3], color=OKABE_ITO["black"])
        .encode(x=alt.X("x:Q", scale=x_scale))
    )
    no_difference_label = (
        alt.Chart(pd.DataFrame({"x": [1], "text": ["1 = no difference"]}))
        .mark_text(align="left", dx=4, dy=-6, fontSize=11)
        .encode(x=alt.X("x:Q", scale=x_scale), y=alt.YValue(0), text=alt.Text("text:N"))
    )
    return alt.layer(no_difference, no_difference_label, interval, points, values).properties(
        width=WIDTH - 120,
        height=40 * len(drawn),
        title=alt.Title(
            "Clots are several times more common in inflammatory myopathy",
            subtitle=[
                "Point: published estimate; line: its 95% confidence interval. OR odds ratio, HR hazard ratio,"
                " IRR incidence rate ratio.",
                "Different measures and comparison groups: read each on its own, not as one pooled number.",
            ],
        ),
        description="Dot-and-line chart on a log scale of published relative risks of venous thromboembolism "
        "in inflammatory myopathy: "
        + "; ".join(
            f"{r.study}: {r.measure} {r.estimate:g} ({r.ci_low:g} to {r.ci_high:g})" for r in drawn.itertuples()
        )
        + ".",
    )
