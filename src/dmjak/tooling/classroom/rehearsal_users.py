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
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import psutil
from jupyterhub.spawner import LocalProcessSpawner, set_user_setuid
from jupyterhub.traitlets import ByteSpecification
from jupyterhub.utils import maybe_future, random_port, utcnow
from tornado.httpclient import AsyncHTTPClient, HTTPClientError
from traitlets import Integer, Unicode

from dmjak.tooling.classroom.student_limits import Limits

MARK = "dmjak classroom rehearsal"  # the GECOS field of every user the rehearsal creates
FIRST_UID = 1000  # below this, accounts belong to the system
BOOT_ATTEMPTS = 3  # a server whose port was taken before it bound it exits; it starts again on another


class BootQueue:
    """Servers boot a few at a time; the others wait their turn in the order they asked."""

    def __init__(self, slots: int):
        self._slots, self._waiting = asyncio.Semaphore(slots), []

    async def wait_turn(self, name: str) -> None:
        self._waiting.append(name)
        try:
            await self._slots.acquire()
        finally:
            self._waiting.remove(name)

    def ahead_of(self, name: str) -> int | None:
        """How many wait before ``name`` (None: not waiting)."""
        return self._waiting.index(name) if name in self._waiting else None

    def release(self) -> None:
        self._slots.release()


def listens(pid: int | None, port: int) -> bool:
    """Whether process ``pid`` itself listens on TCP ``port``."""
    try:
        return any(
            c.status == psutil.CONN_LISTEN and c.laddr.port == port
            for c in psutil.Process(pid).net_connections(kind="tcp")
        )
    except (psutil.Error, ValueError):
        return False


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

    file_size_limit = ByteSpecification(
        None, allow_none=True, help="the largest file a student's process may write (None: no limit)"
    ).tag(config=True)
    boot_slots = Integer(
        4,
        help="servers that may boot at once; the rest wait their turn in arrival order. A boot is CPU-bound "
        "(JupyterLab's imports): 30 booting together on 2 cores each took over 2 minutes and timed out, while "
        "one at a time boots in seconds. On Kubernetes each server boots on CPU of its own.",
    ).tag(config=True)

    _lock = asyncio.Lock()  # useradd locks /etc/passwd: one at a time
    _queue: BootQueue | None = None
    _limits: Limits | None = None
    _ports: set[int] = set()  # ports given to this hub's servers, so no two students get the same one
    _holds_slot = False

    @property
    def os_user(self) -> str:
        return os_name(self.user_prefix, self.user.name)

    @property
    def limits(self) -> Limits:
        if StudentSpawner._limits is None:
            StudentSpawner._limits = Limits.detect(
                run_name(self.user_prefix), int(self.mem_limit), self.file_size_limit or resource.RLIM_INFINITY
            )
            if not StudentSpawner._limits.version:
                self.log.warning("no writable cgroup: each process's memory is capped, not each student's total")
        return StudentSpawner._limits

    @property
    def queue(self) -> BootQueue:
        if StudentSpawner._queue is None:
            StudentSpawner._queue = BootQueue(self.boot_slots)
        return StudentSpawner._queue

    async def run_pre_spawn_hook(self):
        """Wait for a boot slot here, before ``start``: the hub's ``start_timeout`` then times the boot
        alone, not the wait in the queue (a student late in a class of 30 is queued, not failed)."""
        await maybe_future(super().run_pre_spawn_hook())
        await self.queue.wait_turn(self.user.name)
        self._holds_slot = True

    async def progress(self):
        """What the spawn page shows while the student waits in the queue."""
        while (ahead := self.queue.ahead_of(self.user.name)) is not None:
            yield {"progress": 10, "message": f"Waiting for a free boot slot: {ahead} student(s) ahead of you"}
            await asyncio.sleep(2)
        yield {"progress": 50, "message": "Your server is booting"}

    async def start(self):
        try:
            async with self._lock:
                home = Path(self.homes) / self.user.name
                entry = await asyncio.to_thread(_create, self.os_user, home, Path(self.registry))
            if entry.pw_uid == 0 or entry.pw_gid == 0:
                raise SpawnRefused(f"refusing to start {self.user.name}'s server as root")
            self.limits.create(self.user.name, entry.pw_gid)
            for _ in range(BOOT_ATTEMPTS):
                self._release_port()
                self.port = self._claim_port()
                ip, port = await super().start()
                if await self._answering(f"http://{ip}:{port}{self.server.base_url}api"):
                    # the student waited in the queue since asking; they are active from now on
                    self.orm_spawner.last_activity = utcnow(with_tz=False)
                    return ip, port
                if await self.poll() is None:  # running, but not listening in time: stop it, the hub reports
                    await super().stop(now=True)
                    raise TimeoutError(f"{self.user.name}'s server did not listen within {self.start_timeout} s")
                self.log.warning("%s's server exited before it listened on %s; starting it again", self.user.name, port)
            raise RuntimeError(f"{self.user.name}'s server exited {BOOT_ATTEMPTS} times before it listened")
        finally:
            self._leave_slot()

    async def stop(self, now=False):
        self._leave_slot()  # a start cancelled after the slot was taken
        await super().stop(now=now)
        self._release_port()

    def _leave_slot(self) -> None:
        if self._holds_slot:
            self._holds_slot = False
            self.queue.release()

    def _claim_port(self) -> int:
        """A free port no other server of this hub was given (the kernel may hand a just-probed port out again
        before the first server has bound it: two students once got the same one)."""
        port = random_port()
        while port in StudentSpawner._ports:
            port = random_port()
        StudentSpawner._ports.add(port)
        return port

    def _release_port(self) -> None:
        StudentSpawner._ports.discard(self.port)

    async def _answering(self, url: str) -> bool:
        """Whether this student's own server process listens on its port and answers, within ``start_timeout``.

        Any process on the machine can bind a port; the hub must not route a student to one that is not
        their server (another student's server, or a student's process that took the port first)."""
        deadline = time.monotonic() + self.start_timeout  # the hub gives up on the start at the same time
        while time.monotonic() < deadline and await self.poll() is None:
            if await asyncio.to_thread(listens, self.pid, self.port):
                try:
                    await AsyncHTTPClient().fetch(url, request_timeout=5)
                    return True
                except HTTPClientError as error:
                    if error.code != 599:  # an HTTP answer of any kind from its own process: it is up
                        return True
                except OSError:
                    pass
            await asyncio.sleep(0.5)
        return False

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


def remove_ipc(uids: set[int], tables: Path = Path("/proc/sysvipc")) -> None:
    """Delete the System V shared memory, message queues and semaphores the students own: they outlive every
    process (300 MB of a student's shared memory stayed allocated on the machine after a run)."""
    for table, flag in (("shm", "-m"), ("msg", "-q"), ("sem", "-s")):
        with contextlib.suppress(OSError):
            header, *rows = (tables / table).read_text().splitlines()
            columns = header.split()
            for row in map(str.split, rows):
                if int(row[columns.index("uid")]) in uids or int(row[columns.index("cuid")]) in uids:
                    subprocess.run(["ipcrm", flag, row[1]], capture_output=True, check=False)


def remove_temporary_files(uids: set[int], folders=("/tmp", "/var/tmp", "/dev/shm", "/run/lock")) -> None:
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


def keep_for_root(home: Path) -> None:
    """Hand a removed student's home to root: their uid goes to the next user created on this machine (another
    rehearsal's student), who would otherwise own, and read, the files this student left."""
    with contextlib.suppress(FileNotFoundError):
        os.chown(home, 0, 0, follow_symlinks=False)
        home.chmod(0o700)


def remove_users(registry: Path, user_prefix: str | None = None) -> None:
    """Stop whatever the rehearsal's users still run, remove their cgroups, temporary files and System V IPC,
    then delete
    those users and their groups, and give their homes to root. Raises ``CleanupFailed`` (keeping the
    registry) if any of it cannot finish."""
    users = created_users(registry)
    for entry in users:
        kill_processes_of(entry)
    remove_temporary_files({u.pw_uid for u in users})
    remove_ipc({u.pw_uid for u in users})
    for entry in users:
        for _ in range(10):  # userdel refuses while a killed process has not yet been reaped
            if subprocess.run(["userdel", entry.pw_name], capture_output=True).returncode in (0, 6):
                break
            kill_processes_of(entry)
            time.sleep(0.2)
        else:
            raise CleanupFailed(f"userdel {entry.pw_name} kept failing; the list of users stays in {registry}")
        keep_for_root(Path(entry.pw_dir))
    # the run's cgroups (a run killed outright left them: its prefix is in its users' names)
    for prefix in {user_prefix} if user_prefix else {u.pw_name.split("-", 1)[0] + "-" for u in users}:
        Limits.detect(run_name(prefix), 0).remove_all()
    registry.unlink(missing_ok=True)
