"""Resource limits for each student of the classroom rehearsal (``make classroom``): memory, processes, CPU,
and the size of any one file.

Every student's server, and every kernel or process it starts, runs in a control group (cgroup) of its
own. The hub creates it as root and moves the server into it before switching to the student's user, so
the student cannot leave it. Memory is capped at the Helm values' limit (above it the kernel's
out-of-memory killer stops the largest process of that student, as on Kubernetes), processes and threads
at ``TASKS``, CPU at ``CPUS`` cores, so one student cannot starve the class or the hub. Works with cgroup
v2 (one tree with the memory, pids and cpu controllers, as under systemd) and v1 (one tree per controller).
Where neither can be written (an unprivileged container), each process gets ``RLIMIT_DATA`` (its own
memory, not the student's total) and the student's user ``RLIMIT_NPROC``, and the hub logs that weaker
limit. Limits are in the kernel, not in a library (systemd-run needs systemd as PID 1, which a container
or this VM may lack). Disk: each file a student's process writes is capped (``RLIMIT_FSIZE``) at the size
of a student's whole volume on Kubernetes, so one runaway file cannot fill the shared disk; the total of a
student's files is not capped (that needs file-system quotas or a volume per student, which a rehearsal on
one machine does not set up: docs/classroom.md says so).
"""

from __future__ import annotations

import contextlib
import os
import resource
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(os.environ.get("DMJAK_CGROUP_ROOT", "/sys/fs/cgroup"))
TASKS = 512  # a JupyterLab server and the practical's five kernels use about 150 threads
CPUS = 1.0  # of the machine's cores: one student cannot take all of them
PERIOD_US = 100_000
HUB_ABOVE_STUDENTS = 10  # the hub and its proxy run this much nicer-than-students (dmjak.tooling.classroom.hub)
V1_CONTROLLERS = ("memory", "pids", "cpu")


def _write(path: Path, value: str) -> None:
    path.write_text(value)


@dataclass
class Limits:
    """One run's limits: where its cgroups live (``None``: only per-process rlimits), and their sizes."""

    run: str  # e.g. "dmjak-dj3f2a1c", the folder under each cgroup tree holding the students' groups
    memory: int
    file_size: int = resource.RLIM_INFINITY
    tasks: int = TASKS
    cpus: float = CPUS
    version: int | None = None

    @classmethod
    def detect(cls, run: str, memory: int, file_size: int = resource.RLIM_INFINITY) -> Limits:
        """Use cgroup v2 if its tree offers memory, pids and cpu; else v1; else rlimits (version None)."""
        limits = cls(run=run, memory=memory, file_size=file_size)
        controllers = ROOT / "cgroup.controllers"
        if controllers.is_file() and {"memory", "pids", "cpu"} <= set(controllers.read_text().split()):
            limits.version = 2
        elif all((ROOT / c / "cgroup.procs").is_file() for c in V1_CONTROLLERS):
            limits.version = 1
        if limits.version:
            try:
                limits._make_parents()
            except OSError:
                limits.version = None
        return limits

    def _parents(self) -> list[Path]:
        return [ROOT / self.run] if self.version == 2 else [ROOT / c / self.run for c in V1_CONTROLLERS]

    def _make_parents(self) -> None:
        if self.version == 2:
            _write(ROOT / "cgroup.subtree_control", "+memory +pids +cpu")
        for parent in self._parents():
            parent.mkdir(exist_ok=True)
            parent.chmod(0o711)  # students pass through to their own group, cannot list the others
        if self.version == 2:
            _write(ROOT / self.run / "cgroup.subtree_control", "+memory +pids +cpu")

    def groups(self, student: str) -> list[Path]:
        """The student's cgroup folders (one for v2, one per controller for v1)."""
        return [parent / student for parent in self._parents()] if self.version else []

    def create(self, student: str, gid: int) -> list[Path]:
        """Make the student's cgroup and set its limits (as root, before the server starts). The student's
        group ``gid`` may read it (the memory notice reads the usage and limit), never write it."""
        quota = str(int(self.cpus * PERIOD_US))
        for group in self.groups(student):
            group.mkdir(exist_ok=True)
            os.chown(group, 0, gid)
            group.chmod(0o750)
        if self.version == 2:
            (group,) = self.groups(student)
            _write(group / "memory.max", str(self.memory))
            with contextlib.suppress(OSError):  # no swap configured: the file is absent
                _write(group / "memory.swap.max", "0")
            _write(group / "pids.max", str(self.tasks))
            _write(group / "cpu.max", f"{quota} {PERIOD_US}")
        elif self.version == 1:
            memory, pids, cpu = self.groups(student)
            _write(memory / "memory.limit_in_bytes", str(self.memory))
            with contextlib.suppress(OSError):  # only with swap accounting
                _write(memory / "memory.memsw.limit_in_bytes", str(self.memory))
            _write(pids / "pids.max", str(self.tasks))
            _write(cpu / "cpu.cfs_period_us", str(PERIOD_US))
            _write(cpu / "cpu.cfs_quota_us", quota)
        return self.groups(student)

    def enter(self, student: str) -> None:
        """In the forked server process, still root: join the student's cgroup, or set the rlimits."""
        # back to the priority the rehearsal was started at (e.g. under `nice`), below the hub's (inherited)
        os.setpriority(os.PRIO_PROCESS, 0, min(19, os.getpriority(os.PRIO_PROCESS, 0) + HUB_ABOVE_STUDENTS))
        for group in self.groups(student):
            _write(group / "cgroup.procs", "0")  # "0": the writing process itself
        # a write past it fails with "File too large" (Python ignores SIGXFSZ), the file stays as it was
        resource.setrlimit(resource.RLIMIT_FSIZE, (self.file_size, self.file_size))
        if not self.version:
            resource.setrlimit(resource.RLIMIT_DATA, (self.memory, self.memory))
            resource.setrlimit(resource.RLIMIT_NPROC, (self.tasks, self.tasks))

    def remove(self, student: str, timeout: float = 10) -> None:
        """Delete the student's cgroup once its processes are gone (the caller kills them first)."""
        deadline = time.monotonic() + timeout
        for group in self.groups(student):
            while group.exists():
                try:
                    group.rmdir()
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.1)

    def remove_all(self) -> None:
        for parent in self._parents() if self.version else []:
            if parent.is_dir():
                for group in [g for g in parent.iterdir() if g.is_dir()]:
                    self.remove(group.name)
                parent.rmdir()
