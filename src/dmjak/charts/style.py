"""Shared look: one typeface, a colour-blind-safe palette (Okabe & Ito) and the evidence encoding used everywhere."""

from __future__ import annotations

import textwrap

import altair as alt

from dmjak import fonts

THEME = "dmjak"


@alt.theme.register(THEME, enable=True)
def course_theme() -> alt.theme.ThemeConfig:
    """Altair's default theme with every chart text in the course font (``dmjak.fonts``): charts are laid
    out with the same text widths in vl-convert's SVG, in any browser and on any machine."""
    return {"config": {"view": {"continuousWidth": 300, "continuousHeight": 300}, "font": fonts.FAMILY}}


# Longest subtitle line, in characters: at projector size (19 px) a longer line is wider than a chart in a
# 1280 px presenter view or a browser zoomed to 200 %, and runs past it.
SUBTITLE_CHARACTERS = 90


def subtitle_lines(*texts: str) -> list[str]:
    """Subtitle sentences broken into lines of at most ``SUBTITLE_CHARACTERS`` (Vega draws each on its own)."""
    return [line for text in texts for line in textwrap.wrap(text, SUBTITLE_CHARACTERS)]


# Okabe-Ito palette: distinguishable with the common colour-vision deficiencies.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "black": "#000000",
    "grey": "#999999",
}
PATIENT_COLOURS = {"P1": OKABE_ITO["blue"], "P2": OKABE_ITO["vermillion"], "P3": OKABE_ITO["green"]}

# How evidence is drawn on every chart: a reconstruction never looks like a measurement.
EVIDENCE_DASH = {"reported": [1, 0], "illustrative": [6, 4]}
EVIDENCE_LEGEND_TITLE = "Evidence"
ILLUSTRATIVE_CAPTION = (
    "Dashed lines and hollow points are illustrative reconstructions, not measurements: "
    "the summaries give these outcomes only in words."
)

# Fixed sizes are for static figures (exports, SVG); on screen single and layered charts take the width
# of their container (``dmjak.render.screen_spec``). Positions inside a chart therefore never use WIDTH:
# they use data coordinates or ``fraction_of_width`` below.
WIDTH, HEIGHT = 560, 260


def fraction_of_width(fraction: float) -> dict:
    """An x position as a share of the plot width, right for any width the chart is drawn at."""
    return {"expr": f"width * {fraction}"}


def drawn(values, order) -> list:
    """The categories of ``order`` that occur in ``values``: a legend names only what the chart draws."""
    present = set(values)
    return [category for category in order if category in present]


def evidence_dash(kinds=None) -> alt.StrokeDash:
    """Stroke dash by evidence kind; the legend names the kinds drawn (``kinds``), else both."""
    domain = drawn(kinds, EVIDENCE_DASH) if kinds is not None else list(EVIDENCE_DASH)
    return alt.StrokeDash(
        "evidence:N",
        scale=alt.Scale(
            domain=domain or list(EVIDENCE_DASH), range=[EVIDENCE_DASH[k] for k in domain or EVIDENCE_DASH]
        ),
        legend=alt.Legend(title=EVIDENCE_LEGEND_TITLE, symbolType="stroke", symbolStrokeWidth=2, symbolSize=400)
        if domain
        else None,
    )


def patient_colour(legend: bool = True) -> alt.Color:
    return alt.Color(
        "patient_id:N",
        title="Patient",
        scale=alt.Scale(domain=list(PATIENT_COLOURS), range=list(PATIENT_COLOURS.values())),
        legend=alt.Legend(title="Patient") if legend else None,
    )


def tooltips(*fields) -> list[alt.Tooltip]:
    """Tooltip channels from shorthands (``"week:Q"``) or ready ``alt.Tooltip``s.

    The charts pass every encoding as a channel object (``alt.X(...)``, ``alt.TextValue(...)``): Altair 6.3
    turns each shorthand string or ``alt.value`` dict given to ``encode`` into one through ``from_dict``,
    which rebuilds a hash table of its ~570 schemas every time (about 4.5 ms per channel).
    """
    return [field if isinstance(field, alt.Tooltip) else alt.Tooltip(field) for field in fields]


def records(frame) -> dict:
    """Inline data as a plain Vega-Lite ``{"values": [...]}`` dict.

    With explicit field types in the encodings Altair needs neither to sanitise a DataFrame nor to wrap
    each row in schema objects (``alt.Data(values=...)`` costs ~20 ms for a few hundred rows).
    """
    return {"values": frame.to_dict("records")}


def with_layer_data(template: alt.LayerChart, layer_data: list, title: alt.Title, description: str) -> alt.LayerChart:
    """A copy of a layered chart with new data per layer and a new title, sharing its encodings.

    Building Altair encodings is most of the cost of a chart; widgets whose data alone changes build the
    chart once and call this on every update (then ``ChartView.update(..., same_shape=True)``).
    """
    layers = [layer.copy(deep=False) for layer in template.layer]
    for layer, data in zip(layers, layer_data, strict=True):
        layer.data = data
    new = template.copy(deep=False)
    new.layer, new.title, new.description = layers, title, description
    return new
