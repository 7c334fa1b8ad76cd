"""One student on the rehearsal hub: log in, start a server, nbgitpuller pulls the course, the start notebook runs.

The real software of ``make classroom`` (JupyterHub, npm's configurable-http-proxy, nbgitpuller, a local
single-user JupyterLab) on loopback; about 15 s. The 30-student load test is ``make classroom-bench``.
"""

from __future__ import annotations

import asyncio

import pytest
from conftest import skip_or_fail

from dmjak.classroom import COURSE_FOLDER
from dmjak.tooling import hub as rehearsal
from dmjak.tooling.student import Student, StudentError

pytestmark = pytest.mark.xdist_group("hub")


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    if not rehearsal.PROXY.exists():
        skip_or_fail("configurable-http-proxy is not installed in node_modules", "Run `npm ci` (make setup does).")
    with rehearsal.running_hub(state=tmp_path_factory.mktemp("hub")) as hub:
        yield hub


def test_a_student_logs_in_gets_the_course_pulled_and_runs_the_start_notebook(running):
    student = Student(running.url, "ada", running.service_token)

    async def attend():
        await student.log_in()
        await student.start_server()
        await student.pull(str(rehearsal.repo_root()), rehearsal.current_branch())
        charts = await student.run_all("00_start_here.ipynb")
        await student.shut_down_kernels()
        return charts

    charts = asyncio.run(attend())
    assert charts >= 1, "the start notebook's planner chart was shown as a live chart widget"
    pulled = running.home("ada") / COURSE_FOLDER / "notebooks" / "00_start_here.ipynb"
    assert pulled.is_file(), "nbgitpuller put the course into the student's own home"
    assert (running.home("ada") / COURSE_FOLDER / ".git").is_dir()


def test_the_hub_refuses_a_student_it_does_not_know_and_listens_on_loopback_only(running):
    assert running.url.startswith("http://127.0.0.1:")
    stranger = Student(running.url, "nobody", running.service_token)
    with pytest.raises(StudentError, match="-> 404"):
        asyncio.run(stranger._json("/hub/api/users/nobody", auth=running.service_token))


def test_the_link_printed_by_make_classroom_pulls_this_checkout_into_the_course_folder(running):
    link = running.link()
    assert link.startswith(running.url + "/hub/user-redirect/git-pull?")
    assert f"targetpath={COURSE_FOLDER}" in link
    assert "urlpath=lab%2Ftree%2Fdmjak-course%2Fnotebooks%2F00_start_here" in link
