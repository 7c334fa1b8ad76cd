"""Static charts: each distinct chart is converted to SVG once, then read back from a content-keyed cache."""

from __future__ import annotations

import json

import altair as alt
import pandas as pd

from dmjak import render
from dmjak.paths import CACHE_ENV_VAR


def chart(values: list[int]) -> alt.Chart:
    return alt.Chart(pd.DataFrame({"x": values, "y": values})).mark_point().encode(x="x:Q", y="y:Q")


def test_the_same_chart_converts_once_and_reads_back_identical(monkeypatch, tmp_path):
    monkeypatch.setenv(CACHE_ENV_VAR, str(tmp_path))
    first = render.to_svg(chart([1, 2, 3]))
    stored = list((tmp_path / "svg").glob("*.svg"))
    assert len(stored) == 1 and stored[0].read_text(encoding="utf-8") == first
    stored[0].write_text("<svg>from the cache</svg>", encoding="utf-8")
    assert render.to_svg(chart([1, 2, 3])) == "<svg>from the cache</svg>", "a second conversion must read the cache"


def test_a_changed_chart_gets_its_own_entry(monkeypatch, tmp_path):
    monkeypatch.setenv(CACHE_ENV_VAR, str(tmp_path))
    one, two = render.to_svg(chart([1, 2, 3])), render.to_svg(chart([1, 2, 4]))
    assert one != two and len(list((tmp_path / "svg").glob("*.svg"))) == 2
    assert "<svg" in one and not list(tmp_path.rglob(".*")), "no partial files left behind"


def test_script_markup_in_a_charts_data_stays_inside_its_spec(monkeypatch, tmp_path):
    """Review 2, F2: ``<!--<script>`` in a table's text put the HTML parser in the state where the spec's
    ``</script>`` does not close it, so everything after the first chart became script text (website page 05
    showed 3 of its 10 charts), and the spec no longer parsed. An HTML5 parser reads the figure as a browser does."""
    import html5lib

    monkeypatch.setenv(CACHE_ENV_VAR, str(tmp_path))
    label = "<!--<script> </script><script>alert(1)</script> &"
    figure = render.figure_html(
        alt.Chart(pd.DataFrame({"x": [1], "label": [label]})).mark_point().encode(x="x:Q", tooltip="label:N")
    )
    page = html5lib.parse(f"<body>{figure}<p id='after'>after the chart</p></body>", namespaceHTMLElements=False)
    assert page.find(".//p[@id='after']") is not None, "the text after the chart was swallowed"
    (spec,) = page.findall(".//script")
    assert json.loads(spec.text)["datasets"].popitem()[1] == [{"x": 1, "label": label}]


def test_a_cache_that_cannot_be_written_still_draws_the_chart(monkeypatch, tmp_path):
    """Review 2, F5: in a read-only checkout the SVG cache's ``mkdir`` raised OSError at the first chart, and the
    notebook stopped (the data markers already tolerated it). A file where the cache folder should be does the same
    for root, whom a read-only permission would not stop."""
    (tmp_path / "file").write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv(CACHE_ENV_VAR, str(tmp_path / "file" / "cache"))
    assert "<svg" in render.to_svg(chart([5, 6]))
