"""The "existing university hub" route of docs/classroom.md, followed word for word.

The documented steps run in bash exactly as written, with a local clone of this checkout standing in for
the git URL and a temporary folder for /opt. Then the course is laid out in a student's home as the
student's link does it (nbgitpuller's ``gitpuller`` from the built environment, into ``dmjak-course``),
and every notebook runs there in that environment's kernel. The server command the page names must exist.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import REPO

from dmjak.course import notebook_paths
from dmjak.tooling.classroom.hub import current_branch
from dmjak.tooling.classroom.links import COURSE_FOLDER
from dmjak.tooling.classroom.sizing import LECTURER_PAGE

START, END = "<!-- existing-hub steps -->", "<!-- end of existing-hub steps -->"


def documented_steps() -> str:
    block = LECTURER_PAGE.read_text().split(START, 1)[1].split(END, 1)[0]
    return block.split("```bash\n", 1)[1].split("```", 1)[0]


def run(command, **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    assert done.returncode == 0, f"{command} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


def test_the_documented_steps_give_an_environment_that_runs_every_notebook_pulled_by_the_link(tmp_path):
    steps = documented_steps()
    assert "git clone --branch main https://github.com/OWNER/REPO /opt/dmjak-course" in steps
    assert "requirements.txt" in steps and "binder/postBuild" in steps
    assert "python3.11 -m venv /opt/dmjak-env" in steps and "3.12 and 3.13 work too" in steps
    opt, branch = tmp_path / "opt", current_branch()
    opt.mkdir()
    # The page names 3.11 and says 3.12 and 3.13 work too: the environment is made from the Python these
    # tests run on, so each leg of the scheduled workflow checks the route with its own Python.
    script = (
        steps.replace("https://github.com/OWNER/REPO", str(REPO))
        .replace("--branch main", f"--branch {branch}")
        .replace("/opt/", f"{opt}/")
        .replace("python3.11 -m venv", f"{os.path.realpath(sys.executable)} -m venv")
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "DMJAK_", "PYTHON"))}
    run(["bash", "-euo", "pipefail", "-c", script], cwd=tmp_path, env=env, timeout=1800)
    python = opt / "dmjak-env" / "bin" / "python"
    version = run([str(python), "-c", "import sys; print(sys.version_info[:2])"], env=env).stdout.strip()
    assert version == str(sys.version_info[:2]), "the environment runs the Python under test"
    assert (opt / "dmjak-env" / "bin" / "jupyterhub-singleuser").is_file(), "the server command the page names"
    assert (opt / "dmjak-env" / "etc" / "jupyter" / "jupyter_server_config.py").is_file(), "hub settings installed"

    home = tmp_path / "home" / "student"
    home.mkdir(parents=True)
    gitpuller = opt / "dmjak-env" / "bin" / "gitpuller"
    run([str(gitpuller), str(REPO), branch, COURSE_FOLDER], cwd=home, env=env, timeout=300)
    pulled = notebook_paths(home / COURSE_FOLDER / "notebooks")
    assert [p.name for p in pulled] == [p.name for p in notebook_paths()]

    harness = run(
        [str(python), "-m", "dmjak.tooling.harness", "--json", "--output-dir", str(tmp_path / "executed")]
        + [str(p) for p in pulled],
        cwd=home,
        env=env,
        timeout=1800,
    )
    runs = [json.loads(line) for line in harness.stdout.splitlines() if line.startswith("{")]
    assert {r["notebook"] for r in runs} == {p.name for p in pulled}
    imported = run([str(python), "-c", "import dmjak, sys; print(dmjak.__file__)"], cwd=home, env=env)
    assert imported.stdout.strip().startswith(str(opt / "dmjak-course")), "the course package from the clone"
