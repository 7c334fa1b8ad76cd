"""A student near the memory limit is told so in the notebook, and a kernel stopped at the limit is explained.

The cgroup files Kubernetes gives a container are stood in for by a folder of the same files."""

from __future__ import annotations

import pytest
from IPython.core.interactiveshell import InteractiveShell

from dmjak.tooling import memory_guard

MB = 2**20


@pytest.fixture
def cgroup(tmp_path, monkeypatch):
    folder = tmp_path / "cgroup"
    folder.mkdir()
    (folder / "memory.max").write_text(str(960 * MB))
    (folder / "memory.current").write_text(str(300 * MB))
    (folder / "memory.events").write_text("low 0\nhigh 0\nmax 3\noom 1\noom_kill 0\n")
    monkeypatch.setattr(memory_guard, "CGROUP", folder)
    monkeypatch.setattr(memory_guard, "SEEN", tmp_path / "seen")
    monkeypatch.setattr(memory_guard, "CHECK_EVERY_S", 0)
    monkeypatch.setenv("MEM_LIMIT", str(960 * MB))
    return folder


def test_memory_used_is_the_containers_when_it_has_a_limit_else_this_users_processes(cgroup):
    assert memory_guard.used_bytes() == 300 * MB
    (cgroup / "memory.max").write_text("max")
    assert 0 < memory_guard.used_bytes() != 300 * MB  # this user's processes (the test itself at least)


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
        (cgroup / "memory.current").write_text(str(900 * MB))
        shell.run_cell("x = 2")
        assert "900 MB of the 960 MB" in capsys.readouterr().out
        shell.run_cell("x = 3")
        assert "Memory:" not in capsys.readouterr().out, "one notice per crossing, not one per cell"

        (cgroup / "memory.events").write_text("oom 2\noom_kill 1\n")  # the kernel was killed at the limit
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
    monkeypatch.setattr(memory_guard, "CGROUP", cgroup)
    private = tmp_path / "victim-private"
    private.mkdir()
    planted = tmp_path / "planted"
    planted.symlink_to(private / "planted-by-attacker")
    monkeypatch.setattr(memory_guard, "SEEN", planted)
    (cgroup / "memory.events").write_text("oom_kill 2\n")
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
