"""`make present NB=...`: open one course notebook in the presenter view (Voilà).

The lecturer may name the notebook by its stem (``05_baricitinib_cases``), its file name, or its path;
an unknown name is refused with the list of notebooks instead of a Voilà traceback. The kernel is
preheated: it runs the notebook before the lecturer opens the link.
Usage: ``python -m dmjak.tooling.present NOTEBOOK [VOILA OPTIONS...]``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from dmjak.course import notebook_paths
from dmjak.paths import notebooks_dir


def resolve(name: str) -> Path:
    """The course notebook that ``name`` (stem, file name or path) names; a ``ValueError`` listing every
    notebook when it names none."""
    stem = Path(name.strip()).name.removesuffix(".ipynb")
    known = {path.stem: path for path in notebook_paths()}
    if stem in known:
        return known[stem]
    choices = ", ".join(sorted(known))
    raise ValueError(f"There is no course notebook called {name!r}. Choose one of: {choices} (e.g. NB={min(known)}).")


# A kernel that has already run the notebook waits for the lecturer (Voilà's preheated kernels): opening
# the link then waits for the browser alone (benchmarks/presenter_wait.py). Options naming preheat win.
PREHEAT = ["--preheat_kernel=True", "--pool_size=1"]


def command(name: str, options: list[str]) -> list[str]:
    """The Voilà command line that presents ``name`` with ``options`` (preheated unless they say otherwise)."""
    notebook = resolve(name)
    preheat = [] if any("preheat" in option or "pool_size" in option for option in options) else PREHEAT
    voila = str(Path(sys.executable).with_name("voila"))
    return [voila, *preheat, *options, str(notebook.relative_to(notebooks_dir().parent))]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        print("usage: python -m dmjak.tooling.present NOTEBOOK [VOILA OPTIONS...]", file=sys.stderr)
        return 2
    try:
        line = command(argv[0], argv[1:])
    except ValueError as error:
        print(f"make present: {error}", file=sys.stderr)
        return 2
    print(" ".join(line), flush=True)
    os.chdir(notebooks_dir().parent)
    os.execv(line[0], line)  # Voilà replaces this process: Ctrl+C stops it directly
    return 0  # pragma: no cover (execv does not return)


if __name__ == "__main__":
    sys.exit(main())
