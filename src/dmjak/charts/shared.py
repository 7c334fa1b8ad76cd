"""Charts that more than one notebook shows: published effect sizes, trial hazard ratios, incidence rates.

Notebooks 03, 05 and 06 each draw some of these; keeping them here means no notebook's chart module
imports another's.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from dmjak.charts.style import OKABE_ITO, WIDTH, tooltips

ROLE_COLOURS = {"JAK inhibitor": OKABE_ITO["blue"], "comparator": OKABE_ITO["orange"]}


def _label(row) -> str:
    when = f"week {int(row['week'])}" if pd.notna(row["week"]) else "follow-up varied"
    size = f"n={int(row['n'])}" if pd.notna(row["n"]) else "n not given"
    return f"{row['study']}: {row['arm']} ({when}, {size})"


def cdasi_effects_chart(
    effects: pd.DataFrame, mcid_low: float, mcid_high: float, title: str, subtitle: str
) -> alt.LayerChart:
    """Published mean CDASI changes with 95% CIs where given, against the 4-5 point MCID band.

    The activity subscore where the source says so; each row's note says which.
    """
    data = effects.assign(
        label=effects.apply(_label, axis=1),
        ci=effects["ci_low"].notna().map({True: "95% CI reported", False: "no CI reported"}),
    )
    x_title = "Mean change in CDASI from baseline (points; negative = better)"
    band = (
        alt.Chart(pd.DataFrame({"x": [-mcid_high], "x2": [-mcid_low], "label": ["MCID: 4-5 points"]}))
        .mark_rect(color=OKABE_ITO["yellow"], opacity=0.5)
        .encode(x=alt.X("x:Q"), x2=alt.X2("x2:Q"), tooltip=[alt.Tooltip("label:N")])
    )
    zero = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(color=OKABE_ITO["black"]).encode(x=alt.X("x:Q"))
    y = alt.Y("label:N", title=None, sort=None, axis=alt.Axis(labelLimit=360))
    bars = (
        alt.Chart(data[data["ci_low"].notna()])
        .mark_errorbar(ticks=True)
        .encode(x=alt.X("ci_low:Q", title=x_title), x2=alt.X2("ci_high:Q"), y=y)
    )
    points = (
        alt.Chart(data)
        .mark_point(size=90, filled=True)
        .encode(
            x=alt.X("mean_change:Q", title=x_title),
            y=y,
            shape=alt.Shape(
                "role:N", title="Evidence about", scale=alt.Scale(domain=list(ROLE_COLOURS), range=["circle", "square"])
            ),
            color=alt.Color(
                "role:N",
                title="Evidence about",
                scale=alt.Scale(domain=list(ROLE_COLOURS), range=list(ROLE_COLOURS.values())),
            ),
            tooltip=tooltips(
                "study:N",
                "arm:N",
                "design:N",
                "n:Q",
                "week:Q",
                "mean_change:Q",
                "ci_low:Q",
                "ci_high:Q",
                "note:N",
                "source:N",
            ),
        )
    )
    no_ci = (
        alt.Chart(data[data["ci_low"].isna()])
        .mark_text(align="left", dx=8, fontStyle="italic")
        .encode(x=alt.X("mean_change:Q"), y=y, text=alt.TextValue("no CI reported"))
    )
    return alt.layer(band, zero, bars, points, no_ci).properties(
        width=WIDTH,
        height=26 * len(data) + 20,
        title=alt.Title(title, subtitle=subtitle),
        description="Dot plot of published mean CDASI changes (activity subscore where the source says so) "
        "with confidence intervals where given: "
        + "; ".join(f"{r.label} {r.mean_change:+.1f}" for r in data.itertuples())
        + ".",
    )


def oral_surveillance_chart(results: pd.DataFrame) -> alt.LayerChart:
    """Hazard ratios with 95% CIs against the null (1) and the non-inferiority margin (1.8)."""
    y = alt.Y("outcome:N", title=None, axis=alt.Axis(labelLimit=260))
    ci = (
        alt.Chart(results)
        .mark_rule(strokeWidth=3, color=OKABE_ITO["blue"])
        .encode(
            x=alt.X(
                "ci_low:Q",
                title="Hazard ratio, tofacitinib vs TNF inhibitor (log scale)",
                scale=alt.Scale(type="log", domain=[0.5, 3]),
            ),
            x2=alt.X2("ci_high:Q"),
            y=y,
        )
    )
    point = (
        alt.Chart(results)
        .mark_point(filled=True, size=120, shape="square", color=OKABE_ITO["blue"])
        .encode(
            x=alt.X("hazard_ratio:Q", title="Hazard ratio, tofacitinib vs TNF inhibitor (log scale)"),
            y=y,
            tooltip=tooltips(
                "outcome:N",
                "comparison:N",
                "hazard_ratio:Q",
                "ci_low:Q",
                "ci_high:Q",
                "noninferiority_margin:Q",
                "source:N",
            ),
        )
    )
    refs = pd.DataFrame({"x": [1.0, 1.8], "label": ["no difference (1)", "non-inferiority margin (1.8)"]})
    rules = (
        alt.Chart(refs)
        .mark_rule(strokeDash=[4, 3])
        .encode(
            x=alt.X("x:Q"),
            color=alt.Color(
                "label:N",
                title="Reference",
                scale=alt.Scale(range=[OKABE_ITO["grey"], OKABE_ITO["vermillion"]]),
                legend=alt.Legend(symbolType="stroke", symbolSize=400, symbolStrokeWidth=2, symbolDash=[4, 3]),
            ),
            tooltip=[alt.Tooltip("label:N")],
        )
    )
    return alt.layer(rules, ci, point).properties(
        width=WIDTH,
        height=110,
        title=alt.Title(
            "ORAL Surveillance: the trial behind the class-wide JAK-inhibitor warnings",
            subtitle="Lines: 95% confidence intervals; their upper ends lie above 1.8, so non-inferiority "
            "to TNF inhibitors was not shown",
        ),
        description="Forest plot of tofacitinib versus TNF inhibitors: "
        + "; ".join(
            f"hazard ratio {r.hazard_ratio:g} ({r.ci_low:g}-{r.ci_high:g}) for {r.outcome}"
            for r in results.itertuples()
        )
        + f", against a non-inferiority margin of {results['noninferiority_margin'].iloc[0]:g}.",
    )


def rates_chart(rates: pd.DataFrame, outcome: str = "herpes zoster") -> alt.Chart:
    """Incidence rates per 100 patient-years by treatment group, each bar naming its analysis set.

    Rates from different analysis sets (a placebo-controlled period, a long-term pool) sit side by side, so
    each bar's label carries the set, read from the first part of ``source_detail`` in brackets.
    """
    data = rates[rates["outcome"] == outcome].assign(
        analysis_set=lambda d: d["source_detail"].str.extract(r"\(([^;)]*)", expand=False).str.strip()
    )
    data = data.assign(bar=data["group"] + " (" + data["analysis_set"].fillna("analysis set not stated") + ")")
    trials = sorted(set(data["population"].str.extract(r"^([^,(]+)", expand=False).str.strip().str.lower()))
    arms = "with baricitinib and placebo" if (data["group"] == "placebo").any() else "on baricitinib"
    return (
        alt.Chart(data)
        .mark_bar(stroke=OKABE_ITO["black"])
        .encode(
            x=alt.X("rate_per_100_patient_years:Q", title="Events per 100 patient-years"),
            y=alt.Y("bar:N", title=None, sort=None, axis=alt.Axis(labelLimit=400)),
            color=alt.Color(
                "bar:N",
                legend=None,
                scale=alt.Scale(range=[OKABE_ITO["grey"], OKABE_ITO["sky"], OKABE_ITO["blue"], OKABE_ITO["purple"]]),
            ),
            tooltip=tooltips("group:N", "analysis_set:N", "rate_per_100_patient_years:Q", "population:N", "source:N"),
        )
        .properties(
            width=WIDTH,
            height=110,
            title=alt.Title(
                f"{outcome.capitalize()} {arms} in {' and '.join(trials)}",
                subtitle="Exposure-adjusted incidence; three DM patients are far too few to estimate a rate",
            ),
            description=f"Bar chart of {outcome} incidence per 100 patient-years by treatment group.",
        )
    )
