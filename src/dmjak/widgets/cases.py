"""The cases notebook's what-if explorer: sliders for the reconstruction's assumptions.

Each move recomputes one curve (27 points), checks it against the reported statements and replaces
the chart in place; data tables are loaded once when the explorer is built, never per update.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd

from dmjak.charts.cases import refresh_whatif_chart, whatif_chart, whatif_data
from dmjak.models.reconstruction import MEASURE_LABELS, PATIENTS, SHAPES, Assumptions, check_trajectory, trajectory
from dmjak.params import check_choice
from dmjak.render import chart_view
from dmjak.widgets.controls import LABEL_STYLE, slider_layout

STATUS_MARK = {"held": "✔ held", "violated": "✘ violated", "open": "○ open (no curve can test it)"}


def unit(measure: str) -> str:
    """What the baseline and floor sliders count in for ``measure``: score points, or % for the gene score."""
    return "% of pre-treatment" if measure == "isg_score" else "points"


def _slider(value: float, low: float, high: float, step: float, description: str) -> widgets.FloatSlider:
    """A what-if slider: 600 px long, labelled in full, updating the chart when released."""
    return widgets.FloatSlider(
        value=value,
        min=low,
        max=high,
        step=step,
        readout_format=".0f" if step >= 1 else ".1f",
        description=description,
        style=LABEL_STYLE,
        continuous_update=False,
        layout=slider_layout(600),
    )


class WhatIfExplorer:
    """Controls + chart + live list of which reported statements a student's curve satisfies."""

    def __init__(
        self,
        curves: pd.DataFrame,
        statements: pd.DataFrame,
        assumptions: dict[str, Assumptions],
        patient: str = "P1",
        measure: str = "cdasi_activity",
    ):
        self.curves, self.statements, self.assumptions = curves, statements, assumptions
        check_choice("patient", patient, PATIENTS)
        check_choice("measure", measure, list(MEASURE_LABELS))
        default = assumptions[f"{measure.split('_')[0]}-fast"]
        style = LABEL_STYLE
        self.patient = widgets.Dropdown(options=list(PATIENTS), value=patient, description="Patient", style=style)
        self.measure = widgets.Dropdown(
            options=[(v, k) for k, v in MEASURE_LABELS.items()],
            value=measure,
            description="Measure",
            style=style,
            layout=widgets.Layout(width="480px", max_width="100%"),  # the longest measure's name shows whole
        )
        self.shape = widgets.Dropdown(options=list(SHAPES), value=default.shape, description="Shape", style=style)
        self.baseline = _slider(default.baseline, 1, 100, 1, f"Baseline at week 0 ({unit(measure)})")
        self.floor = _slider(default.floor, 0, 100, 1, f"Floor: lowest score reached ({unit(measure)})")
        self.speed = _slider(default.weeks_to_half, 0.5, 26, 0.5, "Weeks to half the improvement")
        self.status = widgets.HTML()
        self.view = None
        self._chart = None  # built once; later updates swap its data
        self._resetting = False  # while a measure switch resets the controls: one redraw at its end
        for control in (self.patient, self.shape, self.baseline, self.floor, self.speed):
            control.observe(self._redraw, names="value")
        self.measure.observe(self._reset_measure, names="value")

    def current(self) -> Assumptions:
        floor = min(self.floor.value, self.baseline.value)
        return Assumptions(
            "what-if", self.measure.value, self.baseline.value, floor, self.shape.value, self.speed.value
        )

    def compute(self):
        """(curve, reference curve, checks) for the current controls: the whole Python-side update."""
        curve = trajectory(self.current())
        checks = check_trajectory(curve, self.patient.value, self.statements)
        default_set = f"{self.measure.value.split('_')[0]}-fast"
        reference = self.curves[
            (self.curves["patient_id"] == self.patient.value) & (self.curves["assumption_set"] == default_set)
        ]
        return curve, reference, checks

    def chart(self) -> tuple:
        """(chart, same_shape) for the current controls; also refreshes the statement list.

        The chart is built once per measure; other changes only swap its data (``same_shape``).
        """
        curve, reference, checks = self.compute()
        self.status.value = self._status_html(checks)
        parts = whatif_data(curve, reference, checks, self.statements)
        if self._chart is None or parts["measure"] != self._measure:
            self._chart, self._measure = whatif_chart(parts), parts["measure"]
            return self._chart, False
        return refresh_whatif_chart(self._chart, parts), True

    def _status_html(self, checks: pd.DataFrame) -> str:
        items = "".join(
            f"<li><b>{STATUS_MARK[r.status]}</b> {html.escape(r.statement_id)} ({html.escape(r.bound)}): "
            f"{html.escape(r.paraphrase)} <i>{html.escape(r.detail)}</i> ({html.escape(r.applies)})</li>"
            for r in checks.itertuples()
        )
        return f"<ul>{items}</ul>"

    def _redraw(self, _=None):
        if self.view is not None and not self._resetting:
            chart, same_shape = self.chart()
            self.view.update(chart, same_shape=same_shape)

    def _reset_measure(self, change):
        default = self.assumptions[f"{change['new'].split('_')[0]}-fast"]
        self.baseline.description = f"Baseline at week 0 ({unit(change['new'])})"
        self.floor.description = f"Floor: lowest score reached ({unit(change['new'])})"
        self._resetting = True
        try:
            self.baseline.value, self.floor.value = default.baseline, default.floor
            self.speed.value, self.shape.value = default.weeks_to_half, default.shape
        finally:
            self._resetting = False
        self._redraw()

    def show(self) -> WhatIfExplorer:
        """Display controls, then the chart at the current values, then the statement list."""
        from IPython.display import display

        display(
            widgets.VBox(
                [
                    widgets.HBox([self.patient, self.measure, self.shape]),
                    self.baseline,
                    self.floor,
                    self.speed,
                ]
            )
        )
        self.view = chart_view(self.chart()[0])
        display(self.status)
        return self
