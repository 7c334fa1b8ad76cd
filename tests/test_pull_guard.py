"""A crafted nbgitpuller link cannot pull outside a plain folder of the home (issue 18, finding 2).

The IT review's attack: a link that looks like the course link but has
``targetpath=.local/share/jupyter/kernels`` planted a kernel spec that ran the author's code in every later
kernel of the student who clicked it. Here a real Jupyter Server, configured as postBuild installs it,
receives that link (and its ``..``, absolute and default-from-repo variants) and must refuse each one
before git runs, while the course's own link still pulls into ``dmjak-course``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from servers import free_port, serving, token

from dmjak.tooling.classroom.links import COURSE_FOLDER
from dmjak.tooling.pull_guard import COURSE_REPOS, checked_repo, checked_targetpath

MALICIOUS = [
    ".local/share/jupyter/kernels",
    "../.local/share/jupyter/kernels",
    "/tmp/elsewhere",
    "dmjak-course/../.local",
    "..",
    ".ipython",
    "a/b",
    "",
]


@pytest.mark.parametrize("targetpath", MALICIOUS)
def test_a_targetpath_that_is_not_one_plain_folder_is_refused(targetpath):
    with pytest.raises(ValueError, match="refused"):
        checked_targetpath(targetpath)


def test_a_visitor_not_logged_in_is_sent_to_the_login_page_not_an_error():
    """nbgitpuller's ``get`` is wrapped by ``@web.authenticated``, which returns None (not a coroutine) once it
    has redirected a visitor who is not logged in; the guard awaited it and raised TypeError (a 500 in the log)."""
    import asyncio

    from dmjak.tooling.pull_guard import _guarded

    class Handler:
        settings = {"server_root_dir": "/nonexistent-home"}

        def get_argument(self, name, default=None):
            return {"repo": "https://example.org/course", "targetpath": COURSE_FOLDER}.get(name, default)

    os.environ[COURSE_REPOS] = "https://example.org/course"
    try:
        assert asyncio.run(_guarded(lambda self: None)(Handler())) is None
    finally:
        del os.environ[COURSE_REPOS]


@pytest.mark.parametrize("listed", ["", "https://github.com/course/dmjak"])
def test_a_repository_that_is_not_the_courses_is_refused(listed):
    """IT attack 2, finding 1: a link with the author's own repository and a plain ``targetpath`` passed."""
    allowed = {url for url in [listed] if url}
    with pytest.raises(ValueError, match="refused"):
        checked_repo("https://github.com/attacker/practice", allowed)


def test_the_courses_repository_is_accepted_with_or_without_git_and_slash():
    allowed = {"https://github.com/course/dmjak"}
    for repo in (
        "https://github.com/course/dmjak",
        "https://github.com/course/dmjak.git",
        "https://github.com/course/dmjak/",
    ):
        assert checked_repo(repo, allowed) == repo


def test_the_course_folder_is_accepted():
    assert checked_targetpath(COURSE_FOLDER) == COURSE_FOLDER


def planted_repository(path: Path) -> Path:
    """A git repository holding a kernel spec, as the attacker served it."""
    (path / "python3").mkdir(parents=True)
    (path / "python3" / "kernel.json").write_text('{"argv": ["sh", "-c", "echo planted"], "language": "python"}')
    for command in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "kernel"]):
        subprocess.run(["git", "-c", "user.name=a", "-c", "user.email=a@b", *command], cwd=path, check=True)
    return path


def pull(base: str, secret: str, **arguments) -> tuple[int, str]:
    request = urllib.request.Request(
        f"{base}/git-pull/api?{urllib.parse.urlencode(arguments)}", headers={"Authorization": f"token {secret}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_the_server_refuses_a_crafted_link_and_still_pulls_the_course_link(tmp_path):
    """IT attacks 1 and 2: a targetpath outside a plain folder planted a kernel; the author's own repository in
    a plain folder ran in Voila as the student; ``backup=true`` swapped the course folder for the author's."""
    home = tmp_path / "home"
    home.mkdir()
    repo = planted_repository(tmp_path / "evil")
    course = planted_repository(tmp_path / "course")
    port, secret = free_port(), token()
    command = [
        str(Path(sys.executable).parent / "jupyter-server"),
        "--no-browser",
        "--allow-root",  # harmless when not root; CI runs as root
        f"--port={port}",
        f"--ServerApp.token={secret}",
        f"--ServerApp.root_dir={home}",
    ]
    env = {"HOME": str(home), "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"), COURSE_REPOS: f"{course}.git"}
    with serving(command, "/api/status", port, tmp_path / "server.log", cwd=home, env=env) as base:
        for targetpath in (".local/share/jupyter/kernels", "../outside", str(tmp_path / "absolute")):
            code, body = pull(base, secret, repo=str(course), branch="main", targetpath=targetpath)
            assert code == 400 and "refused" in body, (targetpath, code, body[-300:])
        # No targetpath: nbgitpuller would name the folder after the repository, here ".local".
        dotted = tmp_path / ".local"
        subprocess.run(["git", "clone", "-q", str(course), str(dotted)], check=True)
        code, _ = pull(base, secret, repo=str(dotted), branch="main")
        assert code == 400
        code, body = pull(base, secret, repo=str(repo), branch="main", targetpath="practice")
        assert code == 400 and "refused" in body, "the author's repository, in a plain folder"
        code, body = pull(base, secret, repo=str(course), branch="main", targetpath=COURSE_FOLDER, backup="true")
        assert code == 400 and "backup refused" in body
        code, body = pull(base, secret, repo=str(course), branch="main", targetpath=COURSE_FOLDER)
        assert code == 200 and '"phase": "finished"' in body, body[-300:]
        # a course folder that already holds another repository (swapped earlier) is not pulled into
        subprocess.run(["git", "clone", "-q", str(repo), str(home / "swapped")], check=True)
        code, body = pull(base, secret, repo=str(course), branch="main", targetpath="swapped")
        assert code == 400 and "not the course" in body, body[-300:]
    assert not (home / ".local" / "share" / "jupyter" / "kernels").exists(), "no kernel spec was planted"
    assert not (tmp_path / "outside").exists()
    assert not (tmp_path / "absolute").exists()
    assert not (home / "practice").exists(), "the author's repository was not pulled"
    assert (home / COURSE_FOLDER / "python3" / "kernel.json").is_file(), "the plain folder was pulled"
