"""'Check your understanding' questions: content from ``data/quiz_items.csv``, answers behind a reveal.

The question, options, per-option feedback and model answer are data (validated, each with a source),
so a notebook cell shows only ``quiz("cases-evidence-level")`` and the answer is not in plain sight.
Live, a question is a small widget (pick, check, feedback, reveal); in static mode it is HTML with the
model answer inside a closed ``<details>`` element, which works in any exported page.
"""

from __future__ import annotations

import html
import numbers
import re
from dataclasses import dataclass

import ipywidgets as widgets
import pandas as pd
from IPython.display import display

from dmjak.data import load_table
from dmjak.render import is_static, show_html

SEPARATOR = " | "
# Radio labels have a fixed one-line height by default, so a long option overlaps the next one on a narrow
# page; let each option wrap, with its button beside the first line.
WRAP_CHOICES = (
    ".dmjak-quiz .widget-radio-box label {height: auto; min-height: var(--jp-widgets-radio-item-height);"
    " line-height: 1.4; padding: 2px 0; display: flex; flex-direction: row-reverse; justify-content: flex-end;"
    " align-items: flex-start}"
    " .dmjak-quiz .widget-radio-box input {float: none; flex-shrink: 0; height: auto; margin-top: 3px}"
)


# a question's model answer, or notebook 06's model appraisal (its item 4 answers a polled question)
MODEL_ANSWER = re.compile(r"<details><summary>Show the model (?:answer|appraisal)</summary>.*?</details>", re.S)
STUDENT_NOTE = (
    "<p class='dmjak-quiz-note'><em>Choose an answer, then check it in the live notebook; your lecturer has "
    "the model answers.</em></p>"
)


def without_model_answers(markup: str, note: str = STUDENT_NOTE) -> str:
    """Static question HTML with each model-answer reveal replaced by ``note``: what students' copies show
    (pages, site, slides), since the same questions are polled in class."""
    return MODEL_ANSWER.sub(note, markup)


@dataclass(frozen=True)
class QuizItem:
    quiz_id: str
    question: str
    options: list[str]
    answer: int  # index into options
    feedback: list[str]
    explanation: str
    source: str | None  # None for questions about the course itself

    def check(self, choice: int) -> tuple[bool, str]:
        """Whether ``choice`` (an option index) is right, and the feedback for that option."""
        if isinstance(choice, bool) or not isinstance(choice, numbers.Integral) or not 0 <= choice < len(self.options):
            raise ValueError(f"choice {choice} is not an option index 0..{len(self.options) - 1}")
        return choice == self.answer, self.feedback[choice]


def quiz_items(notebook: str | None = None) -> dict[str, QuizItem]:
    """All questions (or one notebook's), keyed by id, parsed from the validated table."""
    table = load_table("quiz_items")
    if notebook is not None:
        table = table[table["notebook"] == notebook]
    items = {}
    for row in table.itertuples(index=False):
        options = row.options.split(SEPARATOR)
        feedback = row.option_feedback.split(SEPARATOR)
        if len(feedback) != len(options):
            raise ValueError(
                f"quiz_items.csv, quiz {row.quiz_id}: {len(options)} options but "
                f"{len(feedback)} feedback entries (separate both with '{SEPARATOR}')"
            )
        if not 1 <= row.answer <= len(options):
            raise ValueError(
                f"quiz_items.csv, quiz {row.quiz_id}: answer {row.answer} is not an option number 1..{len(options)}"
            )
        source = None if pd.isna(row.source) else row.source
        items[row.quiz_id] = QuizItem(
            row.quiz_id, row.question, options, int(row.answer) - 1, feedback, row.explanation, source
        )
    return items


def _answer_html(item: QuizItem) -> str:
    cite = f" [{html.escape(item.source)}]" if item.source else ""
    return f"<p><strong>{chr(65 + item.answer)}.</strong> {html.escape(item.explanation)}{cite}</p>"


def _static_html(item: QuizItem) -> str:
    options = "".join(f"<li>{html.escape(o)}</li>" for o in item.options)
    return (
        f"<div class='dmjak-quiz'><p><strong>Check your understanding.</strong> "
        f"{html.escape(item.question)}</p><ol type='A'>{options}</ol>"
        f"<details><summary>Show the model answer</summary>{_answer_html(item)}</details></div>"
    )


def _widget(item: QuizItem) -> widgets.Widget:
    choices = widgets.RadioButtons(
        options=[(f"{chr(65 + i)}. {o}", i) for i, o in enumerate(item.options)],
        value=None,
        description="Your answer:",
        layout=widgets.Layout(width="auto"),
        style={"description_width": "initial"},
    )
    check = widgets.Button(description="Check", button_style="primary", tooltip="Check your answer")
    feedback = widgets.HTML()
    answer = widgets.HTML(_answer_html(item))
    reveal = widgets.Accordion(children=[answer], titles=("Show the model answer",), selected_index=None)

    def on_check(_):
        if choices.value is None:
            feedback.value = "<p>Pick an option first.</p>"
            return
        right, text = item.check(choices.value)
        verdict = "✔ Correct." if right else "✘ Not quite."
        feedback.value = f"<p><strong>{verdict}</strong> {html.escape(text)}</p>"

    check.on_click(on_check)
    header = widgets.HTML(
        f"<style>{WRAP_CHOICES}</style><p><strong>Check your understanding.</strong> {html.escape(item.question)}</p>"
    )
    return widgets.VBox([header, choices, check, feedback, reveal]).add_class("dmjak-quiz")


def quiz(quiz_id: str) -> None:
    """Display question ``quiz_id`` (widget live, static HTML with a closed reveal otherwise)."""
    items = quiz_items()
    if quiz_id not in items:
        raise KeyError(f"No quiz {quiz_id!r} in data/quiz_items.csv; known ids: {sorted(items)}")
    item = items[quiz_id]
    if is_static():
        show_html(_static_html(item))
    else:
        display(_widget(item))
