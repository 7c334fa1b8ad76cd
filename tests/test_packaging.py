"""`pip install .` gives a complete package: the wheel holds every module and every file the code opens
(nbconvert and Voilà templates, the kernel's sitecustomize), declares real dependencies, and works
installed outside the checkout's src/ folder."""

from __future__ import annotations

import ast
import email
import importlib.metadata
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


def installed_by(requirements: list[str], extras: tuple[str, ...] = ()) -> set[str]:
    """The distributions that installing ``requirements`` brings in (themselves and everything they require),
    read from this environment's metadata; a requirement's extras are followed, others are not."""
    found: set[str] = set()
    todo = [Requirement(r) for r in requirements]
    while todo:
        requirement = todo.pop()
        name = canonicalize_name(requirement.name)
        if name in found:
            continue
        found.add(name)
        try:
            requires = importlib.metadata.distribution(name).requires or []
        except importlib.metadata.PackageNotFoundError:  # left out on purpose (binder/postBuild says which)
            continue
        for line in requires:
            needed = Requirement(line)
            wanted = ("", *requirement.extras)
            if needed.marker is None or any(needed.marker.evaluate({"extra": e}) for e in wanted):
                todo.append(needed)
    return found


def third_party_imports(module) -> set[str]:
    """Top-level names a module imports that are neither the standard library nor dmjak itself."""
    names = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {"dmjak", "__future__"}


def test_every_module_imports_only_what_its_requirements_install():
    """`pip install dmjak` must give every module what it imports; the classroom tooling may also use its
    extra (`pip install "dmjak[classroom]"`), and only it."""
    core = installed_by(PROJECT["dependencies"])
    classroom = core | installed_by(PROJECT.get("optional-dependencies", {}).get("classroom", []))
    provides = importlib.metadata.packages_distributions()
    missing = []
    for module in sorted((REPO / "src" / "dmjak").rglob("*.py")):
        path = module.relative_to(REPO / "src")
        allowed = classroom if path.parts[:3] == ("dmjak", "tooling", "classroom") else core
        for name in sorted(third_party_imports(module)):
            distributions = {canonicalize_name(d) for d in provides.get(name, [name])}
            if not distributions & allowed:
                missing.append(f"{path.as_posix()} imports {name} ({', '.join(sorted(distributions))})")
    assert not missing, "not installed by the declared requirements:\n" + "\n".join(missing)


def test_the_package_top_level_holds_no_classroom_tooling():
    """The hub's operations and the load-test client live in dmjak.tooling.classroom, not beside the course."""
    top = {p.stem for p in (REPO / "src" / "dmjak").glob("*.py")}
    tooling = {p.stem for p in (REPO / "src" / "dmjak" / "tooling").glob("*.py")}
    assert not top & {"classroom", "hub", "student"}
    assert not tooling & {"hub", "student", "rehearsal_login", "rehearsal_users", "student_limits"}


def test_dependencies_admit_the_locked_versions():
    pinned = top_level(REPO / "requirements.in") | top_level(REPO / "requirements-test.in")
    optional = [line for lines in PROJECT["optional-dependencies"].values() for line in lines]
    for line in PROJECT["dependencies"] + optional:
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
