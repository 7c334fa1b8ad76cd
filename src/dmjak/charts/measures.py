"""Charts for notebook 04: a CDASI change on the severity bands, the DLQI calculator, measures compared."""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from dmjak.charts.style import EVIDENCE_DASH, HEIGHT, OKABE_ITO, WIDTH, records, tooltips, with_layer_data
from dmjak.models import cdasi
from dmjak.models.thresholds import threshold

DOMAIN_ORDER = [
    "symptoms and feelings",
    "daily activities",
    "leisure",
    "work and school",
    "personal relationships",
    "treatment",
]
DOMAIN_COLOURS = [OKABE_ITO[c] for c in ("vermillion", "orange", "yellow", "green", "sky", "blue")]
DOMAIN_SHORT = dict(zip(DOMAIN_ORDER, ["SF", "DA", "L", "WS", "PR", "T"], strict=True))
DOMAIN_KEY = (
    "Letters: SF symptoms and feelings, DA daily activities, L leisure, WS work and school, "
    "PR personal relationships, T treatment"
)


CDASI_AXIS = "CDASI activity score (points; higher = more active skin)"


def _vega_string(text: str) -> str:
    """``text`` as a Vega expression string literal."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def cdasi_verdict_expr() -> str:
    """The slider verdict as a Vega expression: the same cases and words as ``cdasi.verdict_lines``."""
    words = {k: _vega_string(v) for k, v in cdasi.verdict_messages().items()}
    low, high = threshold("cdasi_activity", "mcid_low"), threshold("cdasi_activity", "mcid_high")
    size = "abs(after - before)"

    def mcid(way: str) -> str:
        both, upenn, small = (words[f"{way}_{k}"] for k in ("both", "upenn", "small"))
        return f"({size} >= {high:g} ? {both} : {size} >= {low:g} ? {upenn} : {small})"

    head = "'Change: ' + (after > before ? '+' : '') + toString(after - before) + ' points: '"
    return (
        f"after == before ? [{head} + {words['none']}, {words['none_mcid']}] : "
        f"after < before ? [{head} + {words['better']}, {mcid('better')}] : "
        f"[{head} + {words['worse']}, {mcid('worse')}]"
    )


def cdasi_change_chart(before: float = 28, after: float = 20) -> alt.LayerChart:
    """CDASI activity before and after on the published bands; sliders move both, text judges the change.

    The axis and sliders run to 50 (the validation cohorts' scores reached 48, Anyanwu2015) or further when
    a parameter asks for more; the "after" marker points the way the score moved.
    """
    mild, upenn = threshold("cdasi_activity", "mild_max_stanford"), threshold("cdasi_activity", "mild_moderate_upenn")
    low, high = threshold("cdasi_activity", "mcid_low"), threshold("cdasi_activity", "mcid_high")
    top = max(50, 10 * math.ceil(max(before, after) / 10))
    p_before = alt.param(
        name="before", value=before, bind=alt.binding_range(min=0, max=top, step=1, name="CDASI activity before ")
    )
    p_after = alt.param(
        name="after", value=after, bind=alt.binding_range(min=0, max=top, step=1, name="CDASI activity after ")
    )
    bands = pd.DataFrame(
        [
            {"from": 0, "to": mild, "band": f"mild (<= {mild:g}, Stanford)", "band_label": "mild"},
            {"from": mild, "to": upenn, "band": f"between ({mild:g}-{upenn:g})", "band_label": "between"},
            {
                "from": upenn,
                "to": top,
                "band": f"moderate-severe (>= {upenn:g}, UPenn)",
                "band_label": "moderate-severe",
            },
        ]
    )
    shade = (
        alt.Chart(bands)
        .mark_rect(opacity=0.35)
        .encode(
            x=alt.X(
                "from:Q",
                title=CDASI_AXIS,
                scale=alt.Scale(domain=[0, top]),
            ),
            x2=alt.X2("to:Q"),
            color=alt.Color(
                "band:N",
                title="Published severity bands",
                sort=list(bands["band"]),
                scale=alt.Scale(range=[OKABE_ITO["green"], OKABE_ITO["yellow"], OKABE_ITO["vermillion"]]),
                legend=alt.Legend(labelLimit=260),
            ),
            tooltip=[alt.Tooltip("band:N")],
        )
    )
    # Short names low inside each band (the legend gives the cut-offs): horizontal, clear of the axis numbers.
    band_names = (
        alt.Chart(bands.assign(middle=(bands["from"] + bands["to"]) / 2))
        .mark_text(baseline="bottom", dy=-4, fontStyle="italic")
        .encode(x=alt.X("middle:Q"), y=alt.YValue({"expr": "height"}), text=alt.Text("band_label:N"))
    )
    pair = alt.Chart(pd.DataFrame({"visit": ["before", "after"]})).transform_calculate(
        score="datum.visit == 'before' ? before : after"
    )
    arrow = pair.mark_line(strokeWidth=3, color=OKABE_ITO["black"]).encode(
        x=alt.X("score:Q", title=CDASI_AXIS), y=alt.YValue({"expr": "height * 0.5"})
    )
    # Before: a circle. After: a triangle pointing the way the score moved (a square when it did not move).
    after_shape = alt.ExprRef("after < before ? 'triangle-left' : after > before ? 'triangle-right' : 'square'")
    dots = [
        pair.transform_filter(f"datum.visit == '{visit}'")
        .mark_point(size=220, filled=True, shape=shape, color=OKABE_ITO["black"])
        .encode(
            x=alt.X("score:Q", title=CDASI_AXIS),
            y=alt.YValue({"expr": "height * 0.5"}),
            tooltip=tooltips("visit:N", "score:Q"),
        )
        for visit, shape in (("before", "circle"), ("after", after_shape))
    ]
    verdict = (
        alt.Chart(pd.DataFrame({"x": [0]}))
        .transform_calculate(text=cdasi_verdict_expr())
        .mark_text(align="left", baseline="top", fontSize=13, fontWeight="bold", lineHeight=17)
        .encode(x=alt.XValue(4), y=alt.YValue(6), text=alt.Text("text:N"))
    )
    return (
        alt.layer(shade, band_names, arrow, *dots, verdict)
        .add_params(p_before, p_after)
        .properties(
            width=WIDTH,
            height=HEIGHT * 0.6,
            title=alt.Title(
                "Reading a change in CDASI activity",
                subtitle=[
                    "Circle: before; triangle: after, pointing the way the score moved.",
                    f"A meaningful improvement (MCID) is a fall of {low:g}-{high:g} points. Move the sliders.",
                ],
            ),
            description=f"Number line of CDASI activity (0 to {top}) with mild (<= {mild:g}) and moderate-to-severe "
            f"(>= {upenn:g}) bands; markers for the before and after scores set with the sliders (first drawn at "
            f"{before:g} and {after:g}: {cdasi.change_verdict(before, after)}) and a verdict that follows the sliders.",
        )
    )


def dlqi_long(items: pd.DataFrame, visits: dict[str, dict[int, int]]) -> pd.DataFrame:
    """Item scores per visit with their domain (for a stacked bar)."""
    domains = items.set_index("item")["domain"]
    rows = [
        {"visit": v, "item": i, "domain": domains[i], "domain_label": DOMAIN_SHORT[domains[i]], "score": s}
        for v, scores in visits.items()
        for i, s in scores.items()
    ]
    return pd.DataFrame(rows)


BAND_ROW = "DLQI band"


def dlqi_chart(
    items: pd.DataFrame, visits: dict[str, dict[int, int]], title: str, like: alt.LayerChart | None = None
) -> alt.LayerChart:
    """Stacked item scores per visit, coloured by domain, against the Hongbo band boundaries."""
    data = records(dlqi_long(items, visits))
    bounds = pd.DataFrame(
        [
            {"total": threshold("dlqi", n) + 0.5, "label": label}
            for n, label in [
                ("band_no_effect_max", "no effect | small"),
                ("band_small_max", "small | moderate"),
                ("band_moderate_max", "moderate | very large"),
                ("band_very_large_max", "very large | extremely large"),
            ]
        ]
    )
    # Band names in a row of their own above the bars, each centred in its band (no text on the bars).
    edges = [0, *bounds["total"], 30]
    names = pd.DataFrame(
        {
            "middle": [(a + b) / 2 for a, b in zip(edges, edges[1:], strict=False)],
            "band": ["none", "small", "moderate", "very large", "extremely large"],
            "row": BAND_ROW,
        }
    )
    full_title = alt.Title(
        title, subtitle=["Bars: item scores stacked by domain; dotted lines: band boundaries (top row)", DOMAIN_KEY]
    )
    description = f"Stacked bar chart of DLQI item scores by domain for two visits. {title}."
    if like is not None:
        return with_layer_data(like, [data, data, records(bounds), records(names)], full_title, description)
    rows = [BAND_ROW, *visits]
    bars = (
        alt.Chart(data)
        .mark_bar(stroke="white")
        .encode(
            y=alt.Y("visit:N", title=None, sort=rows),
            x=alt.X("sum(score):Q", title="DLQI total (points, 0-30)", scale=alt.Scale(domain=[0, 30])),
            color=alt.Color(
                "domain:N",
                title="Domain",
                sort=DOMAIN_ORDER,
                scale=alt.Scale(domain=DOMAIN_ORDER, range=DOMAIN_COLOURS),
            ),
            order=alt.Order("item:Q"),
            tooltip=tooltips("visit:N", "item:Q", "domain:N", "score:Q"),
        )
    )
    letters = (
        alt.Chart(data)
        .mark_text(align="right", dx=-3)
        .encode(
            y=alt.Y("visit:N", sort=rows),
            x=alt.X("sum(score):Q", stack="zero"),
            order=alt.Order("item:Q"),
            detail=alt.Detail("item:N"),
            text=alt.Text("domain_label:N"),
        )
        .transform_filter("datum.score > 0")
    )
    rules = (
        alt.Chart(records(bounds))
        .mark_rule(strokeDash=[2, 2], color=OKABE_ITO["black"])
        .encode(x=alt.X("total:Q"), tooltip=[alt.Tooltip("label:N")])
    )
    text = (
        alt.Chart(records(names))
        .mark_text(fontStyle="italic")
        .encode(
            x=alt.X("middle:Q"), y=alt.Y("row:N", sort=rows), text=alt.Text("band:N"), tooltip=[alt.Tooltip("band:N")]
        )
    )
    return alt.layer(bars, letters, rules, text).properties(
        width=WIDTH, height=170, title=full_title, description=description
    )


def measures_comparison_chart(changes: pd.DataFrame) -> alt.Chart:
    """Illustrative change by week 4 on each measure, as a percentage of its baseline."""
    return (
        alt.Chart(changes)
        .mark_bar(stroke=OKABE_ITO["black"], strokeWidth=1.5, fillOpacity=0.35)
        .encode(
            x=alt.X("percent_change:Q", title="Change from baseline by week 4 (%)", scale=alt.Scale(domain=[-100, 0])),
            y=alt.Y("measure_label:N", title=None, axis=alt.Axis(labelLimit=280)),
            color=alt.Color(
                "measure_label:N",
                legend=None,
                scale=alt.Scale(range=[OKABE_ITO["blue"], OKABE_ITO["orange"], OKABE_ITO["green"]]),
            ),
            # No legend: every bar here is illustrative (an entry for "reported" would name nothing drawn);
            # the subtitle says what the dashed outline means.
            strokeDash=alt.StrokeDash(
                "evidence:N",
                legend=None,
                scale=alt.Scale(domain=list(EVIDENCE_DASH), range=list(EVIDENCE_DASH.values())),
            ),
            tooltip=tooltips(
                "measure_label:N",
                "baseline:Q",
                "week_4:Q",
                alt.Tooltip("percent_change:Q", format=".0f"),
                "evidence:N",
                "assumption_set:N",
            ),
        )
        .properties(
            width=WIDTH,
            height=110,
            title=alt.Title(
                "One patient, three measures: illustrative changes by week 4",
                subtitle="Pale bars with dashed outlines: illustrative reconstructions (the course's fast "
                "assumptions), not measurements",
            ),
            description="Bar chart of the illustrative percentage fall by week 4 in CDASI activity, DLQI and "
            "interferon-stimulated genes for one reconstruction.",
        )
    )
