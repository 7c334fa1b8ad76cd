"""`make student-copy`: the repository students launch on Binder or a hub holds no instructor guide (the answer
key and the discussion answers) and still runs the course (review 2026-12, site-lecturer finding 1)."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import REPO
from test_site import key_answers, page_text


def test_the_student_copy_has_no_guide_and_runs_the_start_notebook(tmp_path):
    dest = tmp_path / "students"
    done = subprocess.run(
        ["make", "--no-print-directory", "student-copy", f"DEST={dest}"], cwd=REPO, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert not (dest / "instructors").exists()
    assert {"notebooks", "src", "data", "binder", "README.md", "Makefile"} <= {p.name for p in dest.iterdir()}
    guide = (REPO / "instructors" / "guide.md").read_text(encoding="utf-8")
    discussion = guide.split("## Discussion questions with model answers")[1].split("\n## ")[0]
    needles = [n for n in key_answers() if n in discussion]  # the guide's own answers (quiz ones stay, by design)
    assert needles
    texts = {p: page_text(p) for p in dest.rglob("*") if p.is_file() and p.suffix in (".md", ".ipynb", ".csv", ".py")}
    assert [(p.name, n) for p, text in texts.items() for n in needles if n in text] == []
    env = {**os.environ, "PYTHONPATH": str(dest / "src")}
    run = subprocess.run(
        [sys.executable, "-m", "dmjak.tooling.harness", str(dest / "notebooks" / "00_start_here.ipynb")],
        cwd=dest,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]


def test_the_student_copy_refuses_an_existing_folder(tmp_path):
    done = subprocess.run(
        ["make", "--no-print-directory", "student-copy", f"DEST={tmp_path}"], cwd=REPO, capture_output=True, text=True
    )
    assert done.returncode != 0 and "exists" in done.stdout + done.stderr
