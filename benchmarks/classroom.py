"""Load test of a class on one machine: 30+ students on a real JupyterHub at once (``make classroom-bench``).

Each simulated student logs in through the hub's form, starts a server, has nbgitpuller pull the course
from this checkout into their home, then runs every code cell of the start and cases notebooks through
the kernel websocket in live mode (answering the chart widgets' messages as JupyterLab does). Students
join one every ``--stagger`` seconds. Two or three of them use real Chromium pages instead: they open
the nbgitpuller link, log in, Run All, and measure the time until every chart is drawn and the what-if
widget's redraw latency. In the same run the bench measures a floor kernel (ipykernel, pandas, altair,
ipywidgets only) and two faults: one student's kernel is killed mid-notebook (the server restarts it, the
student runs the notebook again and finishes; nobody else notices), and one idle student's server is culled
by the idle culler (they come back to a fresh server with their saved work still there). One more student
does the worst case the instructor guide prescribes: every notebook of the 2-hour practical open and run
at once; their server's and kernels' peaks give the Helm memory limit. Every student is a separate OS user
(make classroom); the run records the machine's load, since other work shares it.

A student late in the queue for a boot slot waits, as on the hub's spawn page; a failure is something a
student could not do (an error, a refusal, a cell over its time), or not finishing within ``--deadline``
seconds, after which the run stops itself. Before the class, one Chromium student works alone: the
baseline the class's times are compared with. Ctrl-C, SIGTERM or SIGHUP stop the run, the hub and every
student's process and OS user. Writes build/bench/classroom.json with each bar of issue 18 checked.
Only loopback traffic.
Usage: python benchmarks/classroom.py [--students 30] [--browsers 2] [--stagger 2]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import statistics
import sys
import threading
import time
from pathlib import Path

import psutil
import yaml

from dmjak.paths import build_dir, repo_root
from dmjak.tooling.classroom.hub import STOP_SIGNALS, DetachedCheckout, NeedsRoot, current_branch, running_hub
from dmjak.tooling.classroom.links import COURSE_FOLDER
from dmjak.tooling.classroom.sizing import HELM_VALUES, PUBLISHED_KEYS, memory_per_student, sizing_markdown
from dmjak.tooling.classroom.student import CellAborted, KernelDied, Student, StudentError

sys.path.insert(0, str(repo_root() / "tests"))

NOTEBOOKS = ["00_start_here.ipynb", "05_baricitinib_cases.ipynb"]
# The 2-hour practical of instructors/guide.md, in its order.
PRACTICAL = [
    "00_start_here.ipynb",
    "01_dermatomyositis.ipynb",
    "02_interferon_jak_stat.ipynb",
    "05_baricitinib_cases.ipynb",
    "06_weighing_the_evidence.ipynb",
]
FLOOR_IMPORTS = "import ipykernel, pandas, altair, ipywidgets"
KILL_AT_CELL = 4  # the faulty student's kernel is killed before this cell of the cases notebook
# Idle culler settings for the run: short, so the cull fault happens within it, but longer than any
# single cell takes on a loaded machine (a running cell sends no activity to the hub until it ends).
CULL_TIMEOUT_S = 120
CULL_EVERY_S = 10
SHOTS = build_dir() / "screenshots"


def mb(value: float) -> float:
    return round(value / 2**20, 1)


def peak_rss(process: psutil.Process) -> float:
    """Peak resident memory (VmHWM) of a process, in bytes."""
    with open(f"/proc/{process.pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return float(line.split()[1]) * 1024
    return float(process.memory_info().rss)


def kernel_process(kernel_id: str) -> psutil.Process | None:
    for process in psutil.process_iter(["cmdline"]):
        if any(f"kernel-{kernel_id}" in a for a in process.info["cmdline"] or []):
            return process
    return None


def server_process(user: str) -> psutil.Process | None:
    for process in psutil.process_iter(["cmdline"]):
        cmdline = " ".join(process.info["cmdline"] or [])
        if "jupyterhub-singleuser" in cmdline:
            try:
                if process.environ().get("JUPYTERHUB_USER") == user:
                    return process
            except (psutil.AccessDenied, psutil.NoSuchProcess):
                continue
    return None


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))], 2)


def summary(values: list[float]) -> dict:
    return {"p50": round(statistics.median(values), 2), "p95": percentile(values, 0.95), "n": len(values)}


class Classroom:
    def __init__(self, hub, args, deadline: float):
        self.hub, self.args, self.deadline = hub, args, deadline
        self.repo, self.branch = str(repo_root()), current_branch()
        self.records: list[dict] = []
        self.failures: list[str] = []

    def student(self, name: str) -> Student:
        return Student(self.hub.url, name, self.hub.service_token, password=self.hub.password(name))

    async def kernel_peaks(self, student: Student) -> list[float]:
        peaks = []
        for kernel in student.kernels.values():
            process = kernel_process(kernel)
            if process is not None:
                peaks.append(mb(peak_rss(process)))
        return peaks

    async def websocket_student(self, index: int, faults: dict) -> None:
        name = f"student{index:02d}"
        student, record = self.student(name), {"name": name, "kind": "websocket"}
        start = time.monotonic()
        try:
            await student.log_in()
            await student.start_server(timeout=self.remaining())
            await student.pull(self.repo, self.branch)
            record["ready_s"] = time.monotonic() - start
            peaks = []
            for notebook in NOTEBOOKS:
                if faults.get("kill") == name and notebook == NOTEBOOKS[-1]:
                    record.update(await self.run_with_killed_kernel(student, notebook))
                else:
                    await student.run_all(notebook)
                peaks += await self.kernel_peaks(student)
                await student.shut_down_kernels()  # moving on to the next notebook closes the last one
            record["charts"] = dict(student.charts)
            record["kernel_peaks_mb"] = peaks
            server = server_process(name)
            record["server_mb"] = mb(peak_rss(server)) if server else None
            if faults.get("cull") == name:
                record.update(await self.culled_and_back(student))
            record["done_s"] = time.monotonic() - start
        except Exception as error:  # anything a student could not do is counted, never lost with its task
            self.failures.append(f"{name}: {type(error).__name__}: {error}")
            record["error"] = str(error)
        self.records.append(record)

    def remaining(self) -> float:
        """Seconds left before the bench's deadline: how long a student may wait for their server."""
        return max(1.0, self.deadline - time.monotonic())

    async def run_with_killed_kernel(self, student: Student, notebook: str) -> dict:
        """Kill the kernel mid-notebook; the student restarts it and runs the notebook again from the top."""
        killed = {}

        async def kill(nb, index):
            if index == KILL_AT_CELL and not killed:
                process = kernel_process(student.kernels[nb])
                killed["pid"] = process.pid
                process.send_signal(signal.SIGKILL)
                await asyncio.sleep(1)

        try:
            await student.run_all(notebook, cell_timeout=60, on_cell=kill)
            raise StudentError(f"{student.name}: the kernel was killed but the notebook ran on as if nothing happened")
        except (KernelDied, TimeoutError) as error:
            noticed = f"{type(error).__name__}: {error}"
        restarted_pid = await self.restarted_by_the_server(student, notebook, killed.get("pid"))
        try:
            await student.run_all(notebook)
            aborted = None
        except CellAborted as error:  # a request sent to the dead kernel reached the new one and failed there
            aborted = str(error)  # the student sees its error, clicks Run All again
            await student.run_all(notebook)
        return {
            "fault": "kernel killed",
            "killed_pid": killed.get("pid"),
            "noticed": noticed,
            "restarted_pid": restarted_pid,
            "first_run_after_restart_aborted": aborted,
            "recovered": True,
        }

    @staticmethod
    async def restarted_by_the_server(student: Student, notebook: str, killed_pid: int | None, timeout=90) -> int:
        """Wait, as JupyterLab's 'kernel restarting' notice asks, until the server has restarted the dead kernel
        by itself (a new process, idle). An explicit restart request meanwhile races the server's own restart."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            process = kernel_process(student.kernels[notebook])
            if process and process.pid != killed_pid and await student.kernel_state(notebook) == "idle":
                return process.pid
            await asyncio.sleep(0.5)
        raise StudentError(f"{student.name}: the server did not restart the killed kernel within {timeout} s")

    async def culled_and_back(self, student: Student) -> dict:
        """Save work, go idle until the culler stops the server, come back through the link: work still there."""
        notebook = NOTEBOOKS[0]
        content = await student.read_notebook(notebook)
        mark = f"My notes before the break ({student.name})."
        content["cells"].append({"cell_type": "markdown", "metadata": {}, "source": mark, "id": "student-notes"})
        await student.save_notebook(notebook, content)
        old_server = server_process(student.name)
        idle_since, limit = time.monotonic(), CULL_TIMEOUT_S + 4 * CULL_EVERY_S + 60
        while await student.server_running():
            if time.monotonic() - idle_since > limit:
                raise StudentError(f"{student.name}: the idle culler did not stop the server within {limit} s")
            await asyncio.sleep(2)
        culled_after = time.monotonic() - idle_since
        await student.start_server()
        await student.pull(self.repo, self.branch)  # the student clicks the same link again
        cells = (await student.read_notebook(notebook))["cells"]
        if not any(mark in "".join(c["source"]) for c in cells):
            raise StudentError(f"{student.name}: the saved notes were lost when the server was culled")
        new_server = server_process(student.name)
        if old_server is not None and new_server is not None and new_server.pid == old_server.pid:
            raise StudentError(f"{student.name}: the server was not replaced")
        await student.run_all(notebook)
        await student.shut_down_kernels()
        return {"fault": "server culled while idle", "culled_after_s": round(culled_after, 1), "work_kept": True}

    async def practical_worst_case(self) -> dict:
        """One student opens and runs every notebook of the practical and keeps them all open (the guide's
        worst case, before idle kernels are culled): their server's peak plus every kernel's peak."""
        student = self.student("practical")
        await student.log_in()
        await student.start_server()
        await student.pull(self.repo, self.branch)
        for notebook in PRACTICAL:
            await student.run_all(notebook)
        kernels = await self.kernel_peaks(student)
        server = mb(peak_rss(server_process(student.name)))
        await student.shut_down_kernels()
        await student._fetch(f"/hub/api/users/{student.name}/server", "DELETE", auth=self.hub.service_token)
        if len(kernels) != len(PRACTICAL):
            raise StudentError(f"practical: found {len(kernels)} kernels for {len(PRACTICAL)} open notebooks")
        return {
            "notebooks": len(PRACTICAL),
            "server": server,
            "kernels": kernels,
            "total": round(server + sum(kernels), 1),
        }

    async def floor_kernel(self) -> float:
        """Peak memory of a kernel that imports only ipykernel, pandas, altair and ipywidgets (same hub)."""
        student = self.student("floor")
        await student.log_in()
        await student.start_server()
        path = f"{COURSE_FOLDER}/notebooks/floor.ipynb"
        empty = {
            "cells": [
                {
                    "cell_type": "code",
                    "source": FLOOR_IMPORTS,
                    "metadata": {},
                    "outputs": [],
                    "execution_count": None,
                    "id": "floor",
                }
            ],
            "metadata": {},
            "nbformat": 4,
            "nbformat_minor": 5,
        }
        await student._json(f"/user/floor/api/contents/{COURSE_FOLDER}", "PUT", {"type": "directory"})
        await student._json(f"/user/floor/api/contents/{COURSE_FOLDER}/notebooks", "PUT", {"type": "directory"})
        await student._json(f"/user/floor/api/contents/{path}", "PUT", {"type": "notebook", "content": empty})
        await student.run_all("floor.ipynb")
        peak = await self.kernel_peaks(student)
        await student.shut_down_kernels()
        await student._fetch("/hub/api/users/floor/server", "DELETE")
        return peak[0]


def browser_student(
    hub_url: str,
    name: str,
    password: str,
    repo: str,
    branch: str,
    results: list,
    failures: list,
    drive: bool,
    deadline: float,
):
    """A student in real Chromium: the link, the login form, Run All in both notebooks, charts drawn.

    The spawn page shows the student's place in the queue for a boot slot; they wait on it until the
    bench's ``deadline`` (a ``time.monotonic()`` value)."""
    from browser import chart_of, chromium_page, control, slider_latencies, timed_redraw

    from dmjak.tooling.classroom.links import pull_link, urlpath

    record = {"name": name, "kind": "chromium"}
    SHOTS.mkdir(parents=True, exist_ok=True)
    with chromium_page() as page:
        try:
            start = time.monotonic()
            page.goto(pull_link(hub_url, repo, branch), timeout=120_000)
            page.locator("#username_input").fill(name)
            page.locator("#password_input").fill(password)
            page.locator("#login_submit").click()
            page.wait_for_selector(".jp-Notebook", timeout=max(1.0, deadline - time.monotonic()) * 1000)
            record["ready_s"] = time.monotonic() - start
            charts = {}
            for notebook in NOTEBOOKS:
                if notebook != NOTEBOOKS[0]:
                    page.goto(
                        f"{hub_url}/user/{name}/{urlpath(notebook)}?reset", timeout=120_000
                    )  # one notebook per page
                    page.wait_for_selector(".jp-Notebook", timeout=120_000)
                page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=120_000)
                charts[notebook] = wait_until_drawn(page, run_all_cells(page))
            record["time_to_all_charts_s"] = charts
            if drive:
                dropdown = control(page, "dropdown", "Patient")
                embed = chart_of(dropdown)
                select = dropdown.locator("select")
                samples = [
                    timed_redraw(page, embed, lambda c=c: select.select_option(c)) for c in ["P2", "P3", "P1"] * 7
                ]
                slider = control(page, "slider", "Weeks to half the improvement")
                samples += slider_latencies(page, slider, embed, 21)
                record["latency_ms"] = [round(s, 1) for s in samples if s is not None]
                if None in samples:
                    failures.append(f"{name}: {samples.count(None)} widget changes did not redraw within 10 s")
            page.screenshot(path=str(SHOTS / f"classroom-{name}.png"), full_page=False)
        except Exception as error:  # a browser failure is counted, never hidden
            shot = SHOTS / f"classroom-{name}-failed.png"
            with contextlib.suppress(Exception):
                page.screenshot(path=str(shot), full_page=False)
            failures.append(f"{name}: {type(error).__name__}: {str(error)[:500]} (see {shot})")
            record["error"] = str(error)[:500]
    results.append(record)


# The input prompts of code cells whose source shows: a collapsed (source-hidden) cell has an empty prompt.
_PROMPTS = "[...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].filter(p => p.textContent.trim() !== '')"
_ALL_RAN = (
    f"() => {{ const prompts = {_PROMPTS};"
    " return prompts.length > 0 && prompts.every(p => /\\[[\\d*]+\\]/.test(p.textContent)); }"
)


def run_all_cells(page, attempts: int = 3) -> float:
    """Run → Run All Cells until every code cell is queued or ran; return when the click that worked began.

    A click while the new kernel is still connecting is lost; the student (and this bench) clicks again.
    """
    for _ in range(attempts):
        started = time.monotonic()
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        try:
            page.wait_for_function(_ALL_RAN, timeout=30_000)
            return started
        except Exception:  # Playwright's timeout: dismiss any dialog or menu and click again
            page.keyboard.press("Escape")
    raise TimeoutError(f"Run All Cells did not start every cell after {attempts} attempts")


def wait_until_drawn(page, started: float, timeout: float = 240) -> float:
    """Seconds from Run All until every cell ran and every Vega view has SVG marks (stable for 1 s)."""
    deadline, drawn_at = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        embeds, drawn, running, unrun = page.evaluate(
            f"() => {{ const p = {_PROMPTS};"
            " return [document.querySelectorAll('.vega-embed').length,"
            " document.querySelectorAll('.vega-embed svg.marks').length,"
            " p.some(x => x.textContent.includes('*')), p.some(x => !/\\[\\d+\\]/.test(x.textContent))]; }"
        )
        if embeds and embeds == drawn and not running and not unrun:
            drawn_at = drawn_at or time.monotonic()
            if time.monotonic() - drawn_at >= 1:
                return round(drawn_at - started, 2)
        else:
            drawn_at = None
        time.sleep(0.2)
    raise TimeoutError(f"charts not all drawn within {timeout} s")


def conditions(load_before: tuple[float, float, float]) -> dict:
    """The machine the figures come from, and how busy other work kept it (load averages, 1 minute)."""
    return {
        "cores": psutil.cpu_count(),
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "load_before": round(load_before[0], 1),
        "load_after": round(os.getloadavg()[0], 1),
        "students_as_os_users": True,
    }


def bars(result: dict) -> dict:
    """Issue 18's bars for a class on one machine, each with the measured figure and whether it holds."""
    ratio, latency = result["charts_vs_solo"], result["widget_latency_ms"]
    checks = {
        "students_at_least_30": (result["students"], result["students"] >= 30),
        "no_failures": (result["failures"], result["failures"] == 0),
        "charts_p95_within_3x_solo": (ratio and ratio["p95"], bool(ratio and ratio["p95"] <= 3)),
        "kernel_peak_within_1_3x_floor": (result["kernel_vs_floor"], result["kernel_vs_floor"] <= 1.3),
        "widget_p50_within_100_ms": (latency and latency["p50"], bool(latency and latency["p50"] <= 100)),
        "widget_p95_within_250_ms": (latency and latency["p95"], bool(latency and latency["p95"] <= 250)),
        "practical_within_published_limit": (
            f"{result['practical_worst_case_mb']['total']} of {result['published_limit_mb']} MB",
            result["practical_worst_case_mb"]["total"] <= result["published_limit_mb"],
        ),
    }
    return {name: {"measured": measured, "holds": holds} for name, (measured, holds) in checks.items()}


async def run(args) -> dict:
    load_before = os.getloadavg()
    headless = args.students - args.browsers
    faults = {"kill": "student03", "cull": "student05"} if headless > 5 else {}
    settings = {
        "DMJAK_ACTIVITY_INTERVAL": "10",
        "DMJAK_CULL_TIMEOUT_S": str(CULL_TIMEOUT_S),
        "DMJAK_CULL_EVERY_S": str(CULL_EVERY_S),
        "DMJAK_CULL_ONLY": faults.get("cull", "nobody"),  # the short timeout is for the student who goes idle
    }
    with running_hub(state=args.state, settings=settings) as hub:
        started = time.monotonic()
        room = Classroom(hub, args, deadline=started + args.deadline)
        floor_mb = await room.floor_kernel()
        practical = await room.practical_worst_case()
        solo_results, solo_failures = await browsers(
            [("solo", False)], hub, room, started + args.deadline, stagger=0, wait_for=[]
        )
        browser_names = [(f"browser{i:02d}", i == 0) for i in range(args.browsers)]
        tasks = []
        for index in range(headless):
            tasks.append(asyncio.create_task(room.websocket_student(index, faults)))
            await asyncio.sleep(args.stagger)
        browser_results, browser_failures = await browsers(
            browser_names, hub, room, started + args.deadline, args.stagger, wait_for=tasks
        )
        wall = time.monotonic() - started
    records = room.records + browser_results
    failures = room.failures + solo_failures + browser_failures
    ok = [r for r in records if "error" not in r]
    kernels = [p for r in ok for p in r.get("kernel_peaks_mb", [])]
    servers = [r["server_mb"] for r in ok if r.get("server_mb")]
    charts = [s for r in ok for s in r.get("time_to_all_charts_s", {}).values()]
    latency = [s for r in ok for s in r.get("latency_ms", [])]
    solo = next((r.get("time_to_all_charts_s") for r in solo_results if "error" not in r), None)
    # each class student's time for a notebook over the solo student's time for the same notebook
    ratios = [t / solo[nb] for r in ok for nb, t in r.get("time_to_all_charts_s", {}).items() if solo]
    result = {
        "date": time.strftime("%Y-%m-%d"),
        "students": args.students,
        "browsers": args.browsers,
        "stagger_s": args.stagger,
        "failures": len(failures),
        "failure_messages": failures,
        "wall_s": round(wall, 1),
        "time_to_ready_s": summary([r["ready_s"] for r in ok if "ready_s" in r]),
        "time_to_all_charts_s": summary(charts) if charts else None,
        "solo_time_to_all_charts_s": solo,
        "charts_vs_solo": summary(ratios) if ratios else None,
        "widget_latency_ms": summary(latency) if latency else None,
        "kernel_mb": {"p50": round(statistics.median(kernels), 1), "max": max(kernels), "n": len(kernels)},
        "server_mb": {"p50": round(statistics.median(servers), 1), "max": max(servers), "n": len(servers)},
        "floor_kernel_mb": floor_mb,
        "kernel_vs_floor": round(max(kernels) / floor_mb, 2),
        "practical_worst_case_mb": practical,
        "published_limit_mb": published_limit_mb(),
        "conditions": conditions(load_before),
        "faults": [r for r in records if "fault" in r],
        "records": records + solo_results,
    }
    result["memory_per_student"] = memory_per_student(result)
    result["bars"] = bars(result)
    return result


def published_limit_mb() -> float:
    """The memory limit per student that the Helm values publish (what the practical must fit in)."""
    limit = str(yaml.safe_load(HELM_VALUES.read_text())["singleuser"]["memory"]["limit"])
    return float(limit.removesuffix("M"))


async def browsers(names, hub, room: Classroom, deadline: float, stagger: float, wait_for: list):
    """Chromium students joining ``stagger`` s apart, each in a thread of its own; wait (without blocking
    the event loop, so a signal still stops the run) until they and the ``wait_for`` tasks finish."""
    results, failures, threads = [], [], []
    for name, drive in names:
        args = (hub.url, name, hub.password(name), room.repo, room.branch, results, failures, drive, deadline)
        thread = threading.Thread(target=browser_student, args=args, daemon=True)
        thread.start()
        threads.append(thread)
        await asyncio.sleep(stagger)
    if wait_for:
        _, pending = await asyncio.wait(wait_for, timeout=max(1.0, deadline - time.monotonic()))
        for task in pending:
            task.cancel()
            room.failures.append("a student did not finish before the bench's deadline")
    while any(t.is_alive() for t in threads) and time.monotonic() < deadline:
        await asyncio.sleep(1)
    failures += ["a browser student did not finish before the bench's deadline" for t in threads if t.is_alive()]
    return results, failures


async def stoppable(args) -> dict:
    """``run`` that SIGINT, SIGTERM and SIGHUP cancel: the hub and every student's process and user go."""
    loop, task = asyncio.get_running_loop(), asyncio.current_task()
    for sig in STOP_SIGNALS:
        loop.add_signal_handler(sig, task.cancel, sig)
    return await run(args)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--browsers", type=int, default=2, help="how many of the students use Chromium")
    parser.add_argument("--stagger", type=float, default=2.5, help="seconds between two students joining")
    parser.add_argument("--deadline", type=float, default=1800, help="the bench stops itself after this")
    parser.add_argument("--state", type=Path, help="the hub's state and homes (default build/classroom)")
    args = parser.parse_args()
    if not 1 <= args.browsers <= 3 or args.students < args.browsers + 1:
        raise SystemExit("--browsers must be 1-3 and --students larger than --browsers")
    try:
        result = asyncio.run(stoppable(args))
    except (NeedsRoot, DetachedCheckout) as error:
        raise SystemExit(str(error)) from None
    except asyncio.CancelledError:
        print("Stopped: the hub, every student's server and the students' OS users are stopped and removed.")
        raise SystemExit(130) from None
    out = build_dir() / "bench" / "classroom.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    keys = [*PUBLISHED_KEYS[1:], "wall_s", "memory_per_student"]
    print(json.dumps({k: result[k] for k in keys if k in result}, indent=2))
    for message in result["failure_messages"]:
        print("FAILURE:", message)
    print("\n" + sizing_markdown(result))
    print(f"written to {out}")
    if result["failures"] or not all(bar["holds"] for bar in result["bars"].values()):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
