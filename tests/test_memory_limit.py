"""Charts under an address-space limit (``ulimit -v``, common on shared hubs and HPC login nodes).

vl-convert's V8 aborts the whole process under any RLIMIT_AS (review 2026-12, 7.4: the kernel died
with no reason, even at 48 GB). A soft limit must still draw (a child lifts it to the hard limit);
a hard limit must fail with a message that says why, never kill the process.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

PROBE = """
import resource, sys
soft, hard = {limits}
resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
from dmjak import render
import altair as alt, pandas as pd
chart = alt.Chart(pd.DataFrame({{"x": [1, 2, 3], "y": [3, 1, 2]}})).mark_line().encode(x="x", y="y")
try:
    svg = render.to_svg(chart)
except render.ChartRenderError as error:
    print("REFUSED", error)
else:
    print("DRAWN", svg.startswith("<svg"))
"""
GIB = 2**30


def probe(tmp_path, limits: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DMJAK_CACHE_DIR": str(tmp_path / "cache")}  # cold: the chart must really be drawn
    code = PROBE.format(limits=limits)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)


def test_a_soft_address_space_limit_still_draws_charts(tmp_path):
    done = probe(tmp_path, f"({3 * GIB}, resource.RLIM_INFINITY)")
    assert done.returncode == 0 and "DRAWN True" in done.stdout, (done.returncode, done.stdout, done.stderr[-500:])


@pytest.mark.parametrize("gib", [3, 6])
def test_a_hard_address_space_limit_fails_saying_why_not_killing_the_kernel(tmp_path, gib):
    done = probe(tmp_path, f"({gib * GIB}, {gib * GIB})")
    assert done.returncode == 0, f"the process died (exit {done.returncode}): {done.stderr[-500:]}"
    assert "DRAWN True" in done.stdout or ("REFUSED" in done.stdout and "address-space limit" in done.stdout)
