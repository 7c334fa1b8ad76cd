"""Notebook 04's DLQI calculator: two visits, ten items each, chosen from 0-3 so no invalid input exists."""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd
from IPython.display import display

from dmjak.charts.measures import dlqi_chart
from dmjak.models import dlqi
from dmjak.params import ParameterError, check_choice
from dmjak.render import chart_view


class DLQICalculator:
    """One row per item (number and domain), a 0-3 choice per visit; totals, bands and change update live."""

    def __init__(self, items: pd.DataFrame, before: list[int], after: list[int]):
        for name, scores in (("before", before), ("after", after)):
            if not isinstance(scores, list | tuple) or len(scores) != len(items):
                raise ParameterError(f"Parameter {name}={scores!r} is not valid; valid: {len(items)} item scores")
            for score in scores:
                check_choice(f"{name} (an item score)", score, [0, 1, 2, 3])
        self.items = items
        layout = widgets.Layout(width="90px")
        hidden = {"description_width": "0px"}  # the row label is visible; the description is for screen readers
        self.choices = {
            visit: {
                row.item: widgets.Dropdown(
                    options=[0, 1, 2, 3],
                    value=start[row.item - 1],
                    layout=layout,
                    description=f"Item {row.item}, {visit}",
                    style=hidden,
                )
                for row in items.itertuples()
            }
            for visit, start in (("visit 1", before), ("visit 2", after))
        }
        self.result = widgets.HTML()
        self.view = None
        for choices in self.choices.values():
            for control in choices.values():
                control.observe(self._redraw, names="value")

    def scores(self) -> dict[str, dict[int, int]]:
        return {visit: {item: c.value for item, c in choices.items()} for visit, choices in self.choices.items()}

    def chart(self):
        scores = self.scores()
        result = dlqi.change(scores["visit 1"], scores["visit 2"])
        verdict = result["verdict"]
        title = f"DLQI {result['before']} → {result['after']} ({result['change']:+d}; higher = worse): {verdict}"
        self.result.value = (
            f"Visit 1: <b>{result['before']}</b> ({html.escape(result['band_before'])}); visit 2: "
            f"<b>{result['after']}</b> ({html.escape(result['band_after'])}); change {result['change']:+d}: "
            f"<b>{verdict}</b>"
        )
        like = self.view.chart if self.view is not None else None
        return dlqi_chart(self.items, scores, title, like=like)

    def _redraw(self, _=None):
        if self.view is not None:
            self.view.update(self.chart(), same_shape=True)

    def show(self) -> DLQICalculator:
        header = widgets.HBox(
            [
                widgets.HTML("<b>Item (domain)</b>", layout=widgets.Layout(width="260px")),
                widgets.HTML("<b>Visit 1</b>", layout=widgets.Layout(width="90px")),
                widgets.HTML("<b>Visit 2</b>", layout=widgets.Layout(width="90px")),
            ]
        )
        rows = [
            widgets.HBox(
                [
                    widgets.Label(f"Item {r.item} ({r.domain})", layout=widgets.Layout(width="260px")),
                    self.choices["visit 1"][r.item],
                    self.choices["visit 2"][r.item],
                ]
            )
            for r in self.items.itertuples()
        ]
        display(widgets.VBox([header, *rows]))
        self.view = chart_view(self.chart())
        display(self.result)
        return self
