"""One unprivileged OS user per student of the classroom rehearsal (``make classroom``).

``StudentSpawner`` is JupyterHub's local-process spawner with one change: the student ``ada`` runs as the
OS user ``<prefix>ada`` (the prefix is new for every run, so no real account is ever used), created on
first spawn with a private home (mode 0700) and no login shell. The hub runs as root only to switch to
that user; it refuses to spawn anything as root or as an account this run did not create. Every user it
creates is listed in a root-only file, from which ``remove_users`` deletes them when the rehearsal ends.
Each server runs in the student's own cgroup (dmjak.tooling.classroom.student_limits: memory, processes, CPU).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import pwd
import shutil
import subprocess
import sys
import time
from pathlib import Path

import psutil
from jupyterhub.spawner import LocalProcessSpawner, set_user_setuid
from tornado.httpclient import AsyncHTTPClient, HTTPClientError
from traitlets import Integer, Unicode

from dmjak.tooling.classroom.student_limits import Limits

MARK = "dmjak classroom rehearsal"  # the GECOS field of every user the rehearsal creates
FIRST_UID = 1000  # below this, accounts belong to the system


class SpawnRefused(RuntimeError):
    """The spawner would have started a server as root or as someone else's account."""


def os_name(prefix: str, student: str) -> str:
    return f"{prefix}{student}"


def _create(name: str, home: Path, registry: Path) -> pwd.struct_passwd:
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        subprocess.run(
            ["useradd", "--home-dir", str(home), "--no-create-home", "--shell", "/usr/sbin/nologin"]
            + ["--comment", MARK, "--user-group", name],
            check=True,
            capture_output=True,
        )
        with open(registry, "a") as handle:
            handle.write(name + "\n")
        entry = pwd.getpwnam(name)
    if entry.pw_gecos != MARK or entry.pw_uid < FIRST_UID or entry.pw_dir != str(home):
        raise SpawnRefused(f"OS user {name!r} exists and was not created by this rehearsal; refusing to use it")
    home.mkdir(parents=True, exist_ok=True)
    os.chown(home, entry.pw_uid, entry.pw_gid)
    home.chmod(0o700)
    return entry


class StudentSpawner(LocalProcessSpawner):
    """A local JupyterLab process as the student's own unprivileged OS user, home private to them."""

    user_prefix = Unicode(help="prefix of the OS user names of this run, e.g. 'dj3f2a1c-'").tag(config=True)
    homes = Unicode(help="directory that holds each student's home").tag(config=True)
    registry = Unicode(help="root-only file listing the OS users this run created").tag(config=True)

    boot_slots = Integer(
        4,
        help="servers that may boot at once; the rest wait their turn. A boot is CPU-bound (JupyterLab's "
        "imports): 30 booting together on 2 cores each took over 2 minutes and timed out, while one at a "
        "time boots in seconds. On Kubernetes each server boots on CPU of its own.",
    ).tag(config=True)

    _lock = asyncio.Lock()  # useradd locks /etc/passwd: one at a time
    _booting: asyncio.Semaphore | None = None
    _limits: Limits | None = None

    @property
    def os_user(self) -> str:
        return os_name(self.user_prefix, self.user.name)

    @property
    def limits(self) -> Limits:
        if StudentSpawner._limits is None:
            StudentSpawner._limits = Limits.detect(run_name(self.user_prefix), int(self.mem_limit))
            if not StudentSpawner._limits.version:
                self.log.warning("no writable cgroup: each process's memory is capped, not each student's total")
        return StudentSpawner._limits

    async def start(self):
        async with self._lock:
            home = Path(self.homes) / self.user.name
            entry = await asyncio.to_thread(_create, self.os_user, home, Path(self.registry))
        if entry.pw_uid == 0 or entry.pw_gid == 0:
            raise SpawnRefused(f"refusing to start {self.user.name}'s server as root")
        self.limits.create(self.user.name)
        if StudentSpawner._booting is None:
            StudentSpawner._booting = asyncio.Semaphore(self.boot_slots)
        async with StudentSpawner._booting:  # the slot is held until the server answers
            ip, port = await super().start()
            await self._answering(f"http://{ip}:{port}{self.server.base_url}api")
        return ip, port

    async def _answering(self, url: str) -> None:
        """Wait until the new server answers (or exits, or ``http_timeout`` passes: the hub then reports it)."""
        deadline = time.monotonic() + self.http_timeout
        while time.monotonic() < deadline and await self.poll() is None:
            try:
                await AsyncHTTPClient().fetch(url, request_timeout=5)
                return
            except HTTPClientError as error:
                if error.code != 599:  # an HTTP answer of any kind: the server is up
                    return
            except OSError:
                pass
            await asyncio.sleep(0.5)

    def make_preexec_fn(self, name):
        become_student, limits, student = set_user_setuid(self.os_user), self.limits, self.user.name

        def preexec():
            limits.enter(student)  # still root: join the student's cgroup
            become_student()

        return preexec

    def user_env(self, env):
        entry = pwd.getpwnam(self.os_user)
        env.update(USER=self.os_user, HOME=entry.pw_dir, SHELL=entry.pw_shell)
        return env


def created_users(registry: Path) -> list[pwd.struct_passwd]:
    """The OS users listed in ``registry`` that still exist and carry the rehearsal's mark."""
    if not registry.is_file():
        return []
    users = []
    for name in dict.fromkeys(registry.read_text().split()):
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            continue
        if entry.pw_gecos == MARK and entry.pw_uid >= FIRST_UID:
            users.append(entry)
    return users


def run_name(user_prefix: str) -> str:
    """The folder of one run's cgroups, e.g. 'dmjak-dj3f2a1c' for the prefix 'dj3f2a1c-'."""
    return "dmjak-" + user_prefix.strip("-")


class CleanupFailed(RuntimeError):
    """A student's processes or user could not be removed: the registry is kept for the next run."""


def processes_of(uid: int) -> list[psutil.Process]:
    """Every live process whose real, effective or saved uid is ``uid`` (a zombie runs nothing)."""
    return [
        p
        for p in psutil.process_iter(["uids", "status"])
        if p.info["uids"] and uid in p.info["uids"] and p.info["status"] != psutil.STATUS_ZOMBIE
    ]


# Run as the student: kill(-1) signals every process the student may signal, in one step of the kernel,
# so a process that forks or changes its pid meanwhile cannot slip through (a scan-then-kill can miss it).
_KILL_ALL = (
    "import os, signal\n"
    "assert os.getuid() and os.geteuid()\n"
    "try: os.kill(-1, signal.SIGKILL)\n"
    "except ProcessLookupError: pass"
)


def kill_processes_of(entry: pwd.struct_passwd, timeout: float = 20) -> None:
    """SIGKILL everything the student's OS user runs, again until nothing of theirs is left."""
    if entry.pw_uid < FIRST_UID:
        raise SpawnRefused(f"refusing to kill the processes of system account {entry.pw_name!r}")
    deadline = time.monotonic() + timeout
    while processes_of(entry.pw_uid):
        if time.monotonic() > deadline:
            left = [p.pid for p in processes_of(entry.pw_uid)]
            raise CleanupFailed(f"processes of {entry.pw_name} still running after {timeout} s: {left}")
        subprocess.run(
            [sys.executable, "-c", _KILL_ALL], user=entry.pw_uid, group=entry.pw_gid, extra_groups=[], check=False
        )
        time.sleep(0.1)


def remove_temporary_files(uids: set[int], folders=("/tmp", "/var/tmp", "/dev/shm")) -> None:
    """Delete what the students left in the shared temporary folders (a later run may reuse their uids)."""
    for folder in map(Path, folders):
        with contextlib.suppress(OSError):
            for entry in folder.iterdir():
                with contextlib.suppress(OSError):
                    if entry.lstat().st_uid in uids:
                        if entry.is_dir() and not entry.is_symlink():
                            shutil.rmtree(entry, ignore_errors=True)
                        else:
                            entry.unlink()


def remove_users(registry: Path, user_prefix: str | None = None) -> None:
    """Stop whatever the rehearsal's users still run, remove their cgroups and temporary files, then delete
    those users and their groups. Raises ``CleanupFailed`` (keeping the registry) if any of it cannot finish."""
    users = created_users(registry)
    for entry in users:
        kill_processes_of(entry)
    remove_temporary_files({u.pw_uid for u in users})
    for entry in users:
        for _ in range(10):  # userdel refuses while a killed process has not yet been reaped
            if subprocess.run(["userdel", entry.pw_name], capture_output=True).returncode in (0, 6):
                break
            kill_processes_of(entry)
            time.sleep(0.2)
        else:
            raise CleanupFailed(f"userdel {entry.pw_name} kept failing; the list of users stays in {registry}")
    if user_prefix:
        Limits.detect(run_name(user_prefix), 0).remove_all()
    registry.unlink(missing_ok=True)
