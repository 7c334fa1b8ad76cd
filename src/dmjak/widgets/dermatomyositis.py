"""Notebook 01's ISG-score lab: edit one simulated patient's six genes or the cut-off, see the verdict."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pandas as pd
from IPython.display import display

from dmjak.charts.dermatomyositis import isg_lab_chart
from dmjak.models.isg_score import GENES, POSITIVE_ABOVE, fold_changes, interferon_scores, score_from_folds
from dmjak.render import chart_view
from dmjak.widgets.controls import LABEL_STYLE, slider_layout


class IsgLab:
    """Sliders hold log2 fold changes (so 1 step = doubling); the score is the median of the six folds."""

    def __init__(self, data: pd.DataFrame, sample_id: str = "DM01"):
        self.scores = interferon_scores(data)
        self.folds = fold_changes(data)
        style = LABEL_STYLE
        patients = list(self.scores.loc[self.scores["group"] == "DM patient", "sample_id"])
        self.patient = widgets.Dropdown(options=patients, value=sample_id, description="Simulated patient", style=style)
        self.genes = {
            g: widgets.FloatSlider(
                min=-3,
                max=8,
                step=0.1,
                description=f"{g} (log2 fold change)",
                style=style,
                continuous_update=False,
                layout=slider_layout(460),
            )
            for g in GENES
        }
        self.cutoff = widgets.FloatSlider(
            value=POSITIVE_ABOVE,
            min=1,
            max=10,
            step=0.1,
            description="Cut-off (score above it counts as positive)",
            style=style,
            continuous_update=False,
            layout=slider_layout(560),
        )
        self.verdict = widgets.HTML()
        self.view = None
        self._load_patient()
        for control in [*self.genes.values(), self.cutoff]:
            control.observe(self._redraw, names="value")
        self.patient.observe(self._switch_patient, names="value")

    def edited_folds(self) -> np.ndarray:
        return np.array([2.0 ** self.genes[g].value for g in GENES])

    def edited(self) -> dict:
        """The patient on the sliders: id, score, and whether any gene differs from the simulated values."""
        score = score_from_folds(self.edited_folds())
        changed = any(self.genes[g].value != self._loaded[g] for g in GENES)
        return {"sample_id": self.patient.value, "score": score, "changed": changed}

    def chart(self):
        edited = self.edited()
        positive = edited["score"] > self.cutoff.value
        folds = ", ".join(f"{g} ×{f:.2g}" for g, f in zip(GENES, self.edited_folds(), strict=True))
        who = f"{edited['sample_id']}{' (edited)' if edited['changed'] else ''}"
        self.verdict.value = (
            f"<b>{who}</b>: median of ({folds}) = <b>{edited['score']:.2f}</b> → "
            f"<b>{'positive' if positive else 'negative'}</b> (cut-off {self.cutoff.value:.3g})"
        )
        like = self.view.chart if self.view is not None else None
        return isg_lab_chart(self.scores, edited, self.cutoff.value, like=like)

    def _load_patient(self):
        row = self.folds.loc[self.patient.value]
        for g in GENES:
            with self.genes[g].hold_trait_notifications():
                self.genes[g].value = round(float(np.log2(row[g])), 1)
        self._loaded = {g: self.genes[g].value for g in GENES}

    def _redraw(self, _=None):
        if self.view is not None:
            self.view.update(self.chart(), same_shape=True)

    def _switch_patient(self, _):
        for g in GENES:
            self.genes[g].unobserve(self._redraw, names="value")
        self._load_patient()
        for g in GENES:
            self.genes[g].observe(self._redraw, names="value")
        self._redraw()

    def show(self) -> IsgLab:
        display(
            widgets.VBox(
                [
                    self.patient,
                    widgets.HBox(
                        [widgets.VBox(list(self.genes.values())[:3]), widgets.VBox(list(self.genes.values())[3:])]
                    ),
                    self.cutoff,
                ]
            )
        )
        self.view = chart_view(self.chart())
        display(self.verdict)
        return self
