"""The lecturer's wait: from opening the presenter link to every chart drawn, in Chromium, offline.

Three servers of the same notebook in the same run, each opened ``ROUNDS`` times in a fresh browser:
plain Voilà (its ``lab`` template), the course's presenter view (``dmjak-presenter``, projector mode),
and the presenter view with Voilà's preheated kernels (``--preheat_kernel=True --pool_size=1``: the
notebook has already run in a waiting kernel when the lecturer opens the link). Each round waits until
the server is idle again (a preheated pool refills after every page). Writes
``build/bench/presenter_wait.json``. Usage: ``python benchmarks/presenter_wait.py [NOTEBOOK] [ROUNDS]``.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from browser import chromium_page  # noqa: E402
from presenter_view import PRESENTER_CHARTS, voila, wait_for_charts  # noqa: E402
from test_export_browser import block_internet  # noqa: E402

SETUPS = {
    "plain Voilà (lab template)": ("--template=lab",),
    "presenter view": (),
    "presenter view, preheated kernel": ("--preheat_kernel=True", "--pool_size=1"),
}
POOL_REFILL_S = 25  # a preheated kernel runs the whole notebook before it joins the pool


def measure(notebook: str, rounds: int) -> dict:
    results = {}
    logs = REPO / "build" / "bench" / "presenter"
    for name, options in SETUPS.items():
        samples, remote = [], set()
        with voila(notebook, logs / f"{name.split(',')[0].replace(' ', '-')}.log", *options) as url:
            for _ in range(rounds):
                if "preheat" in name:
                    time.sleep(POOL_REFILL_S)
                with chromium_page({"width": 1280, "height": 720}) as page:
                    blocked = block_internet(page)
                    samples.append(round(wait_for_charts(page, url, PRESENTER_CHARTS[notebook]), 2))
                    remote.update(blocked)
        results[name] = {
            "samples_s": samples,
            "median_s": round(statistics.median(samples), 2),
            "blocked_remote_requests": sorted(remote),  # refused at once here; a network that drops them stalls
        }
    return results


def main() -> int:
    notebook = sys.argv[1] if len(sys.argv) > 1 else "05_baricitinib_cases.ipynb"
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    started = time.time()
    results = measure(notebook, rounds)
    report = {
        "notebook": notebook,
        "rounds": rounds,
        "load_average_at_start": os.getloadavg(),
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "results": results,
    }
    out = REPO / "build" / "bench" / "presenter_wait.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    for name, result in results.items():
        print(f"{name:36s} median {result['median_s']:6.2f} s   samples {result['samples_s']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
