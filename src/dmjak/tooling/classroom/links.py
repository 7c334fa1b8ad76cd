"""nbgitpuller links that open the course on a JupyterHub (``python -m dmjak.tooling.classroom link``).

A student who opens a link logs in to the hub, nbgitpuller clones (or updates) the course into their home,
and JupyterLab opens on the start notebook (the presenter link opens the cases in Voilà instead).
"""

from __future__ import annotations

import subprocess
from urllib.parse import urlencode, urlsplit

from dmjak.course import notebook_paths
from dmjak.paths import repo_root

COURSE_FOLDER = "dmjak-course"  # where nbgitpuller puts the course in each home (its ``targetpath``)
START_NOTEBOOK = "00_start_here.ipynb"
PRESENTER_NOTEBOOK = "05_baricitinib_cases.ipynb"
INTERFACES = ("lab", "voila")


def course_notebooks() -> list[str]:
    """File names of the course notebooks (the only valid targets of a link)."""
    return [p.name for p in notebook_paths()]


def _checked_url(name: str, url: str, schemes: tuple[str, ...]) -> str:
    parts = urlsplit(url)
    if parts.scheme not in schemes or not parts.netloc:
        raise ValueError(f"{name} {url!r} is not a URL; expected one starting with {' or '.join(schemes)}://")
    return url.rstrip("/")


def urlpath(notebook: str = START_NOTEBOOK, interface: str = "lab", folder: str = COURSE_FOLDER) -> str:
    """The path, relative to a single-user server, that opens ``notebook`` of the pulled course."""
    if notebook not in course_notebooks():
        raise ValueError(f"notebook {notebook!r} is not in the course; valid notebooks: {course_notebooks()}")
    if interface not in INTERFACES:
        raise ValueError(f"interface {interface!r} is not known; valid interfaces: {list(INTERFACES)}")
    view = "lab/tree" if interface == "lab" else "voila/render"
    return f"{view}/{folder}/notebooks/{notebook}"


def pull_link(
    hub: str,
    repo: str,
    branch: str = "main",
    notebook: str = START_NOTEBOOK,
    interface: str = "lab",
    folder: str = COURSE_FOLDER,
) -> str:
    """The nbgitpuller link: log in to ``hub``, pull ``repo``@``branch`` into ``folder``, open ``notebook``."""
    hub = _checked_url("hub", hub, ("https", "http"))
    if not repo or not (urlsplit(repo).scheme or repo.startswith("/") or "@" in repo):
        raise ValueError(f"repo {repo!r} is not a git URL (https://..., git@host:path) or an absolute path")
    if not branch or any(c.isspace() for c in branch):
        raise ValueError(f"branch {branch!r} is not a git branch name")
    if not folder or folder.startswith(("/", ".")) or "/" in folder:
        raise ValueError(f"folder {folder!r} must be a single folder name inside the home, such as {COURSE_FOLDER!r}")
    query = {"repo": repo, "branch": branch, "targetpath": folder, "urlpath": urlpath(notebook, interface, folder)}
    return f"{hub}/hub/user-redirect/git-pull?{urlencode(query)}"


def origin_url() -> str | None:
    """The ``origin`` remote of this checkout, if it has one (the repository students should pull)."""
    done = subprocess.run(
        ["git", "-C", str(repo_root()), "remote", "get-url", "origin"], capture_output=True, text=True, check=False
    )
    url = done.stdout.strip() if done.returncode == 0 else ""
    return url or None
