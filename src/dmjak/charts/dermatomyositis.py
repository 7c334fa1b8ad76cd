"""Charts for notebook 01: epidemiology, classification thresholds, autoantibodies, the ISG-score lab."""

from __future__ import annotations

import altair as alt
import pandas as pd

from dmjak.charts.style import HEIGHT, OKABE_ITO, WIDTH, records, tooltips, with_layer_data

FEATURES = {
    "cancer": "Cancer",
    "lung_disease": "Lung disease",
    "calcinosis": "Calcinosis",
    "skin_ulcers": "Skin ulcers",
}
LEVELS = {
    "higher or present": OKABE_ITO["vermillion"],
    "lower": OKABE_ITO["sky"],
    "not described by this source": "#eeeeee",
}


def epidemiology_chart(epi: pd.DataFrame) -> alt.HConcatChart:
    """Incidence and prevalence estimates with 95% CIs from the two Olmsted County studies, one panel per
    measure, each axis in that measure's unit."""
    rates = epi[epi["unit"] != "% of cases"]
    studies = list(dict.fromkeys(rates["study"]))
    # One legend (colour and shape share it), below the three panels: beside them it ran past the output.
    legend = alt.Legend(orient="bottom", direction="horizontal")
    colour = alt.Color(
        "study:N",
        title="Study",
        scale=alt.Scale(domain=studies, range=[OKABE_ITO["blue"], OKABE_ITO["orange"]][: len(studies)]),
        legend=legend,
    )
    shape = alt.Shape(
        "study:N",
        title="Study",
        scale=alt.Scale(domain=studies, range=["circle", "square"][: len(studies)]),
        legend=legend,
    )
    panels = []
    for (measure, unit), rows in rates.groupby(["measure", "unit"], sort=False):
        x_title = [measure[:1].upper() + measure[1:], f"({unit})"]
        base = alt.Chart(rows).encode(y=alt.Y("study:N", title=None, sort=studies), color=colour)
        ci = base.mark_rule(strokeWidth=2).encode(x=alt.X("ci_low:Q", title=x_title), x2=alt.X2("ci_high:Q"))
        points = base.mark_point(filled=True, size=80).encode(
            x=alt.X("value:Q", title=x_title),
            shape=shape,
            tooltip=tooltips(
                "study:N",
                "period:N",
                "measure:N",
                "value:Q",
                "unit:N",
                "ci_low:Q",
                "ci_high:Q",
                "note:N",
                "source:N",
            ),
        )
        panels.append(alt.layer(ci, points).properties(width=WIDTH // 3, height=70))
    measures = "; ".join(f"{m} ({u})" for m, u in rates.groupby(["measure", "unit"], sort=False).groups)
    return alt.hconcat(*panels).properties(
        title=alt.Title(
            "How common is dermatomyositis? Two population studies from one US county",
            subtitle="Points: estimates; lines: 95% confidence intervals; each panel has its own unit",
        ),
        description=f"Dot plots of {measures} from {' and '.join(studies)}, with 95% confidence intervals.",
    )


def classification_verdict_expr(thresholds: pd.DataFrame) -> str:
    """Vega expression: 'definite', 'probable' or 'below probable' for the slider's score, per biopsy row."""
    cases = []
    for biopsy in ("without", "with"):
        cut = thresholds[thresholds["muscle_biopsy"] == biopsy].set_index("category")["min_score"]
        cases.append(
            f"datum.muscle_biopsy == '{biopsy}' ? (score >= {cut['definite']:g} ? 'definite' : "
            f"score >= {cut['probable']:g} ? 'probable' : 'below probable')"
        )
    return " : ".join(cases) + " : ''"


def classification_chart(thresholds: pd.DataFrame, score: float = 6.0) -> alt.LayerChart:
    """A number line of total scores with the probable/definite thresholds; a bound slider moves the score."""
    score_param = alt.param(
        name="score", value=score, bind=alt.binding_range(min=0, max=12, step=0.1, name="Total weighted score ")
    )
    lines = (
        alt.Chart(thresholds.assign(label=lambda d: d["category"] + " (" + d["min_score"].astype(str) + ")"))
        .mark_tick(thickness=3, size=40)
        .encode(
            x=alt.X("min_score:Q", title="Total weighted score (points)", scale=alt.Scale(domain=[0, 12])),
            y=alt.Y("muscle_biopsy:N", title="Muscle biopsy items scored"),
            color=alt.Color(
                "category:N",
                title="Threshold",
                scale=alt.Scale(domain=["probable", "definite"], range=[OKABE_ITO["orange"], OKABE_ITO["vermillion"]]),
            ),
            strokeDash=alt.StrokeDash(
                "category:N",
                title="Threshold",
                scale=alt.Scale(domain=["probable", "definite"], range=[[3, 2], [1, 0]]),
            ),
            tooltip=tooltips(
                "category:N",
                "muscle_biopsy:N",
                "min_score:Q",
                "probability:N",
                "sensitivity_pct:Q",
                "specificity_pct:Q",
                "source:N",
            ),
        )
    )
    labels = lines.mark_text(dy=-26).encode(text=alt.Text("label:N"))
    marker = (
        alt.Chart(pd.DataFrame({"muscle_biopsy": ["without", "with"]}))
        .transform_calculate(score="score")
        .mark_point(shape="triangle-down", size=160, filled=True, color=OKABE_ITO["black"])
        .encode(
            x=alt.X("score:Q", title="Total weighted score (points)"),
            y=alt.Y("muscle_biopsy:N", title="Muscle biopsy items scored"),
            tooltip=[alt.Tooltip("score:Q", title="Your score")],
        )
    )
    # The verdict in words beside each triangle: the same rule as models.classification.classify_score.
    verdict = (
        alt.Chart(pd.DataFrame({"muscle_biopsy": ["without", "with"]}))
        .transform_calculate(score="score", verdict=classification_verdict_expr(thresholds))
        .mark_text(align="center", baseline="top", dy=10, fontWeight="bold")
        .encode(
            x=alt.X("score:Q", title="Total weighted score (points)"),
            y=alt.Y("muscle_biopsy:N", title="Muscle biopsy items scored"),
            text=alt.Text("verdict:N"),
        )
    )
    return (
        alt.layer(lines, labels, marker, verdict)
        .add_params(score_param)
        .properties(
            width=WIDTH,
            # rows 90 px apart: a threshold's label above one row's tick clears the verdict under the other's
            # triangle at projector text size (18-20 px)
            height=180,
            title=alt.Title(
                "EULAR/ACR 2017: how a total score is read",
                subtitle=[
                    "Ticks: thresholds for probable (>=55%) and definite (>=90%) inflammatory myopathy.",
                    "Move the slider: each triangle shows where that score falls, and says what it classifies as.",
                ],
            ),
            description="Number line of EULAR/ACR 2017 total scores: "
            + "; ".join(
                f"{r.category} at {r.min_score:g} {r.muscle_biopsy} biopsy items" for r in thresholds.itertuples()
            )
            + f"; a triangle marks the score set with the slider (first drawn at {score:g}).",
        )
    )


def association_level(text) -> str:
    """Sort a source's wording into higher-or-present / lower / not described (for the colour scale)."""
    if not isinstance(text, str) or not text:
        return "not described by this source"
    return "lower" if text.startswith("lower") else "higher or present"


def autoantibody_chart(antibodies: pd.DataFrame, selected: str = "anti-NXP2") -> alt.LayerChart:
    """Antibody x feature grid; the bound selector highlights one antibody; course patients are labelled."""
    long = antibodies.melt(
        id_vars=["antibody", "course_patient", "source"],
        value_vars=list(FEATURES),
        var_name="feature",
        value_name="finding",
    )
    long["feature"] = long["feature"].map(FEATURES)
    long["level"] = long["finding"].map(association_level)
    long["level_symbol"] = long["level"].map({"lower": "−", "higher or present": "+"}).fillna("")
    long["finding"] = long["finding"].fillna("not described by this source")
    long["row"] = long["antibody"] + long["course_patient"].map(
        lambda p: f"  (patient {p})" if isinstance(p, str) else ""
    )
    pick = alt.param(
        name="antibody", value=selected, bind=alt.binding_select(options=list(antibodies["antibody"]), name="Antibody ")
    )
    cells = (
        alt.Chart(long)
        .mark_rect(stroke=OKABE_ITO["black"])
        .encode(
            x=alt.X("feature:N", title=None, sort=list(FEATURES.values()), axis=alt.Axis(labelAngle=0, orient="top")),
            y=alt.Y("row:N", title=None, sort=list(long["row"].unique()), axis=alt.Axis(labelLimit=220)),
            color=alt.Color(
                "level:N",
                title="Reported association",
                scale=alt.Scale(domain=list(LEVELS), range=list(LEVELS.values())),
            ),
            opacity=alt.condition("datum.antibody == antibody", alt.value(1.0), alt.OpacityValue(0.35)),
            strokeWidth=alt.condition("datum.antibody == antibody", alt.value(2.5), alt.StrokeWidthValue(0.5)),
            tooltip=tooltips("antibody:N", "feature:N", "finding:N", "source:N"),
        )
    )
    marks = (
        alt.Chart(long)
        .mark_text(fontSize=13)
        .encode(
            x=alt.X("feature:N", sort=list(FEATURES.values())),
            y=alt.Y("row:N", sort=list(long["row"].unique())),
            text=alt.Text("level_symbol:N"),
            tooltip=tooltips("antibody:N", "feature:N", "finding:N", "source:N"),
        )
    )
    return (
        alt.layer(cells, marks)
        .add_params(pick)
        .properties(
            width=WIDTH * 0.7,
            height=200,
            title=alt.Title(
                "Dermatomyositis autoantibodies and what each was linked to",
                subtitle="+ higher or present, − lower; empty: not described by the cited cohort. "
                "Pick an antibody to highlight it.",
            ),
            description=f"Grid of {len(antibodies)} DM autoantibodies against "
            f"{', '.join(f.lower() for f in FEATURES.values())}"
            + "".join(
                f"; patient {r.course_patient} has {r.antibody}"
                for r in antibodies.dropna(subset=["course_patient"]).itertuples()
            )
            + ".",
        )
    )


CHOSEN = "patient on the sliders"


def isg_lab_chart(scores: pd.DataFrame, edited: dict, cutoff: float, like: alt.LayerChart | None = None):
    """Strip plot of simulated interferon scores with one edited patient and the positivity cut-off.

    ``edited`` holds the patient's id, score and whether the student ``changed`` a gene (only then is the
    patient called edited). Pass the shown chart as ``like`` for a fast update.
    """
    point = pd.DataFrame([{"group": CHOSEN, "score": edited["score"], "sample_id": edited["sample_id"]}])
    rule = pd.DataFrame({"cutoff": [cutoff], "label": [f"cut-off {cutoff:.3g}"]})
    verdict = "positive" if edited["score"] > cutoff else "negative"
    who = f"{edited['sample_id']}{' (edited)' if edited.get('changed', True) else ''}"
    title = alt.Title(
        f"SIMULATED data: {who} scores {edited['score']:.2f}, {verdict} at a cut-off of {cutoff:.3g}",
        subtitle="Each dot is a simulated sample; red diamond: the patient on the sliders; the score axis is "
        "logarithmic; dashed line: cut-off",
    )
    description = (
        f"Strip plot of simulated interferon scores for healthy controls and DM patients; {who} "
        f"scores {edited['score']:.2f}, which is {verdict} at a cut-off of {cutoff:.3g}."
    )
    datasets = [records(scores[["sample_id", "group", "score"]]), records(point), records(rule)]
    if like is not None:
        return with_layer_data(like, datasets, title, description)
    y = alt.Y(
        "score:Q",
        title="Interferon score (median fold change, log scale)",
        scale=alt.Scale(type="log"),
        # one label per half decade: the default 1-2-3-5 labels collide at projector text size
        axis=alt.Axis(values=[0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100, 300, 1000]),
    )
    groups = ["healthy control", "DM patient"]
    x = alt.X("group:N", title=None, axis=alt.Axis(labelAngle=0), sort=[*groups, CHOSEN])
    dots = (
        alt.Chart(datasets[0])
        .mark_point(filled=False, size=40)
        .encode(
            x=x,
            y=y,
            xOffset=alt.XOffset("jitter:Q"),
            color=alt.Color(
                "group:N",
                title="Simulated group",
                scale=alt.Scale(domain=groups, range=[OKABE_ITO["blue"], OKABE_ITO["orange"]]),
            ),
            shape=alt.Shape(
                "group:N", title="Simulated group", scale=alt.Scale(domain=groups, range=["square", "circle"])
            ),
            tooltip=tooltips("sample_id:N", "group:N", alt.Tooltip("score:Q", format=".2f")),
        )
        # Deterministic jitter (golden-ratio sequence over the rows): Vega's random() gave a different
        # picture, and a different executed notebook, on every run.
        .transform_window(row="row_number()")
        .transform_calculate(jitter="(datum.row * 0.6180339887) % 1")
    )
    star = (
        alt.Chart(datasets[1])
        .mark_point(shape="diamond", size=260, filled=True, color=OKABE_ITO["vermillion"], stroke=OKABE_ITO["black"])
        .encode(x=x, y=y, tooltip=tooltips("sample_id:N", alt.Tooltip("score:Q", format=".2f")))
    )
    cut = (
        alt.Chart(datasets[2])
        .mark_rule(strokeDash=[6, 3], color=OKABE_ITO["black"])
        .encode(y=alt.Y("cutoff:Q"), tooltip=[alt.Tooltip("label:N")])
    )
    return alt.layer(dots, star, cut).properties(width=WIDTH, height=HEIGHT, title=title, description=description)
