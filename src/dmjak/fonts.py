"""The course's one typeface for chart text, so that a chart is laid out the same on every machine.

Vega places titles, labels and legends by measuring their text. Left at "sans-serif", a chart is
measured in whatever font the machine has (Arial on Windows, Helvetica on macOS, DejaVu Sans, about
15 % wider, on a bare Debian): laid out on one machine, its text runs outside the chart on another.
The course therefore names one openly licensed family, Lato (SIL Open Font License 1.1), installed from
PyPI with the course (the ``font-lato`` package, pure data), and gives the same files to every place
that measures or draws chart text:

- vl-convert, which draws the static SVG figures (``register_with_vl_convert``);
- the browser, for live charts in JupyterLab and Voilà: the chart loader adds the faces with the
  FontFace API before Vega measures anything (``dmjak.tooling.shared_chart``);
- exported pages, slides and standalone figures, through ``font_face_css`` and ``embed_in_svg`` (inline
  ``data:`` URLs: the pages stay offline).

No Python library does this: Altair and vl-convert leave the font to the machine.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from pathlib import Path

FAMILY = "Lato"
PACKAGE = "font-lato"
# The faces chart text uses: regular and bold (titles), each upright and italic (annotations).
_FACES = {
    ("normal", "normal"): "Regular",
    ("bold", "normal"): "Bold",
    ("normal", "italic"): "Italic",
    ("bold", "italic"): "BoldItalic",
}


@dataclass(frozen=True)
class Face:
    """One font file of the family, with the CSS descriptors that select it."""

    weight: str
    style: str
    path: Path

    def data(self) -> bytes:
        return self.path.read_bytes()


def font_dir() -> Path:
    """The installed family's folder (``font_lato/files``); a clear error if the package is missing."""
    try:
        import font_lato
    except ImportError as error:
        raise ImportError(
            f"The course font package {PACKAGE!r} is not installed: run `make setup` (or "
            f"`pip install -r requirements.txt`), which installs it from the lock."
        ) from error
    return Path(font_lato.font_directory)


@cache
def faces() -> tuple[Face, ...]:
    """The faces of ``FAMILY`` that chart text uses, each an existing file."""
    folder = font_dir()
    found = tuple(Face(weight, style, folder / f"{FAMILY}-{name}.ttf") for (weight, style), name in _FACES.items())
    missing = [str(face.path) for face in found if not face.path.is_file()]
    if missing:
        raise FileNotFoundError(f"the course font {FAMILY} is incomplete; missing: {missing}")
    return found


def identity() -> str:
    """Family and package version: part of every cache key of a drawn chart (other font, other layout)."""
    return f"{FAMILY} ({PACKAGE} {version(PACKAGE)})"


@cache
def register_with_vl_convert() -> None:
    """Make vl-convert measure and draw chart text in the course font (once per process)."""
    import vl_convert as vlc

    vlc.register_font_directory(str(font_dir()))


@cache
def font_face_css() -> str:
    """``@font-face`` rules for every face, as inline data (no file or network needed by the page)."""
    rules = []
    for face in faces():
        encoded = base64.b64encode(face.data()).decode("ascii")
        rules.append(
            f"@font-face{{font-family:'{FAMILY}';font-weight:{face.weight};font-style:{face.style};"
            f"font-display:block;src:url(data:font/ttf;base64,{encoded}) format('truetype')}}"
        )
    return "".join(rules)


def embed_in_svg(svg: str) -> str:
    """A standalone SVG figure that carries the course font, so it keeps its layout wherever it is opened."""
    opening = svg.index(">", svg.index("<svg")) + 1
    return f"{svg[:opening]}<defs><style>{font_face_css()}</style></defs>{svg[opening:]}"
