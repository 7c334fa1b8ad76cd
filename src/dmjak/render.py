"""The one place the course decides how a chart reaches the reader.

Two modes, chosen by the ``DMJAK_RENDER`` environment variable:

- ``live`` (default; JupyterLab, Voilà, Binder): ``alt.JupyterChart`` with ``enable_offline()``.
  Measured on this stack it is the only Altair route that renders with no network in JupyterLab 4.6
  and Voilà, including selections and bound parameters, and it can be updated in place
  (``view.chart = new``) in about 0.1 s. Altair's default HTML renderer needs a CDN; Altair 6's
  ``mimetype`` renderer emits Vega-Lite v6, which JupyterLab cannot draw and papermill rejects.
- ``svg`` (set by the test harness and static exports): the chart is converted to SVG by vl-convert
  in the kernel and displayed as a plain output with a display id. It needs no JavaScript, weighs a few
  KB, shows in any exported page, and never puts a large display inside an ``ipywidgets.Output``
  (which can stall headless execution). Updates replace the output through its display id.

Notebooks call only ``show`` and ``chart_view``; nothing else in the course picks a renderer.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cache

import altair as alt
from IPython.display import HTML, SVG, DisplayHandle, display

MODE_ENV_VAR = "DMJAK_RENDER"
MODES = ("live", "svg")


def mode() -> str:
    """The rendering mode in force: ``live`` or ``svg``; anything else is an error naming both."""
    value = os.environ.get(MODE_ENV_VAR, "live")
    if value not in MODES:
        raise ValueError(f"{MODE_ENV_VAR}={value!r} is not a rendering mode; valid modes: {list(MODES)}")
    return value


def is_static() -> bool:
    """True when outputs must stand alone without JavaScript (headless runs, exports)."""
    return mode() == "svg"


@cache
def _enable_offline() -> None:
    alt.JupyterChart.enable_offline()


def to_svg(chart: alt.TopLevelMixin) -> str:
    """The chart as an SVG document (vl-convert, no network)."""
    import vl_convert as vlc

    return vlc.vegalite_to_svg(chart.to_json(validate=False), vl_version="v6_4")


def _static(chart: alt.TopLevelMixin) -> SVG:
    return SVG(to_svg(chart))


@dataclass
class ChartView:
    """A chart on screen that callbacks can replace in place (see ``chart_view``)."""

    chart: alt.TopLevelMixin
    _widget: object = field(default=None, repr=False)
    _handle: DisplayHandle | None = field(default=None, repr=False)

    def show(self) -> ChartView:
        if is_static():
            self._handle = display(_static(self.chart), display_id=True)
        else:
            _enable_offline()
            self._widget = alt.JupyterChart(self.chart)
            display(self._widget)
        return self

    def update(self, chart: alt.TopLevelMixin, same_shape: bool = False) -> None:
        """Replace what is drawn; in live mode only the spec travels, the widget stays.

        ``same_shape=True`` is a fast path for a chart with no Vega params whose encodings were already
        validated when first shown and whose data alone changed: the spec goes to the widget without
        re-validation (JSON-schema validation is about 20 ms of a ~30 ms serialisation here).
        """
        self.chart = chart
        if self._widget is not None:
            spec = chart.to_dict(validate=False) if same_shape else None
            if spec is not None and "params" not in spec:
                self._widget.spec = spec
            else:
                self._widget.chart = chart
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
