"""Charts for notebook 03: steady-state concentrations against IC50s, and ORAL Surveillance."""

from __future__ import annotations

import altair as alt
import pandas as pd

from dmjak.charts.style import HEIGHT, OKABE_ITO, WIDTH, fraction_of_width, records, tooltips, with_layer_data

CONCENTRATION = {
    "total_nm": "total plasma",
    "free_nm": "free (unbound)",
    "reference_nm": "free: 4 mg, normal kidneys",  # the comparison the notebook asks for, drawn
}


def pk_long(profile: pd.DataFrame) -> pd.DataFrame:
    """Profile in long form: hour, concentration_nm, which (total / free / the free reference, if given)."""
    columns = [c for c in CONCENTRATION if c in profile.columns]
    return profile.melt(id_vars="hour", value_vars=columns, var_name="which", value_name="concentration_nm").assign(
        which=lambda d: d["which"].map(CONCENTRATION)
    )


CURVE_LEGEND = alt.Legend(symbolType="stroke", symbolSize=400, symbolStrokeWidth=2.5)


def pk_chart(
    profile: pd.DataFrame,
    ic50s: dict[str, float],
    title: str,
    subtitle: str | list[str],
    like: alt.LayerChart | None = None,
) -> alt.LayerChart:
    """Steady-state total and free concentration over one dosing interval, with kinase IC50 lines."""
    lines = [subtitle] if isinstance(subtitle, str) else list(subtitle)
    subtitle = "; ".join(lines)
    lines_data = records(pk_long(profile).round(3))
    ic50 = pd.DataFrame([{"kinase": k, "ic50_nm": v, "label": f"{k} IC50 {v:g} nM"} for k, v in ic50s.items()])
    # One label for all lines (JAK1 and JAK2 IC50s nearly coincide), placed on the highest of them.
    label = pd.DataFrame(
        [{"ic50_nm": ic50["ic50_nm"].max(), "label": "IC50: " + ", ".join(f"{k} {v:g} nM" for k, v in ic50s.items())}]
    )
    drawn = bool(lines_data["values"])
    # Without a profile (no sourced exposure) only the IC50 lines remain: say so, and drop the curve legend.
    if drawn:
        description = f"Line chart of total and free baricitinib concentration over 24 hours: {title} ({subtitle})."
        hint = (
            "Compare the FREE curve with the IC50 lines; modelled from sourced parameters and an assumed clearance, "
            "not measured"
        )
        if "reference_nm" in profile.columns:
            same = bool((profile["reference_nm"] - profile["free_nm"]).abs().max() < 1e-9)
            hint = [
                hint,
                "Grey dotted: free drug at 4 mg with normal kidneys, for comparison"
                + (" (here the same as the free curve, under it)" if same else ""),
            ]
    else:
        description = f"No concentration curves drawn, only the IC50 lines: {title} ({subtitle})."
        hint = "No curves: only the JAK1 and JAK2 IC50 lines are drawn"
    full_title = alt.Title(title, subtitle=[*lines, *([hint] if isinstance(hint, str) else hint)])
    if like is not None:
        chart = with_layer_data(like, [lines_data, records(ic50), records(label)], full_title, description)
        chart.layer[0] = _curve_legends(chart.layer[0], drawn)
        return chart
    lines = (
        alt.Chart(lines_data)
        .mark_line(strokeWidth=2.5)
        .encode(
            x=alt.X("hour:Q", title="Hours after the daily dose (steady state)", scale=alt.Scale(domain=[0, 24])),
            y=alt.Y(
                "concentration_nm:Q",
                title="Baricitinib concentration (nM, log scale)",
                scale=alt.Scale(type="log", domain=[0.5, 400]),
            ),
            color=alt.Color(
                "which:N",
                title="Concentration",
                scale=alt.Scale(
                    domain=list(CONCENTRATION.values()),
                    range=[OKABE_ITO["blue"], OKABE_ITO["vermillion"], OKABE_ITO["grey"]],
                ),
            ),
            strokeDash=alt.StrokeDash(
                "which:N",
                title="Concentration",
                scale=alt.Scale(domain=list(CONCENTRATION.values()), range=[[1, 0], [6, 3], [2, 2]]),
                legend=CURVE_LEGEND,
            ),
            tooltip=tooltips(
                "which:N", alt.Tooltip("hour:Q", format=".2f"), alt.Tooltip("concentration_nm:Q", format=".1f")
            ),
        )
    )
    rules = (
        alt.Chart(records(ic50))
        .mark_rule(color=OKABE_ITO["black"], strokeDash=[2, 2])
        .encode(y=alt.Y("ic50_nm:Q"), tooltip=[alt.Tooltip("label:N")])
    )
    text = (
        alt.Chart(records(label))
        .mark_text(align="left", dy=-5)  # a third of the way in, left of where the curves fall
        .encode(x=alt.XValue(fraction_of_width(0.3)), y=alt.Y("ic50_nm:Q"), text=alt.Text("label:N"))
    )
    lines = _curve_legends(lines, drawn)
    return alt.layer(lines, rules, text).properties(
        width=WIDTH, height=HEIGHT, title=full_title, description=description
    )


def _curve_legends(layer: alt.Chart, shown: bool) -> alt.Chart:
    """A copy of the concentration layer with its curve legend shown (curves drawn) or hidden (none drawn)."""
    layer = layer.copy(deep=True)
    layer.encoding.color.legend = alt.Undefined if shown else None
    layer.encoding.strokeDash.legend = CURVE_LEGEND if shown else None
    return layer
