"""A student near the memory limit is told so in the notebook, and a kernel stopped at the limit is explained.

The cgroup files the kernel gives a process are stood in for by fake trees of both kinds: cgroup v2 (one
tree, as on Kubernetes and under systemd) and v1 (a ``memory`` tree, as on older hosts and this rehearsal's
machine), with the process in a group of its own named in a fake ``/proc/self/cgroup``."""

from __future__ import annotations

import pytest
from IPython.core.interactiveshell import InteractiveShell

from dmjak.tooling import memory_guard

MB = 2**20
# What each kind calls the limit, the usage, the reclaimable cache and the kill count.
FILES = {
    2: {"limit": "memory.max", "used": "memory.current", "cache": "inactive_file", "kills": "memory.events"},
    1: {
        "limit": "memory.limit_in_bytes",
        "used": "memory.usage_in_bytes",
        "cache": "total_inactive_file",
        "kills": "memory.oom_control",
    },
}


class FakeCgroup:
    """A student's memory cgroup in a fake tree: set the limit, the usage and the kill count."""

    def __init__(self, tree, version: int):
        self.version, self.files = version, FILES[version]
        self.folder = tree / ("" if version == 2 else "memory") / "dmjak-dj0a1b2c" / "ada"
        self.folder.mkdir(parents=True)
        self.stat(cache=0)

    def set(self, name: str, value) -> None:
        (self.folder / self.files[name]).write_text(f"{value}\n")

    def stat(self, cache: int) -> None:
        (self.folder / "memory.stat").write_text(f"anon 1\n{self.files['cache']} {cache}\nfile 2\n")

    def kills(self, count: int) -> None:
        before = "oom 2" if self.version == 2 else "oom_kill_disable 0\nunder_oom 0"
        self.set("kills", f"{before}\noom_kill {count}")


@pytest.fixture(params=[2, 1], ids=["cgroup-v2", "cgroup-v1"])
def cgroup(request, tmp_path, monkeypatch):
    tree = tmp_path / "sys-fs-cgroup"
    group = FakeCgroup(tree, request.param)
    # another group's files at the tree's root: the guard must read the process's own group, not these
    root = tree if request.param == 2 else tree / "memory"
    (root / group.files["limit"]).write_text(str(64 * 2**30))
    (root / group.files["used"]).write_text(str(20 * 2**30))
    proc = tmp_path / "proc-self-cgroup"
    proc.write_text(
        "0::/dmjak-dj0a1b2c/ada\n" if request.param == 2 else "9:pids:/\n4:memory:/dmjak-dj0a1b2c/ada\n0::/\n"
    )
    group.set("limit", 960 * MB)
    group.set("used", 300 * MB)
    group.kills(0)
    monkeypatch.setattr(memory_guard, "CGROUP", tree)
    monkeypatch.setattr(memory_guard, "PROC_CGROUP", proc, raising=False)
    monkeypatch.setattr(memory_guard, "SEEN", tmp_path / "seen")
    monkeypatch.setattr(memory_guard, "CHECK_EVERY_S", 0)
    monkeypatch.setenv("MEM_LIMIT", str(960 * MB))
    return group


def test_memory_used_is_the_cgroups_when_it_has_a_limit_else_this_users_processes(cgroup):
    """Issue 18: the guard read only cgroup v2's files at the tree's root; on a v1 host (or the rehearsal,
    where each student has a group of their own) it fell back to a process count or another group's figures."""
    assert memory_guard.used_bytes() == 300 * MB
    cgroup.stat(cache=100 * MB)  # page cache the kernel drops before it kills: not counted
    assert memory_guard.used_bytes() == 200 * MB
    cgroup.set("limit", "max" if cgroup.version == 2 else 9223372036854771712)  # no limit
    assert 0 < memory_guard.used_bytes() not in (200 * MB, 300 * MB, 20 * 2**30)  # this user's processes


def test_the_kill_count_is_read_from_either_kind_of_cgroup(cgroup):
    assert memory_guard.oom_kills() == 0
    cgroup.kills(3)
    assert memory_guard.oom_kills() == 3


def test_the_notice_names_the_figures_and_what_to_close_only_near_the_limit():
    assert memory_guard.near_limit_notice(700 * MB, 960 * MB) is None
    notice = memory_guard.near_limit_notice(800 * MB, 960 * MB)
    assert "800 MB of the 960 MB" in notice and "83 %" in notice and "Shut down the kernels" in notice


def test_a_kernel_in_a_notebook_warns_once_per_crossing_and_explains_an_out_of_memory_kill(cgroup, capsys):
    shell = InteractiveShell.instance()
    try:
        memory_guard.load_ipython_extension(shell)
        shell.run_cell("x = 1")
        assert "Memory:" not in capsys.readouterr().out, "no notice far below the limit"
        cgroup.set("used", 900 * MB)
        shell.run_cell("x = 2")
        assert "900 MB of the 960 MB" in capsys.readouterr().out
        shell.run_cell("x = 3")
        assert "Memory:" not in capsys.readouterr().out, "one notice per crossing, not one per cell"

        cgroup.kills(1)  # the kernel was killed at the limit
        memory_guard.load_ipython_extension(shell)  # the restarted kernel
        shell.run_cell("x = 4")
        assert "stopped because this server reached its 960 MB memory limit" in capsys.readouterr().out
        memory_guard.load_ipython_extension(shell)
        shell.run_cell("x = 5")
        assert "was stopped" not in capsys.readouterr().out, "explained once"
    finally:
        for event in ("pre_run_cell", "post_run_cell"):
            shell.events.callbacks[event].clear()
        InteractiveShell.clear_instance()


def test_the_kill_count_lives_in_the_students_runtime_folder_and_a_planted_symlink_is_not_followed(
    cgroup, tmp_path, monkeypatch
):
    """Issue 18, IT finding 7: the count was kept at a predictable name in shared /tmp and written through
    a symlink planted there by another user (creating a file in the victim's private folder)."""
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    monkeypatch.delenv("DMJAK_OOM_SEEN", raising=False)
    import importlib

    fresh = importlib.reload(memory_guard)
    assert fresh.SEEN == tmp_path / "runtime" / "dmjak-oom-kills-seen"
    monkeypatch.setattr(memory_guard, "CGROUP", tmp_path / "sys-fs-cgroup")
    monkeypatch.setattr(memory_guard, "PROC_CGROUP", tmp_path / "proc-self-cgroup", raising=False)
    private = tmp_path / "victim-private"
    private.mkdir()
    planted = tmp_path / "planted"
    planted.symlink_to(private / "planted-by-attacker")
    monkeypatch.setattr(memory_guard, "SEEN", planted)
    cgroup.kills(2)
    shell = InteractiveShell.instance()
    try:
        memory_guard.load_ipython_extension(shell)
        assert not (private / "planted-by-attacker").exists(), "the symlink was followed"
        assert memory_guard.killed_notice(960 * MB) is not None  # unreadable/refused count: still explained
        assert not (private / "planted-by-attacker").exists()
    finally:
        for event in ("pre_run_cell", "post_run_cell"):
            shell.events.callbacks[event].clear()
        InteractiveShell.clear_instance()
        importlib.reload(memory_guard)
