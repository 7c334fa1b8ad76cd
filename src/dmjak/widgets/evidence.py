"""Notebook 06's interactive exercises: the appraisal checklist and the study-design exercise.

Both show the model answers only behind a reveal. In static mode (exports) they render as HTML with the
answers inside closed <details> elements.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd
from IPython.display import display

from dmjak.models import appraisal, study_design
from dmjak.render import is_static, show_html


def _table_html(frame: pd.DataFrame) -> str:
    return frame.to_html(index=False, escape=True, border=0)


def appraisal_checklist() -> None:
    """Eight questions with a choice each; 'Compare' reveals the model appraisal beside the answers."""
    items = appraisal.checklist()
    if is_static():
        questions = "".join(f"<li>{html.escape(r.question)} <i>({r.domain})</i></li>" for r in items.itertuples())
        model = _table_html(items[["item", "domain", "model_answer", "explanation", "evidence_source"]])
        show_html(f"<ol>{questions}</ol><details><summary>Show the model appraisal</summary>{model}</details>")
        return
    style = {"description_width": "initial"}
    choices = {
        r.item: widgets.Dropdown(
            options=["(choose)", *appraisal.ANSWERS],
            value="(choose)",
            style=style,
            description=f"{r.item}. {r.question}",
            layout=widgets.Layout(width="95%"),
        )
        for r in items.itertuples()
    }
    button = widgets.Button(description="Compare with the model appraisal", button_style="primary")
    result = widgets.HTML()

    def on_compare(_):
        answers = {i: c.value for i, c in choices.items() if c.value != "(choose)"}
        table = appraisal.compare(answers, items)
        agree = int(table["agree"].sum())
        result.value = (
            f"<p><b>You agree with the model on {agree} of {len(table)} items.</b> Disagreeing is "
            f"fine if you can defend it.</p>" + _table_html(table.drop(columns=["question"]))
        )

    button.on_click(on_compare)
    display(widgets.VBox([*choices.values(), button, result]))


def design_exercise() -> None:
    """Choose population, comparator, outcome, duration and blinding; feedback compares with BIRD."""
    offered = study_design.options()
    if is_static():
        listing = "".join(f"<li><b>{html.escape(d)}</b>: {html.escape(' | '.join(o))}</li>" for d, o in offered.items())
        model = _table_html(study_design.feedback(study_design.bird_design()))
        show_html(f"<ul>{listing}</ul><details><summary>Show the BIRD design and feedback</summary>{model}</details>")
        return
    style = {"description_width": "initial"}
    choices = {
        d: widgets.Dropdown(
            options=opts, value=opts[-1], description=d.capitalize(), style=style, layout=widgets.Layout(width="80%")
        )
        for d, opts in offered.items()
    }
    button = widgets.Button(description="Get feedback", button_style="primary")
    result = widgets.HTML()

    def on_feedback(_):
        table = study_design.feedback({d: c.value for d, c in choices.items()})
        result.value = (
            f"<p><b>{int(table['as_in_bird'].sum())} of {len(table)} choices match the BIRD trial."
            f"</b></p>" + _table_html(table)
        )

    button.on_click(on_feedback)
    display(widgets.VBox([*choices.values(), button, result]))
