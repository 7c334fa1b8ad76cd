"""Charts for notebook 02: the receptor-JAK map, inhibitor potency, and the pathway-inhibition explorer."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from dmjak.charts.style import OKABE_ITO, WIDTH, drawn, records, tooltips, with_layer_data
from dmjak.models.inhibition import KINASES, fraction_inhibited

HIGHLIGHT = "type I interferon"


def pathway_map(pathways: pd.DataFrame) -> alt.HConcatChart:
    """Which JAKs each receptor family uses (dots), and what runs downstream, drawn from the data table."""
    long = pathways.melt(
        id_vars=["pathway", "pairing_basis", "stat", "response_element", "source", "note"],
        value_vars=["kinase_1", "kinase_2"],
        value_name="kinase",
    ).dropna(subset=["kinase"])
    long["focus"] = np.where(long["pathway"] == HIGHLIGHT, "type I IFN (DM's signature)", "other pathways")
    order = list(pathways["pathway"])
    y = alt.Y("pathway:N", sort=order, title=None, axis=alt.Axis(labelLimit=200))
    dots = (
        alt.Chart(long)
        .mark_point(size=420, strokeWidth=2)
        .encode(
            x=alt.X(
                "kinase:N", sort=list(KINASES), title="Janus kinase used", axis=alt.Axis(orient="top", labelAngle=0)
            ),
            y=y,
            color=alt.Color(
                "focus:N",
                title="Pathway",
                scale=alt.Scale(
                    domain=["type I IFN (DM's signature)", "other pathways"],
                    range=[OKABE_ITO["vermillion"], OKABE_ITO["blue"]],
                ),
                legend=alt.Legend(
                    symbolType="circle",
                    symbolFillColor="white",
                    symbolStrokeWidth=3,
                    orient="bottom",
                    direction="horizontal",
                ),
            ),
            fill=alt.condition(
                "datum.pairing_basis == 'stated'",
                alt.Color(
                    "focus:N",
                    legend=None,
                    scale=alt.Scale(
                        domain=["type I IFN (DM's signature)", "other pathways"],
                        range=[OKABE_ITO["vermillion"], OKABE_ITO["blue"]],
                    ),
                ),
                alt.FillValue("white"),
            ),
            size=alt.Size(
                "focus:N",
                legend=None,
                scale=alt.Scale(domain=["type I IFN (DM's signature)", "other pathways"], range=[600, 300]),
            ),
            shape=alt.Shape(
                "pairing_basis:N",
                title="Pairing in the source",
                scale=alt.Scale(domain=["stated", "inferred"], range=["circle", "square"]),
                # No legend: Vega-Lite draws shape-legend symbols of this layer transparent; the subtitle
                # says what filled circles and hollow squares mean.
                legend=None,
            ),
            tooltip=tooltips("pathway:N", "kinase:N", "pairing_basis:N", "note:N", "source:N"),
        )
        .properties(width=300, height=260)
    )
    downstream = (
        alt.Chart(
            pathways.assign(
                text=lambda d: (
                    d["stat"] + d["response_element"].map(lambda e: f", binds {e}" if isinstance(e, str) else "")
                )
            )
        )
        .mark_text(align="left")
        .encode(
            y=y,
            x=alt.XValue(4),
            text=alt.Text("text:N"),
            tooltip=tooltips("pathway:N", "stat:N", "response_element:N", "source:N"),
            color=alt.condition(
                f"datum.pathway == '{HIGHLIGHT}'",
                alt.value(OKABE_ITO["vermillion"]),
                alt.ColorValue(OKABE_ITO["black"]),
            ),
        )
        .properties(width=300, height=260, title="STAT(s) activated, and the DNA element bound")
    )
    return alt.hconcat(dots, downstream).properties(
        title=alt.Title(
            "Cytokine receptors and the JAKs they use",
            subtitle="Filled circle: pairing stated by the source; hollow square: read from JAK usage "
            "tables (inferred)",
        ),
        description=f"Matrix of {len(pathways)} cytokine receptor families against {', '.join(KINASES)}, with the "
        f"STATs and DNA elements downstream; {HIGHLIGHT} uses "
        + " and ".join(long.loc[long["pathway"] == HIGHLIGHT, "kinase"])
        + ".",
    )


def potency_curves(potency: pd.DataFrame, drug: str) -> alt.LayerChart:
    """Inhibition-concentration curves per kinase for one drug; censored IC50s drawn dashed as upper bounds."""
    conc = np.logspace(-1, 4.5, 90)
    rows = []
    for r in potency[potency["drug"] == drug].itertuples():
        kind = "upper bound (IC50 censored)" if r.qualifier == ">" else "from measured IC50"
        rows += [
            {
                "kinase": r.kinase,
                "concentration_nm": c,
                "inhibited_pct": 100 * float(fraction_inhibited(c, r.ic50_nm)),
                "curve": kind,
                "ic50": f"{r.qualifier} {r.ic50_nm:g} nM",
            }
            for c in conc
        ]
    data = pd.DataFrame(rows)
    groups = coinciding(potency[potency["drug"] == drug])
    at_ic50 = pd.DataFrame(
        [
            {"concentration_nm": g["ic50_nm"], "inhibited_pct": 50.0, "kinase_label": " & ".join(g["kinases"])}
            for g in groups
        ]
    )
    names = (
        alt.Chart(at_ic50)
        .mark_text(align="right", dx=-8, dy=-8, fontWeight="bold")
        .encode(x=alt.X("concentration_nm:Q"), y=alt.Y("inhibited_pct:Q"), text=alt.Text("kinase_label:N"))
    )
    ic50_points = (
        alt.Chart(at_ic50)
        .mark_point(shape="circle", size=50, filled=True, color=OKABE_ITO["black"])
        .encode(
            x=alt.X("concentration_nm:Q", title="Free drug concentration (nM, log scale)"),
            y=alt.Y("inhibited_pct:Q", title="Kinase inhibited (%)"),
            tooltip=[
                alt.Tooltip("kinase_label:N", title="IC50 of"),
                alt.Tooltip("concentration_nm:Q", title="IC50 (nM)"),
            ],
        )
    )
    hidden = [g["kinases"] for g in groups if len(g["kinases"]) > 1]
    kinds = drawn(data["curve"], ["from measured IC50", "upper bound (IC50 censored)"])
    curves = (
        alt.Chart(data)
        .mark_line(strokeWidth=2.5)
        .encode(
            x=alt.X("concentration_nm:Q", title="Free drug concentration (nM, log scale)", scale=alt.Scale(type="log")),
            y=alt.Y("inhibited_pct:Q", title="Kinase inhibited (%)"),
            color=alt.Color(
                "kinase:N",
                title="Kinase",
                sort=list(KINASES),
                scale=alt.Scale(
                    domain=list(KINASES),
                    range=[OKABE_ITO["vermillion"], OKABE_ITO["blue"], OKABE_ITO["green"], OKABE_ITO["purple"]],
                ),
                legend=alt.Legend(symbolType="stroke", symbolSize=400, symbolStrokeWidth=3),
            ),
            strokeDash=alt.StrokeDash(
                "curve:N",
                title="Curve",
                scale=alt.Scale(domain=kinds, range=[[1, 0] if k.startswith("from") else [6, 4] for k in kinds]),
                legend=alt.Legend(symbolType="stroke", symbolSize=400, symbolStrokeWidth=2.5),
            ),
            tooltip=tooltips(
                "kinase:N",
                "ic50:N",
                alt.Tooltip("concentration_nm:Q", format=".3g"),
                alt.Tooltip("inhibited_pct:Q", format=".1f"),
            ),
        )
    )
    overlap = [
        f"{' and '.join(k)} have nearly the same IC50, so their curves lie on top of each other." for k in hidden
    ]
    return alt.layer(curves, ic50_points, names).properties(
        width=WIDTH,
        height=240,
        title=alt.Title(
            f"{drug}: predicted inhibition of each JAK (teaching model from enzyme IC50s)",
            subtitle=[
                "Hill slope 1; 50% inhibition at the IC50 (black dots, labelled)."
                + (
                    " Dashed: that IC50 is only known to exceed a value."
                    if len(kinds) > 1 or "upper" in kinds[0]
                    else ""
                ),
                *overlap,
            ],
        ),
        description=f"Concentration-inhibition curves of {drug} for JAK1, JAK2, JAK3 and TYK2 "
        "from isolated-enzyme IC50s.",
    )


def coinciding(potency: pd.DataFrame, within: float = 1.25) -> list[dict]:
    """Kinases grouped when their IC50s differ by less than a factor ``within`` (their curves overlap)."""
    rows = potency.sort_values("ic50_nm")
    groups: list[dict] = []
    for r in rows.itertuples():
        if groups and r.ic50_nm / groups[-1]["first"] < within:
            groups[-1]["kinases"] = sorted([*groups[-1]["kinases"], r.kinase], key=list(KINASES).index)
        else:
            groups.append({"first": r.ic50_nm, "ic50_nm": r.ic50_nm, "kinases": [r.kinase]})
    return groups


def explorer_parts(kinases: pd.DataFrame, signal: pd.DataFrame) -> tuple[list, list]:
    """Records for the two explorer charts (kinase inhibition, pathway signal)."""
    k = kinases.assign(inhibited_pct=lambda d: (100 * d["inhibited"]).round(1))
    s = signal.assign(
        remaining_pct=lambda d: (100 * d["signal_remaining"]).round(1),
        focus=lambda d: np.where(d["pathway"] == HIGHLIGHT, "type I IFN", "other"),
    )
    klabels, slabels = (
        records(k[["kinase", "inhibited_pct", "bound"]]),
        records(s[["pathway", "remaining_pct", "bound"]]),
    )
    return (
        [records(k[["kinase", "inhibited_pct", "bound", "qualifier", "ic50_nm"]]), klabels, klabels],
        [records(s[["pathway", "kinases", "remaining_pct", "bound", "focus"]]), slabels, slabels],
    )


INSIDE_FROM = 80  # bars longer than this (% of the 0-100 axis) carry their label inside


def bar_labels(data, field: str, y: alt.Y, label: str, inside_colour: str = "white") -> list[alt.Chart]:
    """Value labels for 0-100 bars: after a short bar, inside the end of a long one (never past the axis)."""
    base = alt.Chart(data).encode(x=alt.X(f"{field}:Q"), y=y, text=alt.Text("label:N")).transform_calculate(label=label)
    outside = base.mark_text(align="left", dx=4).transform_filter(f"datum.{field} < {INSIDE_FROM}")
    inside = base.mark_text(align="right", dx=-4, color=inside_colour, fontWeight="bold").transform_filter(
        f"datum.{field} >= {INSIDE_FROM}"
    )
    return [outside, inside]


def exposure_words(concentration_nm: float, exposure: tuple[float, float]) -> str:
    """Where a concentration sits against the day's free range at 4 mg (notebook 03's teaching model)."""
    low, high = exposure
    where = "below" if concentration_nm < low else "above" if concentration_nm > high else "within"
    return (
        f"4 mg/day gives about {low:.0f}-{high:.0f} nM free (notebook 03's model): "
        f"{concentration_nm:,g} nM is {where} that range"
    )


def explorer_charts(
    kinases: pd.DataFrame,
    signal: pd.DataFrame,
    drug: str,
    concentration_nm: float,
    rule: str,
    like: tuple | None = None,
    exposure: tuple[float, float] | None = None,
):
    """(kinase chart, pathway chart) for the explorer; pass the shown pair as ``like`` for a fast update.

    ``exposure`` is the (lowest, highest) free concentration over a day at the usual dose, from notebook 03's
    model: the kinase chart then says where the chosen concentration sits against it, so a student does not
    read 10,000 nM as what the drug does."""
    kparts, sparts = explorer_parts(kinases, signal)
    ifn = round(100 * float(signal.loc[signal["pathway"] == HIGHLIGHT, "signal_remaining"].iloc[0]), 1)
    # Each subtitle explains the dashed outline only when a bar of that chart has one.
    upper = (kinases["bound"] == "at most").any()
    lower = (signal["bound"] == "at least").any()
    ktitle = alt.Title(
        f"{drug} at {concentration_nm:,g} nM free: predicted inhibition of each JAK",
        subtitle=["Teaching model from enzyme IC50s (Hill slope 1)"]
        + ([exposure_words(concentration_nm, exposure)] if exposure else [])
        + (["Dashed outline and ≤: an upper bound, because that IC50 is censored"] if upper else []),
    )
    stitle = alt.Title(
        f"Signal left in each pathway ({rule}): type I IFN keeps {ifn:.1f}%",
        subtitle=["Teaching model from enzyme IC50s: not cellular potency, not a clinical prediction"]
        + (["Dashed outline and ≥: a lower bound, because a censored IC50 caps the inhibition"] if lower else []),
    )
    kdesc = f"Bar chart of predicted JAK inhibition by {drug} at {concentration_nm:,g} nM."
    sdesc = f"Bar chart of predicted signal remaining per cytokine pathway; type I IFN keeps {ifn:.1f}%."
    if like is not None:
        return (with_layer_data(like[0], kparts, ktitle, kdesc), with_layer_data(like[1], sparts, stitle, sdesc))
    # No legend: which bounds are drawn changes with the drug; the "≤"/"≥" labels and the subtitles say it.
    bound_dash = alt.StrokeDash(
        "bound:N",
        legend=None,
        scale=alt.Scale(domain=["estimate", "at most", "at least"], range=[[1, 0], [4, 3], [4, 3]]),
    )
    kbars = (
        alt.Chart(kparts[0])
        .mark_bar(stroke=OKABE_ITO["black"], strokeWidth=1.5)
        .encode(
            x=alt.X("inhibited_pct:Q", title="Kinase inhibited (%)", scale=alt.Scale(domain=[0, 100])),
            y=alt.Y("kinase:N", title=None, sort=list(KINASES)),
            color=alt.Color(
                "kinase:N",
                legend=None,
                sort=list(KINASES),
                scale=alt.Scale(
                    domain=list(KINASES),
                    range=[OKABE_ITO["vermillion"], OKABE_ITO["blue"], OKABE_ITO["green"], OKABE_ITO["purple"]],
                ),
            ),
            strokeDash=bound_dash,
            tooltip=tooltips("kinase:N", "inhibited_pct:Q", "bound:N", "qualifier:N", "ic50_nm:Q"),
        )
    )
    klabel = "(datum.bound == 'at most' ? '≤ ' : '') + format(datum.inhibited_pct, '.1f') + '%'"
    ky = alt.Y("kinase:N", sort=list(KINASES))
    ktext = bar_labels(kparts[1], "inhibited_pct", ky, klabel)
    sbars = (
        alt.Chart(sparts[0])
        .mark_bar(stroke=OKABE_ITO["black"])
        .encode(
            x=alt.X("remaining_pct:Q", title="Signal remaining (%)", scale=alt.Scale(domain=[0, 100])),
            y=alt.Y("pathway:N", title=None, sort=None, axis=alt.Axis(labelLimit=200)),
            color=alt.Color(
                "focus:N",
                title=None,
                scale=alt.Scale(domain=["type I IFN", "other"], range=[OKABE_ITO["vermillion"], OKABE_ITO["grey"]]),
            ),
            opacity=alt.Opacity(
                "focus:N", legend=None, scale=alt.Scale(domain=["type I IFN", "other"], range=[1, 0.6])
            ),
            strokeDash=bound_dash,
            tooltip=tooltips("pathway:N", "kinases:N", "remaining_pct:Q", "bound:N"),
        )
    )
    slabel = "(datum.bound == 'at least' ? '≥ ' : '') + format(datum.remaining_pct, '.1f') + '%'"
    stext = bar_labels(sparts[1], "remaining_pct", alt.Y("pathway:N", sort=None), slabel, OKABE_ITO["black"])
    kchart = alt.layer(kbars, *ktext).properties(width=WIDTH, height=120, title=ktitle, description=kdesc)
    schart = alt.layer(sbars, *stext).properties(width=WIDTH, height=190, title=stitle, description=sdesc)
    return kchart, schart
