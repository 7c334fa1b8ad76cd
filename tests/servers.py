"""The package's server helpers under the name the tests import (``from servers import serving``)."""

from dmjak.tooling.servers import free_port, serving, token, wait_until_answering

__all__ = ["free_port", "serving", "token", "wait_until_answering"]
