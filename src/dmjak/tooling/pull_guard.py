"""Refuse nbgitpuller links that do not pull the course into a plain folder of the home (issue 18).

nbgitpuller 1.3.0 clones any ``repo`` into ``os.path.join(home, targetpath)`` with no check. A
course-looking link with ``targetpath=.local/share/jupyter/kernels`` (or ``../...``, or an absolute path)
planted a kernel spec that ran the link author's code in every later kernel of whoever clicked it
(upstream jupyterhub/nbgitpuller#330, still open); one with the author's ``repo`` and a ``urlpath`` into
Voila ran the author's notebook as the student (or the lecturer, whose hub session it then used); one with
``backup=true`` replaced the course folder with the author's repository, from which every later course
link pulled. This Jupyter Server extension, enabled by binder/jupyter_server_config.py, wraps
nbgitpuller's page and API handlers: a link is answered with 400, before git runs, unless its ``repo`` is
one of the course's repositories (``DMJAK_COURSE_REPOS``, set by the hub's administrator: none set, no
link pulls), it names one plain folder such as ``dmjak-course``, asks for no ``backup``, and that folder,
if it exists, is a copy of a course repository.
"""

from __future__ import annotations

import functools
import inspect
import os
import re
import subprocess
from pathlib import Path

PLAIN_FOLDER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$")  # no dot first, no slash, no "..", not empty
COURSE_REPOS = "DMJAK_COURSE_REPOS"  # the repositories a link may pull, separated by spaces


def _normal(url: str) -> str:
    """A repository's address as compared: no trailing slash or ``.git``."""
    return url.strip().rstrip("/").removesuffix(".git").rstrip("/")


def course_repos() -> set[str]:
    """The repositories this server's links may pull (``DMJAK_COURSE_REPOS``)."""
    return {_normal(url) for url in os.environ.get(COURSE_REPOS, "").split()}


def checked_repo(repo: str, allowed: set[str]) -> str:
    """Return ``repo`` if it is one of the course's repositories, else raise ValueError saying why."""
    if not allowed:
        raise ValueError(
            f"repo {repo!r} refused: this server pulls only the course's repositories, and none is set "
            f"(the hub's administrator sets {COURSE_REPOS})"
        )
    if _normal(repo) not in allowed:
        raise ValueError(
            f"repo {repo!r} refused: a course link may only pull the course's repository ({', '.join(sorted(allowed))})"
        )
    return repo


def checked_folder(folder: Path, allowed: set[str]) -> None:
    """Raise ValueError if ``folder`` holds a git copy of a repository that is not the course's (a pull would
    update that one instead)."""
    config = folder / ".git" / "config"
    if not config.is_file():
        return
    origin = subprocess.run(  # only reads the file: no hook or included file of that copy runs
        ["git", "config", "--file", str(config), "--get", "remote.origin.url"], capture_output=True, text=True
    ).stdout.strip()
    if _normal(origin) not in allowed:
        raise ValueError(
            f"{folder.name!r} holds a copy of {origin or 'an unknown repository'!r}, not the course: rename or "
            "remove that folder, then open the course link again"
        )


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
            target = checked_targetpath(effective_targetpath(self.get_argument))
            allowed = course_repos()
            checked_repo(self.get_argument("repo", ""), allowed)
            if self.get_argument("backup", None) is not None:
                raise ValueError("backup refused: a course link never sets the course folder aside for another")
            home = Path(os.path.expanduser(self.settings["server_root_dir"]))
            checked_folder(home / os.getenv("NBGITPULLER_PARENTPATH", "") / target, allowed)
        except ValueError as error:
            raise web.HTTPError(400, str(error), reason="link refused") from None
        result = get(self, *args, **kwargs)  # None when @web.authenticated already sent the login redirect
        return await result if inspect.isawaitable(result) else result

    guarded_get.dmjak_guarded = True
    return guarded_get


def guard_handlers(handlers) -> None:
    """Wrap the ``get`` of each nbgitpuller handler class (once) with the checks."""
    for handler in handlers:
        if not getattr(handler.get, "dmjak_guarded", False):
            handler.get = _guarded(handler.get)


def _load_jupyter_server_extension(serverapp) -> None:
    from nbgitpuller._compat import get_base_handler

    get_base_handler(serverapp)  # nbgitpuller picks its base class from the app before its handlers load
    from nbgitpuller import handlers

    guard_handlers([handlers.SyncHandler, handlers.UIHandler])
    serverapp.log.info("dmjak: nbgitpuller links may only pull the course's repositories into a plain folder")
