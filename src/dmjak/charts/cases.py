"""Charts for the three baricitinib cases. Each function takes tables and options, returns a chart.

Every chart that shows a score draws illustrative values dashed with hollow points, with an
"Evidence" legend and a caption saying they are reconstructions (see ``style``).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from dmjak.charts.style import (
    HEIGHT,
    ILLUSTRATIVE_CAPTION,
    OKABE_ITO,
    WIDTH,
    evidence_dash,
    patient_colour,
    records,
    with_layer_data,
)
from dmjak.models.reconstruction import MEASURE_LABELS, PATIENTS, statements_for
from dmjak.models.thresholds import threshold

WINDOW = (-12, 26)  # weeks shown around the baricitinib start
ROLE_DASH = {"prior": [1, 0], "stopped": [2, 2], "continued": [6, 2], "started": [1, 0]}
ROLE_COLOURS = {
    "prior": OKABE_ITO["grey"],
    "stopped": OKABE_ITO["orange"],
    "continued": OKABE_ITO["purple"],
    "started": OKABE_ITO["blue"],
}
STATUS_COLOURS = {"held": OKABE_ITO["green"], "violated": OKABE_ITO["vermillion"], "open": OKABE_ITO["grey"]}
STATUS_DASH = {"held": [1, 0], "violated": [8, 3], "open": [2, 2]}


TIMING = ["dates reported", "dates not reported"]


def role_colour() -> alt.Color:
    """Treatment bars coloured by the drug's role around the baricitinib start."""
    return alt.Color(
        "role:N", title="Drug role", scale=alt.Scale(domain=list(ROLE_COLOURS), range=list(ROLE_COLOURS.values()))
    )


def timing_opacity() -> alt.Opacity:
    """Bars whose dates were not reported are drawn faded."""
    return alt.Opacity("timing:N", title="Timing", scale=alt.Scale(domain=TIMING, range=[0.95, 0.35]))


def patient_shape() -> alt.Shape:
    """Patients told apart by marker shape as well as colour (legend merged with the colour legend)."""
    return alt.Shape(
        "patient_id:N",
        title="Patient",
        scale=alt.Scale(domain=list(PATIENTS), range=["circle", "square", "triangle-up"]),
    )


def selected(patient: str) -> list[str]:
    """Patient ids for a selector value: 'all' -> P1, P2, P3."""
    return list(PATIENTS) if patient == "all" else [patient]


def timeline_rows(treatments: pd.DataFrame, window: tuple[float, float] = WINDOW) -> pd.DataFrame:
    """Bars to draw for each treatment; an unreported start or end is drawn to the window's edge."""
    start_default = {"prior": window[0], "stopped": window[0], "continued": window[0], "started": 0}
    end_default = {"prior": 0, "stopped": 0, "continued": window[1], "started": window[1]}
    rows = treatments.copy()
    rows["start_reported"] = rows["start_week"].notna()
    rows["end_reported"] = rows["end_week"].notna()
    rows["draw_start"] = rows["start_week"].astype(float).fillna(rows["role"].map(start_default)).clip(*window)
    rows["draw_end"] = rows["end_week"].astype(float).fillna(rows["role"].map(end_default)).clip(*window)
    rows["timing"] = (rows["start_reported"] & rows["end_reported"]).map(
        {True: "dates reported", False: "dates not reported"}
    )
    rows["row"] = rows["patient_id"] + " · " + rows["drug"]
    rows["dose"] = rows["dose"].fillna("not reported")
    return rows


def one_label_per_week(frame: pd.DataFrame, week_column: str) -> pd.DataFrame:
    """Join the labels that fall on the same week, so that annotations never overprint."""
    return frame.groupby(week_column, as_index=False).agg(label=("label", lambda s: "; ".join(dict.fromkeys(s))))


def timeline_chart(
    treatments: pd.DataFrame, events: pd.DataFrame, patient: str = "all", window: tuple[float, float] = WINDOW
) -> alt.LayerChart:
    """Drug exposure before and after baricitinib (week 0) with reported events as markers."""
    ids = selected(patient)
    rows = timeline_rows(treatments[treatments["patient_id"].isin(ids)], window)
    order = list(rows["row"])
    bars = (
        alt.Chart(rows)
        .mark_bar(height=12, stroke=OKABE_ITO["black"], strokeWidth=1)
        .encode(
            x=alt.X(
                "draw_start:Q", title="Weeks from baricitinib start", scale=alt.Scale(domain=list(window), nice=False)
            ),
            x2="draw_end:Q",
            y=alt.Y("row:N", sort=order, title=None, axis=alt.Axis(labelLimit=220)),
            color=role_colour(),
            opacity=timing_opacity(),
            strokeDash=alt.StrokeDash(
                "timing:N",
                title="Timing",
                scale=alt.Scale(domain=TIMING, range=[[1, 0], [4, 3]]),
            ),
            tooltip=[
                alt.Tooltip("patient_id:N", title="Patient"),
                alt.Tooltip("drug:N", title="Drug"),
                alt.Tooltip("dose:N", title="Dose"),
                alt.Tooltip("role:N", title="Role"),
                alt.Tooltip("timing_note:N", title="Timing"),
                alt.Tooltip("source:N", title="Source"),
            ],
        )
    )
    role_text = (
        alt.Chart(rows)
        .mark_text(align="right", dx=-4, fontSize=10, color=OKABE_ITO["black"])
        .encode(x="draw_end:Q", y=alt.Y("row:N", sort=order), text=alt.Text("role:N"))
    )
    not_reported = (
        alt.Chart(rows[rows["timing"] == "dates not reported"])
        .mark_text(align="left", dx=4, fontSize=10, fontStyle="italic", color=OKABE_ITO["black"])
        .encode(x="draw_start:Q", y=alt.Y("row:N", sort=order), text=alt.value("dates not reported"))
    )
    timed = events[events["week"].notna()].copy()
    timed = timed[timed["patient_id"].isin(ids + ["series"])]
    start = (
        alt.Chart(pd.DataFrame({"week": [0], "label": ["baricitinib start"]}))
        .mark_rule(color=OKABE_ITO["blue"], strokeWidth=2)
        .encode(x="week:Q", tooltip=[alt.Tooltip("label:N", title="Event")])
    )
    marks = (
        alt.Chart(timed[timed["event"] != "baricitinib start"])
        .mark_rule(strokeDash=[2, 2])
        .encode(
            x="week:Q",
            color=alt.value(OKABE_ITO["black"]),
            tooltip=[
                alt.Tooltip("patient_id:N", title="Patient"),
                alt.Tooltip("event:N", title="Event"),
                alt.Tooltip("timing:N", title="When (as reported)"),
                alt.Tooltip("description:N", title="What"),
                alt.Tooltip("source:N", title="Source"),
            ],
        )
    )
    labelled = timed[timed["event"] != "baricitinib start"].assign(
        label=lambda d: d["patient_id"].str.replace("series", "all") + ": " + d["event"] + " (" + d["timing"] + ")"
    )
    labels = (
        alt.Chart(one_label_per_week(labelled, "week"))
        .mark_text(align="left", angle=270, dx=4, dy=-4, fontSize=10, baseline="bottom")
        .encode(x="week:Q", y=alt.value(0), text="label:N")
    )
    who = "all three patients" if patient == "all" else patient
    return (bars + role_text + not_reported + start + marks + labels).properties(
        width=WIDTH,
        height=max(16 * len(rows), 120),
        title=alt.Title(
            f"Treatments and reported events around baricitinib: {who}",
            subtitle="Faded, dashed bars: start or end not reported, drawn to the edge of the window",
        ),
        description=(
            f"Timeline of {len(rows)} treatments for {who}, in weeks from the start of baricitinib, "
            "with reported events as vertical lines. Most drug dates were not reported."
        ),
    )


def _reference_layers(measure: str, baseline: float, weeks_max: int) -> list[alt.Chart]:
    """MCID band below the baseline and published cut-offs for ``measure``."""
    layers = []
    if measure in ("cdasi_activity", "dlqi"):
        mcid = threshold(measure, "mcid_high" if measure == "cdasi_activity" else "mcid")
        band = pd.DataFrame(
            {
                "x": [0],
                "x2": [weeks_max],
                "y": [baseline - mcid],
                "y2": [baseline],
                "label": [f"within the MCID ({mcid:g} points) of baseline: not a meaningful change"],
            }
        )
        layers.append(
            alt.Chart(band)
            .mark_rect(color=OKABE_ITO["grey"], opacity=0.25)
            .encode(x="x:Q", x2="x2:Q", y="y:Q", y2="y2:Q", tooltip=[alt.Tooltip("label:N", title="Band")])
        )
        layers.append(
            alt.Chart(band)
            .mark_text(align="right", dy=-4, fontSize=10)
            .encode(
                x=alt.value(WIDTH * 0.78),
                y="y2:Q",
                text=alt.value(f"grey band: less than the MCID ({mcid:g}) below baseline"),
            )
        )
    cuts = {
        "cdasi_activity": [
            ("mild_max_stanford", "14: mild at Stanford"),
            ("mild_moderate_upenn", "19: mild vs moderate at UPenn"),
            ("quality_of_life_floor", "4: 'resolved' in the course's check"),
        ],
        "dlqi": [
            ("band_no_effect_max", "0-1 no effect"),
            ("band_small_max", "2-5 small"),
            ("band_moderate_max", "6-10 moderate"),
            ("band_very_large_max", "11-20 very large"),
        ],
    }.get(measure, [])
    if cuts:
        frame = pd.DataFrame([{"y": threshold(measure, name), "label": label} for name, label in cuts])
        frame = frame[frame["y"] <= baseline * 1.1]  # only cut-offs inside the plotted range
        rule = (
            alt.Chart(frame)
            .mark_rule(color=OKABE_ITO["black"], strokeDash=[1, 3])
            .encode(y="y:Q", tooltip=[alt.Tooltip("label:N", title="Published cut-off")])
        )
        text = (
            alt.Chart(frame)
            .mark_text(align="right", dy=-4, fontSize=10)
            .encode(x=alt.value(WIDTH * 0.78), y="y:Q", text="label:N")
        )
        layers += [rule, text]
    return layers


def _statement_layers(statements: pd.DataFrame) -> list[alt.Chart]:
    """Vertical lines where the publication reported something, labelled with what it said."""
    timed = statements[statements["bound_weeks"].notna()].copy()
    if timed.empty:
        return []
    timed["who"] = timed["patient_id"].str.replace("series", "all")
    grouped = timed.groupby(["bound_weeks", "direction"], as_index=False).agg(
        who=("who", lambda s: ", ".join(dict.fromkeys(s))), bound=("bound", "first")
    )
    grouped["label"] = (
        grouped["who"] + ": " + grouped["direction"] + " " + grouped["bound"].str.replace("less than", "within")
    )
    rule = (
        alt.Chart(timed)
        .mark_rule(color=OKABE_ITO["black"], strokeDash=[6, 2])
        .encode(
            x="bound_weeks:Q",
            tooltip=[
                alt.Tooltip("patient_id:N", title="Who"),
                alt.Tooltip("paraphrase:N", title="Reported"),
                alt.Tooltip("source:N", title="Source"),
            ],
        )
    )
    text = (
        alt.Chart(one_label_per_week(grouped, "bound_weeks"))
        .mark_text(align="left", angle=270, dx=6, dy=-3, fontSize=10, baseline="bottom")
        .encode(x="bound_weeks:Q", y=alt.value(HEIGHT), text=alt.Text("label:N"))
    )
    return [rule, text]


def trajectory_chart(
    curves: pd.DataFrame, statements: pd.DataFrame, measure: str, patient: str = "all", show_illustrative: bool = True
) -> alt.LayerChart:
    """One measure over time for the selected patient(s), with what was reported and published cut-offs."""
    ids = selected(patient)
    data = curves[(curves["measure"] == measure) & curves["patient_id"].isin(ids)]
    if not show_illustrative:
        data = data[data["evidence"] != "illustrative"]
    binding = pd.concat([statements_for(p, statements) for p in ids]).drop_duplicates("statement_id")
    binding = binding[binding["measure"] == measure]
    weeks_max = int(curves["week"].max())
    baseline = float(curves.loc[(curves["measure"] == measure) & (curves["week"] == 0), "value"].max())
    base = alt.Chart(data).encode(
        x=alt.X("week:Q", title="Weeks from baricitinib start", scale=alt.Scale(domain=[0, weeks_max])),
        y=alt.Y("value:Q", title=MEASURE_LABELS[measure], scale=alt.Scale(domain=[0, baseline * 1.1])),
        color=patient_colour(),
        tooltip=[
            alt.Tooltip("patient_id:N", title="Patient"),
            alt.Tooltip("week:Q", title="Week"),
            alt.Tooltip("value:Q", title="Value", format=".1f"),
            alt.Tooltip("evidence:N", title="Evidence"),
            alt.Tooltip("assumption_set:N", title="Assumptions"),
        ],
    )
    line = base.mark_line(strokeWidth=2).encode(strokeDash=evidence_dash())
    points = base.mark_point(filled=False, size=30).encode(shape=patient_shape())
    layers = _reference_layers(measure, baseline, weeks_max) + [line, points] + _statement_layers(binding)
    who = "all three patients" if patient == "all" else patient
    shown = "illustrative reconstruction" if show_illustrative else "reported values only (none exist)"
    return alt.layer(*layers).properties(
        width=WIDTH,
        height=HEIGHT,
        title=alt.Title(
            f"{MEASURE_LABELS[measure]}, {who}: {shown}",
            subtitle=[ILLUSTRATIVE_CAPTION, "Long-dashed vertical lines: what the publication reported, and by when."]
            + (["The three patients share one set of assumptions, so their curves coincide."] if len(ids) > 1 else []),
        ),
        description=(
            f"Illustrative weekly {MEASURE_LABELS[measure]} for {who} after starting baricitinib, drawn "
            "dashed because no numeric values were reported; vertical lines mark the reported statements."
        ),
    )


def small_multiples(curves: pd.DataFrame) -> alt.FacetChart:
    """Every measure (rows) for every patient (columns): the cross-patient comparison."""
    data = curves.assign(measure_label=curves["measure"].map(MEASURE_LABELS))[
        ["patient_id", "measure_label", "week", "value", "evidence"]
    ]
    return (
        alt.Chart(data)
        .mark_line(strokeWidth=2)
        .encode(
            x=alt.X("week:Q", title="Weeks from baricitinib start"),
            y=alt.Y("value:Q", title="Illustrative value"),
            color=patient_colour(),
            strokeDash=evidence_dash(),
            tooltip=["patient_id:N", "measure_label:N", "week:Q", alt.Tooltip("value:Q", format=".1f"), "evidence:N"],
        )
        .properties(width=170, height=120)
        .facet(
            row=alt.Row("measure_label:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left")),
            column=alt.Column("patient_id:N", title="Patient"),
        )
        .resolve_scale(y="independent")
        .properties(
            title=alt.Title(
                "The three patients side by side: every curve is an illustrative reconstruction",
                subtitle=[
                    "The same assumptions were used for all three: the report gives no numbers that "
                    "would tell them apart.",
                    ILLUSTRATIVE_CAPTION,
                ],
            ),
            description="Grid of illustrative trajectories: rows are CDASI activity, DLQI and interferon genes; "
            "columns are patients P1 to P3. The curves are identical by construction.",
        )
    )


def explorer_chart(
    treatments: pd.DataFrame,
    events: pd.DataFrame,
    curves: pd.DataFrame,
    patient: str = "all",
    measure: str = "cdasi_activity",
) -> alt.VConcatChart:
    """Timeline above trajectories. Brushing the timeline zooms the trajectories; the patient, measure and
    illustrative controls are Vega parameters, so interacting never calls back into Python."""
    brush = alt.selection_interval(encodings=["x"], name="window")
    who = alt.param(name="patient", value=patient, bind=alt.binding_select(options=["all", *PATIENTS], name="Patient "))
    which = alt.param(
        name="measure",
        value=measure,
        bind=alt.binding_select(options=list(MEASURE_LABELS), labels=list(MEASURE_LABELS.values()), name="Measure "),
    )
    show = alt.param(name="show_illustrative", value=True, bind=alt.binding_checkbox(name="Show illustrative values "))
    rows = timeline_rows(treatments)
    timeline = (
        alt.Chart(rows)
        .mark_bar(height=10, stroke=OKABE_ITO["black"], strokeWidth=1)
        .encode(
            x=alt.X(
                "draw_start:Q",
                title="Weeks from baricitinib start (drag to zoom the chart below)",
                scale=alt.Scale(domain=list(WINDOW)),
            ),
            x2="draw_end:Q",
            y=alt.Y("row:N", sort=list(rows["row"]), title=None, axis=alt.Axis(labelLimit=200)),
            color=role_colour(),
            opacity=timing_opacity(),
            strokeDash=alt.StrokeDash(
                "role:N", title="Drug role", scale=alt.Scale(domain=list(ROLE_DASH), range=list(ROLE_DASH.values()))
            ),
            tooltip=["patient_id:N", "drug:N", "dose:N", "role:N", "timing_note:N", "source:N"],
        )
        .transform_filter("patient == 'all' || datum.patient_id == patient")
        .add_params(brush, who)
        .properties(width=WIDTH, height=170, title="Treatments (faded: dates not reported)")
    )
    data = curves[curves["assumption_set"].str.endswith("-fast")][
        ["patient_id", "measure", "assumption_set", "week", "value", "evidence"]
    ]
    trajectories = (
        alt.Chart(data)
        .mark_line(point=alt.OverlayMarkDef(filled=False, size=26))
        .encode(
            x=alt.X("week:Q", title="Weeks from baricitinib start", scale=alt.Scale(domain=brush)),
            y=alt.Y("value:Q", title="Illustrative value (unit in tooltip)"),
            color=patient_colour(),
            shape=patient_shape(),
            strokeDash=evidence_dash(),
            tooltip=[
                "patient_id:N",
                "measure:N",
                "week:Q",
                alt.Tooltip("value:Q", format=".1f"),
                "evidence:N",
                "assumption_set:N",
            ],
        )
        .transform_filter("patient == 'all' || datum.patient_id == patient")
        .transform_filter("datum.measure == measure")
        .transform_filter("show_illustrative || datum.evidence != 'illustrative'")
        .add_params(which, show)
        .properties(
            width=WIDTH,
            height=HEIGHT,
            title=alt.Title("Score trajectories (assumption sets '…-fast')", subtitle=ILLUSTRATIVE_CAPTION),
        )
    )
    return (
        alt.vconcat(timeline, trajectories)
        .resolve_scale(color="independent")
        .properties(
            title="Explore the cases: pick a patient and a measure, drag across the timeline to zoom",
            description=(
                "Linked explorer: a treatment timeline above and illustrative score trajectories below; "
                "brushing weeks on the timeline zooms the trajectories. All trajectory values are "
                "illustrative reconstructions."
            ),
        )
    )


def whatif_data(curve: pd.DataFrame, reference: pd.DataFrame, checks: pd.DataFrame, statements: pd.DataFrame) -> dict:
    """The tables and title text a what-if chart shows; cheap to recompute on every slider move."""
    measure = curve["measure"].iloc[0]
    both = pd.concat([reference.assign(curve="course default"), curve.assign(curve="your assumptions")])
    marks = checks.merge(statements[["statement_id", "bound_weeks"]], on="statement_id")
    marks = marks[marks["bound_weeks"].notna() & (marks["measure"] == measure)]
    marks = marks.assign(label=marks["statement_id"] + " " + marks["status"])
    held, decided = int((checks["status"] == "held").sum()), int((checks["status"] != "open").sum())
    # Name the patient: patients bound by the same statements get identical curves, and the title is what
    # tells the student which patient's reported statements the curve is being tested against.
    patient = reference["patient_id"].iloc[0] if "patient_id" in reference and len(reference) else "Patient"
    return {
        "curves": records(both[["curve", "week", "value", "evidence"]]),
        "marks": records(marks[["statement_id", "bound_weeks", "paraphrase", "status", "detail", "label"]]),
        "measure": measure,
        "title": f"{patient}: your reconstruction satisfies {held} of {decided} time-bound reported statements",
        "description": (
            f"What-if reconstruction of {MEASURE_LABELS[measure]}: {held} of {decided} reported "
            "statements with a time bound hold for the chosen assumptions."
        ),
    }


WHATIF_SUBTITLE = [
    "Both curves are illustrative reconstructions, not measurements.",
    "Vertical lines: reported statements, coloured and dashed by whether your curve satisfies them.",
]


def whatif_chart(parts: dict) -> alt.LayerChart:
    """A student's reconstruction against the course default, each reported statement held or violated.

    Build it once; on later updates ``refresh_whatif_chart`` swaps in new data without re-inferring
    encodings (which is most of the cost of building an Altair chart).
    """
    line = (
        alt.Chart(parts["curves"])
        .mark_line(point=alt.OverlayMarkDef(filled=False, size=26))
        .encode(
            x=alt.X("week:Q", title="Weeks from baricitinib start"),
            y=alt.Y("value:Q", title=MEASURE_LABELS[parts["measure"]], scale=alt.Scale(zero=True)),
            color=alt.Color(
                "curve:N",
                title="Curve",
                scale=alt.Scale(
                    domain=["your assumptions", "course default"], range=[OKABE_ITO["vermillion"], OKABE_ITO["grey"]]
                ),
            ),
            strokeDash=evidence_dash(),
            shape=alt.Shape(
                "curve:N",
                title="Curve",
                scale=alt.Scale(domain=["your assumptions", "course default"], range=["circle", "square"]),
            ),
            tooltip=["curve:N", "week:Q", alt.Tooltip("value:Q", format=".1f"), "evidence:N"],
        )
    )
    status = (
        alt.Chart(parts["marks"])
        .mark_rule(strokeWidth=2)
        .encode(
            x="bound_weeks:Q",
            color=alt.Color(
                "status:N",
                title="Reported statement",
                scale=alt.Scale(domain=list(STATUS_COLOURS), range=list(STATUS_COLOURS.values())),
            ),
            strokeDash=alt.StrokeDash(
                "status:N",
                title="Reported statement",
                scale=alt.Scale(domain=list(STATUS_DASH), range=list(STATUS_DASH.values())),
            ),
            tooltip=["statement_id:N", "paraphrase:N", "status:N", "detail:N"],
        )
    )
    text = (
        alt.Chart(parts["marks"])
        .mark_text(align="left", angle=270, dx=6, dy=-3, baseline="bottom", fontSize=10)
        .encode(x="bound_weeks:Q", y=alt.value(HEIGHT), text="label:N")
    )
    return (
        alt.layer(line, status, text)
        .resolve_scale(color="independent", strokeDash="independent")
        .properties(
            width=WIDTH,
            height=HEIGHT,
            title=alt.Title(parts["title"], subtitle=WHATIF_SUBTITLE),
            description=parts["description"],
        )
    )


def refresh_whatif_chart(chart: alt.LayerChart, parts: dict) -> alt.LayerChart:
    """``chart`` with ``parts``' data and title, its encodings reused (see ``style.with_layer_data``)."""
    return with_layer_data(
        chart,
        [parts["curves"], parts["marks"], parts["marks"]],
        alt.Title(parts["title"], subtitle=WHATIF_SUBTITLE),
        parts["description"],
    )


def rates_chart(rates: pd.DataFrame, outcome: str = "herpes zoster") -> alt.Chart:
    """Incidence rates per 100 patient-years by treatment group."""
    data = rates[rates["outcome"] == outcome]
    return (
        alt.Chart(data)
        .mark_bar(stroke=OKABE_ITO["black"])
        .encode(
            x=alt.X("rate_per_100_patient_years:Q", title="Events per 100 patient-years"),
            y=alt.Y("group:N", title=None, sort=None),
            color=alt.Color(
                "group:N",
                legend=None,
                scale=alt.Scale(range=[OKABE_ITO["grey"], OKABE_ITO["sky"], OKABE_ITO["blue"], OKABE_ITO["purple"]]),
            ),
            tooltip=["group:N", "rate_per_100_patient_years:Q", "population:N", "source:N"],
        )
        .properties(
            width=WIDTH,
            height=110,
            title=alt.Title(
                f"{outcome.capitalize()} on baricitinib in rheumatoid arthritis trials",
                subtitle="Exposure-adjusted incidence; three DM patients are far too few to estimate a rate",
            ),
            description=f"Bar chart of {outcome} incidence per 100 patient-years by treatment group.",
        )
    )


def regression_chart(summary: pd.DataFrame) -> alt.LayerChart:
    """Slope chart of mean scores at two visits, for simulated patients with no change in their disease."""
    base = alt.Chart(summary).encode(
        x=alt.X("visit:N", title=None, sort=["first visit", "four weeks later"], axis=alt.Axis(labelAngle=0)),
        y=alt.Y("mean_score:Q", title="Mean simulated activity score (points)", scale=alt.Scale(zero=False)),
        color=alt.Color(
            "group:N",
            title="Simulated patients",
            scale=alt.Scale(
                domain=["picked at a flare", "everyone else"], range=[OKABE_ITO["vermillion"], OKABE_ITO["blue"]]
            ),
        ),
        tooltip=["group:N", "n:Q", "visit:N", alt.Tooltip("mean_score:Q", format=".1f")],
    )
    lines = base.mark_line(strokeDash=[6, 4]).encode(detail="group:N")
    points = base.mark_point(filled=False, size=80).encode(shape=alt.Shape("group:N", legend=None))
    return (lines + points).properties(
        width=300,
        height=HEIGHT,
        title=alt.Title(
            "SIMULATED: no treatment, no change in disease, yet patients picked at a flare 'improve'",
            subtitle="Simulated data (dmjak.models.simulation.regression_to_the_mean), not patients",
        ),
        description=(
            "Slope chart of simulated mean scores at two visits: patients selected because their first "
            "score was high score lower at the second visit although nothing changed."
        ),
    )
