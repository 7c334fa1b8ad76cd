"""Building or updating a chart never makes Altair rebuild its schema table.

Altair 6.3 turns every encoding given to ``Chart.encode`` as a shorthand string (``x="week:Q"``,
``tooltip=["label:N"]``) or a dict (``alt.value(...)``) into a channel object through
``SchemaBase.from_dict``, which constructs a ``_FromDict`` that JSON-hashes ~570 schemas (about 4.5 ms each
time, 0.1-0.4 s per notebook). The course passes channel objects instead (``alt.X``, ``alt.Tooltip``,
``alt.XValue``, ``dmjak.charts.style.tooltips``), so building its charts constructs no ``_FromDict`` at all.
"""

from __future__ import annotations

import traceback
from pathlib import Path

import pandas as pd
import pytest
from altair.utils import schemapi
from test_accessibility import widget_classes
from test_chart_layout import all_builders

import dmjak
from dmjak.charts import measures
from dmjak.render import ChartView

SOURCE = str(Path(dmjak.__file__).parent)


def measures_comparison():
    """Notebook 04's comparison chart, on a small frame of the notebook's columns."""
    changes = pd.DataFrame(
        {
            "measure_label": ["CDASI activity", "DLQI", "Interferon gene score"],
            "assumption_set": ["cdasi-fast", "dlqi-fast", "isg-fast"],
            "baseline": [28.0, 12.0, 100.0],
            "week_4": [20.0, 6.0, 40.0],
            "percent_change": [-28.6, -50.0, -60.0],
            "evidence": "illustrative",
        }
    )
    return measures.measures_comparison_chart(changes)


BUILDERS = {**all_builders(), "measures comparison": measures_comparison}

# Control changes for each widget: both kinds of update (a new chart, or new data in the shown chart).
UPDATES = {
    "what-if": lambda w: [
        (w.speed, 3.5),
        (w.shape, "delayed"),
        (w.patient, "P2"),
        (w.measure, "dlqi"),
        (w.measure, "isg_score"),
    ],
    "isg lab": lambda w: [(w.genes["IFI27"], 4.2), (w.cutoff, 5.5), (w.patient, w.patient.options[-1])],
    "pathway explorer": lambda w: [
        (w.concentration, 300.0),
        (w.rule, "either kinase suffices"),
        (w.drug, "abrocitinib"),
    ],
    "dose explorer": lambda w: (
        [(w.dose, 2), (w.oat3, True), (w.half_life, 7.0)]
        + [(w.kidney, option) for option in (*w.kidney.options[1:], w.kidney.options[0])]
    ),
    "dlqi": lambda w: [(w.choices["visit 2"][3], 3), (w.choices["visit 1"][7], 2)],
}


@pytest.fixture
def schema_table_builds(monkeypatch) -> list[str]:
    """Where in the course each ``_FromDict`` is constructed from (the innermost ``dmjak`` frame)."""
    sites = []
    original = schemapi._FromDict.__init__

    def counting(self, *args, **kwargs):
        ours = [f for f in traceback.extract_stack() if f.filename.startswith(SOURCE)]
        sites.append(f"{ours[-1].filename}:{ours[-1].lineno}" if ours else "(outside dmjak)")
        original(self, *args, **kwargs)

    monkeypatch.setattr(schemapi._FromDict, "__init__", counting)
    return sites


def test_the_counter_sees_a_shorthand_encoding(schema_table_builds):
    import altair as alt

    alt.Chart({"values": [{"week": 1}]}).mark_point().encode(x="week:Q", text=alt.value("a"))
    assert len(schema_table_builds) == 2


def encoded_from_dicts(name: str, sites: list[str]) -> str:
    return (
        f"{name}: {len(sites)} encodings given as shorthand strings or dicts (pass alt.X(...), alt.Tooltip(...), "
        f"alt.XValue(...) ...) at {sorted(set(sites))}"
    )


@pytest.mark.parametrize("name", list(BUILDERS))
def test_building_a_course_chart_never_rebuilds_altairs_schema_table(name, schema_table_builds):
    BUILDERS[name]()
    assert not schema_table_builds, encoded_from_dicts(name, schema_table_builds)


@pytest.mark.parametrize("name", list(UPDATES))
def test_widget_updates_never_rebuild_altairs_schema_table(name, schema_table_builds):
    widget = widget_classes()[name]()
    if name == "pathway explorer":  # two charts
        widget.views = views = [ChartView(chart) for chart in widget.charts()]
    else:
        first = widget.chart()
        widget.view = ChartView(first[0] if isinstance(first, tuple) else first)  # what-if: (chart, same_shape)
        views = [widget.view]
    for control, value in UPDATES[name](widget):
        assert control.value != value, f"{name}: {control.description} is already {value!r}: no update"
        shown = [view.chart for view in views]
        control.value = value
        assert all(view.chart is not old for view, old in zip(views, shown, strict=True)), f"{name}: not redrawn"
    assert not schema_table_builds, encoded_from_dicts(name, schema_table_builds)
