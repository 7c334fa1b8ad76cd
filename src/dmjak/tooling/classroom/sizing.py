"""How much memory and how many nodes a class needs, from what ``make classroom-bench`` measured.

``python -m dmjak.tooling.classroom sizing`` prints the lecturer page's sizing table from the figures in
``build/bench/classroom.json``; ``--publish`` writes them into the Helm values and docs/classroom.md, so the
table is never typed by hand.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

from dmjak.paths import repo_root

SYSTEM_RESERVE_MB = 2048  # per node: operating system, kubelet, hub, proxy and image caches
# Idle kernels are shut down after 20 minutes (binder/jupyter_server_config.py), so during the guide's
# practical a student holds the notebook in use and at most the one before it.
KERNELS_AFTER_CULLING = 2
ROUND_MB = 64
STUDENTS_PER_CORE = 15  # the most the rehearsal put on one core with every student ready and charted


def _round_up(megabytes: float) -> int:
    return int(math.ceil(megabytes / ROUND_MB) * ROUND_MB)


def memory_per_student(figures: dict) -> dict[str, int]:
    """Guarantee and limit (MB) per student from measured figures.

    Guarantee: the student's server plus ``KERNELS_AFTER_CULLING`` typical kernels (``kernel_mb.p50``).
    Limit: the worst case the instructor guide prescribes, measured (``practical_worst_case_mb``: the server
    and every notebook of the 2-hour practical open and run). Both rounded up to 64 MB.
    """
    server = _required(figures, "server_mb", "max")
    kernel_p50 = _required(figures, "kernel_mb", "p50")
    worst = _required(figures, "practical_worst_case_mb", "total")
    return {
        "guarantee_mb": _round_up(server + KERNELS_AFTER_CULLING * kernel_p50),
        "limit_mb": _round_up(worst),
    }


def _required(figures: dict, name: str, statistic: str) -> float:
    try:
        value = float(figures[name][statistic])
    except (KeyError, TypeError, ValueError):
        raise ValueError(
            f"measured figures lack {name}.{statistic}; run `make classroom-bench` to write build/bench/classroom.json"
        ) from None
    if value <= 0:
        raise ValueError(f"measured {name}.{statistic} = {value} MB is not a memory size")
    return value


def nodes_needed(students: int, guarantee_mb: int, node_gib: int) -> int:
    """Nodes of ``node_gib`` GiB that hold ``students`` guarantees after each node's system reserve."""
    if students < 1:
        raise ValueError(f"students must be at least 1, got {students}")
    usable = node_gib * 1024 - SYSTEM_RESERVE_MB
    if usable < guarantee_mb:
        raise ValueError(f"a {node_gib} GiB node cannot hold one student ({guarantee_mb} MB after the reserve)")
    return math.ceil(students / (usable // guarantee_mb))


def sizing_rows(figures: dict, classes=(30, 60, 100, 200, 400), node_gib=(32, 64)) -> list[dict]:
    """One row per class size: total guaranteed memory, worst case at every limit, nodes needed."""
    per = memory_per_student(figures)
    rows = []
    for students in classes:
        row = {
            "students": students,
            "guaranteed_gib": round(students * per["guarantee_mb"] / 1024, 1),
            "all_at_limit_gib": round(students * per["limit_mb"] / 1024, 1),
        }
        row.update({f"nodes_{size}gib": nodes_needed(students, per["guarantee_mb"], size) for size in node_gib})
        row["cores"] = math.ceil(students / STUDENTS_PER_CORE)
        rows.append(row)
    return rows


def students_per_machine(figures: dict, machine_gib: int) -> int:
    """How many students one machine of ``machine_gib`` GiB holds at their guarantee."""
    per = memory_per_student(figures)
    return max(0, (machine_gib * 1024 - SYSTEM_RESERVE_MB) // per["guarantee_mb"])


def sizing_markdown(figures: dict) -> str:
    """The lecturer page's sizing table (Markdown) with the figures it was computed from."""
    per = memory_per_student(figures)
    rows = sizing_rows(figures)
    sizes = [k for k in rows[0] if k.startswith("nodes_")]
    head = ["students", "memory guaranteed (GiB)", "if all reach the limit (GiB)"]
    head += [f"nodes of {k.removeprefix('nodes_').removesuffix('gib')} GiB" for k in sizes]
    head.append(f"CPU cores ({STUDENTS_PER_CORE} students per core)")
    lines = ["| " + " | ".join(head) + " |", "|" + "---:|" * len(head)]
    for row in rows:
        cells = [row["students"], row["guaranteed_gib"], row["all_at_limit_gib"], *(row[k] for k in sizes)]
        lines.append("| " + " | ".join(str(c) for c in [*cells, row["cores"]]) + " |")
    worst = figures["practical_worst_case_mb"]
    basis = (
        f"Computed by `python -m dmjak.tooling.classroom sizing` from `make classroom-bench` "
        f"({figures.get('students', '?')} students on one machine): server {figures['server_mb']['max']} MB, "
        f"kernel peak p50 {figures['kernel_mb']['p50']} MB and max {figures['kernel_mb']['max']} MB; the "
        f"practical's worst case (server and {worst['notebooks']} notebooks open and run) {worst['total']} MB. "
        f"So {per['guarantee_mb']} MB guaranteed (server and {KERNELS_AFTER_CULLING} kernels) and "
        f"{per['limit_mb']} MB limit per student; {SYSTEM_RESERVE_MB} MB of each node reserved for the system."
    )
    return "\n".join(lines) + "\n\n" + basis + "\n"


MEASURED = repo_root() / "deploy" / "jupyterhub" / "measured.json"
HELM_VALUES = repo_root() / "deploy" / "jupyterhub" / "config.yaml"
LECTURER_PAGE = repo_root() / "docs" / "classroom.md"
TABLE_START, TABLE_END = (
    "<!-- sizing table: python -m dmjak.tooling.classroom sizing --publish -->",
    "<!-- end of sizing table -->",
)
PUBLISHED_KEYS = (
    "date",
    "students",
    "failures",
    "time_to_ready_s",
    "time_to_all_charts_s",
    "solo_time_to_all_charts_s",
    "charts_vs_solo",
    "widget_latency_ms",
    "kernel_mb",
    "server_mb",
    "floor_kernel_mb",
    "kernel_vs_floor",
    "practical_worst_case_mb",
    "conditions",
    "bars",
)
_HELM_MEMORY = re.compile(r"^(    (guarantee|limit): )\d+M$", re.MULTILINE)


def publish(figures: dict) -> None:
    """Commit-ready copies of a run's figures: measured.json, the Helm memory values, the lecturer's table."""
    if figures.get("failures"):
        raise ValueError(f"the run had {figures['failures']} failure(s); publish only a clean run")
    kept = {k: figures[k] for k in PUBLISHED_KEYS if k in figures}
    MEASURED.write_text(json.dumps(kept, indent=2) + "\n")
    per = memory_per_student(kept)
    values = {"guarantee": per["guarantee_mb"], "limit": per["limit_mb"]}
    HELM_VALUES.write_text(_HELM_MEMORY.sub(lambda m: f"{m.group(1)}{values[m.group(2)]}M", HELM_VALUES.read_text()))
    page = LECTURER_PAGE.read_text()
    before, rest = page.split(TABLE_START)
    _, after = rest.split(TABLE_END)
    LECTURER_PAGE.write_text(f"{before}{TABLE_START}\n{sizing_markdown(kept)}{TABLE_END}{after}")


def read_figures(path: Path) -> dict:
    """Measured classroom figures (``build/bench/classroom.json`` or a copy of it)."""
    if not path.is_file():
        raise FileNotFoundError(f"No measured figures at {path}; run `make classroom-bench` first")
    return json.loads(path.read_text())
