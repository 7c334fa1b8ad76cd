"""The lecturer's wait: from opening the presenter link to every chart drawn, in Chromium, offline.

Several servers of the same notebook run side by side and are opened in turn, round after round (so a
change in the machine's load falls on every setup alike), each time in a fresh browser profile:

- plain Voilà (its ``lab`` template, a kernel started on request), the reference;
- the course's presenter view as ``make present`` starts it (``dmjak-presenter``, preheated kernel:
  ``--preheat_kernel=True --pool_size=1``, the notebook has already run when the lecturer opens the link);
- with ``--before=COMMIT``: the presenter template of that commit, preheated the same way (the chart loader
  then asks the kernel for the Vega module and the font, as it did before they were static files);
- the presenter view opened a second time in the same browser (its cache warm: a lecturer who opened the
  link once before class).

Before each opening the benchmark waits until every server is idle again (a preheated pool refills after
every page by running the notebook). Each sample keeps the moments the page itself saw (``PROBE``): the
cells shown, the kernel's websocket open, the first widget, the Vega module ready, each chart drawn.
Writes ``build/bench/presenter_wait.json``. Usage:
``python benchmarks/presenter_wait.py [NOTEBOOK] [ROUNDS] [--before=COMMIT]``.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from browser import chromium_page  # noqa: E402
from presenter_view import PRESENTER_CHARTS, voila, wait_for_charts  # noqa: E402
from test_export_browser import block_internet  # noqa: E402

from dmjak.tooling.present import PREHEAT  # noqa: E402

TEMPLATE = "src/dmjak/tooling/templates/voila/dmjak-presenter"
POOL_REFILL_S = 25  # a preheated kernel runs the whole notebook before it joins the pool

# Installed before any script of the page: the moments the page itself can see, in ms from navigation.
PROBE = """
(() => {
  const t = (window.__phases = {});
  const mark = (name) => { if (!(name in t)) t[name] = Math.round(performance.now()); };
  document.addEventListener('DOMContentLoaded', () => mark('DOM content loaded'));
  new MutationObserver(() => {
    const cells = document.getElementById('rendered_cells');
    if (cells && cells.style.display !== 'none') mark('cells shown');
    if (document.querySelector('.jupyter-widgets')) mark('first widget');
    const drawn = document.querySelectorAll('.vega-embed svg.marks').length;
    for (let i = 1; i <= drawn; i++) mark(`chart ${i} drawn`);
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['style'] });
  let preload;  // the presenter template's static fetch of the Vega module and the font
  Object.defineProperty(window, '__dmjakVegaPreload', { configurable: true, get: () => preload, set: (value) => {
    preload = value;
    value.then(() => mark('Vega module and font ready (static files)'));
  } });
  const Socket = window.WebSocket;
  const decoder = new TextDecoder();
  const text = (data) => typeof data === 'string' ? data
    : data instanceof ArrayBuffer || ArrayBuffer.isView(data) ? decoder.decode(data) : '';
  window.WebSocket = function (...args) {
    const socket = new Socket(...args);
    socket.addEventListener('open', () => mark('kernel websocket open'));
    socket.addEventListener('message', (event) => {
      if (text(event.data).includes('"dmjak-vega-module"')) mark('Vega module and font received from the kernel');
    });
    const send = socket.send.bind(socket);
    socket.send = (data) => {
      if (text(data).includes('dmjak-vega-module-request')) mark('Vega module asked of the kernel');
      return send(data);
    };
    return socket;
  };
  window.WebSocket.prototype = Socket.prototype;
  Object.assign(window.WebSocket, Socket);
})();
"""


def before_template(commit: str, root: Path) -> tuple[str, dict]:
    """The presenter template of ``commit`` as a Voilà template named for it; its name and the environment
    that lets Voilà find it (``JUPYTER_PATH``)."""
    name = f"dmjak-presenter-{commit[:8]}"
    folder = root / "voila" / "templates" / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for file in ("index.html.j2", "conf.json"):
        shown = subprocess.run(["git", "show", f"{commit}:{TEMPLATE}/{file}"], cwd=REPO, capture_output=True)
        shown.check_returncode()
        (folder / file).write_bytes(shown.stdout)
    return name, {"JUPYTER_PATH": os.pathsep.join(filter(None, [str(root), os.environ.get("JUPYTER_PATH")]))}


def setups(before: str | None, logs: Path) -> dict:
    """Name -> (Voilà options, extra environment, opened a second time in the same browser)."""
    chosen = {"plain Voilà (lab template)": (["--template=lab"], {}, False)}
    if before:
        name, env = before_template(before, logs / "templates")
        label = f"presenter view, preheated, template of {before[:8]} (before)"
        chosen[label] = ([f"--template={name}", *PREHEAT], env, False)
    chosen["presenter view, preheated (make present)"] = (PREHEAT, {}, False)
    chosen["presenter view, preheated, second opening in the same browser"] = (PREHEAT, {}, True)
    return chosen


def open_once(page, url: str, charts: int) -> dict:
    """Open ``url`` in ``page``; the wait to every chart drawn and the moments the page saw."""
    wait = wait_for_charts(page, url, charts)
    page.wait_for_timeout(200)
    return {"wait_s": round(wait, 2), "phases_ms": page.evaluate("() => window.__phases"), "load": os.getloadavg()[0]}


def sample(url: str, charts: int, warm: bool) -> dict:
    """One opening in a fresh browser profile (``warm``: the second of two openings in it)."""
    with chromium_page({"width": 1280, "height": 720}) as page:
        blocked = block_internet(page)
        page.add_init_script(PROBE)
        if warm:
            open_once(page, url, charts)
            page.goto("about:blank")
            time.sleep(POOL_REFILL_S)  # the first opening took the preheated kernel
        result = open_once(page, url, charts)
        result["blocked_remote_requests"] = sorted(set(blocked))
        return result


def measure(notebook: str, rounds: int, before: str | None) -> dict:
    logs = REPO / "build" / "bench" / "presenter"
    chosen = setups(before, logs)
    charts = PRESENTER_CHARTS[notebook]
    samples: dict[str, list] = {name: [] for name in chosen}
    with contextlib.ExitStack() as stack:
        urls = {
            name: stack.enter_context(voila(notebook, logs / f"{index}.log", *options, env=env))
            for index, (name, (options, env, _)) in enumerate(chosen.items())
        }
        names = list(chosen)
        for round_ in range(rounds):
            for name in names[round_ % len(names) :] + names[: round_ % len(names)]:  # each goes first in turn
                time.sleep(POOL_REFILL_S)  # every server idle, every pool full
                samples[name].append(sample(urls[name], charts, warm=chosen[name][2]))
                print(f"{name}: {samples[name][-1]['wait_s']} s (load {samples[name][-1]['load']:.1f})", flush=True)
    return {
        name: {
            "median_s": statistics.median(s["wait_s"] for s in taken),
            "samples_s": [s["wait_s"] for s in taken],
            "samples": taken,
        }
        for name, taken in samples.items()
    }


def main(argv: list[str]) -> int:
    before = next((arg.split("=", 1)[1] for arg in argv if arg.startswith("--before=")), None)
    positional = [arg for arg in argv if not arg.startswith("--")]
    notebook = positional[0] if positional else "05_baricitinib_cases.ipynb"
    rounds = int(positional[1]) if len(positional) > 1 else 3
    started = time.time()
    load_at_start = os.getloadavg()
    results = measure(notebook, rounds, before)
    report = {
        "notebook": notebook,
        "rounds": rounds,
        "cpus": os.cpu_count(),
        "load_average_at_start": load_at_start,
        "load_average_at_end": os.getloadavg(),
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "results": results,
    }
    out = REPO / "build" / "bench" / "presenter_wait.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"load average {load_at_start[0]:.1f} at the start, {report['load_average_at_end'][0]:.1f} at the end")
    for name, result in results.items():
        print(f"{name:70s} median {result['median_s']:6.2f} s   samples {result['samples_s']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
