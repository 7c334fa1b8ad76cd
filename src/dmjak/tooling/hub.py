"""A real JupyterHub on loopback for rehearsing a class on one machine (``make classroom``).

``running_hub()`` starts JupyterHub with ``deploy/rehearsal/jupyterhub_config.py`` (DummyAuthenticator,
local-process spawner, homes under ``build/classroom/homes``, npm's configurable-http-proxy) on free
loopback ports, waits until it answers and stops it (and every student's server) afterwards.
``python -m dmjak.tooling.hub`` keeps one running and prints the nbgitpuller link that pulls the course
from this checkout into a student's home; stop it with Ctrl-C.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from dmjak.classroom import COURSE_FOLDER, pull_link, urlpath
from dmjak.paths import build_dir, cache_dir, repo_root
from dmjak.tooling.setup_cache import prepare as prepare_cache

CONFIG = repo_root() / "deploy" / "rehearsal" / "jupyterhub_config.py"
PROXY = repo_root() / "node_modules" / ".bin" / "configurable-http-proxy"


@dataclass
class Hub:
    """A running hub: its public URL, the load test's service token, where homes are."""

    url: str
    service_token: str
    state: Path
    process: subprocess.Popen
    log: Path

    def home(self, user: str) -> Path:
        return self.state / "homes" / user

    def link(self, notebook: str = "00_start_here.ipynb", interface: str = "lab") -> str:
        """The nbgitpuller link that pulls this checkout (committed HEAD of its branch) for a student."""
        return pull_link(self.url, str(repo_root()), current_branch(), notebook, interface)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def current_branch() -> str:
    done = subprocess.run(
        ["git", "-C", str(repo_root()), "rev-parse", "--abbrev-ref", "HEAD"], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def _wait(url: str, process: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"JupyterHub exited with {process.returncode}; log:\n{log.read_text()[-3000:]}")
        try:  # only the hub itself answers 200 here (the proxy alone answers 404 until its route is added)
            with urllib.request.urlopen(url, timeout=5):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise TimeoutError(f"JupyterHub did not answer at {url} within {timeout} s; log:\n{log.read_text()[-3000:]}")


@contextlib.contextmanager
def running_hub(state: Path | None = None, port: int | None = None, fresh: bool = True, settings: dict | None = None):
    """Start the rehearsal hub, yield a ``Hub`` once it answers, always stop it and its servers."""
    if not PROXY.exists():
        raise FileNotFoundError(f"{PROXY} is missing: `npm ci` (run by make setup) installs configurable-http-proxy")
    state = state or build_dir() / "classroom"
    if fresh:
        shutil.rmtree(state, ignore_errors=True)
    (state / "homes").mkdir(parents=True, exist_ok=True)
    prepare_cache()  # as setup does: Vega's bundle and the tables' markers, never made by a student's kernel
    port = port or free_port()
    service_token = secrets.token_hex(24)
    env = {
        **os.environ,
        "DMJAK_HUB_STATE": str(state),
        "DMJAK_HUB_PORT": str(port),
        "DMJAK_HUB_API_PORT": str(free_port()),
        "DMJAK_PROXY_API_PORT": str(free_port()),
        "DMJAK_PROXY_COMMAND": str(PROXY),
        "DMJAK_HUB_SERVICE_TOKEN": service_token,
        "DMJAK_DEFAULT_URL": "/" + urlpath(folder=COURSE_FOLDER),
        "DMJAK_CACHE_DIR": str(cache_dir()),
        **(settings or {}),
    }
    env.pop("DMJAK_RENDER", None)  # students get live charts, as in JupyterLab
    log = state / "jupyterhub.log"
    with open(log, "w") as handle:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "jupyterhub"), "-f", str(CONFIG)],
            cwd=state,
            stdout=handle,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait(url + "/hub/api", process, log, timeout=60)
        yield Hub(url, service_token, state, process, log)
    finally:
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGTERM)  # the hub stops every student's server (cleanup_servers)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        with contextlib.suppress(ProcessLookupError):  # anything of the hub's left behind (e.g. the proxy)
            os.killpg(process.pid, signal.SIGTERM)


def main() -> None:
    with running_hub() as hub:
        print(
            f"JupyterHub for the classroom rehearsal is running at {hub.url} (loopback only).\n"
            f"Log in with any name and no password, or give a student this nbgitpuller link:\n\n  {hub.link()}\n\n"
            f"Presenter view (Voilà) for the lecturer:\n\n  {hub.link('05_baricitinib_cases.ipynb', 'voila')}\n\n"
            f"Homes: {hub.state / 'homes'}; log: {hub.log}. Stop with Ctrl-C.",
            flush=True,
        )
        with contextlib.suppress(KeyboardInterrupt):
            while hub.process.poll() is None:
                time.sleep(1)


if __name__ == "__main__":
    main()
