"""Notebook 07's screening checklist: tick the checks done, see what is still open.

Static (exports, headless runs) it is an HTML list of every check with its threshold and action.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd
from IPython.display import display

from dmjak.models import checklist as model
from dmjak.render import is_static, show_html

# Checkbox labels are cut with an ellipsis by default; a check must be read in full.
WRAP_LABELS = (
    ".dmjak-checklist .widget-checkbox, .dmjak-checklist .widget-checkbox .widget-label-basic,"
    " .dmjak-checklist .widget-checkbox .widget-label-basic span"
    " {height: auto; white-space: normal; overflow: visible; text-overflow: clip}"
)


def _label(row) -> str:
    threshold = f" ({row.threshold})" if isinstance(row.threshold, str) else ""
    return f"{row.step}. {row.check}{threshold}"


def _static_html(checks: pd.DataFrame) -> str:
    items = "".join(
        f"<li>☐ {html.escape(_label(r))} <i>[{html.escape(r.source)}, {html.escape(r.source_detail)}]</i><br>"
        f"What to do: {html.escape(r.action)}</li>"
        for r in checks.itertuples()
    )
    return (
        f"<p><b>Screening checklist</b> ({len(checks)} checks; live, each can be ticked).</p>"
        f"<ul style='list-style: none'>{items}</ul><p>{html.escape(model.progress(checks, []))}</p>"
    )


def screening_checklist(checks: pd.DataFrame) -> None:
    """One checkbox per check; a line below says how many are done and which topics are still open."""
    if is_static():
        show_html(_static_html(checks))
        return
    boxes = {
        r.step: widgets.Checkbox(
            value=False,
            description=_label(r),
            description_allow_html=False,
            indent=False,
            tooltip=f"What to do: {r.action}",
            layout=widgets.Layout(width="98%"),
        )
        for r in checks.itertuples()
    }
    status = widgets.HTML(f"<p aria-live='polite'><b>{html.escape(model.progress(checks, []))}</b></p>")

    def on_change(_):
        ticked = [step for step, box in boxes.items() if box.value]
        status.value = f"<p aria-live='polite'><b>{html.escape(model.progress(checks, ticked))}</b></p>"

    for box in boxes.values():
        box.observe(on_change, names="value")
    heading = widgets.HTML(
        f"<style>{WRAP_LABELS}</style><p><b>Screening checklist</b>: tick each check once it is done.</p>"
    )
    display(widgets.VBox([heading, *boxes.values(), status]).add_class("dmjak-checklist"))
