"""Notebook 02's pathway-inhibition explorer: drug, free concentration and pairing rule -> signal left."""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd
from IPython.display import display

from dmjak.charts.jak import explorer_charts
from dmjak.models import pk
from dmjak.models.inhibition import RULES, kinase_inhibition, pathway_signal
from dmjak.params import check_choice
from dmjak.pictures.figure import Picture
from dmjak.pictures.jak import Block, interferon_cascade
from dmjak.render import HtmlView, chart_view
from dmjak.widgets.controls import LABEL_STYLE, TOGGLE_STYLE, slider_layout

USUAL_DOSE_MG = 4  # the dose of the case series and of notebook 03's worked examples

# 1-2-3-5 steps per tenfold: every concentration the notebook mentions (3, 30, 300 nM...) can be dragged to.
CONCENTRATIONS_NM = tuple(round(m * 10.0**e, 1) for e in range(-1, 4) for m in (1, 2, 3, 5)) + (10000.0,)


class PathwayExplorer:
    """Controls, the interferon cascade picture with the drug's block, and two charts (JAK inhibition,
    pathway signal), all updated in place on every change."""

    def __init__(
        self,
        potency: pd.DataFrame,
        pathways: pd.DataFrame,
        drug: str = "baricitinib",
        concentration_nm: float = 30.0,
        rule: str = RULES[0],
        notebook: str | None = None,
    ):
        self.potency, self.pathways = potency, pathways
        self.notebook = notebook  # the cascade picture cites its sources with this notebook's numbers
        day = pk.steady_state_profile(USUAL_DOSE_MG, pk.sourced_parameters())["free_nm"]
        self.exposure = (float(day.min()), float(day.max()))  # baricitinib's free range over a day (notebook 03)
        style = LABEL_STYLE
        if concentration_nm not in CONCENTRATIONS_NM:
            choices = ", ".join(f"{c:g}" for c in CONCENTRATIONS_NM)
            raise ValueError(f"concentration_nm={concentration_nm:g} is not on the slider; choose one of {choices}")
        check_choice("drug", drug, sorted(potency["drug"].unique()))
        self.drug = widgets.Dropdown(
            options=sorted(potency["drug"].unique()), value=drug, description="Drug", style=style
        )
        self.concentration = widgets.SelectionSlider(
            options=[(f"{c:,g}", c) for c in CONCENTRATIONS_NM],
            value=concentration_nm,
            description="Free drug concentration (nM)",
            style=style,
            continuous_update=False,
            layout=slider_layout(560),
        )
        self.rule = widgets.ToggleButtons(
            options=list(RULES), value=rule, description="Pairing rule", style=TOGGLE_STYLE
        )
        self.views = None
        self._picture = None  # the cascade picture's view (HtmlView)
        for control in (self.drug, self.concentration, self.rule):
            control.observe(self._redraw, names="value")

    def compute(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        kinases = kinase_inhibition(self.potency, self.drug.value, self.concentration.value)
        return kinases, pathway_signal(self.pathways, kinases, self.rule.value)

    def charts(self):
        kinases, signal = self.compute()
        like = tuple(v.chart for v in self.views) if self.views else None
        exposure = self.exposure if self.drug.value == "baricitinib" else None  # PK is sourced for baricitinib only
        return explorer_charts(
            kinases, signal, self.drug.value, self.concentration.value, self.rule.value, like=like, exposure=exposure
        )

    def picture(self) -> Picture:
        """The type I interferon cascade with what the chosen drug and concentration block."""
        block = Block.from_model(
            self.potency, self.pathways, self.drug.value, self.concentration.value, self.rule.value
        )
        return interferon_cascade(self.pathways, block, notebook=self.notebook)

    def _redraw(self, _=None):
        if self._picture is not None:
            self._picture.update(self.picture().html())
        if self.views:
            for view, chart in zip(self.views, self.charts(), strict=True):
                view.update(chart, same_shape=True)

    def show(self) -> PathwayExplorer:
        display(widgets.VBox([self.drug, self.concentration, self.rule]))
        self._picture = HtmlView(self.picture().html())
        self.views = [chart_view(c) for c in self.charts()]
        return self
