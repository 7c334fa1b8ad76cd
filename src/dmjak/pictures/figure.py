"""A picture: inline SVG with a title and a description for screen readers, and a caption that gives
the same description and the sources in words. Every text that goes into the SVG or HTML is escaped."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from dmjak.references import cite_html

# Okabe-Ito colours (safe for colour-blind readers); meaning is never carried by colour alone.
BLUE, ORANGE, GREEN, VERMILION, PURPLE, GREY = "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#555555"
INK, PAPER = "#1a1a1a", "#ffffff"
FONT = "DejaVu Sans, Arial, sans-serif"


@dataclass(frozen=True)
class Picture:
    """An SVG drawing and what it says in words; ``sources`` are (key, pinpoint) pairs."""

    name: str
    title: str
    description: str
    body: str  # SVG elements, already escaped
    width: int
    height: int
    sources: tuple[tuple[str, str | None], ...]
    legend: str = ""  # optional HTML list under the drawing (already escaped)
    summary: str = ""  # a shorter visible caption when the legend already says the rest
    notebook: str | None = None  # the notebook showing it: its sources are numbered as that notebook's citations

    def svg(self) -> str:
        ids = f"{self.name}-title {self.name}-desc"
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{ids}" '
            f'viewBox="0 0 {self.width} {self.height}" width="{self.width}" style="max-width:100%;height:auto" '
            f'font-family="{FONT}"><title id="{self.name}-title">{escape(self.title)}</title>'
            f'<desc id="{self.name}-desc">{escape(self.description)}</desc>{self.body}</svg>'
        )

    def html(self) -> str:
        """The picture with a visible caption: title, description, and its sources cited as the notebook cites
        (numbers showing the reference and pinpoint), never as bare keys."""
        return (
            f'<figure class="dmjak-picture" style="margin:0.5rem 0">{self.svg()}'
            f'<figcaption style="max-width:{self.width}px;font-size:0.9rem;line-height:1.4">'
            f"<strong>{escape(self.title)}.</strong> {escape(self.summary or self.description)}"
            f"{cite_html(self.sources, self.notebook)}{self.legend}</figcaption></figure>"
        )

    def _repr_html_(self) -> str:
        return self.html()


def text(
    x: float,
    y: float,
    words: str,
    size: int = 13,
    anchor: str = "middle",
    weight: str = "normal",
    fill: str = INK,
    italic: bool = False,
    halo: bool = False,
) -> str:
    """One line of SVG text (escaped); ``halo`` outlines it in white so it reads over a pattern."""
    style = ' font-style="italic"' if italic else ""
    style += ' stroke="#ffffff" stroke-width="4" paint-order="stroke"' if halo else ""
    return (
        f'<text x="{x:g}" y="{y:g}" font-size="{size}" text-anchor="{anchor}" font-weight="{weight}" '
        f'fill="{fill}"{style}>{escape(words)}</text>'
    )


def box(
    x: float,
    y: float,
    w: float,
    h: float,
    fill: str,
    stroke: str = INK,
    radius: int = 8,
    dash: str | None = None,
    width: float = 1.5,
) -> str:
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<rect x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" rx="{radius}" fill="{fill}" '
        f'stroke="{stroke}" stroke-width="{width}"{dashes}/>'
    )


def arrow(
    x1: float,
    y1: float,
    x2: float,
    y2: float,
    marker: str,
    colour: str = INK,
    dash: str | None = None,
    width: float = 2,
) -> str:
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<line x1="{x1:g}" y1="{y1:g}" x2="{x2:g}" y2="{y2:g}" stroke="{colour}" stroke-width="{width}"'
        f'{dashes} marker-end="url(#{marker})"/>'
    )


def arrowhead(marker: str, colour: str = INK) -> str:
    """An arrowhead definition; ``marker`` must be unique on the page (two pictures may share it)."""
    return (
        f'<defs><marker id="{marker}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker></defs>'
    )
