"""The rehearsal hub of ``make classroom``: a student gets the course and runs it; students are isolated.

The real software (JupyterHub, npm's configurable-http-proxy, nbgitpuller, a local single-user JupyterLab
running as the student's own OS user) on loopback. One student logs in, has the course pulled and runs the
start notebook; a second student's kernel then tries what the December review did from a notebook cell
(read and write another student's home, read the hub's secrets) and must fail; and ``make classroom``
stopped with SIGTERM must leave no process and no OS user behind. The 30-student load test is
``make classroom-bench``.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.cookiejar
import json
import os
import pwd
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid

import psutil
import pytest
import yaml
from conftest import skip_or_fail

from dmjak.paths import build_dir
from dmjak.tooling.classroom import hub as rehearsal
from dmjak.tooling.classroom.links import COURSE_FOLDER, PRESENTER_NOTEBOOK, urlpath
from dmjak.tooling.classroom.sizing import HELM_VALUES
from dmjak.tooling.classroom.student import Student, StudentError

pytestmark = pytest.mark.xdist_group("hub")


def can_run_rehearsal() -> None:
    if not rehearsal.PROXY.exists():
        skip_or_fail("configurable-http-proxy is not installed in node_modules", "Run `npm ci` (make setup does).")
    if os.geteuid() != 0:
        skip_or_fail("the rehearsal creates one OS user per student, which needs root", "Run the tests as root.")
    # The students' servers and processes run this environment's Python as other OS users: a Python they
    # cannot reach (pyenv's, under /root) cannot run these tests, only one every user can run (Debian's
    # /usr/bin/python3.11 in .ci/run, python:3.1x images' /usr/local/bin in the scheduled workflow).
    needed = rehearsal.unreachable_for_students()
    if needed is not None:
        skip_or_fail(f"the students' OS users cannot reach {needed}", rehearsal.REACHABLE_PYTHON)


@pytest.fixture
def state_dir():
    """A state folder the students' users can pass through (pytest's own temporary folders are private)."""
    state = build_dir() / "test-classroom" / uuid.uuid4().hex[:8]
    yield state
    shutil.rmtree(state, ignore_errors=True)


@pytest.fixture(scope="module")
def running():
    can_run_rehearsal()
    state = build_dir() / "test-classroom" / uuid.uuid4().hex[:8]
    with rehearsal.running_hub(state=state) as hub:
        yield hub
    shutil.rmtree(state, ignore_errors=True)
    assert not [u for u in pwd.getpwall() if u.pw_name.startswith(hub.user_prefix)], "the students' users are removed"


def student(hub, name: str) -> Student:
    return Student(hub.url, name, hub.service_token, password=hub.password(name))


def test_a_student_logs_in_gets_the_course_pulled_and_runs_the_start_notebook(running):
    student_ = student(running, "ada")

    async def attend():
        await student_.log_in()
        await student_.start_server()
        await student_.pull(str(rehearsal.repo_root()), rehearsal.current_branch())
        charts = await student_.run_all("00_start_here.ipynb")
        await student_.shut_down_kernels()
        return charts

    charts = asyncio.run(attend())
    assert charts >= 1, "the start notebook's planner chart was shown as a live chart widget"
    # The presenter link on the hub renders with the course's presenter template (review L05).
    page = asyncio.run(student_._fetch(f"/user/ada/{urlpath(PRESENTER_NOTEBOOK, 'voila')}", timeout=300))
    assert page.code == 200 and b"widget" in page.body
    assert b"Pick a patient for the charts below" not in page.body, "setup cells stay hidden on the projector"
    pulled = running.home("ada") / COURSE_FOLDER / "notebooks" / "00_start_here.ipynb"
    assert pulled.is_file(), "nbgitpuller put the course into the student's own home"
    assert (running.home("ada") / COURSE_FOLDER / ".git").is_dir()


# What the review ran in a notebook cell as "alice" (L06), as one check per line of output.
ATTACK = """
import glob, json, os, pathlib
other, state = pathlib.Path({other!r}), pathlib.Path({state!r})
def attempt(action):
    try:
        action()
        return "allowed"
    except OSError as error:
        return type(error).__name__
tokens, others = [], 0
for environ in glob.glob("/proc/[0-9]*/environ"):
    try:
        if os.stat(os.path.dirname(environ)).st_uid == os.getuid():
            continue  # this student's own processes hold only this student's token
        others += 1
        text = open(environ, "rb").read().decode(errors="replace")
    except OSError:
        continue
    tokens += [v.split("=")[0] for v in text.split("\\0") if "TOKEN=" in v]
print(json.dumps({{
    "uid": os.getuid(),
    "own_home": attempt(lambda: os.listdir(os.path.expanduser("~"))),
    "list_other_home": attempt(lambda: os.listdir(other)),
    "read_other_notebook": attempt(lambda: open(other / "dmjak-course/notebooks/00_start_here.ipynb").read()),
    "write_other_home": attempt(lambda: open(other / "was_here.txt", "w").write("x")),
    "list_hub_state": attempt(lambda: os.listdir(state)),
    "read_cookie_secret": attempt(lambda: open(state / "jupyterhub_cookie_secret").read()),
    "read_hub_database": attempt(lambda: open(state / "jupyterhub.sqlite", "rb").read()),
    "read_hub_log": attempt(lambda: open(state / "jupyterhub.log").read()),
    "other_processes": others,
    "tokens_of_other_processes": tokens,
}}))
"""


def test_a_students_kernel_cannot_reach_another_students_files_or_the_hubs_secrets(running):
    ada, bob = student(running, "ada"), student(running, "bob")

    async def attack():
        for one in (ada, bob):
            await one.log_in()
            await one.start_server()
        await ada.pull(str(rehearsal.repo_root()), rehearsal.current_branch())
        code = ATTACK.format(other=str(running.home("ada")), state=str(running.state))
        return await bob.execute(code)

    printed = asyncio.run(attack())
    result = json.loads(printed.strip().splitlines()[-1])
    ada_user, bob_user = pwd.getpwnam(running.os_user("ada")), pwd.getpwnam(running.os_user("bob"))
    assert result["uid"] == bob_user.pw_uid and result["uid"] not in (0, ada_user.pw_uid)
    assert result["own_home"] == "allowed", "the student can use their own home (the check itself works)"
    for attempt in ("list_other_home", "read_other_notebook", "write_other_home"):
        assert result[attempt] == "PermissionError", (attempt, result)
    for attempt in ("list_hub_state", "read_cookie_secret", "read_hub_database", "read_hub_log"):
        assert result[attempt] == "PermissionError", (attempt, result)
    assert result["other_processes"] > 0, "the hub, the proxy and the other student's server were looked at"
    assert result["tokens_of_other_processes"] == [], "no other process's token is readable"
    assert not (running.home("ada") / "was_here.txt").exists()
    for process in server_of(running.process.pid):  # this hub's (other work on the machine runs its own)
        assert process.uids().real != 0, "no student's server runs as root"


def test_the_hub_refuses_a_student_it_does_not_know_and_listens_on_loopback_only(running):
    assert running.url.startswith("http://127.0.0.1:")
    stranger = Student(running.url, "nobody", running.service_token)
    with pytest.raises(StudentError, match="-> 404"):
        asyncio.run(stranger._json("/hub/api/users/nobody", auth=running.service_token))
    with pytest.raises(StudentError, match="login refused"):  # a name with no password, or a wrong one
        asyncio.run(Student(running.url, "mallory", running.service_token, password="guess").log_in())
    # The name of an OS account (root) is only a hub name: its server runs as a new unprivileged user.
    impostor = student(running, "root")

    async def as_root():
        await impostor.log_in()
        await impostor.start_server()
        return await impostor.execute("import os, pwd; print(os.getuid(), pwd.getpwuid(os.getuid()).pw_name)")

    uid, name = asyncio.run(as_root()).split()
    assert int(uid) >= 1000 and name == running.os_user("root") != "root"


def test_a_student_cannot_log_in_as_another_student_or_the_lecturer_with_their_own_password(running):
    """Issue 18, finding 1: with one shared password, ada logged in as bob and as the admin."""
    own = running.password("ada")
    assert len({own, running.password("bob"), running.password("lecturer")}) == 3
    for other in ("bob", "lecturer"):
        with pytest.raises(StudentError, match="login refused"):
            asyncio.run(Student(running.url, other, running.service_token, password=own).log_in())
    asyncio.run(student(running, "lecturer").log_in())  # the lecturer's own password works
    asyncio.run(student(running, "ada").log_in())


def test_the_link_printed_by_make_classroom_pulls_this_checkout_into_the_course_folder(running):
    link = running.link()
    assert link.startswith(running.url + "/hub/user-redirect/git-pull?")
    assert f"targetpath={COURSE_FOLDER}" in link
    assert "urlpath=lab%2Ftree%2Fdmjak-course%2Fnotebooks%2F00_start_here" in link


def test_sigterm_stops_every_process_of_make_classroom_and_removes_the_students_users(state_dir):
    can_run_rehearsal()
    state = state_dir
    launcher = subprocess.Popen(
        [sys.executable, "-m", "dmjak.tooling.classroom.hub", "--state", str(state)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        banner = ""
        deadline = time.monotonic() + 120
        while "Stop with Ctrl-C" not in banner and time.monotonic() < deadline and launcher.poll() is None:
            banner += launcher.stdout.readline()
        assert "Stop with Ctrl-C" in banner, banner
        url = banner.split("is running at ", 1)[1].split(" ", 1)[0]
        seat, password = banner.split("nobody can log in as another seat):", 1)[1].split()[:2]
        prefix = banner.split("own OS user (", 1)[1].split("<name>", 1)[0]
        assert seat == "seat01" and "lecturer" in banner
        start_server_in_browser(url, seat, password)
        deadline = time.monotonic() + 120
        while not server_of(launcher.pid) and time.monotonic() < deadline:
            time.sleep(1)
        assert server_of(launcher.pid), "a student's server runs"
        family = psutil.Process(launcher.pid).children(recursive=True)
        launcher.send_signal(signal.SIGTERM)
        out, _ = launcher.communicate(timeout=120)
        assert "SIGTERM" in out
        gone, alive = psutil.wait_procs(family, timeout=10)
        assert not alive, f"left running after SIGTERM: {[p.cmdline() for p in alive]}"
        assert not [u for u in pwd.getpwall() if u.pw_name.startswith(prefix)], "the students' OS users are removed"
    finally:
        if launcher.poll() is None:
            os.killpg(launcher.pid, signal.SIGKILL)


def server_of(pid: int) -> list[psutil.Process]:
    """The students' servers among ``pid``'s descendants (processes may end while they are looked at)."""
    servers = []
    with contextlib.suppress(psutil.NoSuchProcess):
        for process in psutil.Process(pid).children(recursive=True):
            with contextlib.suppress(psutil.Error):
                if "jupyterhub-singleuser" in " ".join(process.cmdline()):
                    servers.append(process)
    return servers


def start_server_in_browser(url: str, name: str, password: str) -> None:
    """What a browser does: the login form (with its XSRF cookie), then the hub's spawn page."""
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    browser.open(f"{url}/hub/login", timeout=30).read()
    xsrf = next(c.value for c in jar if c.name == "_xsrf")
    form = urllib.parse.urlencode({"username": name, "password": password, "_xsrf": xsrf}).encode()
    browser.open(urllib.request.Request(f"{url}/hub/login?next=%2Fhub%2Fspawn", data=form), timeout=60).read()


LIMITS_PROBE = r"""
import json, subprocess, sys, threading, time
hog = subprocess.run([sys.executable, "-c", "b = bytearray({over}); b[::4096] = b'x' * len(b[::4096]); print('kept')"],
                     capture_output=True, text=True)
fits = subprocess.run([sys.executable, "-c", "b = bytearray(200 * 2**20); b[::4096] = b'x' * len(b[::4096])"])
stop, started = threading.Event(), 0
try:
    for _ in range({threads}):
        threading.Thread(target=stop.wait, daemon=True).start()
        started += 1
except RuntimeError:
    pass
stop.set()
from dmjak.tooling import memory_guard
group = memory_guard.memory_cgroup()
print(json.dumps({{"hog": hog.returncode, "hog_out": hog.stdout, "fits": fits.returncode, "threads": started,
                  "cgroup": open("/proc/self/cgroup").read(), "guard": [str(group.folder), group.limit()]}}))
"""


def test_a_student_cannot_take_more_memory_or_processes_than_the_limit(running):
    """Issue 18, IT finding 5: a kernel allocated and touched 1300 MB (limit 896 MB) and kept it; nothing
    capped a student's processes. Now the student's cgroup stops the process over the memory limit and
    refuses threads beyond the task limit, while the same student's normal use goes on."""
    from dmjak.tooling.classroom.student_limits import TASKS

    carol = student(running, "carol")

    async def probe():
        await carol.log_in()
        await carol.start_server()
        return await carol.execute(LIMITS_PROBE.format(over=1300 * 2**20, threads=TASKS + 100), timeout=120)

    result = json.loads(asyncio.run(probe()).strip().splitlines()[-1])
    assert result["hog"] == -signal.SIGKILL and "kept" not in result["hog_out"], result
    assert result["fits"] == 0, "200 MB, well under the limit, is allowed"
    assert 50 < result["threads"] < TASKS, result["threads"]
    assert "dmjak-" in result["cgroup"], result["cgroup"]
    folder, limit = result["guard"]  # the memory notice reads the student's own group (the old one read none)
    published = yaml.safe_load(HELM_VALUES.read_text())["singleuser"]["memory"]["limit"]
    assert f"/{carol.name}" in folder and limit == int(published.removesuffix("M")) * 2**20, result["guard"]


def test_stopping_the_rehearsal_kills_a_process_that_keeps_changing_its_pid(state_dir):
    """Issue 18, IT finding 6: a student's process that forks and exits in a loop survived the one-snapshot
    kill and ran on, as a uid with no account, after the rehearsal stopped."""
    from dmjak.tooling.classroom import rehearsal_users

    can_run_rehearsal()
    state_dir.mkdir(parents=True)
    registry, prefix = state_dir / "os_users", f"dj{uuid.uuid4().hex[:6]}-"
    entry = rehearsal_users._create(prefix + "hopper", state_dir / "hopper", registry)
    hop = (
        "import os, time\nend = time.time() + 60\nwhile time.time() < end:\n"
        "    if os.fork(): os._exit(0)\n    time.sleep(0.002)\n"
    )
    subprocess.Popen([sys.executable, "-c", hop], user=entry.pw_uid, group=entry.pw_gid, start_new_session=True)
    time.sleep(1)
    # (most of its pids are already exited zombies waiting to be reaped: look at every state here)
    assert [p for p in psutil.process_iter(["uids"]) if entry.pw_uid in (p.info["uids"] or ())], "the hopper runs"
    leftover, lock = f"/tmp/dmjak-test-left-by-{prefix}", f"/run/lock/dmjak-test-left-by-{prefix}"
    for path in (leftover, lock):
        with open(path, "w"):
            pass
        os.chown(path, entry.pw_uid, entry.pw_gid)
    # IT attack 2, finding 5: System V shared memory outlives the student's processes and their account
    shm = "import ctypes; print(ctypes.CDLL(None).shmget(0, 1 << 20, 0o1600))"  # IPC_PRIVATE, IPC_CREAT|0600
    made = subprocess.run([sys.executable, "-c", shm], user=entry.pw_uid, group=entry.pw_gid, capture_output=True)
    segment = made.stdout.decode().strip()
    assert int(segment) >= 0 and segment in shm_segments_of(entry.pw_uid), made
    try:
        rehearsal_users.remove_users(registry)
        time.sleep(1)
        assert not rehearsal_users.processes_of(entry.pw_uid), "a process of the removed student still runs"
        assert not os.path.lexists(leftover), "the student's file in /tmp is removed (its uid is reused later)"
        assert not os.path.lexists(lock), "and in /run/lock"
        assert segment not in shm_segments_of(entry.pw_uid), "the student's shared memory is removed"
        home = (state_dir / "hopper").stat()
        assert (home.st_uid, home.st_mode & 0o777) == (0, 0o700), "root's: the uid's next owner cannot read it"
        with pytest.raises(KeyError):
            pwd.getpwnam(entry.pw_name)
    finally:
        with contextlib.suppress(Exception):  # if the test failed half-way: the hopper and its user go anyway
            rehearsal_users.kill_processes_of(entry)
            subprocess.run(["userdel", entry.pw_name], check=False, capture_output=True)
        for path in (leftover, lock):
            with contextlib.suppress(OSError):
                os.unlink(path)
        rehearsal_users.remove_ipc({entry.pw_uid})


def shm_segments_of(uid: int) -> list[str]:
    rows = [row.split() for row in open("/proc/sysvipc/shm").read().splitlines()[1:]]
    return [row[1] for row in rows if int(row[7]) == uid]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_the_class_bench_stops_on_ctrl_c_or_sigterm_and_leaves_nothing_running(sig, state_dir):
    """Issue 18: Ctrl-C did not stop ``make classroom-bench`` (its waits blocked the loop that handles it),
    and SIGTERM ended it without stopping the hub, the students' servers or their OS users."""
    can_run_rehearsal()
    bench = subprocess.Popen(
        [sys.executable, str(rehearsal.repo_root() / "benchmarks" / "classroom.py")]
        + ["--students", "2", "--browsers", "1", "--state", str(state_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    try:
        deadline = time.monotonic() + 300
        while not server_of(bench.pid) and time.monotonic() < deadline and bench.poll() is None:
            time.sleep(1)
        servers = server_of(bench.pid)
        assert servers, "a student's server of the bench runs"
        prefix = servers[0].username().split("-", 1)[0] + "-"
        family = psutil.Process(bench.pid).children(recursive=True)
        os.killpg(bench.pid, sig)  # what the terminal does on Ctrl-C; a service manager sends SIGTERM
        out, _ = bench.communicate(timeout=180)
        assert bench.returncode == 130 and "Stopped" in out, out[-2000:]
        gone, alive = psutil.wait_procs(family, timeout=10)
        assert not alive, f"left running: {[p.cmdline() for p in alive]}"
        assert not [u for u in pwd.getpwall() if u.pw_name.startswith(prefix)], "the students' OS users are removed"
    finally:
        if bench.poll() is None:
            os.killpg(bench.pid, signal.SIGKILL)
