"""The classroom pieces that need no hub: the nbgitpuller link, the sizing table, the Helm values."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import REPO

from dmjak import classroom

HUB = "https://hub.example.edu"
REPO_URL = "https://github.com/example/dmjak-course"
FIGURES = {"students": 30, "server_mb": {"p50": 80.0, "max": 90.0}, "kernel_mb": {"p50": 150.0, "max": 170.0}}


def query(link: str) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}


def test_link_pulls_the_course_and_opens_the_start_notebook_in_jupyterlab():
    link = classroom.pull_link(HUB + "/", REPO_URL)
    assert link.startswith(f"{HUB}/hub/user-redirect/git-pull?")
    assert query(link) == {
        "repo": REPO_URL,
        "branch": "main",
        "targetpath": "dmjak-course",
        "urlpath": "lab/tree/dmjak-course/notebooks/00_start_here.ipynb",
    }


def test_presenter_link_opens_the_cases_in_voila(capsys):
    assert classroom.main(["link", "--hub", HUB, "--repo", REPO_URL, "--presenter", "--branch", "spring"]) == 0
    fields = query(capsys.readouterr().out.strip())
    assert fields["urlpath"] == "voila/render/dmjak-course/notebooks/05_baricitinib_cases.ipynb"
    assert fields["branch"] == "spring"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--hub", "hub.example.edu"], "is not a URL; expected one starting with https or http://"),
        (["--hub", HUB, "--notebook", "07_nothing.ipynb"], "valid notebooks: ['00_start_here.ipynb'"),
        (["--hub", HUB, "--folder", "../elsewhere"], "must be a single folder name"),
        (["--hub", HUB, "--repo", "course"], "is not a git URL"),
    ],
)
def test_bad_input_is_refused_with_the_valid_choices(arguments, message, capsys):
    argv = ["link", *arguments] if "--repo" in arguments else ["link", "--repo", REPO_URL, *arguments]
    assert classroom.main(argv) == 2
    assert message in capsys.readouterr().err


def test_every_course_notebook_can_be_linked_and_exists():
    for notebook in classroom.course_notebooks():
        path = classroom.urlpath(notebook).split("dmjak-course/", 1)[1]
        assert (REPO / path).is_file()


def test_memory_per_student_is_server_plus_kernels_rounded_up():
    per = classroom.memory_per_student(FIGURES)
    assert per == {"guarantee_mb": 256, "limit_mb": 448}  # 90+150=240 -> 256; 90+2*170=430 -> 448


def test_sizing_rows_follow_from_the_guarantee():
    rows = {r["students"]: r for r in classroom.sizing_rows(FIGURES)}
    # 32 GiB node: (32768 - 2048) // 256 = 120 students per node; 200 students -> 2 nodes
    assert rows[200]["nodes_32gib"] == 2 and rows[100]["nodes_32gib"] == 1
    assert rows[200]["guaranteed_gib"] == 50.0  # 200 * 256 MB
    assert classroom.students_per_machine(FIGURES, 24) == (24 * 1024 - 2048) // 256


def test_sizing_refuses_missing_figures_with_the_command_that_makes_them():
    with pytest.raises(ValueError, match="make classroom-bench"):
        classroom.memory_per_student({"server_mb": {"max": 90}})


def test_sizing_command_prints_the_table(tmp_path, capsys):
    path = tmp_path / "classroom.json"
    path.write_text(json.dumps(FIGURES))
    assert classroom.main(["sizing", "--figures", str(path)]) == 0
    out = capsys.readouterr().out
    assert "| 200 | 50.0 | 87.5 | 2 | 1 |" in out and "256 MB guaranteed and 448 MB limit" in out
