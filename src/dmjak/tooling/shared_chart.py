"""A live Altair chart whose Vega JavaScript reaches the browser once per page, not once per chart.

``alt.JupyterChart.enable_offline()`` puts Altair's whole offline bundle (about 0.9 MB of Vega,
Vega-Lite and vega-embed) into every chart widget's ``_esm`` trait, so a notebook with eight charts
ships about 7 MB of identical JavaScript. ``SharedJupyterChart`` replaces that trait with a loader of a
few hundred bytes. The first chart on a page asks its kernel for the bundle with an anywidget custom
message; the loader imports it once from a Blob URL and keeps the module promise on ``globalThis``,
so every later chart (in any notebook open in the same JupyterLab or Voilà page) reuses it.

It needs nothing from the file server, so it works wherever the kernel runs (JupyterLab, Voilà,
Binder, any root directory), and it stays offline: the bundle comes from vl-convert in the kernel.
"""

from __future__ import annotations

from functools import cache

import altair as alt

REQUEST = "dmjak-vega-module-request"
REPLY = "dmjak-vega-module"

LOADER_ESM = f"""
const KEY = "__dmjakVegaModule";
function vegaModule(model) {{
  if (!globalThis[KEY]) {{
    globalThis[KEY] = new Promise((resolve, reject) => {{
      const onMessage = (msg) => {{
        if (!msg || msg.type !== "{REPLY}") return;
        model.off("msg:custom", onMessage);
        const url = URL.createObjectURL(new Blob([msg.source], {{ type: "text/javascript" }}));
        import(url).then(resolve, reject);
      }};
      model.on("msg:custom", onMessage);
      model.send({{ type: "{REQUEST}" }});
    }});
    globalThis[KEY].catch(() => {{ delete globalThis[KEY]; }});
  }}
  return globalThis[KEY];
}}
export default {{
  async render(context) {{
    const module = await vegaModule(context.model);
    return module.default.render(context);
  }},
}};
"""


@cache
def vega_bundle() -> str:
    """Altair's offline JupyterChart module (Vega, Vega-Lite, vega-embed), built once per kernel."""
    was_offline = alt.JupyterChart._is_offline
    alt.JupyterChart.enable_offline()
    bundle = alt.JupyterChart._esm
    alt.JupyterChart.enable_offline(was_offline)
    return bundle


class SharedJupyterChart(alt.JupyterChart):
    """``alt.JupyterChart`` with a tiny loader as its ``_esm``; the bundle is sent on request."""

    _esm = LOADER_ESM
    # The chart fills its output area (charts are sized to their container; see ``dmjak.render``), and
    # sliders bound inside a chart get a track long enough to drag precisely, with their full label.
    _css = """
    .vega-embed { overflow: visible; display: block; width: 100%; box-sizing: border-box; }
    .vega-embed .vega-bindings { margin-top: 0.4em; }
    .vega-embed .vega-bind { display: flex; align-items: center; gap: 0.5em; margin: 0.2em 0; }
    .vega-embed .vega-bind-name { white-space: nowrap; }
    .vega-embed .vega-bind input[type="range"] { width: 260px; max-width: 60vw; }
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.on_msg(self._send_bundle)

    def _send_bundle(self, _widget, content, _buffers) -> None:
        if isinstance(content, dict) and content.get("type") == REQUEST:
            self.send({"type": REPLY, "source": vega_bundle()})
