"""A live Altair chart whose Vega JavaScript reaches the browser once per page, not once per chart.

``alt.JupyterChart.enable_offline()`` puts Altair's whole offline bundle (about 0.9 MB of Vega,
Vega-Lite and vega-embed) into every chart widget's ``_esm`` trait, so a notebook with eight charts
ships about 7 MB of identical JavaScript. ``SharedJupyterChart`` replaces that trait with a loader of a
few hundred bytes. The first chart on a page asks its kernel for the bundle with an anywidget custom
message; the loader imports it once from a Blob URL and keeps the module promise on ``globalThis``,
so every later chart (in any notebook open in the same JupyterLab or Voilà page) reuses it.

The same reply carries the course font's files (``dmjak.fonts``) as binary buffers; the loader adds
them to the page with the FontFace API and waits for them before the first chart is drawn, so Vega
measures chart text in the course font whatever fonts the student's machine has.

It needs nothing from the file server, so it works wherever the kernel runs (JupyterLab, Voilà,
Binder, a hub, any root directory), and it stays offline. The presenter view (Voilà, ``dmjak-presenter``)
does not wait for its kernel: setup copies the bundle and the font into the template's static folder
(``install_static``), the page starts fetching them in its head and hands the loader the result
(``PRELOAD``); the loader asks the kernel only when that is missing or fails.

The bundle is identical for every kernel, and building it loads vl-convert (about 100 MB of resident
memory and 1-2 s), so it is built once, at setup (``python -m dmjak.tooling.shared_chart``, run by
``make setup`` and Binder's ``postBuild``), into a file named by the Altair version in the cache folder.
A kernel only reads that file. If it is missing, a short-lived child process builds it: vl-convert never
runs inside a live kernel.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

import altair as alt

from dmjak import fonts
from dmjak.paths import cache_dir

REQUEST = "dmjak-vega-module-request"
REPLY = "dmjak-vega-module"
PRELOAD = "__dmjakVegaPreload"  # set by the presenter template: the module and font fetched as static files
STATIC_MODULE = "dmjak-vega.js"  # the module's name in the presenter template's static folder

LOADER_ESM = f"""
const KEY = "__dmjakVegaModule";
// The course font, before any text is measured; a refused face (strict CSP) falls back quietly.
async function addFonts(fonts, buffers) {{
  await Promise.all(fonts.map(async (font, i) => {{
    try {{
      const view = buffers[i];  // a DataView over the message's bytes
      const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
      const face = new FontFace(font.family, bytes, {{ weight: font.weight, style: font.style }});
      document.fonts.add(await face.load());
    }} catch (error) {{
      console.warn(`dmjak: the course font ${{font.family}} ${{font.weight}} ${{font.style}} was not loaded`, error);
    }}
  }}));
}}
const fromKernel = (model) => new Promise((resolve, reject) => {{
  const onMessage = (msg, buffers) => {{
    if (!msg || msg.type !== "{REPLY}") return;
    model.off("msg:custom", onMessage);
    const url = URL.createObjectURL(new Blob([msg.source], {{ type: "text/javascript" }}));
    Promise.all([import(url), addFonts(msg.fonts || [], buffers || [])]).then(([module]) => resolve(module), reject);
  }};
  model.on("msg:custom", onMessage);
  model.send({{ type: "{REQUEST}" }});
}});
function vegaModule(model) {{
  if (!globalThis[KEY]) {{
    // the presenter page fetches module and font as static files while it loads ({PRELOAD})
    const preloaded = globalThis.{PRELOAD};
    globalThis[KEY] = preloaded ? preloaded.catch(() => fromKernel(model)) : fromKernel(model);
    globalThis[KEY].catch(() => {{ delete globalThis[KEY]; }});
  }}
  return globalThis[KEY];
}}
// presenter page: draw when idle, after other widgets' set-up (anywidget allows 2 s)
const idle = () => new Promise((done) => (globalThis.requestIdleCallback || setTimeout)(done, {{ timeout: 500 }}));
export default {{
  async render(context) {{
    const module = await vegaModule(context.model);
    if (globalThis.{PRELOAD}) await idle();
    return module.default.render(context);
  }},
}};
"""


def bundle_path() -> Path:
    """The bundle's file for the installed Altair (a new Altair version gets a new file)."""
    return cache_dir() / f"vega-bundle-altair-{alt.__version__}-vl-convert-{version('vl-convert-python')}.js"


def build_bundle(path: Path | None = None) -> Path:
    """Build Altair's offline JupyterChart module (Vega, Vega-Lite, vega-embed) with vl-convert; write it."""
    path = path or bundle_path()
    was_offline = alt.JupyterChart._is_offline
    alt.JupyterChart.enable_offline()
    bundle = alt.JupyterChart._esm
    alt.JupyterChart.enable_offline(was_offline)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".js")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(bundle)
    os.chmod(temporary, 0o644)  # readable by every user of a shared installation (a hub's students)
    os.replace(temporary, path)  # atomic: kernels reading meanwhile see the old file or the whole new one
    return path


def vega_bundle() -> str:
    """The offline Vega module, read from its file (built in a child process if missing)."""
    path = bundle_path()
    if not path.is_file():
        done = subprocess.run(
            [sys.executable, "-m", "dmjak.tooling.shared_chart", str(path)], capture_output=True, text=True
        )
        if done.returncode != 0:
            raise RuntimeError(f"building Vega's offline bundle at {path} failed:\n{done.stderr[-2000:]}")
    return path.read_text(encoding="utf-8")


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
            faces = fonts.faces()
            described = [{"family": fonts.FAMILY, "weight": f.weight, "style": f.style} for f in faces]
            self.send({"type": REPLY, "source": vega_bundle(), "fonts": described}, [f.data() for f in faces])


def install_static(folder: Path) -> list[Path]:
    """Copy the module and the course font's faces into a Voilà template's static folder (the presenter
    view's): its page fetches them while Voilà's own scripts load, instead of asking a kernel that is not
    connected yet. Run at setup by ``binder/postBuild``; the loader falls back to the kernel without them."""
    folder.mkdir(parents=True, exist_ok=True)
    vega_bundle()  # built if missing
    sources = [(bundle_path(), STATIC_MODULE), *((face.path, face.path.name) for face in fonts.faces())]
    written = []
    for source, name in sources:
        shutil.copyfile(source, folder / name)
        os.chmod(folder / name, 0o644)  # readable by every user of a shared installation
        written.append(folder / name)
    return written


def main(argv: list[str]) -> int:
    """``[PATH]``: build the bundle (into PATH); ``--static FOLDER``: also copy it and the font there."""
    if argv[:1] == ["--static"] and len(argv) == 2:
        print("\n".join(str(path) for path in install_static(Path(argv[1]))))
    elif len(argv) <= 1:
        print(build_bundle(Path(argv[0]) if argv else None))
    else:
        print("usage: python -m dmjak.tooling.shared_chart [BUNDLE_PATH | --static FOLDER]", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
