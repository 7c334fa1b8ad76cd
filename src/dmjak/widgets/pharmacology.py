"""Notebook 03's dose and kidney-function explorer: steady-state exposure against JAK1/JAK2 IC50s."""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd
from IPython.display import display

from dmjak.charts.pharmacology import pk_chart
from dmjak.models.label_dose import OAT3, label_advice
from dmjak.models.pk import (
    average_inhibition,
    sourced_half_life,
    sourced_parameters,
    steady_state_profile,
    time_above,
    with_half_life,
)
from dmjak.params import check_choice, check_range
from dmjak.render import chart_view
from dmjak.widgets.controls import LABEL_STYLE, TOGGLE_STYLE, fit_layout, slider_layout

HALF_LIFE_RANGE_H = (4.0, 16.0)
HALF_LIFE_STEP_H = 0.1  # the slider's step: a value between two steps could not be shown
HALF_LIFE_NOTE = (
    "<small>Half-life: 5.7 to 7.3 hours in healthy volunteers; about 12 hours in the US label's figure, read in a "
    "summary that does not say in whom it was measured (both sources are in the text above). The slider runs from "
    "4 to 16 hours as a what-if: clearance is held at the model's assumed value (derived from the volunteers' "
    "half-life and the volume, not measured), so the daily exposure (AUC) stays the same and only the daily rise "
    "and fall changes. If a longer half-life came from slower clearance instead, exposure would rise too.</small>"
)


class DoseExplorer:
    """Dose, kidney function, an OAT3 inhibitor and the half-life assumption -> free drug vs IC50s."""

    def __init__(
        self, modifiers: pd.DataFrame, potency: pd.DataFrame, dose_mg: int = 4, half_life_h: float | None = None
    ):
        check_choice("dose_mg", dose_mg, [1, 2, 4])
        if half_life_h is not None:
            check_range("half_life_h", half_life_h, *HALF_LIFE_RANGE_H, step=HALF_LIFE_STEP_H)
        self.modifiers = modifiers.set_index("modifier")
        bari = potency[potency["drug"] == "baricitinib"].set_index("kinase")["ic50_nm"]
        self.ic50s = {"JAK1": float(bari["JAK1"]), "JAK2": float(bari["JAK2"])}
        style = LABEL_STYLE
        self.dose = widgets.ToggleButtons(
            options=[1, 2, 4], value=dose_mg, description="Dose (mg once daily)", style=TOGGLE_STYLE
        )
        self.kidney = widgets.Dropdown(
            options=[m for m in self.modifiers.index if "renal" in m],
            value="normal renal function",
            description="Kidney function",
            style=style,
            layout=widgets.Layout(width="520px", max_width="100%"),  # the longest option stays readable
        )
        self.oat3 = widgets.Checkbox(
            value=False, description="With probenecid (strong OAT3 inhibitor)", indent=False, layout=fit_layout()
        )
        self.half_life = widgets.FloatSlider(
            value=sourced_half_life() if half_life_h is None else half_life_h,
            min=HALF_LIFE_RANGE_H[0],
            max=HALF_LIFE_RANGE_H[1],
            step=HALF_LIFE_STEP_H,
            style=style,
            continuous_update=False,
            readout_format=".1f",
            description="Half-life assumption (hours)",
            layout=slider_layout(560),
        )
        self.half_life_note = widgets.HTML(HALF_LIFE_NOTE)
        self.summary = widgets.HTML()
        self.view = None
        for control in (self.dose, self.kidney, self.oat3, self.half_life):
            control.observe(self._redraw, names="value")

    def exposure_ratio(self) -> float | None:
        """Combined AUC ratio (kidney x OAT3, assumed to multiply), or None where none is sourced."""
        kidney = self.modifiers.loc[self.kidney.value, "auc_ratio"]
        if pd.isna(kidney):
            return None
        oat3 = float(self.modifiers.loc[OAT3, "auc_ratio"]) if self.oat3.value else 1.0
        return float(kidney) * oat3

    def advice(self) -> dict:
        """The EU label's dose for the chosen kidney group and OAT3 inhibitor, in one sentence."""
        return label_advice(self.modifiers, self.kidney.value, self.oat3.value)

    def dose_note(self, advice: dict) -> str:
        """How the chosen dose compares with the label's dose for this patient."""
        if not advice["recommended"]:
            return "the label does not recommend baricitinib here at any dose"
        chosen, labelled = self.dose.value, advice["dose_mg"]
        if labelled is None or chosen == labelled:
            return f"you chose {chosen} mg"
        return f"you chose {chosen} mg, {'more' if chosen > labelled else 'less'} than the label's {labelled} mg"

    def compute(self) -> tuple[pd.DataFrame, dict]:
        ratio = self.exposure_ratio()
        advice = self.advice()
        if ratio is None:
            return pd.DataFrame(columns=["hour", "total_nm", "free_nm"]), {"advice": advice, "ratio": None}
        p = with_half_life(sourced_parameters(exposure_ratio=ratio), self.half_life.value)
        profile = steady_state_profile(self.dose.value, p)
        # The comparison the notebook asks for: 4 mg with normal kidneys, same half-life, drawn faintly.
        reference = steady_state_profile(4, with_half_life(sourced_parameters(), self.half_life.value))
        profile["reference_nm"] = reference["free_nm"].to_numpy()
        stats = {
            "advice": advice,
            "ratio": ratio,
            "cmax_free": float(profile["free_nm"].max()),
            "trough_free": float(profile["free_nm"].iloc[-1]),
            "hours_above_jak1": time_above(profile, self.ic50s["JAK1"]),
            "mean_jak1": average_inhibition(profile, self.ic50s["JAK1"]),
        }
        return profile, stats

    def chart(self):
        profile, stats = self.compute()
        advice, note = stats["advice"], self.dose_note(stats["advice"])
        if stats["ratio"] is None:
            title = f"{self.kidney.value}: not recommended, and no sourced exposure data to draw"
            subtitle = f"EU label: {advice['text']}"
            self.summary.value = f"<b>{html.escape(title)}</b>. EU label: {html.escape(advice['text'])}."
        else:
            title = (
                f"{self.dose.value} mg/day: free drug above the JAK1 IC50 for {stats['hours_above_jak1']:.1f} h of 24; "
                f"mean JAK1 inhibition {100 * stats['mean_jak1']:.0f}%"
            )
            labelled = f"{advice['dose_mg']} mg once daily" if advice["dose_mg"] else advice["text"]
            subtitle = [
                f"Exposure x{stats['ratio']:.2f}; half-life {self.half_life.value:.1f} h",
                f"EU label: {labelled} ({note})",
            ]
            self.summary.value = (
                f"Free peak {stats['cmax_free']:.1f} nM, free trough {stats['trough_free']:.1f} nM. "
                f"EU label: {html.escape(advice['text'])}; {html.escape(note)}."
            )
        like = self.view.chart if self.view is not None else None
        return pk_chart(profile, self.ic50s, title, subtitle, like=like)

    def _redraw(self, _=None):
        if self.view is not None:
            self.view.update(self.chart(), same_shape=True)

    def show(self) -> DoseExplorer:
        display(widgets.VBox([self.dose, self.kidney, self.oat3, self.half_life, self.half_life_note]))
        self.view = chart_view(self.chart())
        display(self.summary)
        return self
