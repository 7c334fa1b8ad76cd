"""The site's figures as the build prepares them for vega-embed (live_charts): compiled to Vega, sized to the
column where a single chart should be, the static SVG kept for readers without JavaScript, and planted text
unable to leave its script element. The browser side (drawn live, or the picture shown) is in
test_site_browser.py."""

from __future__ import annotations

import json
import re

import altair as alt
import pandas as pd
from bs4 import BeautifulSoup

from dmjak import render
from dmjak.tooling.site import live_charts

PLANTED = "<!--<script></script><img src=x onerror=alert(1)>"


def _figure(chart: alt.TopLevelMixin) -> BeautifulSoup:
    body = f"<p>before</p>{render.figure_html(chart)}<p>after</p>"
    prepared = live_charts.prepared(body)
    assert prepared.startswith("<p>before</p>") and prepared.endswith("<p>after</p>")
    return BeautifulSoup(prepared, "html.parser").find("figure", class_="dmjak-chart")


def _line(title: str) -> alt.Chart:
    frame = pd.DataFrame({"week": [0, 4, 8], "score": [30.0, 20.0, 12.0]})
    return (
        alt.Chart(frame, title=title)
        .mark_line()
        .encode(x=alt.X("week:Q", title="Week"), y=alt.Y("score:Q", title="Score (points)"))
        .properties(width=420, height=180)
    )


def test_a_single_chart_gets_a_vega_spec_that_fits_its_column_and_keeps_its_picture_for_no_javascript():
    figure = _figure(_line("Scores over time"))
    spec = json.loads(figure.find("script", class_="dmjak-spec").string)
    assert figure.find("script", type="application/vnd.vega+json") is not None
    assert figure.find("script", type="application/vnd.vegalite+json") is None
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega/v")
    assert spec["autosize"] == live_charts.FIT_WIDTH
    assert figure["data-fit"] == "x"
    assert re.fullmatch(r"--dmjak-height: \d+(\.\d+)?px", figure["style"])
    static = figure.find("noscript")
    assert static is not None and static.find("svg") is not None  # read as markup where scripts are off
    assert figure.find("figcaption") is not None and figure.find("details") is not None


def test_concatenated_charts_keep_their_own_width():
    figure = _figure(alt.hconcat(_line("Left"), _line("Right")))
    spec = json.loads(figure.find("script", class_="dmjak-spec").string)
    assert not figure.has_attr("data-fit")
    assert spec.get("autosize") != live_charts.FIT_WIDTH


def test_planted_text_stays_text_in_the_compiled_spec():
    chart = _line(f"Scores {PLANTED}")
    prepared = live_charts.prepared(render.figure_html(chart))
    assert PLANTED not in prepared  # it would end the spec's script element and run as a page element
    spec_text = re.search(r'<script type="application/vnd.vega\+json"[^>]*>(.*?)</script>', prepared, re.S)
    assert "<" not in spec_text[1]  # not even "<!--<script>", which makes the parser run past </script>
    figure = BeautifulSoup(prepared, "html.parser").find("figure")
    assert figure.find("img") is None
    spec = json.loads(figure.find("script", class_="dmjak-spec").string)
    assert PLANTED in json.dumps(spec, ensure_ascii=False).replace("\\/", "/")


def test_text_that_is_not_a_course_figure_is_left_alone():
    body = '<figure class="other"><svg height="10"></svg></figure><p>no chart</p>'
    assert live_charts.prepared(body) == body
