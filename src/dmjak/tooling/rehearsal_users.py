"""One unprivileged OS user per student of the classroom rehearsal (``make classroom``).

``StudentSpawner`` is JupyterHub's local-process spawner with one change: the student ``ada`` runs as the
OS user ``<prefix>ada`` (the prefix is new for every run, so no real account is ever used), created on
first spawn with a private home (mode 0700) and no login shell. The hub runs as root only to switch to
that user; it refuses to spawn anything as root or as an account this run did not create. Every user it
creates is listed in a root-only file, from which ``remove_users`` deletes them when the rehearsal ends.
"""

from __future__ import annotations

import asyncio
import os
import pwd
import subprocess
import time
from pathlib import Path

import psutil
from jupyterhub.spawner import LocalProcessSpawner, set_user_setuid
from traitlets import Unicode

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

    _lock = asyncio.Lock()  # useradd locks /etc/passwd: one at a time

    @property
    def os_user(self) -> str:
        return os_name(self.user_prefix, self.user.name)

    async def start(self):
        async with self._lock:
            home = Path(self.homes) / self.user.name
            entry = await asyncio.to_thread(_create, self.os_user, home, Path(self.registry))
        if entry.pw_uid == 0 or entry.pw_gid == 0:
            raise SpawnRefused(f"refusing to start {self.user.name}'s server as root")
        return await super().start()

    def make_preexec_fn(self, name):
        return set_user_setuid(self.os_user)

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


def kill_processes_of(uids: set[int]) -> None:
    """SIGKILL every process running as one of ``uids`` (students' servers and kernels left behind)."""
    for process in psutil.process_iter(["uids"]):
        if process.info["uids"] and process.info["uids"].real in uids:
            try:
                process.kill()
            except psutil.NoSuchProcess:
                pass


def remove_users(registry: Path) -> None:
    """Stop whatever the rehearsal's users still run, then delete those users and their groups."""
    users = created_users(registry)
    kill_processes_of({u.pw_uid for u in users})
    for entry in users:
        for _ in range(10):  # userdel refuses while a killed process has not yet been reaped
            if subprocess.run(["userdel", entry.pw_name], capture_output=True).returncode in (0, 6):
                break
            kill_processes_of({entry.pw_uid})
            time.sleep(0.2)
    registry.unlink(missing_ok=True)
