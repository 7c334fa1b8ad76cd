"""The one place the course decides how a chart reaches the reader.

Two modes, chosen by the ``DMJAK_RENDER`` environment variable:

- ``live`` (default; JupyterLab, Voilà, Binder): an offline ``alt.JupyterChart`` whose Vega JavaScript
  is shipped once per page (``dmjak.tooling.shared_chart``) rather than once per chart.
  Measured on this stack it is the only Altair route that renders with no network in JupyterLab 4.6
  and Voilà, including selections and bound parameters, and it can be updated in place
  (``view.chart = new``) in about 0.1 s. Altair's default HTML renderer needs a CDN; Altair 6's
  ``mimetype`` renderer emits Vega-Lite v6, which JupyterLab cannot draw and papermill rejects.
- ``svg`` (set by the test harness and static exports): the chart is converted to SVG by vl-convert
  in the kernel and displayed as a plain HTML figure with a display id. It needs no JavaScript, shows in
  any exported page, and never puts a large display inside an ``ipywidgets.Output`` (which can stall
  headless execution). Updates replace the output through its display id.

On screen (``live``) a single or layered chart takes the width of its output area (Vega-Lite's
``width: "container"``) instead of a fixed ~500 px, and in the Voilà presenter view (a lecture-hall
projector) every chart text is at least ``PRESENTER_MIN_FONT`` px (``presenter_config``).

Either way every chart carries a text alternative: its description as a visible caption and a
"show the data as a table" reveal; static figures also embed their Vega-Lite spec as inert JSON
(``<script type="application/vnd.vegalite+json">``) so exported pages keep the chart definition.

Notebooks call only ``show``, ``chart_view``, ``show_table`` and ``show_record`` (tables, from
``dmjak.tables``); nothing else in the course picks a renderer.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import json
import os
import re
import resource
import subprocess
import sys
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import version as _version
from pathlib import Path

import altair as alt
import pandas as pd
from IPython.display import HTML, DisplayHandle, display

from dmjak import fonts
from dmjak.paths import cache_dir
from dmjak.tables import show_record as show_record
from dmjak.tables import show_table as show_table
from dmjak.tables import table_html
from dmjak.tooling.shared_chart import SharedJupyterChart

MODE_ENV_VAR = "DMJAK_RENDER"
_LONG_DECIMAL = re.compile(r"(\d\.\d)\d+")
MODES = ("live", "svg")
# SVG rather than canvas: titles and marks become DOM nodes that screen readers and browser tests can
# read. Only the export actions (save as SVG/PNG): the Vega Editor link would need the network.
EMBED_OPTIONS = {"renderer": "svg", "actions": {"export": True, "source": False, "compiled": False, "editor": False}}


PRESENTER_ENV_VARS = ("VOILA_KERNEL_ID", "VOILA_BASE_URL", "DMJAK_PRESENTER")
PRESENTER_MIN_FONT = 18  # the projector mode: chart text at least 18 px


def presenting() -> bool:
    """True in the presenter view: Voilà sets ``VOILA_*`` variables in its kernels (or ``DMJAK_PRESENTER=1``)."""
    return any(os.environ.get(name) for name in PRESENTER_ENV_VARS)


def presenter_config() -> dict:
    """Vega-Lite config for a projector: every text at least ``PRESENTER_MIN_FONT`` px, titles larger."""
    size = PRESENTER_MIN_FONT + 1
    return {
        # larger labels need room: Vega drops a label that would come closer than 6 px to the next one
        "axis": {
            "labelFontSize": size,
            "titleFontSize": size + 1,
            "labelLimit": 0,
            "labelOverlap": "greedy",
            "labelSeparation": 6,
        },
        # rows spaced so that projector-sized labels stay apart once a chart is scaled up to fill the screen
        "legend": {
            "labelFontSize": size,
            "titleFontSize": size + 1,
            "symbolSize": 160,
            "labelLimit": 0,
            "rowPadding": 8,
        },
        "header": {"labelFontSize": size, "titleFontSize": size + 1},
        # centred on the whole chart (axis labels included), so a long title at projector size stays inside
        # title and subtitle lines spaced: at the default spacing they touch, which shows once a chart is scaled up
        "title": {
            "fontSize": size + 5,
            "subtitleFontSize": size,
            "subtitleLineHeight": round(size * 1.3),
            "subtitlePadding": 6,
            "frame": "bounds",
        },
        "text": {"fontSize": size},
    }


# Concatenated and faceted charts in the presenter view: panels this much wider, as wide as a 1280 px
# projector leaves room for beside projector-sized row labels and a legend (notebook 05's explorer).
PRESENTER_WIDEN = 1.45


def _widened(node, factor: float):
    """A copy of a spec with every numeric view ``width`` multiplied by ``factor``."""
    if isinstance(node, dict):
        return {
            key: round(value * factor)
            if key == "width" and isinstance(value, (int, float))
            else _widened(value, factor)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_widened(value, factor) for value in node]
    return node


def _text_at_least(node, size: int):
    """A copy of a spec with every explicit ``fontSize`` raised to ``size`` (mark definitions set their own)
    and no label length limit (a limit set for small text would cut the larger text with "…")."""
    if isinstance(node, dict):
        return {
            key: max(value, size)
            if key.endswith("ontSize") and isinstance(value, (int, float))
            else 0
            if key == "labelLimit"
            else _text_at_least(value, size)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_text_at_least(value, size) for value in node]
    return node


def _steps_at_least(node, size: int):
    """A copy of a spec with every band ``{"step": n}`` at least ``size`` px, so rows of larger text do not
    overlap (a timeline's treatment rows)."""
    if isinstance(node, dict):
        if set(node) == {"step"} and isinstance(node["step"], (int, float)):
            return {"step": max(node["step"], size)}
        return {key: _steps_at_least(value, size) for key, value in node.items()}
    if isinstance(node, list):
        return [_steps_at_least(value, size) for value in node]
    return node


def screen_spec(spec: dict) -> dict:
    """A spec as shown live: as wide as its container (single or layered views), projector-sized text
    in the presenter view. Concatenated and faceted charts keep their widths (Vega-Lite cannot size
    them to a container)."""
    spec = dict(spec)
    if isinstance(spec.get("width"), (int, float)) and ("mark" in spec or "layer" in spec):
        spec["width"] = "container"
        spec["autosize"] = {"type": "fit-x", "contains": "padding"}
    if presenting():
        if not ("mark" in spec or "layer" in spec):  # no container width: widen the panels for the projector
            spec = _widened(spec, PRESENTER_WIDEN)
        spec = _steps_at_least(_text_at_least(spec, PRESENTER_MIN_FONT), PRESENTER_MIN_FONT + 8)
        config = presenter_config()
        for key, value in spec.get("config", {}).items():
            config[key] = {**config.get(key, {}), **value} if isinstance(value, dict) else value
        spec["config"] = config
    return spec


def _from_dict(spec: dict) -> alt.TopLevelMixin:
    """An Altair chart object for a top-level spec of any kind (layer, concat, facet, repeat)."""
    for kind, cls in (
        ("layer", alt.LayerChart),
        ("hconcat", alt.HConcatChart),
        ("vconcat", alt.VConcatChart),
        ("concat", alt.ConcatChart),
        ("facet", alt.FacetChart),
        ("repeat", alt.RepeatChart),
    ):
        if kind in spec:
            return cls.from_dict(spec, validate=False)
    return alt.Chart.from_dict(spec, validate=False)


def mode() -> str:
    """The rendering mode in force: ``live`` or ``svg``; anything else is an error naming both."""
    value = os.environ.get(MODE_ENV_VAR, "live")
    if value not in MODES:
        raise ValueError(f"{MODE_ENV_VAR}={value!r} is not a rendering mode; valid modes: {list(MODES)}")
    return value


def is_static() -> bool:
    """True when outputs must stand alone without JavaScript (headless runs, exports)."""
    return mode() == "svg"


def to_svg(chart: alt.TopLevelMixin | dict) -> str:
    """The chart (or its Vega-Lite spec) as an SVG document (vl-convert, no network), rounded to 0.1 px.

    Rounding changes nothing visible and roughly halves the size of executed and exported notebooks.
    Passing a spec already built saves serialising the chart a second time (about 0.1 s per chart).
    """
    spec = chart if isinstance(chart, dict) else chart.to_dict(validate=False)
    return cached_text(svg_cache_path(spec), lambda: _LONG_DECIMAL.sub(r"\1", _vegalite_to_svg(spec)))


def cached_text(path: Path, make) -> str:
    """The text kept at ``path``, or ``make()``'s, kept there for next time if the folder can be written."""
    if path.is_file():
        return path.read_text(encoding="utf-8")
    text = make()
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)  # atomic: parallel kernels never read half a file
    except OSError:  # a read-only checkout or cache folder: make it every time rather than fail (as data markers do)
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
    return text


# allowed_base_urls=[]: vl-convert fetches data URLs from its own (Rust) side, outside the kernel's
# network guard; the course's charts carry their data inline, so it may fetch nothing.
_CONVERT_OPTIONS = {"vl_version": "v6_4", "allowed_base_urls": []}
_CHILD = (  # the same call in a child process: spec on stdin, SVG on stdout
    "import json, sys; from vl_convert import vegalite_to_svg; from dmjak import fonts; "
    "fonts.register_with_vl_convert(); "
    f"print(vegalite_to_svg(json.load(sys.stdin), **{_CONVERT_OPTIONS!r}), end='')"
)


class ChartRenderError(RuntimeError):
    """vl-convert could not draw a chart; the message says why and what to change."""


def _vegalite_to_svg(spec: dict) -> str:
    """vl-convert's SVG, drawn here, or in a child process when an address-space limit is set.

    vl-convert's JavaScript engine (V8) reserves a large virtual range at start and aborts the whole
    process under any ``ulimit -v`` (RLIMIT_AS), even one of many GB: the kernel would die with no
    reason. A child lifts a soft limit up to the hard one and draws; if the hard limit forbids it,
    ``ChartRenderError`` says so instead.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY:
        from vl_convert import vegalite_to_svg

        fonts.register_with_vl_convert()
        return vegalite_to_svg(spec, **_CONVERT_OPTIONS)
    done = subprocess.run(
        [sys.executable, "-c", _CHILD],
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (hard, hard)),
    )
    if done.returncode != 0:
        limit = "unlimited" if hard == resource.RLIM_INFINITY else f"{hard / 2**30:.1f} GiB"
        raise ChartRenderError(
            f"vl-convert could not draw the chart (exit {done.returncode}): its JavaScript engine (V8) reserves "
            f"more virtual memory than this process's address-space limit allows (ulimit -v: soft "
            f"{soft / 2**30:.1f} GiB, hard {limit}). Remove the limit (`ulimit -v unlimited` before starting "
            f"Jupyter; a cgroup/container memory limit is fine), or run live charts (DMJAK_RENDER=live). "
            f"vl-convert said: {_first_fatal_line(done.stderr)}"
        )
    return done.stdout


def _first_fatal_line(stderr: str) -> str:
    """The line of a crash report that names the cause (V8 prints "Fatal ..." before its stack)."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    return next(
        (line for line in lines if "fatal" in line.lower() or "error" in line.lower()), lines[0] if lines else ""
    )


@cache
def _converter_version() -> str:
    return _version("vl-convert-python")


def svg_cache_path(spec: dict) -> Path:
    """Where the SVG of ``spec`` is kept: named by a hash of the spec and the converter's version.

    The same chart (same data, same options, same font) always converts to the same SVG, so each notebook run after the
    first, and every parameter set that draws an unchanged chart, skips vl-convert (its start-up and about
    0.15 s per chart).
    """
    key = json.dumps(
        {"spec": spec, "vl-convert": _converter_version(), "font": fonts.identity()}, sort_keys=True, default=str
    )
    return cache_dir() / "svg" / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.svg"


TABLE_ROWS = 100  # rows shown in a chart's data table; longer data are cut with a note


def _datasets(spec: dict) -> list[list[dict]]:
    """Every inline data set in a spec: top-level ``datasets`` and ``data: {values}`` anywhere."""
    found = [rows for rows in spec.get("datasets", {}).values() if isinstance(rows, list)]

    def walk(node):
        if isinstance(node, dict):
            data = node.get("data")
            if isinstance(data, dict) and isinstance(data.get("values"), list):
                found.append(data["values"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk({k: v for k, v in spec.items() if k != "datasets"})
    return found


def data_table_html(spec: dict) -> str:
    """The chart's main data (its largest data set) as a collapsed HTML table."""
    sets = [rows for rows in _datasets(spec) if rows]
    if not sets:
        return "<details><summary>Show the data as a table</summary><p>This chart has no data rows.</p></details>"
    rows = max(sets, key=len)
    frame = pd.DataFrame(rows[:TABLE_ROWS])
    note = f"<p>First {TABLE_ROWS} of {len(rows)} rows.</p>" if len(rows) > TABLE_ROWS else ""
    table = table_html(frame, index=False, missing="")
    return f"<details><summary>Show the data as a table</summary>{note}{table}</details>"


def _description(spec: dict) -> str:
    return str(spec.get("description", ""))


# Inside <script>, "</script" ends the element and "<!--<script" makes the parser skip the next "</script"
# (the rest of the page would become script text): written as JSON escapes, no "<", ">" or "&" is left.
_INERT = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def inert_json(spec: dict) -> str:
    """``spec`` as JSON safe to put inside a ``<script>`` element whatever its strings hold (JSON.parse reads it)."""
    return json.dumps(spec, separators=(",", ":"), default=str).translate(_INERT)


def figure_html(chart: alt.TopLevelMixin) -> str:
    """A static, self-contained figure: SVG, caption, data table and the inert Vega-Lite spec.

    A screen reader meets the chart once, by its caption (which names the figure) and its data table: the
    picture itself is hidden from it, or every tick label and data point would be read out."""
    spec = chart.to_dict(validate=False)
    spec_json = inert_json(spec)
    caption = html.escape(_description(spec))
    return (
        f'<figure class="dmjak-chart">{hidden_from_screen_readers(to_svg(spec))}'
        f"<figcaption><small>{caption}</small></figcaption>{data_table_html(spec)}"
        f'<script type="application/vnd.vegalite+json" class="dmjak-spec">{spec_json}</script></figure>'
    )


def hidden_from_screen_readers(svg: str) -> str:
    """The SVG document with ``aria-hidden`` on its root element (its caption says what it shows)."""
    return svg.replace("<svg", '<svg aria-hidden="true"', 1)


def _static(chart: alt.TopLevelMixin) -> HTML:
    return HTML(figure_html(chart))


def _alternative(spec: dict) -> HTML:
    """Caption and data table shown under a live chart."""
    return HTML(f"<small>{html.escape(_description(spec))}</small>{data_table_html(spec)}")


@dataclass
class ChartView:
    """A chart on screen that callbacks can replace in place (see ``chart_view``)."""

    chart: alt.TopLevelMixin
    _widget: object = field(default=None, repr=False)
    _handle: DisplayHandle | None = field(default=None, repr=False)
    _alt_handle: DisplayHandle | None = field(default=None, repr=False)

    def show(self) -> ChartView:
        if is_static():
            self._handle = display(_static(self.chart), display_id=True)
        else:
            screen = _from_dict(screen_spec(self.chart.to_dict(validate=False)))
            self._widget = SharedJupyterChart(screen, embed_options=EMBED_OPTIONS)
            display(self._widget)
            self._alt_handle = display(_alternative(self.chart.to_dict(validate=False)), display_id=True)
        return self

    def update(self, chart: alt.TopLevelMixin, same_shape: bool = False) -> None:
        """Replace what is drawn; in live mode only the spec travels, the widget stays.

        ``same_shape=True`` is a fast path for a chart with no Vega params whose encodings were already
        validated when first shown and whose data alone changed: the spec goes to the widget without
        re-validation (JSON-schema validation is about 20 ms of a ~30 ms serialisation here).
        """
        self.chart = chart
        if self._widget is not None:
            spec = screen_spec(chart.to_dict(validate=False))
            if same_shape and "params" not in spec:
                self._widget.spec = spec
            else:
                self._widget.chart = _from_dict(spec)
            self._alt_handle.update(_alternative(spec))
        elif self._handle is not None:
            self._handle.update(_static(chart))

    @property
    def widget(self):
        """The live ``JupyterChart`` (None in svg mode): for tests and for reading Vega params."""
        return self._widget


def chart_view(chart: alt.TopLevelMixin) -> ChartView:
    """Display ``chart`` so that it can later be redrawn in place with ``view.update(new_chart)``."""
    return ChartView(chart).show()


def show(chart: alt.TopLevelMixin) -> None:
    """Display a chart that is not updated by Python (view-only interaction stays in Vega)."""
    chart_view(chart)


def show_html(markup: str) -> None:
    """Display trusted course-authored HTML (tables, call-outs) in either mode."""
    display(HTML(markup))


class HtmlView:
    """Course-authored HTML that widget callbacks redraw (a picture beside a widget's controls).

    Live, it is an ``ipywidgets.HTML``: Voilà shows no display updates sent after a cell has run, but it
    does sync widgets. Static (headless runs, exports), it is a plain display with an id, so the page keeps
    the HTML without any widget.
    """

    def __init__(self, markup: str):
        import ipywidgets

        self._widget = None if is_static() else ipywidgets.HTML(markup)
        self._handle = display(HTML(markup), display_id=True) if self._widget is None else None
        if self._widget is not None:
            display(self._widget)

    def update(self, markup: str) -> None:
        if self._widget is not None:
            self._widget.value = markup
        else:
            self._handle.update(HTML(markup))
