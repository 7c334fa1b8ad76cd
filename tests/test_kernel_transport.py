"""On a hub, another user of the machine cannot read what a student's kernel runs and prints.

IT attack 2, finding 3: kernels listen on TCP ports of 127.0.0.1, and on one machine shared by a class any
student subscribed to another's IOPub port and read the code of every cell and its output. With the
course's server settings on a hub, the kernel's channels use CurveZMQ: a subscriber without the keys (which
only the student can read, in the connection file) receives nothing, while the student's own server does.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import zmq
from jupyter_client.manager import KernelManager
from traitlets.config import Config

REPO = Path(__file__).resolve().parents[1]


def hub_server_config() -> Config:
    """binder/jupyter_server_config.py as a student's server on a hub loads it."""
    config = Config()
    old = dict(os.environ)
    os.environ["JUPYTERHUB_API_TOKEN"] = "a-hub-started-this-server"
    try:
        exec((REPO / "binder" / "jupyter_server_config.py").read_text(), {"get_config": lambda: config})
    finally:
        os.environ.clear()
        os.environ.update(old)
    return config


def test_a_classmate_subscribing_to_a_kernels_output_port_reads_nothing(tmp_path):
    kernel = KernelManager(kernel_name="python3", config=hub_server_config())
    kernel.connection_file = str(tmp_path / "kernel.json")
    kernel.start_kernel()
    context = zmq.Context()
    sniffer = context.socket(zmq.SUB)
    try:
        client = kernel.client()
        client.start_channels()
        client.wait_for_ready(timeout=120)
        sniffer.setsockopt(zmq.SUBSCRIBE, b"")
        sniffer.connect(f"tcp://{kernel.ip}:{kernel.iopub_port}")  # the port is visible in /proc/net/tcp
        time.sleep(1)
        client.execute("print('ANSWER-Q3: baricitinib 4 mg')")
        printed, deadline = "", time.monotonic() + 60
        while "ANSWER-Q3" not in printed and time.monotonic() < deadline:
            message = client.get_iopub_msg(timeout=60)
            if message["msg_type"] == "stream":
                printed += message["content"]["text"]
        assert "ANSWER-Q3" in printed, "the student's own server reads the output"
        overheard = []
        while sniffer.poll(2000):
            overheard.append(b"".join(sniffer.recv_multipart()))
        assert not overheard, f"a subscriber without the keys received {len(overheard)} messages"
        client.stop_channels()
    finally:
        sniffer.close(linger=0)
        context.term()
        kernel.shutdown_kernel(now=True)
