"""Tell a student on a hub when their server nears its memory limit, and why a kernel was stopped.

Loaded into every kernel of a hub that sets a memory limit (the spawner's ``MEM_LIMIT``; installed by
binder/postBuild as an IPython extension). After each cell it compares the student's memory with the
limit: the memory cgroup the kernel runs in (the container's on Kubernetes, the student's own in the
rehearsal), cgroup v2 or v1, else the processes of the student's OS user. Above ``WARN_AT`` of the limit
it prints a notice naming the figures and what to do (shut down the kernels of notebooks already
finished). A kernel that went over the limit is killed by the kernel's out-of-memory killer, which the
student would only see as "kernel restarting": the next kernel reads the cgroup's count of such kills
and explains, at its first cell, what happened.
"""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
from jupyter_core.paths import jupyter_runtime_dir

WARN_AT = 0.8
CHECK_EVERY_S = 5.0  # outside a cgroup the check scans the process table: not after every quick cell
CGROUP = Path(os.environ.get("DMJAK_CGROUP_DIR", "/sys/fs/cgroup"))  # tests point this at a fake cgroup tree
PROC_CGROUP = Path("/proc/self/cgroup")  # which group this process is in, in each tree
UNLIMITED = 2**60  # cgroup v1 writes "no limit" as a number near 2**63
# The kill count already explained, in the student's own Jupyter runtime folder (never shared /tmp, where
# another user could plant a file or a symlink under a predictable name); opened without following links.
SEEN = Path(os.environ.get("DMJAK_OOM_SEEN") or Path(jupyter_runtime_dir()) / "dmjak-oom-kills-seen")
MB = 2**20


def limit_bytes() -> int | None:
    try:
        return int(os.environ["MEM_LIMIT"])
    except (KeyError, ValueError):
        return None


@dataclass
class Cgroup:
    """The memory cgroup this process is in: its folder and the file names of its kind (v2 or v1)."""

    folder: Path
    version: int

    def _read(self, name: str) -> str | None:
        try:
            return (self.folder / name).read_text()
        except OSError:
            return None

    def _int(self, name: str) -> int | None:
        text = (self._read(name) or "").strip()
        return int(text) if text.isdigit() else None

    def _field(self, name: str, key: str) -> int | None:
        """A value of a ``key value`` file (memory.events, memory.oom_control, memory.stat)."""
        for line in (self._read(name) or "").splitlines():
            field, _, value = line.partition(" ")
            if field == key and value.strip().isdigit():
                return int(value)
        return None

    def limit(self) -> int | None:
        """The cgroup's memory limit in bytes (None: unlimited, "max" in v2, a huge number in v1)."""
        value = self._int("memory.max" if self.version == 2 else "memory.limit_in_bytes")
        return value if value is not None and value < UNLIMITED else None

    def used(self) -> int | None:
        """Memory in use, less the page cache the kernel can drop before it kills (the working set)."""
        used = self._int("memory.current" if self.version == 2 else "memory.usage_in_bytes")
        if used is None:
            return None
        inactive = self._field("memory.stat", "inactive_file" if self.version == 2 else "total_inactive_file")
        return used - min(inactive or 0, used)

    def oom_kills(self) -> int:
        """Processes the out-of-memory killer stopped in this cgroup (0 if the kernel does not count them)."""
        kills = self._field("memory.events" if self.version == 2 else "memory.oom_control", "oom_kill")
        return kills or 0


def memory_cgroup() -> Cgroup | None:
    """The memory cgroup of this process: its own group (``/proc/self/cgroup``) if mounted here, else the
    mount's root (a container sees its own group as the root); v2 (one tree) or v1 (a ``memory`` tree)."""
    own = {"v2": "", "v1": ""}
    try:
        for line in PROC_CGROUP.read_text().splitlines():
            number, controllers, path = line.split(":", 2)
            if number == "0" and not controllers:
                own["v2"] = path.lstrip("/")
            elif "memory" in controllers.split(","):
                own["v1"] = path.lstrip("/")
    except (OSError, ValueError):
        pass
    candidates = [
        Cgroup(CGROUP / own["v2"], 2),
        Cgroup(CGROUP, 2),
        Cgroup(CGROUP / "memory" / own["v1"], 1),
        Cgroup(CGROUP / "memory", 1),
    ]
    for group in candidates:
        with contextlib.suppress(OSError):  # a group this user may not enter is not theirs to report
            if (group.folder / ("memory.max" if group.version == 2 else "memory.limit_in_bytes")).is_file():
                return group
    return None


def used_bytes() -> int:
    """The memory the limit applies to: this process's cgroup if it has a limit, else this user's processes."""
    group = memory_cgroup()
    if group and group.limit() is not None and (used := group.used()) is not None:
        return used
    uid, total = os.getuid(), 0
    for process in psutil.process_iter(["uids", "memory_info"]):
        if process.info["uids"] and process.info["uids"].real == uid and process.info["memory_info"]:
            total += process.info["memory_info"].rss
    return total


def oom_kills() -> int:
    """How many processes the cgroup's out-of-memory killer has stopped (0 outside a cgroup)."""
    group = memory_cgroup()
    return group.oom_kills() if group else 0


def near_limit_notice(used: int, limit: int) -> str | None:
    if used < WARN_AT * limit:
        return None
    return (
        f"Memory: your notebooks use {used // MB} MB of the {limit // MB} MB this server may use "
        f"({100 * used / limit:.0f} %). Shut down the kernels of notebooks you have finished (Kernel menu, or "
        "the 'Running Terminals and Kernels' panel on the left); above the limit a kernel is stopped."
    )


def killed_notice(limit: int | None) -> str | None:
    """A message if a kernel was killed for memory since the last kernel looked; remembers the count."""
    kills = oom_kills()
    seen = _read_seen()
    if kills <= seen:
        return None
    _write_seen(kills)
    size = f"its {limit // MB} MB" if limit else "its"
    return (
        f"Memory: a kernel of yours was stopped because this server reached {size} memory limit; that is "
        "why the kernel restarted. Shut down the kernels of notebooks you have finished (Kernel menu, or the "
        "'Running Terminals and Kernels' panel), then run this notebook again (Run > Run All Cells)."
    )


def _read_seen() -> int:
    try:
        with open(os.open(SEEN, os.O_RDONLY | os.O_NOFOLLOW)) as handle:
            return int(handle.read())
    except (OSError, ValueError):
        return 0


def _write_seen(kills: int) -> None:
    """Record the count; a symlink in its place is refused (O_NOFOLLOW), never followed."""
    try:
        SEEN.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with open(os.open(SEEN, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600), "w") as handle:
            handle.write(str(kills))
    except OSError:
        pass


class Guard:
    """The IPython hooks: one notice per crossing of the threshold, and the killed-kernel explanation once."""

    def __init__(self, limit: int):
        self.limit, self.warned, self.first, self.checked = limit, False, True, -CHECK_EVERY_S

    def pre_run_cell(self, info=None) -> None:
        if self.first:
            self.first = False
            message = killed_notice(self.limit)
            if message:
                print(message, flush=True)

    def post_run_cell(self, result=None) -> None:
        if time.monotonic() - self.checked < CHECK_EVERY_S:
            return
        self.checked = time.monotonic()
        message = near_limit_notice(used_bytes(), self.limit)
        if message and not self.warned:
            print(message, flush=True)
        self.warned = message is not None


def load_ipython_extension(ipython) -> None:
    limit = limit_bytes()
    if limit:
        if not os.path.lexists(SEEN):  # kills before this server's first kernel are not this student's news
            _write_seen(oom_kills())
        guard = Guard(limit)
        ipython.events.register("pre_run_cell", guard.pre_run_cell)
        ipython.events.register("post_run_cell", guard.post_run_cell)
