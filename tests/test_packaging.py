"""`pip install .` gives a complete package: the wheel holds every module and every file the code opens
(nbconvert and Voilà templates, the kernel's sitecustomize), declares real dependencies, and works
installed outside the checkout's src/ folder."""

from __future__ import annotations

import email
import os
import subprocess
import sys
import tomllib
import zipfile

import pytest
from conftest import REPO
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from test_environment import top_level

PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(out), str(REPO)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    (path,) = out.glob("dmjak-*.whl")
    return path


def test_wheel_holds_every_source_file_and_the_package_data(wheel):
    source = REPO / "src"
    expected = {
        p.relative_to(source).as_posix()
        for p in (source / "dmjak").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    names = set(zipfile.ZipFile(wheel).namelist())
    assert expected - names == set()
    for data in (
        "dmjak/tooling/templates/dmjak_offline/index.html.j2",
        "dmjak/tooling/templates/voila/dmjak-presenter/index.html.j2",
        "dmjak/tooling/_kernel_site/sitecustomize.py",
    ):
        assert data in names


def test_wheel_metadata_declares_the_licence_and_real_dependencies(wheel):
    with zipfile.ZipFile(wheel) as archive:
        (meta,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        metadata = email.message_from_bytes(archive.read(meta))
    assert metadata["License-Expression"] == "MIT"
    requires = {canonicalize_name(Requirement(r).name) for r in metadata.get_all("Requires-Dist")}
    assert {"altair", "pandas", "ipywidgets", "papermill", "vl-convert-python", "voila"} <= requires


def test_dependencies_admit_the_locked_versions():
    pinned = top_level(REPO / "requirements.in")
    for line in PROJECT["dependencies"]:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{name} is a dependency but not in requirements.in"
        assert requirement.specifier.contains(pinned[name]), f"{line} excludes the tested {name}=={pinned[name]}"


def test_installed_wheel_finds_its_templates_and_exports_a_page(wheel, tmp_path):
    target = tmp_path / "site-packages"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    probe = (
        "import dmjak, nbformat\n"
        "from nbconvert import HTMLExporter\n"
        "from dmjak.tooling import export, harness\n"
        f"assert dmjak.__file__.startswith({str(target)!r}), dmjak.__file__\n"
        "assert (harness.KERNEL_SITE / 'sitecustomize.py').is_file()\n"
        "nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell('# Installed')])\n"
        "exporter = HTMLExporter(template_name='dmjak_offline', extra_template_basedirs=[str(export.TEMPLATES)])\n"
        "page, _ = exporter.from_notebook_node(nb)\n"
        "export.check_offline(page, 'probe')\n"
        "assert 'Installed' in page\n"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
