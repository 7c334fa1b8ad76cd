"""A real JupyterHub on loopback for rehearsing a class on one machine (``make classroom``).

``running_hub()`` starts JupyterHub with ``deploy/rehearsal/jupyterhub_config.py`` (each name logs in
with its own password derived from a secret, the lecturer with a separate one; one unprivileged OS user
per student with a private home under ``build/classroom/homes``; npm's configurable-http-proxy) on free
loopback ports, waits until it answers, and afterwards stops the hub, every process it started and every
OS user it created. It needs root (to create those users); the hub's state is readable by root alone.
``python -m dmjak.tooling.classroom.hub`` keeps one running and prints the nbgitpuller link that pulls the course
from this checkout into a student's home; Ctrl-C, SIGTERM or SIGHUP stop everything.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

from dmjak.paths import build_dir, cache_dir, repo_root
from dmjak.tooling.classroom.links import COURSE_FOLDER, pull_link, urlpath
from dmjak.tooling.classroom.rehearsal_login import LECTURER, seat_password
from dmjak.tooling.classroom.rehearsal_users import os_name, remove_users
from dmjak.tooling.classroom.student_limits import HUB_ABOVE_STUDENTS
from dmjak.tooling.servers import free_port, wait_until_answering
from dmjak.tooling.setup_cache import prepare as prepare_cache

CONFIG = repo_root() / "deploy" / "rehearsal" / "jupyterhub_config.py"
PROXY = repo_root() / "node_modules" / ".bin" / "configurable-http-proxy"
HUB_NICE = -HUB_ABOVE_STUDENTS
SEATS = 30  # seat passwords printed by make classroom (any other name's password: Hub.password)


@dataclass
class Hub:
    """A running hub: its public URL, the load test's service token, the login secrets, where homes are."""

    url: str
    service_token: str
    seat_secret: str
    lecturer_password: str
    user_prefix: str
    state: Path
    process: subprocess.Popen
    log: Path

    def password(self, user: str) -> str:
        """The password ``user`` logs in with (the lecturer's own, or the seat password of the name)."""
        return self.lecturer_password if user == LECTURER else seat_password(self.seat_secret, user)

    def seats(self, count: int = SEATS) -> list[tuple[str, str]]:
        """Names and passwords to hand out, one line per student."""
        return [(f"seat{n:02d}", self.password(f"seat{n:02d}")) for n in range(1, count + 1)]

    def home(self, user: str) -> Path:
        return self.state / "homes" / user

    def os_user(self, user: str) -> str:
        """The OS user a student's server and kernels run as."""
        return os_name(self.user_prefix, user)

    def link(self, notebook: str = "00_start_here.ipynb", interface: str = "lab") -> str:
        """The nbgitpuller link that pulls this checkout (committed HEAD of its branch) for a student."""
        return pull_link(self.url, str(repo_root()), current_branch(), notebook, interface)


class DetachedCheckout(RuntimeError):
    """The checkout is on no branch, so the students' link (which names a branch for nbgitpuller) cannot work."""


def current_branch(repo: Path | None = None) -> str:
    """The branch the checkout is on: the students' link pulls it."""
    repo = repo or repo_root()
    done = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "--abbrev-ref", "HEAD"], capture_output=True, text=True, check=True
    )
    branch = done.stdout.strip()
    if branch == "HEAD":
        raise DetachedCheckout(
            f"{repo} is on no branch (a detached checkout): nbgitpuller pulls a branch, so every student's pull "
            "would fail; put the commit on a branch first, e.g. `git switch -c rehearsal`"
        )
    return branch


def course_git_dirs() -> list[str]:
    """The paths git checks the owner of when a student clones this checkout (a worktree has two)."""
    git_dir = subprocess.run(
        ["git", "-C", str(repo_root()), "rev-parse", "--absolute-git-dir"], capture_output=True, text=True, check=True
    ).stdout.strip()
    return [str(repo_root()), str(repo_root() / ".git"), git_dir]


class NeedsRoot(RuntimeError):
    """The rehearsal creates one OS user per student, which only root can do, and they must reach the course."""


def world_reachable(path: Path) -> bool:
    """Whether a user with no special rights can reach ``path``: every folder on the way lets others enter."""
    for folder in [path, *path.parents]:
        if folder.is_dir() and not folder.stat().st_mode & 0o001:
            return False
    return path.exists() and bool(path.stat().st_mode & 0o004 or path.is_dir())


REACHABLE_PYTHON = (
    "Build the environment from a Python every user can run, from a checkout outside /root, e.g. "
    "`rm -rf .venv && make setup PYTHON=/usr/bin/python3.11` (Debian's) or a python:3.1x image's /usr/local/bin."
)


def unreachable_for_students() -> Path | None:
    """The first of this Python, its standard library and the checkout that the students' OS users cannot
    reach (their servers run this environment as those users), or None when they can reach all three."""
    for needed in (Path(os.path.realpath(sys.executable)), Path(sys.base_prefix) / "lib", repo_root()):
        if not world_reachable(needed):
            return needed
    return None


@contextlib.contextmanager
def running_hub(state: Path | None = None, port: int | None = None, fresh: bool = True, settings: dict | None = None):
    """Start the rehearsal hub, yield a ``Hub`` once it answers; always stop it, its processes and users."""
    needed = unreachable_for_students()
    if needed is not None:
        raise NeedsRoot(
            f"the students' OS users cannot reach {needed} (a folder on its path is private, such as /root, "
            f"where pyenv keeps its Pythons). {REACHABLE_PYTHON}"
        )
    if os.geteuid() != 0:
        raise NeedsRoot(
            "make classroom gives every student their own OS user (so no student can read another's files), "
            "which needs root: run it as root in a virtual machine or container, e.g. `sudo make classroom`"
        )
    if not PROXY.exists():
        raise FileNotFoundError(f"{PROXY} is missing: `npm ci` (run by make setup) installs configurable-http-proxy")
    current_branch()  # a detached checkout: say so before anything starts
    state = state or build_dir() / "classroom"
    state.parent.mkdir(parents=True, exist_ok=True)
    if not world_reachable(state.parent):
        raise NeedsRoot(
            f"the students' OS users cannot reach their homes under {state}: choose a folder every user may enter"
        )
    stop_leftover_hub(state)  # left by a run whose launcher was killed outright (SIGKILL, out of memory)
    remove_users(state / "os_users")
    if fresh:
        shutil.rmtree(state, ignore_errors=True)
    (state / "homes").mkdir(parents=True, exist_ok=True)
    state.chmod(0o711)  # students pass through to their homes but cannot list or read the hub's files
    (state / "homes").chmod(0o711)
    safe = "".join(f"\tdirectory = {d}\n" for d in course_git_dirs())
    (state / "student.gitconfig").write_text(f"[safe]\n{safe}")
    (state / "student.gitconfig").chmod(0o644)
    prepare_cache()  # as setup does: Vega's bundle and the tables' markers, never made by a student's kernel
    port = port or free_port()
    service_token, seat_secret, lecturer = secrets.token_hex(24), secrets.token_hex(32), secrets.token_urlsafe(18)
    user_prefix = f"dj{secrets.token_hex(3)}-"
    env = {
        **os.environ,
        "DMJAK_HUB_STATE": str(state),
        "DMJAK_HUB_PORT": str(port),
        "DMJAK_HUB_API_PORT": str(free_port()),
        "DMJAK_PROXY_API_PORT": str(free_port()),
        "DMJAK_PROXY_COMMAND": str(PROXY),
        "DMJAK_HUB_SERVICE_TOKEN": service_token,
        "DMJAK_HUB_SEAT_SECRET": seat_secret,
        "DMJAK_HUB_LECTURER_PASSWORD": lecturer,
        "DMJAK_HUB_USER_PREFIX": user_prefix,
        "DMJAK_DEFAULT_URL": "/" + urlpath(folder=COURSE_FOLDER),
        "DMJAK_CACHE_DIR": str(cache_dir()),
        **(settings or {}),
    }
    env.pop("DMJAK_RENDER", None)  # students get live charts, as in JupyterLab
    log = state / "jupyterhub.log"
    with open(os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as handle:
        process = subprocess.Popen(
            # The hub and its proxy serve every student: above the students' priority (their servers are
            # set back to 0, dmjak.tooling.classroom.student_limits), so 30 busy kernels cannot starve them into
            # timeouts (on Kubernetes they have pods and CPU of their own).
            ["nice", "-n", str(HUB_NICE), str(Path(sys.executable).parent / "jupyterhub"), "-f", str(CONFIG)],
            cwd=state,
            stdout=handle,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
            umask=0o077,  # the database, cookie secret and proxy files: root only
        )
    url = f"http://127.0.0.1:{port}"
    try:
        # Only the hub itself answers 200 here (the proxy alone answers 404 until its route is added).
        wait_until_answering(url + "/hub/api", 60, process, log, any_status=False)
        yield Hub(url, service_token, seat_secret, lecturer, user_prefix, state, process, log)
    finally:
        stop_everything(process, state, user_prefix)


def stop_leftover_hub(state: Path) -> None:
    """Stop the hub and proxy an earlier run left in ``state`` (its pid files), with every process they started:
    a hub whose launcher was killed outright runs on as root and would share this run's homes."""
    for pid_file in ("jupyterhub.pid", "jupyterhub-proxy.pid"):
        with contextlib.suppress(OSError, ValueError, psutil.Error):
            process = psutil.Process(int((state / pid_file).read_text()))
            if process.cwd() != str(state):  # the pid now belongs to something else
                continue
            for leftover in [*process.children(recursive=True), process]:
                with contextlib.suppress(psutil.Error):
                    leftover.kill()
            process.wait(timeout=10)


def stop_everything(process: subprocess.Popen, state: Path, user_prefix: str | None = None) -> None:
    """Stop the hub (it stops every student's server), then anything of the rehearsal still running, then
    delete the students' OS users. Signals that arrive meanwhile are ignored, so a second Ctrl-C cannot
    leave the job half done."""
    blocked = threading_main() and {s: signal.signal(s, signal.SIG_IGN) for s in STOP_SIGNALS}
    try:
        started = _family(process.pid)
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGTERM)  # the hub stops every student's server (cleanup_servers)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        for leftover in [*started, *_family(process.pid)]:  # the proxy, the culler, servers started meanwhile
            with contextlib.suppress(psutil.Error):
                leftover.kill()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        remove_users(state / "os_users", user_prefix)  # kills what the students still run, deletes them
    finally:
        if blocked:
            for sig, handler in blocked.items():
                signal.signal(sig, handler)


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def threading_main() -> bool:
    return threading.current_thread() is threading.main_thread()


def _family(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


class Stop(Exception):
    """SIGINT, SIGTERM or SIGHUP arrived: leave the ``with`` block so everything is stopped."""


def _raise_stop(signum, frame):
    raise Stop(signal.Signals(signum).name)


def main(state: Path | None = None) -> None:
    for sig in STOP_SIGNALS:  # a service manager or CI runner sends SIGTERM; a closed terminal SIGHUP
        signal.signal(sig, _raise_stop)
    try:
        with running_hub(state=state) as hub:
            print(
                f"JupyterHub for the classroom rehearsal is running at {hub.url} (loopback only).\n"
                "Give each student one seat (a name and its own password; nobody can log in as another seat):\n\n"
                + "".join(f"  {name}  {password}\n" for name, password in hub.seats())
                + f"\nThe lecturer (admin) logs in as '{LECTURER}' with the password {hub.password(LECTURER)}\n"
                "(keep it to yourself). After logging in, a student opens this nbgitpuller link:\n\n"
                f"  {hub.link()}\n\n"
                f"Presenter view (Voilà) for the lecturer:\n\n  {hub.link('05_baricitinib_cases.ipynb', 'voila')}\n\n"
                f"Each student runs as their own OS user ({hub.user_prefix}<name>, deleted when this stops) with a\n"
                f"private home in {hub.state / 'homes'}; log: {hub.log}. Stop with Ctrl-C.",
                flush=True,
            )
            while hub.process.poll() is None:
                time.sleep(1)
    except Stop as stop:
        print(f"{stop}: the hub, every student's server and the students' OS users are stopped and removed.")
    except (NeedsRoot, DetachedCheckout) as error:
        raise SystemExit(str(error)) from None


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--state", type=Path, help="where the hub keeps its state and homes (default build/classroom)")
    main(parser.parse_args().state)
