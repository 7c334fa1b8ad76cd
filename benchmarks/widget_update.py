"""Python-side update time of the course's widgets: what a slider move costs before the browser redraws.

Runs each widget's real callback with a live JupyterChart (as in JupyterLab) against a comm-less kernel
stub, many times, and prints median and 95th percentile in milliseconds. Budget: 50 ms (median).
Usage: python benchmarks/widget_update.py
"""

from __future__ import annotations

import os
import statistics
import time

os.environ["DMJAK_RENDER"] = "live"


def measure(label: str, action, repeats: int = 40) -> dict:
    action(0)  # warm-up: first render and caches
    samples = []
    for i in range(1, repeats + 1):
        start = time.perf_counter()
        action(i)
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    result = {
        "widget": label,
        "median_ms": round(statistics.median(samples), 1),
        "p95_ms": round(samples[int(0.95 * (len(samples) - 1))], 1),
        "n": repeats,
    }
    print(f"{label:<42} median {result['median_ms']:6.1f} ms   p95 {result['p95_ms']:6.1f} ms   (n={repeats})")
    return result


def main() -> list[dict]:
    from unittest import mock

    from IPython.display import display  # noqa: F401  (display is patched below)

    from dmjak import course
    from dmjak.charts import course as course_charts
    from dmjak.data import load_table
    from dmjak.models.isg_score import simulate_qpcr
    from dmjak.models.reconstruction import load_assumptions
    from dmjak.render import chart_view
    from dmjak.widgets.cases import WhatIfExplorer
    from dmjak.widgets.dermatomyositis import IsgLab
    from dmjak.widgets.jak import CONCENTRATIONS_NM, PathwayExplorer
    from dmjak.widgets.measures import DLQICalculator
    from dmjak.widgets.pharmacology import DoseExplorer

    results = []
    with (
        mock.patch("dmjak.render.display"),
        mock.patch("IPython.display.display"),
        mock.patch("dmjak.widgets.dermatomyositis.display"),
        mock.patch("dmjak.widgets.jak.display"),
        mock.patch("dmjak.widgets.pharmacology.display"),
        mock.patch("dmjak.widgets.measures.display"),
    ):
        explorer = WhatIfExplorer(load_table("trajectories"), load_table("outcome_statements"), load_assumptions())
        explorer.show()
        speeds = [1 + (i % 20) for i in range(200)]
        results.append(
            measure(
                "cases: what-if explorer (weeks to half)",
                lambda i: setattr(explorer.speed, "value", speeds[i] + 0.5 * (i % 2)),
            )
        )
        results.append(
            measure(
                "cases: what-if explorer (shape)",
                lambda i: setattr(explorer.shape, "value", ["linear", "delayed", "exponential"][i % 3]),
            )
        )
        course_map = course.course_map()
        planner = chart_view(course_charts.session_chart(course_map, 90))
        results.append(
            measure(
                "start: session planner (minutes)",
                lambda i: planner.update(
                    course_charts.session_chart(course_map, 15 * (1 + i % 19), like=planner.chart), same_shape=True
                ),
            )
        )
        lab = IsgLab(simulate_qpcr()).show()
        results.append(measure("01: ISG lab (one gene)", lambda i: setattr(lab.genes["IFI27"], "value", (i % 30) / 5)))
        results.append(measure("01: ISG lab (cut-off)", lambda i: setattr(lab.cutoff, "value", 1 + (i % 40) / 5)))
        explorer = PathwayExplorer(load_table("jak_inhibitor_potency"), load_table("jak_pathways")).show()
        results.append(
            measure(
                "02: pathway explorer (concentration)",
                lambda i: setattr(explorer.concentration, "value", CONCENTRATIONS_NM[i % len(CONCENTRATIONS_NM)]),
            )
        )
        results.append(
            measure(
                "02: pathway explorer (rule)",
                lambda i: setattr(explorer.rule, "value", ["both kinases needed", "either kinase suffices"][i % 2]),
            )
        )
        doses = DoseExplorer(load_table("exposure_modifiers"), load_table("jak_inhibitor_potency")).show()
        results.append(
            measure("03: dose explorer (half-life)", lambda i: setattr(doses.half_life, "value", 5 + (i % 20) / 5))
        )
        results.append(measure("03: dose explorer (dose)", lambda i: setattr(doses.dose, "value", [1, 2, 4][i % 3])))
        calculator = DLQICalculator(load_table("dlqi_items"), [1] * 10, [0] * 10).show()
        results.append(
            measure(
                "04: DLQI calculator (one item)",
                lambda i: setattr(calculator.choices["visit 2"][1 + i % 10], "value", i % 4),
            )
        )
    return results


if __name__ == "__main__":
    main()
