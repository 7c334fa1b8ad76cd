"""Refuse network access from Python code, keeping loopback and local sockets working.

The test harness installs this in every kernel it starts (via ``dmjak/tooling/_kernel_site/sitecustomize.py``),
so a notebook that tries to reach the internet fails loudly instead of passing on a networked
machine. Jupyter's own kernel channels use ZeroMQ's C sockets on loopback and are unaffected.
"""

from __future__ import annotations

import ipaddress
import socket

ENV_VAR = "DMJAK_BLOCK_NETWORK"
MESSAGE = "network access is disabled in this run (course notebooks must work offline)"

_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}


class NetworkBlockedError(OSError):
    """Raised instead of opening a connection to a non-loopback address."""


def _is_local(host) -> bool:
    if host is None:
        return True
    host = host.decode() if isinstance(host, bytes) else str(host)
    if host in _LOCAL_NAMES or host == "":
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def install() -> None:
    """Patch ``socket`` so that only loopback and Unix-domain connections are allowed."""
    if getattr(socket, "_dmjak_guarded", False):
        return
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def _check(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address[0]):
            raise NetworkBlockedError(f"{MESSAGE}: refused connection to {address[0]!r}")

    def connect(self, address):
        _check(self, address)
        return real_connect(self, address)

    def connect_ex(self, address):
        _check(self, address)
        return real_connect_ex(self, address)

    def getaddrinfo(host, *args, **kwargs):
        if not _is_local(host):
            raise NetworkBlockedError(f"{MESSAGE}: refused name lookup of {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    socket.socket.connect, socket.socket.connect_ex = connect, connect_ex
    socket.getaddrinfo = getaddrinfo
    socket._dmjak_guarded = True
