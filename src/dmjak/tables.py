"""Every table a student sees, drawn the same way: full text wrapped, headings in words, gaps named.

pandas' own display cuts long cells with "…", shows a 0..n row index that means nothing, prints missing
values as ``<NA>`` and uses column names (``ci_low``) as headings. ``show_table`` fixes all four and
returns plain HTML with its own small style sheet, so it looks the same in JupyterLab, Voilà and the offline export.
"""

from __future__ import annotations

import html
import json
import math
import numbers
import re
from functools import cache

import numpy as np
import pandas as pd
from IPython.display import HTML

from dmjak.paths import data_dir

NOT_REPORTED = "not reported"
_EMPTY_MEANS = re.compile(r"empty = ([^.;]+)")

# Column headings in words (with units) for the course's data columns; other names are spelled out
# by ``heading`` (underscores to spaces, known abbreviations and units in capitals or brackets).
HEADINGS = {
    "patient_id": "Patient",
    "autoantibody": "Autoantibody",
    "reported_outcome": "Reported outcome",
    "outcome_time_frame": "Time frame of the outcome",
    "baricitinib_dose_mg_per_day": "Baricitinib dose (mg/day)",
    "skin_features": "Skin findings",
    "muscle_features": "Muscle findings",
    "other_features": "Other findings",
    "prior_treatments": "Earlier treatments",
    "concomitant_treatments": "Treatments continued alongside",
    "evidence": "Evidence",
    "source": "Source",
    "source_detail": "Where in the source",
    "ci_low": "95% CI, lower",
    "ci_high": "95% CI, upper",
    "min_score": "Minimum total score (points)",
    "muscle_biopsy": "Muscle biopsy items",
    "sensitivity_pct": "Sensitivity (%)",
    "specificity_pct": "Specificity (%)",
    "typical_phenotype": "Typical clinical picture",
    "lung_disease": "Lung disease",
    "skin_ulcers": "Skin ulcers",
    "course_patient": "Course patient",
    "sample_id": "Sample",
    "kinase_1": "First JAK",
    "kinase_2": "Second JAK",
    "stat": "STATs activated",
    "response_element": "DNA element",
    "pairing_basis": "Pairing",
    "stat_basis": "STATs: stated or inferred",
    "stat_source": "Source for the STATs",
    "receptor_chains": "Receptor chains",
    "ic50_nm": "IC50 (nM)",
    "numbers_in_course": "Numbers in the course",
    "auc_ratio": "AUC ratio",
    "cmax_ratio": "Cmax ratio",
    "eu_dose_advice": "EU label advice",
    "usual_dose": "Usual dose",
    "max_score": "Highest item score (points)",
    "measure_label": "Measure",
    "week_4": "Week 4",
    "percent_change": "Change (%)",
    "statement_id": "Statement",
    "check_rule": "How the course checks it",
    "set_id": "Assumption set",
    "assumption_set": "Assumption set",
    "weeks_to_half": "Weeks to half the improvement",
    "ocebm_level": "OCEBM level",
    "level_basis": "Basis of the level",
    "cdasi_plotted": "CDASI change plotted",
    "mean_change": "Mean change (CDASI points)",
    "rate_per_100_patient_years": "Events per 100 patient-years",
    "hazard_ratio": "Hazard ratio",
    "noninferiority_margin": "Non-inferiority margin",
    "therapy_question_evidence": "Kind of evidence",
    "start_week": "Start (weeks from baricitinib start)",
    "end_week": "End (weeks from baricitinib start)",
    "bound_weeks": "Time bound (weeks)",
    "timing_note": "What is known about the timing",
    "median_score": "Median score",
    "n": "Patients (n)",
    "core_minutes": "Core path (minutes)",
    "deeper_minutes": "Going deeper (minutes)",
    "deeper_parts": "Going deeper: the optional parts",
    "meets_mcid_upenn": "Fall reaches the UPenn MCID",
    "meets_mcid_stanford": "Fall reaches the Stanford MCID",
    "below_quality_of_life_floor": "At or below the level where the DLQI stopped improving",
    "meaningful_improvement": "Fall reaches the MCID",
    "meaningful_worsening": "Rise reaches the MCID",
    "mcid": "MCID (points)",
    "band_before": "Band before",
    "band_after": "Band after",
}
_WORDS = {
    "id": "ID",
    "ic50": "IC50",
    "auc": "AUC",
    "cdasi": "CDASI",
    "dlqi": "DLQI",
    "ocebm": "OCEBM",
    "ifn": "IFN",
    "jak": "JAK",
    "dm": "DM",
    "ci": "CI",
    "isg": "ISG",
    "nm": "(nM)",
    "pct": "(%)",
    "mg": "(mg)",
}

# One small style sheet per table instead of a style on every cell (a 300-row table stays small). The
# doubled class outranks JupyterLab's `:not(.jp-RenderedMarkdown).jp-RenderedHTMLCommon td` (right-aligned), so
# tables read the same in notebooks, Voila and exports.
_T = "table.dmjak-table.dmjak-table"
_STYLE = (
    "<style>"
    f"{_T}{{border-collapse:collapse;margin:0.5em 0;max-width:100%;font-size:0.95em}}"
    f"{_T} th,{_T} td{{text-align:left;vertical-align:top;padding:0.35em 0.6em;"
    "border-bottom:1px solid #ddd;white-space:normal}"
    f"{_T} thead th{{vertical-align:bottom;border-bottom:2px solid #555;font-weight:bold}}"
    f"{_T} td.num{{text-align:right;white-space:nowrap}}"
    f"{_T} td.gap{{font-style:italic;color:#555}}"
    f"{_T} caption{{text-align:left;font-style:italic}}"
    "</style>"
)


def heading(column: object, columns: dict | None = None) -> str:
    """A column's heading in words: the caller's mapping, then the course's, then the name spelled out."""
    if columns and column in columns:
        return str(columns[column])
    if column in HEADINGS:
        return HEADINGS[column]
    if not isinstance(column, str):
        return str(column)
    words = [_WORDS.get(word, word) for word in column.split("_")]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


@cache
def missing_texts() -> dict[str, str]:
    """What an empty cell means, per column, as ``data/datapackage.json`` documents it ("empty = ...").

    A column name documented differently in two tables is left out (it falls back to "not reported").
    """
    package = json.loads((data_dir() / "datapackage.json").read_text(encoding="utf-8"))
    found: dict[str, set[str]] = {}
    for resource in package["resources"]:
        for field in resource["schema"]["fields"]:
            match = _EMPTY_MEANS.search(field.get("description", ""))
            if match:
                found.setdefault(field["name"], set()).add(match.group(1).strip())
    return {name: texts.pop() for name, texts in found.items() if len(texts) == 1}


def _missing_text(column: object, given: dict | None) -> str:
    if given and column in given:
        return given[column]
    return missing_texts().get(column, NOT_REPORTED)


def _is_missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


_LONG_TOKEN = re.compile(r"\S{12,}")
_WORD_JOINT = re.compile(r"(?<=[a-z])(?=[A-Z0-9])")


def breakable(text: str) -> str:
    """``text`` as HTML, with a line-break opportunity (``<wbr>``) at the word joints of long tokens.

    A citation key such as CourseReconstruction2026 cannot wrap, so a column of them stays wide and
    pushes the last columns of a wide table past the output's edge; with the joints marked it wraps as
    Course/Reconstruction/2026 and the table fits. Short tokens ("mL/min") are left alone. Each piece is
    escaped on its own, so a break never lands inside an entity such as ``&#x27;``.
    """
    pieces, last = [], 0
    for token in _LONG_TOKEN.finditer(text):
        pieces.append(html.escape(text[last : token.start()]))
        pieces.append("<wbr>".join(html.escape(part) for part in _WORD_JOINT.split(token.group())))
        last = token.end()
    pieces.append(html.escape(text[last:]))
    return "".join(pieces)


def cell_text(value: object) -> str:
    """A value as a reader would write it: whole numbers without '.0', yes/no for booleans."""
    if isinstance(value, bool | np.bool_):  # a bool column's cells are NumPy booleans, not Python ones
        return "yes" if value else "no"
    if isinstance(value, numbers.Integral):
        return f"{value:,}" if abs(value) >= 10_000 else str(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        if number.is_integer():
            return f"{int(number):,}" if abs(number) >= 10_000 else str(int(number))
        return f"{number:,.0f}" if abs(number) >= 10_000 else f"{number:.4g}"
    return str(value)


def _row_label(label: object, columns: dict | None) -> str:
    """A row label: a column name (a transposed table) in words, any other value as it is."""
    known = label in (columns or {}) or label in HEADINGS or (isinstance(label, str) and "_" in label)
    return heading(label, columns) if known else str(label)


def _has_meaningful_index(frame: pd.DataFrame) -> bool:
    """A row index is worth showing unless it is pandas' unnamed 0..n (or what is left of it after a filter)."""
    index = frame.index
    return bool(any(index.names) or not pd.api.types.is_integer_dtype(index.dtype))


def table_html(
    frame: pd.DataFrame,
    columns: dict | None = None,
    missing: str | dict | None = None,
    index: bool | None = None,
    caption: str | None = None,
    details: list | None = None,
) -> str:
    """``frame`` as an HTML table: every cell in full, headings in words, missing values named.

    ``columns`` maps column names to headings (overriding the course's); ``missing`` is the text for an
    empty cell, or a mapping from column to that text (by default what the data package says an empty
    cell of that column means, else "not reported"); ``index`` forces the row labels on or off (by
    default they are shown only when they mean something). ``details`` names long-text columns to move
    out of the grid into one last column, each row's text behind a "Details" reveal (details on demand:
    a dense table keeps a few scannable columns, and nothing is cut).
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"show_table needs a pandas DataFrame, not {type(frame).__name__}")
    if details:
        unknown = [c for c in details if c not in frame.columns]
        if unknown:
            raise KeyError(f"details: no column(s) {unknown}; the table has {list(frame.columns)}")
        frame = frame.assign(
            **{DETAILS_COLUMN: [_details_html(row, details, columns, missing) for _, row in frame.iterrows()]}
        ).drop(columns=details)
    show_index = _has_meaningful_index(frame) if index is None else index
    names = [heading(c, columns) for c in frame.columns]
    head = ""
    if show_index:
        label = " / ".join(heading(n, columns) for n in frame.index.names if n) if any(frame.index.names) else ""
        head += f"<th>{html.escape(label)}</th>"
    head += "".join(f"<th>{html.escape(n)}</th>" for n in names)
    body = []
    for label, row in zip(frame.index, frame.itertuples(index=False, name=None), strict=True):
        cells = ""
        if show_index:
            text = " / ".join(map(str, label)) if isinstance(label, tuple) else _row_label(label, columns)
            cells += f'<th scope="row">{html.escape(text)}</th>'
        for column, value in zip(frame.columns, row, strict=True):
            if column == DETAILS_COLUMN:
                cells += f"<td>{value}</td>"  # already HTML, escaped piece by piece in _details_html
            elif _is_missing(value):
                gap = missing if isinstance(missing, str) else _missing_text(column, missing)
                cells += f'<td class="gap">{html.escape(gap)}</td>'
            else:
                number = isinstance(value, numbers.Number) and not isinstance(value, bool | np.bool_)
                opening = '<td class="num">' if number else "<td>"
                cells += f"{opening}{breakable(cell_text(value))}</td>"
        body.append(f"<tr>{cells}</tr>")
    title = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return (
        f'{_STYLE}<table class="dmjak-table">{title}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


DETAILS_COLUMN = "Details"


def _details_html(row: pd.Series, details: list, columns: dict | None, missing: str | dict | None) -> str:
    """One row's long-text columns as a closed reveal: each heading in bold, its text in full (the
    table's caption or the text above it says what the details hold)."""
    parts = []
    for column in details:
        value = row[column]
        gap = missing if isinstance(missing, str) else _missing_text(column, missing)
        text = html.escape(gap) if _is_missing(value) else breakable(cell_text(value))
        parts.append(f"<p><b>{html.escape(heading(column, columns))}:</b> {text}</p>")
    return f"<details><summary>Show details</summary>{''.join(parts)}</details>"


def show_table(
    frame: pd.DataFrame,
    columns: dict | None = None,
    missing: str | dict | None = None,
    index: bool | None = None,
    caption: str | None = None,
    details: list | None = None,
) -> HTML:
    """The course's table display (see ``table_html``); the last line of a cell shows it."""
    return HTML(table_html(frame, columns=columns, missing=missing, index=index, caption=caption, details=details))


def show_record(record: dict, caption: str | None = None) -> HTML:
    """One result (a calculator's dict) as a two-column table of what it says, headings in words."""
    frame = pd.DataFrame({"What": [heading(k) for k in record], "Result": list(record.values())})
    return show_table(frame, caption=caption)
