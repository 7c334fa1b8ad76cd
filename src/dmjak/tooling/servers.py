"""Start a local server (JupyterLab, Voilà, a hub) on a free loopback port, wait until it answers, always stop it.

Used by the tests, the benchmarks and the rehearsal hub (``dmjak.tooling.classroom.hub``, which stops its
hub its own way: the hub's children and the students' OS users go too).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path


def free_port() -> int:
    """A TCP port on 127.0.0.1 free right now (the caller binds it soon after)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_answering(
    url: str, timeout: float, process: subprocess.Popen, log: Path, any_status: bool = True
) -> None:
    """Return once ``url`` gives an HTTP answer (any status, or only a success when ``any_status`` is false);
    raise with the log's tail if the process exits or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}; log:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError:
            if any_status:
                return  # any HTTP answer means the server is up
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {timeout} s; log:\n{log.read_text()[-3000:]}")


@contextlib.contextmanager
def serving(
    command: list[str], ready_path: str, port: int, log: Path, cwd: Path, timeout: float = 60, env: dict | None = None
):
    """Run ``command`` (its own process group), yield the base URL once ``ready_path`` answers; stop it."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "w") as handle:
        process = subprocess.Popen(
            command,
            cwd=cwd,
            stdout=handle,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(base + ready_path, timeout, process, log)
        yield base
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


def token() -> str:
    """A random token for a server's authentication."""
    return secrets.token_hex(16)
