"""Refuse nbgitpuller links whose ``targetpath`` leaves a plain folder of the home (issue 18, finding 2).

nbgitpuller 1.3.0 clones into ``os.path.join(home, targetpath)`` with no check, so a course-looking link
with ``targetpath=.local/share/jupyter/kernels`` (or ``../...``, or an absolute path) plants a kernel spec
that runs the link author's code in every later kernel of whoever clicks it (upstream
jupyterhub/nbgitpuller#330, still open). This Jupyter Server extension, enabled by
binder/jupyter_server_config.py, wraps nbgitpuller's page and API handlers so that only a single plain
folder name such as ``dmjak-course`` is accepted; anything else is answered with 400 before git runs.
"""

from __future__ import annotations

import functools
import inspect
import re

PLAIN_FOLDER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$")  # no dot first, no slash, no "..", not empty


def checked_targetpath(targetpath: str) -> str:
    """Return ``targetpath`` if it is one plain folder name in the home, else raise ValueError saying why."""
    if not PLAIN_FOLDER.match(targetpath or ""):
        raise ValueError(
            f"targetpath {targetpath!r} refused: a course link may only name one plain folder in your home "
            "(letters, digits, '-' or '_', not starting with a dot), such as 'dmjak-course'"
        )
    return targetpath


def effective_targetpath(get_argument) -> str:
    """The folder nbgitpuller would clone into, from the request's arguments (its own defaults included)."""
    repo = get_argument("repo", "")
    named = get_argument("targetpath", None) or get_argument("targetPath", None)
    return named if named is not None else repo.rstrip("/").split("/")[-1]


def _guarded(get):
    @functools.wraps(get)
    async def guarded_get(self, *args, **kwargs):
        from tornado import web

        try:
            checked_targetpath(effective_targetpath(self.get_argument))
        except ValueError as error:
            raise web.HTTPError(400, str(error), reason="targetpath refused") from None
        result = get(self, *args, **kwargs)  # None when @web.authenticated already sent the login redirect
        return await result if inspect.isawaitable(result) else result

    guarded_get.dmjak_guarded = True
    return guarded_get


def guard_handlers(handlers) -> None:
    """Wrap the ``get`` of each nbgitpuller handler class (once) with the targetpath check."""
    for handler in handlers:
        if not getattr(handler.get, "dmjak_guarded", False):
            handler.get = _guarded(handler.get)


def _load_jupyter_server_extension(serverapp) -> None:
    from nbgitpuller._compat import get_base_handler

    get_base_handler(serverapp)  # nbgitpuller picks its base class from the app before its handlers load
    from nbgitpuller import handlers

    guard_handlers([handlers.SyncHandler, handlers.UIHandler])
    serverapp.log.info("dmjak: nbgitpuller links may only pull into a plain folder of the home")
