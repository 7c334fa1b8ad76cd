"""The classroom pieces that need no hub: the nbgitpuller link, the sizing table, the Helm values."""

from __future__ import annotations

import json
import os
import sys
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from conftest import REPO

from dmjak.tooling.classroom import links, sizing
from dmjak.tooling.classroom.cli import main

HUB = "https://hub.example.edu"
REPO_URL = "https://github.com/example/dmjak-course"
FIGURES = {
    "students": 30,
    "server_mb": {"p50": 80.0, "max": 90.0},
    "kernel_mb": {"p50": 150.0, "max": 170.0},
    "practical_worst_case_mb": {"notebooks": 5, "server": 90.0, "kernels": [170.0] * 5, "total": 940.0},
}


def query(link: str) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}


def test_link_pulls_the_course_and_opens_the_start_notebook_in_jupyterlab():
    link = links.pull_link(HUB + "/", REPO_URL)
    assert link.startswith(f"{HUB}/hub/user-redirect/git-pull?")
    assert query(link) == {
        "repo": REPO_URL,
        "branch": "main",
        "targetpath": "dmjak-course",
        "urlpath": "lab/tree/dmjak-course/notebooks/00_start_here.ipynb",
    }


def test_presenter_link_opens_the_cases_in_voila(capsys):
    assert main(["link", "--hub", HUB, "--repo", REPO_URL, "--presenter", "--branch", "spring"]) == 0
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
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_every_course_notebook_can_be_linked_and_exists():
    for notebook in links.course_notebooks():
        path = links.urlpath(notebook).split("dmjak-course/", 1)[1]
        assert (REPO / path).is_file()


def test_memory_per_student_guarantees_two_kernels_and_limits_at_the_practicals_worst_case():
    per = sizing.memory_per_student(FIGURES)
    assert per == {"guarantee_mb": 448, "limit_mb": 960}  # 90+2*150=390 -> 448; worst case 940 -> 960


def test_sizing_rows_follow_from_the_guarantee():
    rows = {r["students"]: r for r in sizing.sizing_rows(FIGURES)}
    # 32 GiB node: (32768 - 2048) // 448 = 68 students per node; 200 students -> 3 nodes, 100 -> 2
    assert rows[200]["nodes_32gib"] == 3 and rows[100]["nodes_32gib"] == 2
    assert rows[200]["guaranteed_gib"] == 87.5  # 200 * 448 MB
    assert rows[200]["cores"] == 14  # 15 students per core
    assert sizing.students_per_machine(FIGURES, 24) == (24 * 1024 - 2048) // 448


def test_sizing_refuses_missing_figures_with_the_command_that_makes_them():
    with pytest.raises(ValueError, match="make classroom-bench"):
        sizing.memory_per_student({"server_mb": {"max": 90}})


def test_sizing_command_prints_the_table(tmp_path, capsys):
    path = tmp_path / "classroom.json"
    path.write_text(json.dumps(FIGURES))
    assert main(["sizing", "--figures", str(path)]) == 0
    out = capsys.readouterr().out
    assert "| 200 | 87.5 | 187.5 | 3 | 2 | 14 |" in out
    assert "448 MB guaranteed (server and 2 kernels) and 960 MB limit" in out


def helm_values() -> dict:
    return yaml.safe_load(sizing.HELM_VALUES.read_text())


def test_helm_values_pull_the_course_open_the_start_notebook_and_cull_idle_servers():
    values = helm_values()
    single = values["singleuser"]
    start = "/" + links.urlpath()
    assert single["defaultUrl"] == start
    assert "profileList" not in single, "no profile form between the link and the course"
    hook = " ".join(single["lifecycleHooks"]["postStart"]["exec"]["command"])
    assert "gitpuller " in hook and f"/home/jovyan/work/{links.COURSE_FOLDER}" in hook
    # The notebook root is the persistent volume, so the link's targetpath lands on it.
    assert values["hub"]["config"]["Spawner"]["notebook_dir"] == single["storage"]["homeMountPath"]
    assert values["cull"]["enabled"] is True and 0 < values["cull"]["timeout"] <= 3600


def test_the_image_culls_idle_kernels_and_servers_only_on_a_hub(tmp_path):
    from traitlets.config import Config

    def loaded(environ: dict) -> Config:
        config = Config()
        scope = {"get_config": lambda: config, "__name__": "config"}
        old = dict(os.environ)
        os.environ.clear()
        os.environ.update(environ)
        try:
            exec((REPO / "binder" / "jupyter_server_config.py").read_text(), scope)
        finally:
            os.environ.clear()
            os.environ.update(old)
        return config

    on_hub = loaded({"JUPYTERHUB_API_TOKEN": "x"})
    kernels = on_hub.MappingKernelManager
    assert 0 < kernels.cull_idle_timeout <= 30 * 60 and kernels.cull_connected is True and kernels.cull_interval <= 120
    assert on_hub.ServerApp.shutdown_no_activity_timeout == helm_values()["cull"]["timeout"]
    assert on_hub.VoilaConfiguration.template == "dmjak-presenter"
    laptop = loaded({})
    assert "cull_idle_timeout" not in laptop.MappingKernelManager, "make lab never shuts a kernel down by itself"
    postbuild = (REPO / "binder" / "postBuild").read_text()
    assert "binder/jupyter_server_config.py" in postbuild and "binder/ipython_kernel_config.py" in postbuild


def test_helm_memory_and_lecturer_table_follow_from_the_committed_measurements():
    figures = json.loads(sizing.MEASURED.read_text())
    assert figures["students"] >= 30 and figures["failures"] == 0, "publish only a clean run of 30+ students"
    per = sizing.memory_per_student(figures)
    memory = helm_values()["singleuser"]["memory"]
    assert memory == {"guarantee": f"{per['guarantee_mb']}M", "limit": f"{per['limit_mb']}M"}
    page = sizing.LECTURER_PAGE.read_text()
    assert sizing.sizing_markdown(figures) in page, "run `python -m dmjak.tooling.classroom sizing --publish`"


def test_publish_refuses_a_run_with_failures():
    with pytest.raises(ValueError, match="publish only a clean run"):
        sizing.publish({**FIGURES, "failures": 2})


def test_binder_image_has_nbgitpuller_and_builds_the_vega_bundle_once():
    assert "-r ../requirements.txt" in (REPO / "binder" / "requirements.txt").read_text()
    assert "nbgitpuller==" in (REPO / "requirements.txt").read_text()
    assert "python -m dmjak.tooling.shared_chart" in (REPO / "binder" / "postBuild").read_text()


def test_a_python_the_students_cannot_reach_is_named_before_any_hub_starts(tmp_path, monkeypatch):
    """The rehearsal runs each student as another OS user with this environment's Python: one they cannot
    reach (pyenv's under /root; here one under pytest's private temporary folder) is named, not run."""
    from dmjak.tooling.classroom import hub

    python = tmp_path / "python3"
    python.write_text("")
    monkeypatch.setattr(sys, "executable", str(python))
    assert hub.unreachable_for_students() == python
    with pytest.raises(hub.NeedsRoot, match=f"cannot reach {python}.*make setup PYTHON=/usr/bin/python3.11"):
        with hub.running_hub(state=tmp_path / "state"):
            pass
