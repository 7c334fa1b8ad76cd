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
    drawn,
    evidence_dash,
    fraction_of_width,
    patient_colour,
    records,
    subtitle_lines,
    tooltips,
    with_layer_data,
)
from dmjak.models.reconstruction import (
    MEASURE_LABELS,
    PATIENTS,
    reported_horizon,
    rests_on_series_only,
    statements_for,
)
from dmjak.models.thresholds import threshold

# The explorer's selector names each measure without a unit: its chart draws every measure as a % of week 0.
MEASURE_NAMES = {m: label.split(" (")[0] for m, label in MEASURE_LABELS.items()}
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


# Rows of a timeline: tall enough for one line of label text at projector size (15 px) without overlap.
ROW_STEP = 20
# The explorer's timeline has a fixed height (see explorer_chart), which the presenter view cannot enlarge
# as it does a step: its rows are tall enough for projector-sized labels (18-19 px) from the start.
EXPLORER_ROW = 26
TIMING = ["dates reported", "dates not reported"]


def role_colour() -> alt.Color:
    """Treatment bars coloured by the drug's role around the baricitinib start."""
    return alt.Color(
        "role:N", title="Drug role", scale=alt.Scale(domain=list(ROLE_COLOURS), range=list(ROLE_COLOURS.values()))
    )


TIMING_OPACITY = {"dates reported": 0.95, "dates not reported": 0.35}
TIMING_DASH = {"dates reported": [1, 0], "dates not reported": [4, 3]}


def timing_opacity(timings) -> alt.Opacity:
    """Bars whose dates were not reported are drawn faded; the legend names only the timings drawn."""
    domain = drawn(timings, TIMING)
    return alt.Opacity(
        "timing:N",
        title="Timing",
        # ordinal: a linear opacity scale over a one-value domain draws the legend symbol at opacity NaN
        scale=alt.Scale(type="ordinal", domain=domain, range=[TIMING_OPACITY[t] for t in domain]),
    )


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


# An earlier drug whose stop date was not reported fades out this many weeks before the baricitinib start,
# marked "end ?": drawing it to week 0 would invent a stop date (or a switch on the day baricitinib began).
UNKNOWN_END_GAP = 2


def timeline_rows(treatments: pd.DataFrame, window: tuple[float, float] = WINDOW) -> pd.DataFrame:
    """Bars to draw for each treatment. An unreported start runs from the window's left edge; an unreported
    end runs to the right edge for drugs given with baricitinib, and stops short of week 0 (label "end ?")
    for earlier drugs, because no stop date was reported."""
    start_default = {"prior": window[0], "stopped": window[0], "continued": window[0], "started": 0}
    end_default = {"prior": -UNKNOWN_END_GAP, "stopped": -UNKNOWN_END_GAP, "continued": window[1], "started": window[1]}
    rows = treatments.copy()
    rows["start_reported"] = rows["start_week"].notna()
    rows["end_reported"] = rows["end_week"].notna()
    rows["draw_start"] = rows["start_week"].astype(float).fillna(rows["role"].map(start_default)).clip(*window)
    rows["draw_end"] = rows["end_week"].astype(float).fillna(rows["role"].map(end_default)).clip(*window)
    rows = staggered_by_reported_order(rows, window[0], -UNKNOWN_END_GAP)
    rows["timing"] = (rows["start_reported"] & rows["end_reported"]).map(
        {True: "dates reported", False: "dates not reported"}
    )
    rows["row"] = rows["patient_id"] + " · " + rows["drug"]
    rows["dose"] = rows["dose"].fillna("not reported")
    earlier = rows["role"].isin(["prior", "stopped"]) & ~rows["end_reported"]
    rows["role_label"] = rows["role"].where(~earlier, rows["role"] + " (end ?)")
    return rows


def staggered_by_reported_order(rows: pd.DataFrame, left: float, right: float) -> pd.DataFrame:
    """Undated earlier drugs whose order was reported, drawn one after another in that order (not to scale).

    Drawing them as parallel bars would show them given together, which the sources contradict (patient 1's
    tofacitinib came after methotrexate and adalimumab were stopped).
    """
    rows = rows.copy()
    ordered = rows["reported_order"].notna() & rows["start_week"].isna() & rows["end_week"].isna()
    for _patient, group in rows[ordered].groupby("patient_id"):
        step = (right - left) / group["reported_order"].max()
        rows.loc[group.index, "draw_start"] = left + (group["reported_order"] - 1) * step
        rows.loc[group.index, "draw_end"] = left + group["reported_order"] * step - 0.5  # a gap between steps
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
    event_row = "reported events"
    order = [event_row, *rows["row"]]  # a row of its own for the event letters, above the bars
    bars = (
        alt.Chart(rows)
        .mark_bar(height=12, stroke=OKABE_ITO["black"], strokeWidth=1)
        .encode(
            x=alt.X(
                "draw_start:Q", title="Weeks from baricitinib start", scale=alt.Scale(domain=list(window), nice=False)
            ),
            x2=alt.X2("draw_end:Q"),
            y=alt.Y("row:N", sort=order, title=None, axis=alt.Axis(labelLimit=220)),
            color=role_colour(),
            opacity=timing_opacity(rows["timing"]),
            strokeDash=alt.StrokeDash(
                "timing:N",
                title="Timing",
                scale=alt.Scale(
                    domain=drawn(rows["timing"], TIMING), range=[TIMING_DASH[t] for t in drawn(rows["timing"], TIMING)]
                ),
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
    # A bar running to the right edge carries its role inside its end; a bar that stops before week 0 may be
    # too short for its label at projector size, so the label goes after its end, in the empty weeks.
    running = rows["draw_end"] >= window[1]
    role_text = alt.layer(
        *(
            alt.Chart(part)
            .mark_text(align=align, dx=dx, color=OKABE_ITO["black"])
            .encode(x=alt.X("draw_end:Q"), y=alt.Y("row:N", sort=order), text=alt.Text("role_label:N"))
            for part, align, dx in ((rows[running], "right", -4), (rows[~running], "left", 4))
            if not part.empty
        )
    )
    timed = events[events["week"].notna()].copy()
    timed = timed[timed["patient_id"].isin(ids + ["series"])]
    start = (
        alt.Chart(pd.DataFrame({"week": [0], "label": ["baricitinib start"]}))
        .mark_rule(color=OKABE_ITO["blue"], strokeWidth=2)
        .encode(x=alt.X("week:Q"), tooltip=[alt.Tooltip("label:N", title="Event")])
    )
    marks = (
        alt.Chart(timed[timed["event"] != "baricitinib start"])
        .mark_rule(strokeDash=[2, 2])
        .encode(
            x=alt.X("week:Q"),
            color=alt.ColorValue(OKABE_ITO["black"]),
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
    # Each event line gets a letter in a row of its own above the bars; the subtitle says what it stands for.
    key = one_label_per_week(labelled, "week").sort_values("week")
    key["letter"] = [chr(ord("A") + i) for i in range(len(key))]
    letters = (
        alt.Chart(key.assign(row=event_row))
        .mark_text(fontWeight="bold", align="left", dx=4)
        .encode(
            x=alt.X("week:Q"), y=alt.Y("row:N", sort=order), text=alt.Text("letter:N"), tooltip=[alt.Tooltip("label:N")]
        )
    )
    who = "all three patients" if patient == "all" else patient
    undated = int((rows["timing"] == "dates not reported").sum())
    return (bars + role_text + start + marks + letters).properties(
        width=WIDTH,
        height=alt.Step(ROW_STEP),
        title=alt.Title(
            f"Treatments and reported events around baricitinib: {who}",
            subtitle=[
                "Faded, dashed bars: a start or end was not reported. Unknown starts run from the left edge;",
                "drugs given with baricitinib run to the right edge; earlier drugs stop short of week 0 ('end ?').",
                *[f"{r.letter}: {r.label}" for r in key.itertuples()],
            ],
        ),
        description=(
            f"Timeline of {len(rows)} treatments for {who}, in weeks from the start of baricitinib, "
            f"with {len(key)} reported event time(s) as lettered vertical lines; {undated} of the "
            f"{len(rows)} treatments have a start or end that was not reported."
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
            .encode(
                x=alt.X("x:Q"),
                x2=alt.X2("x2:Q"),
                y=alt.Y("y:Q"),
                y2=alt.Y2("y2:Q"),
                tooltip=[alt.Tooltip("label:N", title="Band")],
            )
        )
        layers.append(
            alt.Chart(band)
            .mark_text(align="center", dy=-5)
            .encode(
                x=alt.XValue(fraction_of_width(0.55)),
                y=alt.Y("y2:Q"),
                text=alt.TextValue(f"grey band: less than the MCID ({mcid:g}) below baseline"),
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
        # only cut-offs inside the plotted range, and not inside the MCID band (its label sits there)
        frame = frame[frame["y"] <= baseline * 1.1]
        if measure in ("cdasi_activity", "dlqi"):
            frame = frame[(frame["y"] < baseline - mcid - 1) | (frame["y"] > baseline + 1)]
        # The course's own "resolved" rule is not a published cut-off: it gets its own dash and tooltip title.
        own = frame["label"].str.contains("course's check")
        rules = [
            alt.Chart(part)
            .mark_rule(color=OKABE_ITO["black"], strokeDash=dash)
            .encode(y=alt.Y("y:Q"), tooltip=[alt.Tooltip("label:N", title=kind)])
            for part, dash, kind in [
                (frame[~own], [1, 3], "Published cut-off"),
                (frame[own], [8, 2, 1, 2], "Course's own rule (not published)"),
            ]
            if len(part)
        ]
        text = (
            alt.Chart(frame)
            .mark_text(align="center", dy=-5)
            .encode(x=alt.XValue(fraction_of_width(0.55)), y=alt.Y("y:Q"), text=alt.Text("label:N"))
        )
        layers += [*rules, text]
    return layers


def _statement_layers(statements: pd.DataFrame) -> list[alt.Chart]:
    """Vertical lines where the summaries report something, labelled with what they say."""
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
            x=alt.X("bound_weeks:Q"),
            tooltip=[
                alt.Tooltip("patient_id:N", title="Who"),
                alt.Tooltip("paraphrase:N", title="Reported"),
                alt.Tooltip("source:N", title="Source"),
            ],
        )
    )
    text = (
        alt.Chart(one_label_per_week(grouped, "bound_weeks"))
        .mark_text(align="left", angle=270, dx=6, dy=-3, baseline="bottom")
        .encode(x=alt.X("bound_weeks:Q"), y=alt.YValue(HEIGHT), text=alt.Text("label:N"))
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
            alt.Tooltip("basis:N", title="Basis"),
        ],
    )
    line = base.mark_line(strokeWidth=2).encode(strokeDash=evidence_dash(data["evidence"]))
    points = base.mark_point(filled=False, size=30).encode(shape=patient_shape())
    layers = _reference_layers(measure, baseline, weeks_max) + [line, points] + _statement_layers(binding)
    who = "all three patients" if patient == "all" else patient
    shown = "illustrative reconstruction" if len(data) else "reported values only (none exist)"
    by_week = data.pivot_table(index="week", columns="patient_id", values="value")
    coincide = len(ids) > 1 and not data.empty and bool(by_week.nunique(axis=1).eq(1).all())
    drawn_text = (
        f"Illustrative weekly {MEASURE_LABELS[measure]} for {who} after starting baricitinib, drawn dashed "
        "because the summaries the course could read give no numeric values"
        if len(data)
        else f"No {MEASURE_LABELS[measure]} values for {who}: none were reported, and illustrative ones are hidden"
    )
    return alt.layer(*layers).properties(
        width=WIDTH,
        height=HEIGHT,
        title=alt.Title(
            f"{MEASURE_LABELS[measure]}, {who}: {shown}",
            subtitle=subtitle_lines(
                ILLUSTRATIVE_CAPTION,
                "Long-dashed vertical lines: what the summaries report, and by when.",
                *(
                    ["The patients share one set of assumptions: their curves lie on top of each other where both run."]
                    if coincide
                    else []
                ),
                *([horizon_note(data)] if len(data) else []),
                *series_only_note(data, measure),
            ),
        ),
        description=f"{drawn_text}; vertical lines mark the reported statements. "
        + " ".join(series_only_note(data, measure)),
    )


def two_lines(label: str) -> list[str]:
    """An axis title split before its unit, so that a long title fits beside a short panel."""
    name, _, unit = label.partition(" (")
    return [name, f"({unit}"] if unit else [label]


def small_multiples(curves: pd.DataFrame) -> alt.VConcatChart:
    """Every measure (rows) for every patient (columns): the cross-patient comparison, each row in its unit."""
    measures = [m for m in MEASURE_LABELS if m in set(curves["measure"])]
    kinds = curves["evidence"]
    rows = []
    for i, measure in enumerate(measures):
        data = curves[curves["measure"] == measure][["patient_id", "week", "value", "evidence", "basis"]]
        rows.append(
            alt.Chart(data)
            .mark_line(strokeWidth=2)
            .encode(
                x=alt.X("week:Q", title="Weeks from baricitinib start"),
                y=alt.Y("value:Q", title=two_lines(MEASURE_LABELS[measure])),
                color=patient_colour(),
                strokeDash=evidence_dash(kinds),
                tooltip=[
                    alt.Tooltip("patient_id:N", title="Patient"),
                    alt.Tooltip("week:Q", title="Week"),
                    alt.Tooltip("value:Q", title=MEASURE_LABELS[measure], format=".1f"),
                    alt.Tooltip("evidence:N", title="Evidence"),
                    alt.Tooltip("basis:N", title="Basis"),
                ],
            )
            .properties(width=200, height=120)
            .facet(
                column=alt.Column("patient_id:N", title="Patient" if i == 0 else None, header=alt.Header(labels=i == 0))
            )
        )
    names = ", ".join(MEASURE_LABELS[m] for m in measures)
    return alt.vconcat(*rows).properties(
        title=alt.Title(
            "The three patients side by side: every curve is an illustrative reconstruction",
            subtitle=[
                "The same assumptions for all three (the summaries give no numbers to tell them apart);",
                "each curve stops where the last reported statement about that patient and measure stops.",
                *subtitle_lines(SERIES_ASSUMED, ILLUSTRATIVE_LINES_CAPTION),
            ],
        ),
        description=f"Grid of illustrative trajectories: one row per measure ({names}); columns are patients "
        f"{', '.join(sorted(curves['patient_id'].unique()))}. The curves are identical where drawn, by construction; "
        "each stops where the last reported statement about that patient and measure stops. " + SERIES_ASSUMED,
    )


def explorer_chart(
    treatments: pd.DataFrame,
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
        bind=alt.binding_select(options=list(MEASURE_NAMES), labels=list(MEASURE_NAMES.values()), name="Measure "),
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
            x2=alt.X2("draw_end:Q"),
            y=alt.Y("row:N", sort=list(rows["row"]), title=None, axis=alt.Axis(labelLimit=200)),
            color=role_colour(),
            opacity=timing_opacity(rows["timing"]),
            strokeDash=alt.StrokeDash(  # merges with the colour legend; its own scale, not the evidence dash's
                "role:N", title="Drug role", scale=alt.Scale(domain=list(ROLE_DASH), range=list(ROLE_DASH.values()))
            ),
            tooltip=tooltips("patient_id:N", "drug:N", "dose:N", "role:N", "timing_note:N", "source:N"),
        )
        .transform_filter("patient == 'all' || datum.patient_id == patient")
        .add_params(brush, who)
        # A fixed height, not a step per row: picking one patient must not shrink the chart and leave a gap.
        .properties(width=WIDTH, height=EXPLORER_ROW * len(rows), title="Treatments (faded: dates not reported)")
    )
    data = curves[curves["assumption_set"].str.endswith("-fast")][
        ["patient_id", "measure", "assumption_set", "week", "value", "evidence"]
    ].copy()
    # One unit for every measure the selector can show: percent of the same curve's week-0 value. The
    # selector and the title name the measure without a unit, so nothing on screen contradicts the axis.
    start = data[data["week"] == 0].set_index(["patient_id", "assumption_set"])["value"]
    data["percent_of_start"] = (
        100 * data["value"] / start.reindex(pd.MultiIndex.from_frame(data[["patient_id", "assumption_set"]])).values
    ).round(1)
    data["measure_label"] = data["measure"].map(MEASURE_LABELS)
    names = " : ".join(f"measure == '{m}' ? '{name}'" for m, name in MEASURE_NAMES.items())
    who_text = "(patient == 'all' ? 'all three patients' : patient)"
    trajectories = (
        alt.Chart(data)
        .mark_line(point=alt.OverlayMarkDef(filled=False, size=26))
        .encode(
            x=alt.X("week:Q", title="Weeks from baricitinib start", scale=alt.Scale(domain=brush)),
            y=alt.Y(
                "percent_of_start:Q",
                title="Illustrative value (% of its week-0 value)",
                scale=alt.Scale(domain=[0, 105]),
            ),
            color=patient_colour(),
            shape=patient_shape(),
            strokeDash=evidence_dash(data["evidence"]),
            tooltip=[
                alt.Tooltip("patient_id:N", title="Patient"),
                alt.Tooltip("measure_label:N", title="Measure"),
                alt.Tooltip("week:Q", title="Week"),
                alt.Tooltip("value:Q", title="Value (in the measure's unit)", format=".1f"),
                alt.Tooltip("percent_of_start:Q", title="% of week 0", format=".0f"),
                alt.Tooltip("evidence:N", title="Evidence"),
                alt.Tooltip("assumption_set:N", title="Assumptions"),
                alt.Tooltip("basis:N", title="Basis"),
            ],
        )
        .transform_filter("patient == 'all' || datum.patient_id == patient")
        .transform_filter("datum.measure == measure")
        .transform_filter("show_illustrative || datum.evidence != 'illustrative'")
    )
    # With illustrative values hidden nothing is left to draw: say why, in the frame itself.
    empty = (
        alt.Chart(pd.DataFrame({"line": [0]}))
        .transform_filter("!show_illustrative")
        .mark_text(align="center", baseline="middle", fontSize=14, lineHeight=20)
        .encode(
            x=alt.XValue(fraction_of_width(0.5)),
            y=alt.YValue(HEIGHT / 2 - 20),  # three lines of 20 px around the middle
            text=alt.TextValue(EMPTY_EXPLORER),
        )
    )
    panel = (
        alt.layer(trajectories, empty)
        .add_params(which, show)
        .properties(
            width=WIDTH,
            height=HEIGHT,
            title=alt.Title(
                alt.ExprRef(
                    f"({names} : measure) + ' as a % of its week-0 value, ' + {who_text} + "
                    "(show_illustrative ? ': illustrative reconstruction' : ': no measured values to draw')"
                ),
                subtitle=subtitle_lines(ILLUSTRATIVE_CAPTION, horizon_note(data), SERIES_ASSUMED),
            ),
        )
    )
    return (
        alt.vconcat(timeline, panel)
        .resolve_scale(color="independent", shape="independent", strokeDash="independent", opacity="independent")
        .properties(
            title="Explore the cases: pick a patient and a measure, drag across the timeline to zoom",
            description=(
                "Linked explorer: a treatment timeline above and illustrative score trajectories below, as a "
                "percentage of each curve's week-0 value; brushing weeks on the timeline zooms the trajectories. "
                "All trajectory values are illustrative reconstructions; with them hidden the lower panel says "
                "that no measured values were reported."
            ),
        )
    )


EMPTY_EXPLORER = [
    "No measured values were reported for any patient:",
    "every curve here is an illustrative reconstruction.",
    "Tick 'Show illustrative values' to see them.",
]


SERIES_ASSUMED = (
    "Only patient 1's skin activity has a time-bound outcome of its own: every other curve assumes that a "
    "series statement "
    "(S1-S3) applied to that patient, which the summaries do not say."
)
# small_multiples draws lines only, so its caption names no points.
ILLUSTRATIVE_LINES_CAPTION = (
    "Dashed lines are illustrative reconstructions, not measurements: the summaries give these outcomes only in words."
)


def series_only_note(curves: pd.DataFrame, measure: str) -> list[str]:
    """A subtitle line naming the drawn patients whose curve rests only on a series statement assumed to apply."""
    drawn_ids = sorted(curves.loc[curves["basis"].str.startswith("assumption only"), "patient_id"].unique())
    if not drawn_ids:
        return []
    name = MEASURE_LABELS[measure].split(" (")[0]
    return [
        f"No time-bound outcome on {name} was reported for {', '.join(drawn_ids)}: "
        + ("this curve assumes" if len(drawn_ids) == 1 else "these curves assume")
        + " the series statement applied to "
        + ("that patient." if len(drawn_ids) == 1 else "each of them.")
    ]


def horizon_note(curves: pd.DataFrame) -> str:
    """Where the curves stop, in words: each ends at the last week its patient's reports reach."""
    ends = curves.groupby(["patient_id", "measure"])["week"].max()
    usual = int(ends.mode().iloc[0])
    others = [
        f"{patient}'s {MEASURE_LABELS[measure].split(' (')[0]} at week {int(week)}"
        for (patient, measure), week in ends.items()
        if week != usual
    ]
    rest = f" ({'; '.join(others)})" if others else ""
    return f"Each curve stops at the last time point reported for it: week {usual}{rest}."


def same_curve(curve: pd.DataFrame, reference: pd.DataFrame) -> bool:
    """True when ``curve`` has the reference's value at every week the reference is drawn (so it hides it).

    Shipped reference curves stop where the reported statements stop; a student's curve may run longer.
    """
    both = reference[["week", "value"]].merge(curve[["week", "value"]], on="week", how="left", suffixes=("", "_c"))
    return len(both) > 0 and bool((abs(both["value"] - both["value_c"]) < 1e-9).all())


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
        "subtitle": WHATIF_SUBTITLE
        + (
            ["Your curve is the course default: it hides the grey curve until you move a control."]
            if same_curve(curve, reference)
            else []
        )
        + beyond_reports(patient, measure, curve, statements)
        + (
            [
                f"No time-bound outcome on this measure was reported for {patient}: the statements tested are "
                "series ones, assumed to apply."
            ]
            if patient in PATIENTS and rests_on_series_only(patient, measure, statements)
            else []
        ),
        "description": (
            f"What-if reconstruction of {MEASURE_LABELS[measure]}: {held} of {decided} reported "
            "statements with a time bound hold for the chosen assumptions."
        ),
    }


def beyond_reports(patient: str, measure: str, curve: pd.DataFrame, statements: pd.DataFrame) -> list[str]:
    """A subtitle line when the student's curve runs past the last week anything was reported for it."""
    horizon = reported_horizon(patient, measure, statements)
    if curve["week"].max() <= horizon:
        return []
    name = MEASURE_LABELS[measure].split(" (")[0]
    return [f"Nothing was reported for {patient}'s {name} after week {horizon:g}: beyond it, your curve is assumption."]


WHATIF_SUBTITLE = [
    "Both curves are illustrative reconstructions, not measurements.",
    "Vertical lines: reported statements, labelled held (green, solid) or violated (red, dashed) for your curve.",
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
            strokeDash=evidence_dash(["illustrative"]),  # both curves are always reconstructions
            shape=alt.Shape(
                "curve:N",
                legend=None,  # the colour legend names the curves; a second "Curve" legend would repeat it
                scale=alt.Scale(domain=["your assumptions", "course default"], range=["circle", "square"]),
            ),
            tooltip=tooltips("curve:N", "week:Q", alt.Tooltip("value:Q", format=".1f"), "evidence:N"),
        )
    )
    status = (
        alt.Chart(parts["marks"])
        .mark_rule(strokeWidth=2)
        .encode(
            x=alt.X("bound_weeks:Q"),
            # No legend: which statuses are drawn changes with the sliders; each line's label names its status.
            color=alt.Color(
                "status:N",
                legend=None,
                scale=alt.Scale(domain=list(STATUS_COLOURS), range=list(STATUS_COLOURS.values())),
            ),
            strokeDash=alt.StrokeDash(
                "status:N",
                legend=None,
                scale=alt.Scale(domain=list(STATUS_DASH), range=list(STATUS_DASH.values())),
            ),
            tooltip=tooltips("statement_id:N", "paraphrase:N", "status:N", "detail:N"),
        )
    )
    text = (
        alt.Chart(parts["marks"])
        .mark_text(align="left", angle=270, dx=6, dy=-3, baseline="bottom")
        .encode(x=alt.X("bound_weeks:Q"), y=alt.YValue(HEIGHT), text=alt.Text("label:N"))
    )
    return (
        alt.layer(line, status, text)
        .resolve_scale(color="independent", strokeDash="independent")
        .properties(
            width=WIDTH,
            height=HEIGHT,
            title=alt.Title(parts["title"], subtitle=parts["subtitle"]),
            description=parts["description"],
        )
    )


def refresh_whatif_chart(chart: alt.LayerChart, parts: dict) -> alt.LayerChart:
    """``chart`` with ``parts``' data and title, its encodings reused (see ``style.with_layer_data``)."""
    return with_layer_data(
        chart,
        [parts["curves"], parts["marks"], parts["marks"]],
        alt.Title(parts["title"], subtitle=parts["subtitle"]),
        parts["description"],
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
        tooltip=tooltips("group:N", "n:Q", "visit:N", alt.Tooltip("mean_score:Q", format=".1f")),
    )
    lines = base.mark_line(strokeDash=[6, 4]).encode(detail=alt.Detail("group:N"))
    # The shape scale matches the colour scale, so the one merged legend shows the shapes drawn.
    points = base.mark_point(filled=False, size=80).encode(
        shape=alt.Shape(
            "group:N",
            title="Simulated patients",
            scale=alt.Scale(domain=["picked at a flare", "everyone else"], range=["square", "circle"]),
        )
    )
    return (lines + points).properties(
        width=WIDTH // 2,
        height=HEIGHT,
        title=alt.Title(
            "SIMULATED: no treatment, no change in disease, yet patients picked at a flare 'improve'",
            subtitle="Simulated patients, not real ones: scores vary from visit to visit around a level that never "
            "changes",
        ),
        description=(
            "Slope chart of simulated mean scores at two visits: simulated patients picked because their first "
            "score was high have a lower mean score at the second visit, although nothing about their disease changed."
        ),
    )
