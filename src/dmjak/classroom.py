"""Teaching the course on a JupyterHub: nbgitpuller links, and how much memory a class needs.

``python -m dmjak.classroom link --hub https://hub.example.edu`` prints the link a lecturer shares: a
student who opens it logs in to that hub, nbgitpuller clones (or updates) the course into their home,
and JupyterLab opens on the start notebook (``--presenter`` opens the cases in Voilà instead).
``python -m dmjak.classroom sizing`` prints the lecturer page's sizing table from the figures that
``make classroom-bench`` measured (``build/bench/classroom.json``), so the table is never typed by hand.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from dmjak.course import notebook_paths
from dmjak.paths import repo_root

COURSE_FOLDER = "dmjak-course"  # where nbgitpuller puts the course in each home (its ``targetpath``)
START_NOTEBOOK = "00_start_here.ipynb"
PRESENTER_NOTEBOOK = "05_baricitinib_cases.ipynb"
INTERFACES = ("lab", "voila")


def course_notebooks() -> list[str]:
    """File names of the course notebooks (the only valid targets of a link)."""
    return [p.name for p in notebook_paths()]


def _checked_url(name: str, url: str, schemes: tuple[str, ...]) -> str:
    parts = urlsplit(url)
    if parts.scheme not in schemes or not parts.netloc:
        raise ValueError(f"{name} {url!r} is not a URL; expected one starting with {' or '.join(schemes)}://")
    return url.rstrip("/")


def urlpath(notebook: str = START_NOTEBOOK, interface: str = "lab", folder: str = COURSE_FOLDER) -> str:
    """The path, relative to a single-user server, that opens ``notebook`` of the pulled course."""
    if notebook not in course_notebooks():
        raise ValueError(f"notebook {notebook!r} is not in the course; valid notebooks: {course_notebooks()}")
    if interface not in INTERFACES:
        raise ValueError(f"interface {interface!r} is not known; valid interfaces: {list(INTERFACES)}")
    view = "lab/tree" if interface == "lab" else "voila/render"
    return f"{view}/{folder}/notebooks/{notebook}"


def pull_link(
    hub: str,
    repo: str,
    branch: str = "main",
    notebook: str = START_NOTEBOOK,
    interface: str = "lab",
    folder: str = COURSE_FOLDER,
) -> str:
    """The nbgitpuller link: log in to ``hub``, pull ``repo``@``branch`` into ``folder``, open ``notebook``."""
    hub = _checked_url("hub", hub, ("https", "http"))
    if not repo or not (urlsplit(repo).scheme or repo.startswith("/") or "@" in repo):
        raise ValueError(f"repo {repo!r} is not a git URL (https://..., git@host:path) or an absolute path")
    if not branch or any(c.isspace() for c in branch):
        raise ValueError(f"branch {branch!r} is not a git branch name")
    if not folder or folder.startswith(("/", ".")) or "/" in folder:
        raise ValueError(f"folder {folder!r} must be a single folder name inside the home, such as {COURSE_FOLDER!r}")
    query = {"repo": repo, "branch": branch, "targetpath": folder, "urlpath": urlpath(notebook, interface, folder)}
    return f"{hub}/hub/user-redirect/git-pull?{urlencode(query)}"


def origin_url() -> str | None:
    """The ``origin`` remote of this checkout, if it has one (the repository students should pull)."""
    done = subprocess.run(
        ["git", "-C", str(repo_root()), "remote", "get-url", "origin"], capture_output=True, text=True, check=False
    )
    url = done.stdout.strip() if done.returncode == 0 else ""
    return url or None


# --- sizing -----------------------------------------------------------------------------------------

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
        f"Computed by `python -m dmjak.classroom sizing` from `make classroom-bench` "
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
    "<!-- sizing table: python -m dmjak.classroom sizing --publish -->",
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


# --- command line -----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dmjak.classroom", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    link = commands.add_parser("link", help="print the nbgitpuller link that opens the course on a hub")
    link.add_argument("--hub", required=True, help="the hub's address, e.g. https://hub.example.edu")
    link.add_argument("--repo", help="git URL of the course (default: this checkout's origin remote)")
    link.add_argument("--branch", default="main")
    link.add_argument("--notebook", help=f"notebook to open (default {START_NOTEBOOK}; with --presenter the cases)")
    link.add_argument("--presenter", action="store_true", help="open the notebook in the code-free Voilà view")
    link.add_argument("--folder", default=COURSE_FOLDER, help="folder in each home that receives the course")
    sizing = commands.add_parser("sizing", help="print the sizing table from measured figures")
    sizing.add_argument("--figures", type=Path, default=repo_root() / "build" / "bench" / "classroom.json")
    sizing.add_argument(
        "--publish", action="store_true", help=f"write the figures to {MEASURED.name}, the Helm values and docs/"
    )
    args = parser.parse_args(argv)
    try:
        if args.command == "link":
            repo = args.repo or origin_url()
            if not repo:
                raise ValueError("this checkout has no 'origin' remote; pass the course's git URL with --repo")
            notebook = args.notebook or (PRESENTER_NOTEBOOK if args.presenter else START_NOTEBOOK)
            interface = "voila" if args.presenter else "lab"
            print(pull_link(args.hub, repo, args.branch, notebook, interface, args.folder))
        elif args.publish:
            publish(read_figures(args.figures))
            print(f"updated {MEASURED}, {HELM_VALUES} and {LECTURER_PAGE}")
        else:
            print(sizing_markdown(read_figures(args.figures)), end="")
    except (ValueError, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
