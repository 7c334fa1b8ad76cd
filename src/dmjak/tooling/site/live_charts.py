"""The site's figures made ready to draw live with vega-embed, at build time rather than in every reader's browser.

Each figure carries its Vega-Lite spec (``dmjak.render.figure_html``). Here it is compiled to Vega with
vl-convert (the compiler that draws the static SVG), so a page needs neither Vega-Lite's 0.25 MB compiler
nor its run; the static SVG moves into ``<noscript>``, so a browser with JavaScript neither parses nor lays
out a picture that the live chart replaces at once, and one without JavaScript still shows it. On the
course's largest page this cuts the renderer's work to every chart drawn by about a third (``make bench``).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import vl_convert

from dmjak.paths import cache_dir
from dmjak.render import cached_text

# a figure exactly as dmjak.render.figure_html writes it: static SVG, caption and data table, inert spec
FIGURE = re.compile(
    r'<figure class="dmjak-chart">(?P<svg><svg\b.*?</svg>)(?P<rest>.*?)'
    r'<script type="application/vnd\.vegalite\+json" class="dmjak-spec">(?P<spec>.*?)</script></figure>',
    re.S,
)
SVG_HEIGHT = re.compile(r'<svg\b[^>]*?\sheight="(\d+(?:\.\d+)?)"')
VEGA_LITE = "v6_4"  # as dmjak.render._CONVERT_OPTIONS: the live chart is the static one, drawn again
FIT_WIDTH = {"type": "fit-x", "contains": "padding"}


def fits_column(spec: dict) -> bool:
    """A single or layered chart of fixed width takes the text column's width (as in JupyterLab), so it
    neither scrolls sideways at 1280 px nor on a phone; concatenated charts keep their width and scroll."""
    return isinstance(spec.get("width"), int | float) and ("mark" in spec or "layer" in spec)


def vega_spec(spec: dict) -> dict:
    """The Vega-Lite spec compiled to Vega, sized to fit its column where ``fits_column`` says so; kept in the
    course's cache, as the static SVGs are, so a rebuild compiles only the charts that changed."""
    if fits_column(spec):
        spec = {**spec, "autosize": FIT_WIDTH}

    def compiled() -> str:
        return json.dumps(vl_convert.vegalite_to_vega(spec, vl_version=VEGA_LITE))

    return json.loads(cached_text(_cache_path(spec), compiled))


def _cache_path(spec: dict) -> Path:
    key = json.dumps({"spec": spec, "vl-convert": vl_convert.__version__, "vega-lite": VEGA_LITE}, sort_keys=True)
    return cache_dir() / "vega" / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.json"


def _script_json(value: dict) -> str:
    """JSON with no ``<`` in it (written ``\\u003c``): it can neither end its ``<script>`` element early nor,
    with ``<!--<script>``, make the HTML parser run past the element's end."""
    return json.dumps(value, separators=(",", ":")).replace("<", "\\u003c")


def _live(match: re.Match) -> str:
    spec = json.loads(match["spec"])
    fit = ' data-fit="x"' if fits_column(spec) else ""
    # the chart's height is kept free until it is drawn, so the text below does not jump (course.css)
    height = SVG_HEIGHT.match(match["svg"])
    reserve = f' style="--dmjak-height: {float(height[1]):g}px"' if height else ""
    return (
        f'<figure class="dmjak-chart"{fit}{reserve}><noscript>{match["svg"]}</noscript>{match["rest"]}'
        f'<script type="application/vnd.vega+json" class="dmjak-spec">{_script_json(vega_spec(spec))}</script>'
        "</figure>"
    )


def prepared(body: str) -> str:
    """The page body with every course figure carrying a Vega spec and its static SVG in ``<noscript>``."""
    return FIGURE.sub(_live, body)
