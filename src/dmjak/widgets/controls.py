"""Layouts shared by every widget, so no label is clipped and every slider has a track to drag.

ipywidgets gives each control 300 px by default and lets a long description eat the slider's track
(the notebook 05 speed slider had none left) and cuts button and checkbox labels with "…". These
layouts size controls to their labels and give sliders a fixed, wide track.
"""

from __future__ import annotations

import ipywidgets as widgets

LABEL_STYLE = {"description_width": "initial"}  # the description is as wide as its text, never cut
TOGGLE_STYLE = {"description_width": "initial", "button_width": "auto"}  # each button fits its label


def slider_layout(width: int = 560) -> widgets.Layout:
    """A slider row ``width`` px wide (label + track + readout), shrinking only on a narrow screen."""
    return widgets.Layout(width=f"{width}px", max_width="100%")


def fit_layout() -> widgets.Layout:
    """Buttons and checkboxes as wide as their label needs (not 300 px, and not stretched across a column)."""
    return widgets.Layout(width="max-content")
