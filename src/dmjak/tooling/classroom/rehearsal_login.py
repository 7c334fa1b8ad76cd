"""The rehearsal hub's login: each name has its own password, the lecturer (admin) a separate one (issue 18, finding 1).

A shared password let any student log in as another student or as the admin. Here a student's password
is an HMAC of the name under a secret that only ``make classroom`` (run by root) knows, so knowing your
own seat's password tells you nothing about another's; ``lecturer`` has an independent random password
printed only to the operator. For the loopback rehearsal only: a real class uses the institution's login
(deploy/jupyterhub/).
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from jupyterhub.auth import Authenticator
from traitlets import Unicode

LECTURER = "lecturer"


def seat_password(secret: str, name: str) -> str:
    """The password of ``name``: 16 characters of HMAC-SHA256(secret, name), easy to read out and type."""
    digest = hmac.new(secret.encode(), name.encode(), hashlib.sha256).digest()
    return base64.b32encode(digest).decode().lower()[:16]


class SeatAuthenticator(Authenticator):
    """Accept a name only with its own seat password, and ``lecturer`` only with the lecturer's password."""

    secret = Unicode(help="the secret the seat passwords are derived from").tag(config=True)
    lecturer_password = Unicode(help="the admin's own password").tag(config=True)

    async def authenticate(self, handler, data):
        if len(self.secret) < 16 or len(self.lecturer_password) < 16:
            raise ValueError("SeatAuthenticator needs a secret and a lecturer password of at least 16 characters")
        name = self.normalize_username(data.get("username", ""))
        expected = self.lecturer_password if name == LECTURER else seat_password(self.secret, name)
        if name and hmac.compare_digest(data.get("password", "").encode(), expected.encode()):
            return name
        return None
