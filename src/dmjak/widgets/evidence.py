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
from dmjak.widgets.controls import LABEL_STYLE, fit_layout

PLACEHOLDER = "(choose)"
VERDICT_TEXT = {
    "agree": ("✔", "Same as the model answer."),
    "equivalent": ("✔", "Same meaning as the model answer: when a report does not say, the answer is unclear."),
    "close": ("≈", "One step from the model answer; defensible if you can say why."),
    "differs": ("✘", "Different from the model answer; read the reason."),
    "not answered": ("○", "Not answered yet."),
}


def appraisal_feedback_html(table: pd.DataFrame) -> str:
    """Feedback a student can learn from: per item, a verdict, both answers, and the reason with its source."""
    agree = int(table["agree"].sum())
    items = []
    for r in table.itertuples():
        mark, meaning = VERDICT_TEXT[r.verdict]
        items.append(
            f"<li><b>{mark} {html.escape(str(r.item))}. {html.escape(r.question)}</b><br>"
            f"Your answer: <b>{html.escape(r.your_answer)}</b>; model answer: <b>{html.escape(r.model_answer)}</b>. "
            f"{meaning}<br><i>Why:</i> {html.escape(r.explanation)} [{html.escape(r.evidence_source)}]</li>"
        )
    return (
        f"<p><b>You agree with the model on {agree} of {len(table)} items</b> (same answer or same meaning). "
        "Disagreeing is fine if you can defend it.</p><ol style='list-style:none;padding-left:0'>"
        + "".join(items)
        + "</ol>"
    )


def appraisal_checklist() -> None:
    """Eight questions with a choice each; 'Compare' reveals the model appraisal beside the answers."""
    items = appraisal.checklist()
    if is_static():
        questions = "".join(
            f"<li>{html.escape(r.question)} <i>({html.escape(r.domain)})</i></li>" for r in items.itertuples()
        )
        model = "".join(
            f"<li><b>{html.escape(str(r.item))}. {html.escape(r.question)}</b> "
            f"Model answer: <b>{html.escape(r.model_answer)}</b>. "
            f"<i>Why:</i> {html.escape(r.explanation)} [{html.escape(r.evidence_source)}]</li>"
            for r in items.itertuples()
        )
        model = f"<ol style='list-style:none;padding-left:0'>{model}</ol>"
        show_html(f"<ol>{questions}</ol><details><summary>Show the model appraisal</summary>{model}</details>")
        return
    choices = {
        r.item: widgets.Dropdown(
            options=[PLACEHOLDER, *appraisal.ANSWERS],
            value=PLACEHOLDER,
            style=LABEL_STYLE,
            description=f"Answer {r.item}",
            layout=widgets.Layout(width="20em"),
        )
        for r in items.itertuples()
    }
    button = widgets.Button(description="Compare with the model appraisal", button_style="primary", layout=fit_layout())
    result = widgets.HTML()

    def on_compare(_):
        answers = {i: c.value for i, c in choices.items() if c.value != PLACEHOLDER}
        result.value = appraisal_feedback_html(appraisal.compare(answers, items))

    button.on_click(on_compare)
    # Each question on its own line(s), its answer box below it: a long question wraps instead of pushing
    # its box over the next question (issue 21, defect 06-1).
    rows = [
        widgets.VBox([widgets.HTML(f"<b>{r.item}.</b> {html.escape(r.question)}"), choices[r.item]])
        for r in items.itertuples()
    ]
    display(widgets.VBox([*rows, button, result]).add_class("dmjak-appraisal"))


def design_feedback_html(table: pd.DataFrame) -> str:
    """Per design choice: whether BIRD made it, and why it matters, with its source."""
    items = "".join(
        f"<li><b>{'✔' if r.as_in_bird else '✘'} {html.escape(r.dimension.capitalize())}: "
        f"{html.escape(r.your_choice)}</b><br>{html.escape(r.feedback)} [{html.escape(r.source)}]</li>"
        for r in table.itertuples()
    )
    return (
        f"<p><b>{int(table['as_in_bird'].sum())} of {len(table)} choices match the BIRD trial.</b></p>"
        f"<ul style='list-style:none;padding-left:0'>{items}</ul>"
    )


def design_exercise() -> None:
    """Choose population, comparator, outcome, duration and blinding; feedback compares with BIRD."""
    offered = study_design.options()
    if is_static():
        listing = "".join(f"<li><b>{html.escape(d)}</b>: {html.escape(' | '.join(o))}</li>" for d, o in offered.items())
        model = design_feedback_html(study_design.feedback(study_design.bird_design()))
        show_html(f"<ul>{listing}</ul><details><summary>Show the BIRD design and feedback</summary>{model}</details>")
        return
    choices = {
        d: widgets.Dropdown(
            options=[PLACEHOLDER, *opts],
            value=PLACEHOLDER,
            description=d.capitalize(),
            style=LABEL_STYLE,
            layout=widgets.Layout(width="80%"),
        )
        for d, opts in offered.items()
    }
    button = widgets.Button(description="Get feedback", button_style="primary", layout=fit_layout())
    result = widgets.HTML()

    def on_feedback(_):
        open_choices = [d for d, c in choices.items() if c.value == PLACEHOLDER]
        if open_choices:
            result.value = f"<p>Choose an option for every part first: {html.escape(', '.join(open_choices))}.</p>"
            return
        result.value = design_feedback_html(study_design.feedback({d: c.value for d, c in choices.items()}))

    button.on_click(on_feedback)
    display(widgets.VBox([*choices.values(), button, result]))
