"""A crafted nbgitpuller link cannot pull outside a plain folder of the home (issue 18, finding 2).

The IT review's attack: a link that looks like the course link but has
``targetpath=.local/share/jupyter/kernels`` planted a kernel spec that ran the author's code in every later
kernel of the student who clicked it. Here a real Jupyter Server, configured as postBuild installs it,
receives that link (and its ``..``, absolute and default-from-repo variants) and must refuse each one
before git runs, while the course's own link still pulls into ``dmjak-course``.
"""

from __future__ import annotations

import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from servers import free_port, serving, token

from dmjak.tooling.classroom.links import COURSE_FOLDER
from dmjak.tooling.pull_guard import checked_targetpath

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
    home = tmp_path / "home"
    home.mkdir()
    repo = planted_repository(tmp_path / "evil")
    port, secret = free_port(), token()
    command = [
        str(Path(sys.executable).parent / "jupyter-server"),
        "--no-browser",
        "--allow-root",  # harmless when not root; CI runs as root
        f"--port={port}",
        f"--ServerApp.token={secret}",
        f"--ServerApp.root_dir={home}",
    ]
    env = {"HOME": str(home), "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")}
    with serving(command, "/api/status", port, tmp_path / "server.log", cwd=home, env=env) as base:
        for targetpath in (".local/share/jupyter/kernels", "../outside", str(tmp_path / "absolute")):
            code, body = pull(base, secret, repo=str(repo), branch="main", targetpath=targetpath)
            assert code == 400 and "refused" in body, (targetpath, code, body[-300:])
        # No targetpath: nbgitpuller would name the folder after the repository, here ".local".
        dotted = tmp_path / ".local"
        subprocess.run(["git", "clone", "-q", str(repo), str(dotted)], check=True)
        code, _ = pull(base, secret, repo=str(dotted), branch="main")
        assert code == 400
        code, body = pull(base, secret, repo=str(repo), branch="main", targetpath=COURSE_FOLDER)
        assert code == 200 and '"phase": "finished"' in body, body[-300:]
    assert not (home / ".local" / "share" / "jupyter" / "kernels").exists(), "no kernel spec was planted"
    assert not (tmp_path / "outside").exists()
    assert not (tmp_path / "absolute").exists()
    assert (home / COURSE_FOLDER / "python3" / "kernel.json").is_file(), "the plain folder was pulled"
