"""Notebook 02's pathway-inhibition explorer: drug, free concentration and pairing rule -> signal left."""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd
from IPython.display import display

from dmjak.charts.jak import explorer_charts
from dmjak.models.inhibition import RULES, kinase_inhibition, pathway_signal
from dmjak.render import chart_view


class PathwayExplorer:
    """Controls and two charts (JAK inhibition, pathway signal), updated in place on every change."""

    def __init__(
        self,
        potency: pd.DataFrame,
        pathways: pd.DataFrame,
        drug: str = "baricitinib",
        concentration_nm: float = 30.0,
        rule: str = RULES[0],
    ):
        self.potency, self.pathways = potency, pathways
        style = {"description_width": "initial"}
        self.drug = widgets.Dropdown(
            options=sorted(potency["drug"].unique()), value=drug, description="Drug", style=style
        )
        self.concentration = widgets.FloatLogSlider(
            value=concentration_nm,
            base=10,
            min=-1,
            max=4,
            step=0.05,
            description="Free concentration (nM)",
            style=style,
            continuous_update=False,
            readout_format=".3g",
        )
        self.rule = widgets.ToggleButtons(options=list(RULES), value=rule, description="Pairing rule", style=style)
        self.views = None
        for control in (self.drug, self.concentration, self.rule):
            control.observe(self._redraw, names="value")

    def compute(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        kinases = kinase_inhibition(self.potency, self.drug.value, self.concentration.value)
        return kinases, pathway_signal(self.pathways, kinases, self.rule.value)

    def charts(self):
        kinases, signal = self.compute()
        like = tuple(v.chart for v in self.views) if self.views else None
        return explorer_charts(kinases, signal, self.drug.value, self.concentration.value, self.rule.value, like=like)

    def _redraw(self, _=None):
        if self.views:
            for view, chart in zip(self.views, self.charts(), strict=True):
                view.update(chart, same_shape=True)

    def show(self) -> PathwayExplorer:
        display(widgets.VBox([widgets.HBox([self.drug, self.concentration]), self.rule]))
        self.views = [chart_view(c) for c in self.charts()]
        return self
