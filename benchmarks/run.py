"""The course's performance budgets, each measured against a floor taken in the same run.

P1  whole course headless (every notebook x CI parameter set, 2 processes, as the harness runs them)
    vs the same number of notebooks that only import what those notebooks import. Measured twice, in a
    cache folder of its own: a first run as after setup (Vega bundle and table markers, no chart drawn
    yet), then four paired rounds on the cache that run left (course-floor, floor-course, floor-course,
    course-floor); the median of the four ratios is the steady figure, so one disturbed batch on a
    shared machine cannot decide it.
P2  widget latency in Chromium, input event -> chart redrawn (from tests/test_browser.py).
P3  install: a fresh venv from requirements.txt vs one with only the five core packages.
P4  weight: each executed notebook, and the widget JavaScript the browser receives per notebook.
P5  the course website (benchmarks/site_budgets.py): build time vs a bare Sphinx build of the same pages, JavaScript
    and fonts per page, time to every chart drawn on the page with most charts.

Writes build/bench/results.json and build/bench/execution.md (per-notebook table) and prints a summary.
Usage: python benchmarks/run.py [--skip-browser] [--skip-install]   (``make bench`` runs everything)
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat

from dmjak.course import notebook_paths
from dmjak.paths import CACHE_ENV_VAR, build_dir, repo_root
from dmjak.tooling.harness import NotebookRunError, ci_parameter_sets, run_in_subprocess
from dmjak.tooling.setup_cache import prepare as as_after_setup

sys.path.insert(0, str(Path(__file__).parent))
import site_budgets  # noqa: E402  (benchmarks/site_budgets.py)

ROUNDS = 4  # steady rounds, paired: course-floor, floor-course, floor-course, course-floor
WORKERS = 2  # as the harness and pytest-xdist run: 2 processes, one per core of the 2-core reference machine
CORE_PACKAGES = ("jupyterlab", "ipywidgets", "pandas", "altair", "papermill")
BUDGETS = {
    "P1_ratio": 1.5,
    "P1_wall_s": 60,
    "P2_p50_ms": 100,
    "P2_p95_ms": 250,
    "P3_ratio": 1.2,
    "P4_executed_bytes": 1_000_000,
    "P4_js_bytes": 2_000_000,
    "P5_build_ratio": 2.0,
    "P5_js_font_bytes": 1_500_000,
    "P5_charts_ms": 1000,
}


def course_runs() -> list[tuple[Path, dict]]:
    """Every (notebook, parameter set) that CI executes."""
    return [(p, s) for p in notebook_paths() for s in ci_parameter_sets(p)]


def import_only_copy(notebook: Path, folder: Path, index: int) -> Path:
    """A notebook holding only the top-level imports of ``notebook``: the floor P1 compares against."""
    original = nbformat.read(notebook, as_version=4)
    imports = []
    for cell in original.cells:
        if cell.cell_type == "code":
            tree = ast.parse(cell.source)
            imports += [ast.unparse(n) for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
    floor = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("\n".join(imports))])
    floor.metadata = original.metadata
    path = folder / f"floor_{index:02d}_{notebook.name}"
    nbformat.write(floor, path)
    return path


def run_batch(runs: list[tuple[Path, dict]], output_dir: Path) -> tuple[float, float, list[dict]]:
    """Run notebooks two at a time, each in its own process; return wall and CPU seconds and one record per run.

    CPU seconds are those of every finished child process and its kernel (user + system).
    """

    def one(run):
        path, parameters = run
        try:
            record = run_in_subprocess(path, parameters, output_dir)
            record["status"] = "ok"
            record["executed_bytes"] = Path(record["output"]).stat().st_size
        except NotebookRunError as error:
            record = {"notebook": path.name, "parameters": parameters, "status": f"failed: {error}"}
        return record

    def children_cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    start, cpu = time.perf_counter(), children_cpu()
    with ThreadPoolExecutor(WORKERS) as pool:  # threads only wait: each notebook runs in a child process
        records = list(pool.map(one, runs))
    return time.perf_counter() - start, children_cpu() - cpu, records


def round_order(index: int) -> tuple[str, str]:
    """Which batch goes first in steady round ``index``: course-floor, floor-course, floor-course, course-floor.

    Each side goes first equally often, and over the four rounds a steady drift in the machine's speed adds
    the same to both sides.
    """
    return ("course", "floor") if index % 4 in (0, 3) else ("floor", "course")


def compare_rounds(rounds: list[dict]) -> dict:
    """The median of the rounds' course/floor ratios (each course paired with the floor run beside it), with
    the median seconds of each side, wall and CPU."""

    def median(key: str) -> float:
        return statistics.median(r[key] for r in rounds)

    return {
        "ratio": round(statistics.median(r["course_wall_s"] / r["floor_wall_s"] for r in rounds), 2),
        "cpu_ratio": round(statistics.median(r["course_cpu_s"] / r["floor_cpu_s"] for r in rounds), 2),
        "course_wall_s": round(median("course_wall_s"), 1),
        "floor_wall_s": round(median("floor_wall_s"), 1),
        "course_cpu_s": round(median("course_cpu_s"), 1),
        "floor_cpu_s": round(median("floor_cpu_s"), 1),
    }


def typical_round(rounds: list[dict]) -> int:
    """The round whose course/floor ratio is closest to the median ratio (its records fill the table)."""
    target = compare_rounds(rounds)["ratio"]
    return min(range(len(rounds)), key=lambda i: abs(rounds[i]["course_wall_s"] / rounds[i]["floor_wall_s"] - target))


@contextlib.contextmanager
def cache_folder(folder: Path):
    """Point every notebook run (``DMJAK_CACHE_DIR``) at ``folder`` for the duration."""
    saved = os.environ.get(CACHE_ENV_VAR)
    os.environ[CACHE_ENV_VAR] = str(folder)
    try:
        yield folder
    finally:
        if saved is None:
            os.environ.pop(CACHE_ENV_VAR, None)
        else:
            os.environ[CACHE_ENV_VAR] = saved


def p1_course(work: Path, rounds: int = ROUNDS) -> dict:
    """The course first as after setup (no chart drawn yet), then ``rounds`` paired rounds on the cache it left."""
    batches = {"course": course_runs()}
    batches["floor"] = [(import_only_copy(p, work, i), {}) for i, (p, _) in enumerate(batches["course"])]
    with cache_folder(work / "cache"):
        as_after_setup()  # the cache folder as binder/postBuild leaves it: Vega's bundle, table markers
        first_wall, first_cpu, first_records = run_batch(batches["course"], work / "first")
        measured, records = [], []
        for index in range(rounds):
            figures, by_kind = {}, {}
            for kind in round_order(index):
                wall, cpu, by_kind[kind] = run_batch(batches[kind], work / f"{kind}-{index}")
                figures |= {f"{kind}_wall_s": round(wall, 2), f"{kind}_cpu_s": round(cpu, 2)}
            measured.append(figures)
            records.append(by_kind)
    steady = compare_rounds(measured)
    typical = typical_round(measured)
    everything = first_records + [r for by_kind in records for batch in by_kind.values() for r in batch]
    failed = dict.fromkeys(
        f"{r['notebook']} {r['parameters']}: {r['status']}" for r in everything if r["status"] != "ok"
    )
    return {
        "runs": len(batches["course"]),
        **steady,
        "first_run": {
            "course_wall_s": round(first_wall, 1),
            "course_cpu_s": round(first_cpu, 1),
            "ratio": round(first_wall / steady["floor_wall_s"], 2),
            "cpu_ratio": round(first_cpu / steady["floor_cpu_s"], 2),
        },
        "rounds": measured,
        "failures": list(failed),
        "records_round": typical,
        "records": records[typical]["course"],
    }


def run_browser_tests() -> None:
    """Run the browser tests afresh, one at a time (no second browser competing for the 2 cores).

    They write build/bench/latency/ and build/bench/weight/.
    """
    for folder in ("latency", "weight"):
        shutil.rmtree(build_dir() / "bench" / folder, ignore_errors=True)
    env = {**os.environ, "DMJAK_CI": "1"}  # a missing browser is a failure here, not a skip
    command = [sys.executable, "-m", "pytest", "-q", "tests/test_browser.py", "-n", "0", "-p", "no:cacheprovider"]
    done = subprocess.run(command, cwd=repo_root(), env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"browser tests failed, so P2/P4 cannot be measured:\n{done.stdout[-3000:]}")


def read_results(folder: str) -> list[dict]:
    paths = sorted((build_dir() / "bench" / folder).glob("*.json"))
    if not paths:
        raise SystemExit(f"no results in build/bench/{folder}/: run without --skip-browser")
    return [json.loads(p.read_text()) for p in paths]


def p2_latency() -> dict:
    widgets = read_results("latency")
    return {
        "worst_p50_ms": max(w["p50_ms"] for w in widgets),
        "worst_p95_ms": max(w["p95_ms"] for w in widgets),
        "widgets": [{k: w[k] for k in ("environment", "widget", "interactions", "p50_ms", "p95_ms")} for w in widgets],
    }


def venv_install(requirements: list[str], folder: Path) -> tuple[float, int]:
    """Seconds to create a venv and pip-install ``requirements``, and the venv's size in bytes."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
    pip = [str(folder / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    done = subprocess.run(pip + requirements, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"pip install {' '.join(requirements)} failed:\n{done.stderr[-3000:]}")
    seconds = time.perf_counter() - start
    size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink())
    return seconds, size


def pinned(package: str) -> str:
    """The exact pin of ``package`` in requirements.txt, so both venvs install the same versions."""
    for line in (repo_root() / "requirements.txt").read_text().splitlines():
        if line.split("==")[0].strip().lower() == package:
            return line.split("#")[0].removesuffix("\\").strip()
    raise SystemExit(f"{package} is not pinned in requirements.txt")


def p3_install(work: Path) -> dict:
    core_s, core_bytes = venv_install([pinned(p) for p in CORE_PACKAGES], work / "venv-core")
    full_s, full_bytes = venv_install(["-r", str(repo_root() / "requirements.txt")], work / "venv-course")
    return {
        "core_s": round(core_s, 1),
        "course_s": round(full_s, 1),
        "time_ratio": round(full_s / core_s, 2),
        "core_mb": round(core_bytes / 1e6),
        "course_mb": round(full_bytes / 1e6),
        "size_ratio": round(full_bytes / core_bytes, 2),
    }


def p4_weight(p1: dict) -> dict:
    executed = [r for r in p1["records"] if r["status"] == "ok"]
    pages = read_results("weight")
    return {
        "largest_executed_bytes": max(r["executed_bytes"] for r in executed),
        "largest_js_bytes": max(p["js_bytes"] for p in pages),
        "pages": pages,
    }


def verdict(value: float, budget: float) -> str:
    return "met" if value <= budget else "MISSED"


def execution_table(p1: dict) -> str:
    rows = [
        f"Steady round {p1.get('records_round', 0) + 1} of {len(p1.get('rounds', [])) or 1} "
        "(the one nearest the median ratio); time includes kernel start-up, two notebooks at a time.",
        "",
        "| notebook | parameters | status | time (s) | peak kernel (MB) | executed size (KB) |",
        "|---|---|---|---:|---:|---:|",
    ]
    for r in p1["records"]:
        ok = r["status"] == "ok"
        rows.append(
            f"| {r['notebook']} | `{json.dumps(r['parameters'])}` | {r['status'] if not ok else 'ok'} | "
            f"{r.get('seconds', '–')} | {r.get('peak_kernel_mb', '–')} | "
            f"{round(r['executed_bytes'] / 1024) if ok else '–'} |"
        )
    return "\n".join(rows) + "\n"


def summary(results: dict) -> list[tuple[str, str, str, str]]:
    """(figure, measured, budget, verdict) rows for the terminal."""
    rows = []
    if "P1" in results:
        p1 = results["P1"]
        budget = f"<= {BUDGETS['P1_ratio']}x and <= {BUDGETS['P1_wall_s']} s"

        def p1_row(label: str, figures: dict, detail: str) -> tuple[str, str, str, str]:
            if p1.get("failures"):  # a failed run ends early, which would flatter the ratio
                verdict_text = f"INVALID ({len(p1['failures'])} failed runs)"
            else:
                ok = figures["ratio"] <= BUDGETS["P1_ratio"] and figures["course_wall_s"] <= BUDGETS["P1_wall_s"]
                verdict_text = "met" if ok else "MISSED"
            measured = (
                f"{figures['ratio']}x{detail} ({figures['course_wall_s']} s / {p1['floor_wall_s']} s; "
                f"CPU {figures.get('cpu_ratio', '?')}x)"
            )
            return label, measured, budget, verdict_text

        rounds = len(p1.get("rounds", [])) or 1
        rows.append(p1_row("P1 course vs import-only floor (steady)", p1, f", median of {rounds} paired rounds"))
        if "first_run" in p1:
            rows.append(p1_row("P1 first run after setup (no chart drawn yet)", p1["first_run"], ""))
    if "P2" in results:
        p2 = results["P2"]
        ok = p2["worst_p50_ms"] <= BUDGETS["P2_p50_ms"] and p2["worst_p95_ms"] <= BUDGETS["P2_p95_ms"]
        rows.append(
            (
                "P2 widget latency (worst widget)",
                f"p50 {p2['worst_p50_ms']} ms, p95 {p2['worst_p95_ms']} ms",
                f"p50 <= {BUDGETS['P2_p50_ms']}, p95 <= {BUDGETS['P2_p95_ms']} ms",
                "met" if ok else "MISSED",
            )
        )
    if "P3" in results:
        p3 = results["P3"]
        worst = max(p3["time_ratio"], p3["size_ratio"])
        rows.append(
            (
                "P3 install vs core five",
                f"time {p3['course_s']}/{p3['core_s']} s = {p3['time_ratio']}x, "
                f"size {p3['course_mb']}/{p3['core_mb']} MB = {p3['size_ratio']}x",
                f"<= {BUDGETS['P3_ratio']}x",
                verdict(worst, BUDGETS["P3_ratio"]),
            )
        )
    if "P4" in results:
        p4 = results["P4"]
        rows.append(
            (
                "P4 largest executed notebook",
                f"{p4['largest_executed_bytes'] / 1e6:.2f} MB",
                "<= 1 MB",
                verdict(p4["largest_executed_bytes"], BUDGETS["P4_executed_bytes"]),
            )
        )
        if "largest_js_bytes" in p4:
            rows.append(
                (
                    "P4 widget JS per notebook (browser)",
                    f"{p4['largest_js_bytes'] / 1e6:.2f} MB",
                    "<= 2 MB",
                    verdict(p4["largest_js_bytes"], BUDGETS["P4_js_bytes"]),
                )
            )
    if "P5" in results:
        rows += site_rows(results["P5"])
    return rows


def site_rows(p5: dict) -> list[tuple[str, str, str, str]]:
    """The website's three budgets as summary rows."""
    return [
        (
            "P5 site build vs bare Sphinx, same pages",
            f"{p5['ratio']}x ({p5['course_s']} s / {p5['floor_s']} s)",
            f"<= {BUDGETS['P5_build_ratio']}x",
            verdict(p5["ratio"], BUDGETS["P5_build_ratio"]),
        ),
        (
            "P5 JS + fonts per page (cold cache, heaviest)",
            f"{p5['largest_js_font_bytes'] / 1e6:.2f} MB ({p5['heaviest_page']})",
            f"<= {BUDGETS['P5_js_font_bytes'] / 1e6} MB",
            verdict(p5["largest_js_font_bytes"], BUDGETS["P5_js_font_bytes"]),
        ),
        (
            "P5 every chart drawn, page with most charts",
            f"{p5['all_charts_drawn_ms']} ms ({p5['charts']} charts, {p5['charts_page']}; main thread busy "
            f"{p5['main_thread_busy_ms']} ms; load average {p5['load_average']})",
            f"<= {BUDGETS['P5_charts_ms']} ms",
            verdict(p5["all_charts_drawn_ms"], BUDGETS["P5_charts_ms"]),
        ),
    ]


def missing_prerequisites(skip_browser: bool) -> list[str]:
    """What this machine lacks for the stages asked for, each with how to get it (checked before measuring)."""
    chromium = Path(os.environ.get("DMJAK_CHROMIUM", "/usr/bin/chromium"))
    missing = []
    if not skip_browser and not chromium.exists():
        missing.append(
            f"Chromium not found at {chromium} (P2/P4 drive it): `sudo apt-get install chromium`, set "
            "DMJAK_CHROMIUM to a Chromium binary, or run `python benchmarks/run.py --skip-browser`"
        )
    return missing


def write_results(results: dict, out: Path) -> list[tuple[str, str, str, str]]:
    """Write whatever was measured (results.json, execution.md); return the summary rows."""
    if "P1" in results:
        (out / "execution.md").write_text(execution_table(results["P1"]))
    rows = summary(results)
    results["summary"] = [dict(zip(("figure", "measured", "budget", "verdict"), r, strict=True)) for r in rows]
    (out / "results.json").write_text(json.dumps(results, indent=2))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skip-browser", action="store_true", help="reuse build/bench/{latency,weight}/")
    parser.add_argument("--skip-install", action="store_true", help="leave out P3 (two fresh venvs, ~2 min)")
    args = parser.parse_args(argv)
    missing = missing_prerequisites(args.skip_browser)
    if missing:
        print("make bench cannot start; missing:\n- " + "\n- ".join(missing), file=sys.stderr)
        return 2
    out = build_dir() / "bench"
    out.mkdir(parents=True, exist_ok=True)
    results: dict = {"budgets": BUDGETS, "stage_errors": {}}

    def stage(name: str, measure) -> None:
        """Measure one stage; a failure is recorded and the next stage still runs."""
        try:
            results[name] = measure()
        except (Exception, SystemExit) as error:  # noqa: BLE001 - keep the figures already measured
            results["stage_errors"][name] = str(error)
            print(f"{name} failed: {error}", file=sys.stderr, flush=True)

    try:
        with tempfile.TemporaryDirectory(prefix="dmjak-bench-") as tmp:
            work = Path(tmp)
            print(f"P1: the course as after setup, then {ROUNDS} rounds paired with its floor ...", flush=True)
            stage("P1", lambda: p1_course(work))
            if not args.skip_browser:
                print("P2/P4: running the browser tests ...", flush=True)
                stage("browser", run_browser_tests)
            stage("P2", p2_latency)
            if "P1" in results:
                stage("P4", lambda: p4_weight(results["P1"]))
            if not args.skip_browser:
                print("P5: building the website and opening it in Chromium ...", flush=True)
                stage("P5", lambda: site_budgets.p5_site(work / "site"))
            if not args.skip_install:
                print("P3: installing two fresh venvs ...", flush=True)
                stage("P3", lambda: p3_install(work))
    finally:
        rows = write_results(results, out)
    widths = [max(len(r[i]) for r in rows) for i in range(4)] if rows else []
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
    print(f"\nraw figures: {out / 'results.json'}; per-notebook table: {out / 'execution.md'}")
    failures = results.get("P1", {}).get("failures", [])
    if failures:
        print("failed runs:\n" + "\n".join(failures), file=sys.stderr)
    return 1 if failures or results["stage_errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
