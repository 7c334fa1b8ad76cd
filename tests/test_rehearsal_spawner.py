"""The rehearsal's spawner under a class's load: servers queue for a boot slot, each student's traffic goes to
their own server, and no file a student writes outgrows the disk they would have on Kubernetes.

Issue 18's 30-student bench: a student late in the queue timed out (the wait counted against the hub's
start_timeout), and two students were given the same port: the hub took the other student's server's answer
for the second student's and routed them to it. These tests take the spawner's parts as the hub uses them.
"""

from __future__ import annotations

import asyncio
import errno
import os
import socket
import subprocess
import sys
import time

import psutil
import pytest
from conftest import skip_or_fail

from dmjak.tooling.classroom import rehearsal_users
from dmjak.tooling.classroom.rehearsal_users import StudentSpawner
from dmjak.tooling.classroom.student_limits import Limits


def test_students_wait_their_turn_for_a_boot_slot_in_the_order_they_came():
    async def class_of_four():
        queue, booted = rehearsal_users.BootQueue(slots=2), []

        async def student(name):
            await queue.wait_turn(name)
            booted.append(name)

        tasks = [asyncio.create_task(student(n)) for n in ("ada", "bob", "cy", "di")]
        await asyncio.sleep(0.1)
        seen = (list(booted), queue.ahead_of("cy"), queue.ahead_of("di"), queue.ahead_of("ada"))
        queue.release()  # ada's server answered
        await asyncio.sleep(0.1)
        seen += (list(booted), queue.ahead_of("di"))
        queue.release()
        await asyncio.gather(*tasks)
        return seen

    first, cy, di, ada, then, di_after = asyncio.run(class_of_four())
    assert first == ["ada", "bob"] and (cy, di, ada) == (0, 1, None)
    assert then == ["ada", "bob", "cy"] and di_after == 0


def test_the_queue_is_waited_for_before_the_start_so_start_timeout_times_the_boot_alone():
    """JupyterHub awaits ``run_pre_spawn_hook`` before it starts ``start_timeout``'s clock on ``start``."""
    spawner = StudentSpawner(boot_slots=1)
    spawner.user = type("User", (), {"name": "ada"})()
    StudentSpawner._queue = None
    try:

        async def hold_then_ask():
            await spawner.run_pre_spawn_hook()  # ada takes the only slot
            other = StudentSpawner()
            other.user = type("User", (), {"name": "bob"})()
            waiting = asyncio.create_task(other.run_pre_spawn_hook())
            await asyncio.sleep(0.1)
            events = [e async for e in _first(other.progress(), 1)]
            spawner._leave_slot()
            await asyncio.wait_for(waiting, 2)
            return waiting.done(), events, other._holds_slot

        done, events, holds = asyncio.run(hold_then_ask())
        assert done and holds
        assert events[0]["message"] == "Waiting for a free boot slot: 0 student(s) ahead of you"
    finally:
        StudentSpawner._queue = None


async def _first(generator, count):
    async for item in generator:
        yield item
        count -= 1
        if not count:
            return


def test_no_two_servers_of_the_hub_are_given_the_same_port(monkeypatch):
    """The kernel may return a just-probed port again before the first server has bound it."""
    offered = iter([40001, 40001, 40001, 40002])
    monkeypatch.setattr(rehearsal_users, "random_port", lambda: next(offered))
    monkeypatch.setattr(StudentSpawner, "_ports", set())
    ada, bob = StudentSpawner(), StudentSpawner()
    ada.port = ada._claim_port()
    bob.port = bob._claim_port()
    assert (ada.port, bob.port) == (40001, 40002)
    ada._release_port()
    assert StudentSpawner._ports == {40002}


def _http_server(port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return server
        time.sleep(0.1)
    server.kill()
    raise TimeoutError("the stand-in server did not listen")


def _spawner_of(process: subprocess.Popen, port: int) -> StudentSpawner:
    spawner = StudentSpawner(start_timeout=3)
    spawner.proc, spawner.pid, spawner.port = process, process.pid, port
    return spawner


def test_a_server_counts_as_up_only_when_its_own_process_answers_on_its_port():
    """Another process on the student's port (another student's server, or a student's own listener that
    took it first) answered the hub's check, and the hub routed the student to it."""
    from jupyterhub.utils import random_port

    port = random_port()
    squatter = _http_server(port)
    student = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        url = f"http://127.0.0.1:{port}/user/ada/api"
        assert asyncio.run(_spawner_of(student, port)._answering(url)) is False, "someone else's answer"
        assert asyncio.run(_spawner_of(squatter, port)._answering(url)) is True, "its own process answers"
    finally:
        for process in (squatter, student):
            process.kill()
            process.wait()


def test_no_file_a_student_writes_grows_past_the_limit():
    """The rehearsal has no per-student disk quota; one runaway file is stopped at the Kubernetes volume's size."""
    if os.geteuid() != 0:
        skip_or_fail("a student's limits are set by root", "Run the tests as root.")
    limits = Limits(run="unused", memory=2**40, file_size=2**20)  # no cgroup: rlimits only
    write = (
        "import errno, sys, tempfile\n"
        "with tempfile.TemporaryFile(buffering=0) as f:\n"
        "    f.write(b'x' * 1000)\n"
        f"    f.seek({2**20})\n"
        "    try:\n"
        "        f.write(b'x')\n"
        "    except OSError as e:\n"
        "        sys.exit(e.errno)\n"
    )
    done = subprocess.run([sys.executable, "-c", write], preexec_fn=lambda: limits.enter("ada"), check=False)
    assert done.returncode == errno.EFBIG, "the write past the limit fails with 'File too large'"


@pytest.mark.parametrize("value, expected", [("1G", 2**30), (None, None)])
def test_the_file_size_limit_comes_from_the_config(value, expected):
    assert StudentSpawner(file_size_limit=value).file_size_limit == expected


def test_a_detached_checkout_is_refused_with_what_to_do(tmp_path):
    """IT attack 2, finding 6: on a detached checkout the link named the branch 'HEAD' and every pull failed."""
    from dmjak.tooling.classroom.hub import DetachedCheckout, current_branch

    git = ["git", "-C", str(tmp_path), "-c", "user.name=a", "-c", "user.email=a@b"]
    subprocess.run([*git, "init", "-q", "-b", "main"], check=True)
    subprocess.run([*git, "commit", "-q", "--allow-empty", "-m", "course"], check=True)
    assert current_branch(tmp_path) == "main"
    subprocess.run([*git, "checkout", "-q", "--detach"], check=True)
    with pytest.raises(DetachedCheckout, match="git switch -c"):
        current_branch(tmp_path)


def test_a_hub_left_running_by_a_killed_launcher_is_stopped_before_the_next_run(tmp_path):
    """IT attack 2, finding 4: after SIGKILL of the launcher the root hub, its proxy and students' servers ran
    on, and the next run started beside them on the same homes."""
    from dmjak.tooling.classroom.hub import stop_leftover_hub

    state = tmp_path / "classroom"
    state.mkdir()
    sleeper = [sys.executable, "-c", "import subprocess, sys, time; subprocess.Popen(sys.argv[1:]); time.sleep(300)"]
    hub = subprocess.Popen([*sleeper, "sleep", "300"], cwd=state)  # the old hub and a server it started
    stranger = subprocess.Popen(["sleep", "300"], cwd=tmp_path)  # an unrelated process that got a recorded pid
    try:
        time.sleep(1)
        old_hub = psutil.Process(hub.pid)
        server = old_hub.children()[0]
        (state / "jupyterhub.pid").write_text(str(hub.pid))
        (state / "jupyterhub-proxy.pid").write_text(str(stranger.pid))
        stop_leftover_hub(state)
        assert gone(old_hub) and gone(server), "the old hub and its server are stopped"
        assert stranger.poll() is None, "a process that is not the old hub is left alone"
    finally:
        for process in (hub, stranger):
            process.kill()
            process.wait()


def gone(process: psutil.Process) -> bool:
    """Ended: exited, or killed and waiting to be reaped (a zombie runs nothing)."""
    try:
        return process.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True
