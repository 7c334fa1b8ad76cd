"""A simulated student on a JupyterHub: log in, start a server, pull the course, run notebooks live.

Everything goes through the hub's public URL as a browser's traffic would: the login form, the hub's
REST API, nbgitpuller's pull endpoint, Jupyter Server's contents and sessions APIs and the kernel's
websocket. Cells run in live mode (no ``DMJAK_RENDER``), and the student answers the chart widgets'
messages as JupyterLab does: the first chart's loader asks the kernel for Vega's bundle and waits for it.
Every wait is bounded in time.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from jupyter_server.services.kernels.connection.base import deserialize_binary_message
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

from dmjak.tooling.classroom.links import COURSE_FOLDER
from dmjak.tooling.shared_chart import LOADER_ESM, REPLY, REQUEST

AsyncHTTPClient.configure(None, max_clients=64)
PULL_ATTEMPTS = 5


class StudentError(RuntimeError):
    """Something a student could not do (names the step)."""


class CellAborted(StudentError):
    """The kernel answered a cell with 'aborted': it was dropping requests after an earlier error."""


class KernelDied(StudentError):
    """The kernel restarted or died while a cell ran."""


@dataclass
class Student:
    hub: str
    name: str
    service_token: str
    password: str = ""
    token: str = ""
    cookies: dict = field(default_factory=dict)
    kernels: dict = field(default_factory=dict)  # notebook path -> kernel id
    charts: dict = field(default_factory=dict)  # notebook path -> number of chart widgets seen

    # --- plumbing ---------------------------------------------------------------------------------

    async def _fetch(self, path: str, method: str = "GET", body=None, auth: str | None = None, **kwargs):
        headers = {"Authorization": f"token {auth or self.token}"} if (auth or self.token) else {}
        headers.update(kwargs.pop("headers", {}))
        if isinstance(body, dict | list):
            body, headers["Content-Type"] = json.dumps(body), "application/json"
        request = HTTPRequest(
            self.hub + path,
            method=method,
            body=body,
            headers=headers,
            request_timeout=kwargs.pop("timeout", 120),
            follow_redirects=False,
            allow_nonstandard_methods=True,
            **kwargs,
        )
        return await AsyncHTTPClient().fetch(request, raise_error=False)

    async def _json(self, path: str, method: str = "GET", body=None, auth: str | None = None, ok=(200, 201)):
        response = await self._fetch(path, method, body, auth)
        if response.code not in ok:
            raise StudentError(f"{self.name}: {method} {path} -> {response.code} {response.body[:300]!r}")
        return json.loads(response.body) if response.body else None

    # --- the class flow ---------------------------------------------------------------------------

    async def log_in(self) -> None:
        """Fill in the hub's login form (the rehearsal's seat login) and check the hub accepts it."""
        page = await self._fetch("/hub/login", auth="")
        jar = SimpleCookie()
        for header in page.headers.get_list("Set-Cookie"):
            jar.load(header)
        xsrf = jar["_xsrf"].value if "_xsrf" in jar else ""
        form = urlencode({"username": self.name, "password": self.password, "_xsrf": xsrf})
        cookie = "; ".join(f"{k}={v.value}" for k, v in jar.items())
        answer = await self._fetch(
            "/hub/login?next=", "POST", form, auth="", headers={"Cookie": cookie, "Referer": self.hub + "/hub/login"}
        )
        if answer.code != 302 or "/hub/login" in answer.headers.get("Location", "/hub/login"):
            raise StudentError(f"{self.name}: login refused ({answer.code})")
        self.token = (await self._json(f"/hub/api/users/{self.name}/tokens", "POST", {}, self.service_token))["token"]

    async def start_server(self, timeout: float = 660) -> None:
        """Ask the hub for this student's server and wait until it is ready.

        Waits on the hub's progress stream, as the browser's spawn page does: one open request, not one
        request a second (30 students polling kept the hub's event loop too busy to add their routes), and
        until the hub itself reports ready or failed (its start_timeout, 600 s, includes the wait for a
        boot slot), not for a shorter time of its own."""
        await self._json(f"/hub/api/users/{self.name}/server", "POST", {}, ok=(201, 202, 400))
        events: list[dict] = []

        def collect(chunk: bytes) -> None:
            for line in chunk.decode(errors="replace").splitlines():
                if line.startswith("data: "):
                    events.append(json.loads(line[6:]))

        await self._fetch(f"/hub/api/users/{self.name}/server/progress", streaming_callback=collect, timeout=timeout)
        user = await self._json(f"/hub/api/users/{self.name}", auth=self.service_token)
        if not user.get("servers", {}).get("", {}).get("ready"):
            said = [e.get("message") for e in events if e.get("failed")] or [e.get("message") for e in events[-2:]]
            raise StudentError(f"{self.name}: server not ready within {timeout} s ({said})")

    async def server_running(self) -> bool:
        user = await self._json(f"/hub/api/users/{self.name}", auth=self.service_token)
        return bool(user.get("servers", {}).get(""))

    async def pull(self, repo: str, branch: str, timeout: float = 180) -> None:
        """What the nbgitpuller link does in the browser: stream ``git-pull/api`` until it finishes."""
        query = urlencode({"repo": repo, "branch": branch, "targetpath": COURSE_FOLDER})
        events: list[dict] = []

        def collect(chunk: bytes) -> None:
            for line in chunk.decode(errors="replace").splitlines():
                if line.startswith("data: "):
                    events.append(json.loads(line[6:]))

        for _ in range(PULL_ATTEMPTS):
            response = await self._fetch(
                f"/user/{self.name}/git-pull/api?{query}", streaming_callback=collect, timeout=timeout
            )
            if response.code != 404:
                break
            # Just after start the server answers before nbgitpuller's handler is registered (a browser
            # shows "404" and the student reloads the page): try again shortly.
            await asyncio.sleep(2)
        phases = [e.get("phase") for e in events]
        if "finished" not in phases:
            errors = [e.get("message") for e in events if e.get("phase") == "error"]
            raise StudentError(f"{self.name}: nbgitpuller did not finish ({errors or phases[-3:]})")

    def notebook_path(self, notebook: str) -> str:
        return f"{COURSE_FOLDER}/notebooks/{notebook}"

    async def read_notebook(self, notebook: str) -> dict:
        return (await self._json(f"/user/{self.name}/api/contents/{self.notebook_path(notebook)}?content=1"))["content"]

    async def save_notebook(self, notebook: str, content: dict) -> None:
        body = {"type": "notebook", "format": "json", "content": content}
        await self._json(f"/user/{self.name}/api/contents/{self.notebook_path(notebook)}", "PUT", body)

    async def open_kernel(self, notebook: str) -> str:
        path = self.notebook_path(notebook)
        body = {"path": path, "name": notebook, "type": "notebook", "kernel": {"name": "python3"}}
        session = await self._json(f"/user/{self.name}/api/sessions", "POST", body)
        self.kernels[notebook] = session["kernel"]["id"]
        return session["kernel"]["id"]

    async def kernel_state(self, notebook: str) -> str:
        """The server's view of the notebook's kernel: 'idle', 'busy', 'starting', 'autorestarting', 'dead', ..."""
        return (await self._json(f"/user/{self.name}/api/kernels/{self.kernels[notebook]}"))["execution_state"]

    async def shut_down_kernels(self) -> None:
        for kernel in self.kernels.values():
            await self._fetch(f"/user/{self.name}/api/kernels/{kernel}", "DELETE")
        self.kernels.clear()

    async def _channels(self, kernel: str, session: str):
        channels = f"/user/{self.name}/api/kernels/{kernel}/channels?session_id={session}"
        url = self.hub.replace("http", "ws", 1) + channels
        request = HTTPRequest(url, headers={"Authorization": f"token {self.token}"}, request_timeout=60)
        return await websocket_connect(request)

    async def execute(self, code: str, timeout: float = 60) -> str:
        """Run ``code`` in a fresh kernel of this student's server, as a cell would; return what it printed."""
        kernel = (await self._json(f"/user/{self.name}/api/kernels", "POST", {"name": "python3"}))["id"]
        session, msg_id, printed = uuid.uuid4().hex, uuid.uuid4().hex, []
        socket = await self._channels(kernel, session)
        try:
            socket.write_message(json.dumps(_message("execute_request", session, msg_id, code)))
            deadline = time.monotonic() + timeout
            while True:
                raw = await asyncio.wait_for(socket.read_message(), max(0.1, deadline - time.monotonic()))
                if raw is None:
                    raise KernelDied(f"{self.name}: websocket closed while running code")
                msg = json.loads(raw)
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                if msg["msg_type"] == "stream":
                    printed.append(msg["content"]["text"])
                elif msg["msg_type"] == "error":
                    printed.append(f"{msg['content']['ename']}: {msg['content']['evalue']}")
                elif msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                    return "".join(printed)
        finally:
            socket.close()
            await self._fetch(f"/user/{self.name}/api/kernels/{kernel}", "DELETE")

    async def run_all(self, notebook: str, cell_timeout: float = 120, on_cell=None) -> int:
        """Execute every code cell through the kernel's websocket; return the number of charts drawn for.

        Raises ``KernelDied`` if the kernel restarts or dies meanwhile, ``StudentError`` on a cell error.
        """
        cells = [c["source"] for c in (await self.read_notebook(notebook))["cells"] if c["cell_type"] == "code"]
        kernel = self.kernels.get(notebook) or await self.open_kernel(notebook)
        session = uuid.uuid4().hex
        socket = await self._channels(kernel, session)
        charts, bundle_asked, bundle_received = 0, False, False
        try:
            for index, source in enumerate(cells):
                if on_cell:
                    await on_cell(notebook, index)
                msg_id = uuid.uuid4().hex
                socket.write_message(json.dumps(_message("execute_request", session, msg_id, source)))
                replied = idle = False
                deadline = time.monotonic() + cell_timeout
                while not (replied and idle):
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise StudentError(f"{self.name}: {notebook} cell {index} ran longer than {cell_timeout} s")
                    try:
                        raw = await asyncio.wait_for(socket.read_message(), remaining)
                    except TimeoutError:
                        raise StudentError(
                            f"{self.name}: {notebook} cell {index} ran longer than {cell_timeout} s"
                        ) from None
                    if raw is None:
                        raise KernelDied(f"{self.name}: websocket closed during {notebook} cell {index}")
                    msg = _decoded(raw)
                    kind, content = msg["msg_type"], msg["content"]
                    parent = msg.get("parent_header", {}).get("msg_id")
                    if kind == "status" and content["execution_state"] in ("restarting", "dead", "autorestarting"):
                        raise KernelDied(f"{self.name}: kernel {content['execution_state']} in {notebook} cell {index}")
                    if kind == "comm_open" and _is_chart(content):
                        charts += 1
                        if not bundle_asked:  # the first chart's loader asks for Vega's module, as in the page
                            bundle_asked = True
                            custom = {"method": "custom", "content": {"type": REQUEST}}
                            ask = {"comm_id": content["comm_id"], "data": custom}
                            socket.write_message(json.dumps(_message("comm_msg", session, uuid.uuid4().hex, ask)))
                    if kind == "comm_msg" and content.get("data", {}).get("content", {}).get("type") == REPLY:
                        if len(content["data"]["content"].get("source", "")) < 500_000:
                            raise StudentError(f"{self.name}: the Vega bundle arrived truncated")
                        bundle_received = True
                    if kind == "execute_reply" and parent == msg_id:
                        replied = True
                        if content["status"] == "aborted":  # the kernel dropped it after an earlier error
                            raise CellAborted(f"{self.name}: {notebook} cell {index} was aborted by the kernel")
                        if content["status"] != "ok":
                            raise StudentError(
                                f"{self.name}: {notebook} cell {index} failed: {content.get('ename')}: "
                                f"{content.get('evalue')}"
                            )
                    if kind == "status" and parent == msg_id and content["execution_state"] == "idle":
                        idle = True
            deadline = time.monotonic() + cell_timeout
            while bundle_asked and not bundle_received:  # the page is not drawn until Vega's module arrives
                raw = await asyncio.wait_for(socket.read_message(), max(0.1, deadline - time.monotonic()))
                if raw is None:
                    raise KernelDied(f"{self.name}: websocket closed before the Vega bundle arrived")
                msg = _decoded(raw)
                bundle_received = msg["msg_type"] == "comm_msg" and (
                    msg["content"].get("data", {}).get("content", {}).get("type") == REPLY
                )
        finally:
            socket.close()
        self.charts[notebook] = charts
        return charts


def _decoded(raw: str | bytes) -> dict:
    """A kernel message off the websocket: JSON text, or Jupyter's binary framing when it carries buffers
    (the chart loader's reply carries the course font's files)."""
    return json.loads(raw) if isinstance(raw, str) else deserialize_binary_message(raw)


def _is_chart(content: dict) -> bool:
    state = content.get("data", {}).get("state", {})
    return content.get("target_name") == "jupyter.widget" and state.get("_esm") == LOADER_ESM


def _message(kind: str, session: str, msg_id: str, payload) -> dict:
    content = (
        payload
        if isinstance(payload, dict)
        else {"code": payload, "silent": False, "store_history": True, "allow_stdin": False, "stop_on_error": True}
    )
    return {
        "header": {
            "msg_id": msg_id,
            "msg_type": kind,
            "session": session,
            "username": "student",
            "date": "",
            "version": "5.3",
        },
        "parent_header": {},
        "metadata": {},
        "content": content,
        "channel": "shell",
        "buffers": [],
    }


async def attend(student: Student, repo: str, branch: str, notebooks: list[str]) -> dict:
    """One student's whole class: log in, start, pull, run every notebook; timings in seconds."""
    start = time.monotonic()
    await student.log_in()
    await student.start_server()
    await student.pull(repo, branch)
    ready = time.monotonic() - start
    for notebook in notebooks:
        await student.run_all(notebook)
    return {"name": student.name, "ready_s": ready, "done_s": time.monotonic() - start, "charts": dict(student.charts)}
