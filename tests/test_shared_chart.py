"""Live charts ship Vega's JavaScript once per page: a tiny loader per chart, the bundle on request."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import altair as alt
import pytest
from conftest import REPO

from dmjak import fonts
from dmjak.tooling.shared_chart import (
    LOADER_ESM,
    PRELOAD,
    REPLY,
    REQUEST,
    STATIC_MODULE,
    SharedJupyterChart,
    build_bundle,
    bundle_path,
    vega_bundle,
)


@pytest.fixture
def chart_widget():
    chart = alt.Chart(alt.Data(values=[{"week": 0, "score": 28}])).mark_point().encode(x="week:Q", y="score:Q")
    widget = SharedJupyterChart(chart)
    widget.sent = []
    widget.send = lambda content, buffers=None: widget.sent.append((content, buffers))
    return widget


def test_each_chart_carries_a_loader_of_a_few_hundred_bytes_not_the_bundle(chart_widget):
    assert chart_widget._esm == LOADER_ESM
    assert len(LOADER_ESM.encode()) < 2_000
    assert len(vega_bundle().encode()) > 500_000, "the bundle really is the large offline Vega module"
    assert "export{__default as default}" in vega_bundle(), "the loader imports its default export"


def test_the_bundle_is_sent_only_in_answer_to_the_loaders_request(chart_widget):
    chart_widget._send_bundle(chart_widget, {"type": "something-else"}, [])
    assert chart_widget.sent == []
    chart_widget._send_bundle(chart_widget, {"type": REQUEST}, [])
    [(content, buffers)] = chart_widget.sent
    assert content["type"] == REPLY and content["source"] == vega_bundle()
    # the course font travels with the module, one binary buffer per face, described in the same order
    assert [(f["family"], f["weight"], f["style"]) for f in content["fonts"]] == [
        (fonts.FAMILY, face.weight, face.style) for face in fonts.faces()
    ]
    assert buffers == [face.path.read_bytes() for face in fonts.faces()]


def test_building_the_bundle_leaves_altairs_own_offline_setting_as_it_was(tmp_path):
    before = alt.JupyterChart._is_offline
    written = build_bundle(tmp_path / "bundle.js")
    assert alt.JupyterChart._is_offline == before
    assert written.read_text() == vega_bundle(), "the same module whichever file it was built into"


def test_a_kernel_reads_the_bundle_from_its_file_and_never_loads_vl_convert(tmp_path, monkeypatch):
    """A missing bundle is built by a child process; the kernel (this process) only reads the file."""
    monkeypatch.setenv("DMJAK_CACHE_DIR", str(tmp_path))
    assert not bundle_path().exists()
    code = (
        "import sys; from dmjak.tooling.shared_chart import vega_bundle; b = vega_bundle(); "
        "print(len(b), 'vl_convert' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    size, loaded = done.stdout.split()
    assert int(size) > 500_000 and loaded == "False"
    assert bundle_path().is_file() and bundle_path().parent == tmp_path
    assert "altair-" + alt.__version__ in bundle_path().name, "a new Altair gets a new bundle"


def test_the_presenter_template_gets_the_module_and_the_font_as_static_files(tmp_path):
    """`--static` (run by binder/postBuild) copies the bundle and every face the presenter template names."""
    done = subprocess.run(
        [sys.executable, "-m", "dmjak.tooling.shared_chart", "--static", str(tmp_path / "static")],
        capture_output=True,
        text=True,
        check=True,
    )
    written = {Path(line).name for line in done.stdout.split()}
    assert written == {STATIC_MODULE, *(face.path.name for face in fonts.faces())}
    assert (tmp_path / "static" / STATIC_MODULE).read_text() == vega_bundle()
    for face in fonts.faces():
        assert (tmp_path / "static" / face.path.name).read_bytes() == face.data()
    template = (REPO / "src/dmjak/tooling/templates/voila/dmjak-presenter/index.html.j2").read_text()
    assert f'include_url("static/{STATIC_MODULE}")' in template
    for face in fonts.faces():  # each face is loaded under the family, weight and style the charts ask for
        url = '{{ resources.include_url("static/' + face.path.name + '") }}'
        assert f"['{face.weight}', '{face.style}', '{url}']" in template
    assert f"new FontFace('{fonts.FAMILY}'" in template
    assert f"window.{PRELOAD} = " in template and f"globalThis.{PRELOAD}" in LOADER_ESM
    assert (
        '--static "${NB_PYTHON_PREFIX}/share/jupyter/voila/templates/dmjak-presenter/static"'
        in (REPO / "binder" / "postBuild").read_text()
    )
