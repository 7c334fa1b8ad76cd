"""Notebook 01's picture: a schematic body map of the skin signs of dermatomyositis.

A drawing, not a photograph (the course found no openly licensed clinical photographs it could install
from a package registry): numbered markers show where each sign sits, and the list under the drawing
says in one line what to look for. Where and what come from ``data/dm_skin_signs.csv``, each row with
its source; the drawing only places the markers.
"""

from __future__ import annotations

from html import escape

import pandas as pd

from dmjak.pictures.figure import GREY, INK, PAPER, PURPLE, VERMILION, Picture, text
from dmjak.references import cite_html

SKIN, OUTLINE = "#f3e3d3", "#6b5a4a"
# Where each sign's marker points: (x, y) of the spot, and where its numbered circle sits.
PLACES = {
    "heliotrope": ((162, 58), (110, 40)),
    "v_sign": ((170, 118), (110, 125)),
    "shawl_sign": ((400, 112), (470, 95)),
    "gottron_papules": ((628, 200), (720, 215)),
    "gottron_sign": ((598, 204), (720, 255)),
    "periungual": ((651, 90), (720, 70)),
    "mechanics_hands": ((580, 150), (530, 160)),
    "ulcers": ((622, 84), (560, 50)),
}


def _person(cx: float, back: bool) -> list[str]:
    """A simple standing figure (front or back view), centred on ``cx``."""
    shape = f'fill="{SKIN}" stroke="{OUTLINE}" stroke-width="1.5"'
    parts = [
        f'<rect x="{cx - 66}" y="104" width="20" height="128" rx="10" {shape}/>',
        f'<rect x="{cx + 46}" y="104" width="20" height="128" rx="10" {shape}/>',
        f'<rect x="{cx - 38}" y="228" width="34" height="150" rx="12" {shape}/>',
        f'<rect x="{cx + 4}" y="228" width="34" height="150" rx="12" {shape}/>',
        f'<rect x="{cx - 48}" y="96" width="96" height="140" rx="22" {shape}/>',
        f'<rect x="{cx - 10}" y="80" width="20" height="20" {shape}/>',
        f'<circle cx="{cx}" cy="58" r="28" {shape}/>',
    ]
    if not back:
        parts += [
            f'<ellipse cx="{cx - 10}" cy="60" rx="6" ry="3" fill="{INK}"/>',
            f'<ellipse cx="{cx + 10}" cy="60" rx="6" ry="3" fill="{INK}"/>',
        ]
    return parts


def _hand() -> list[str]:
    """The back of a right hand, close up: palm, four fingers with nails, thumb."""
    shape = f'fill="{SKIN}" stroke="{OUTLINE}" stroke-width="1.5"'
    parts = [
        f'<rect x="560" y="190" width="110" height="110" rx="18" {shape}/>',
        f'<rect x="536" y="196" width="26" height="78" rx="12" transform="rotate(-35 549 235)" {shape}/>',
    ]
    for x in (562, 590, 618, 646):
        parts += [
            f'<rect x="{x}" y="90" width="24" height="110" rx="11" {shape}/>',
            f'<rect x="{x + 5}" y="94" width="14" height="16" rx="5" fill="#fbf6f0" stroke="{OUTLINE}"/>',
        ]
    return parts


def _signs(signs: pd.DataFrame) -> list[str]:
    """Each sign drawn where it sits (colour and shape both differ, so colour is never needed)."""
    flush = f'fill="{PURPLE}" fill-opacity="0.55"'
    red = f'fill="{VERMILION}" fill-opacity="0.45"'
    drawn = {
        "heliotrope": [
            f'<ellipse cx="160" cy="55" rx="8" ry="4" {flush}/>',
            f'<ellipse cx="180" cy="55" rx="8" ry="4" {flush}/>',
        ],
        "v_sign": [f'<path d="M146,98 L194,98 L170,140 Z" {red}/>'],
        "shawl_sign": [f'<path d="M338,100 Q400,88 462,100 L452,150 Q400,160 348,150 Z" {red}/>'],
        "gottron_sign": [f'<rect x="560" y="196" width="110" height="16" rx="6" {red}/>'],
        "gottron_papules": [
            f'<circle cx="{x + 12}" cy="{y}" r="4.5" fill="{VERMILION}" stroke="{INK}" stroke-width="0.8"/>'
            for x in (562, 590, 618, 646)
            for y in (204, 150)
        ],
        "periungual": [
            f'<path d="M{x + 3},{113} Q{x + 12},{121} {x + 21},{113}" fill="none" stroke="{PURPLE}" stroke-width="3"/>'
            for x in (562, 590, 618, 646)
        ],
        "mechanics_hands": [
            f'<path d="M563,110 L563,196" stroke="{GREY}" stroke-width="4" stroke-dasharray="3 2"/>',
            f'<path d="M566,214 L551,254" stroke="{GREY}" stroke-width="4" stroke-dasharray="3 2"/>',
        ],
        "ulcers": [f'<circle cx="630" cy="84" r="5" fill="{PAPER}" stroke="{VERMILION}" stroke-width="2.5"/>'],
    }
    parts = []
    for number, row in enumerate(signs.itertuples(), start=1):
        parts += drawn[row.sign_id]
        (x, y), (mx, my) = PLACES[row.sign_id]
        parts += [
            f'<line x1="{mx}" y1="{my}" x2="{x}" y2="{y}" stroke="{INK}" stroke-width="1"/>',
            f'<circle cx="{mx}" cy="{my}" r="11" fill="{PAPER}" stroke="{INK}" stroke-width="1.5"/>',
            text(mx, my + 4.5, str(number), 12, weight="bold"),
        ]
    return parts


def skin_signs_map(signs: pd.DataFrame, notebook: str | None = None) -> Picture:
    """The body map: front and back of a figure and the back of a hand, one numbered marker per sign."""
    unknown = sorted(set(signs["sign_id"]) - set(PLACES))
    if unknown:
        raise ValueError(f"no place on the body map for {unknown}; known: {sorted(PLACES)}")
    parts = [f'<rect width="760" height="420" fill="{PAPER}"/>']
    parts += _person(170, back=False) + _person(400, back=True) + _hand()
    parts += [
        text(170, 402, "front", 13, fill=GREY, italic=True),
        text(400, 402, "back", 13, fill=GREY, italic=True),
        text(615, 330, "back of the right hand", 13, fill=GREY, italic=True),
        text(
            380,
            16,
            "Schematic drawing, not a photograph: where to look, not what every patient shows",
            12,
            fill=GREY,
            italic=True,
        ),
    ]
    parts += _signs(signs)
    lines = [f"{n}. {row.sign}: {row.where}; {row.look_for}." for n, row in enumerate(signs.itertuples(), start=1)]
    description = (
        "Schematic body map of the skin signs of dermatomyositis, drawn on the front and back of a figure and the "
        "back of a hand, each with a numbered marker. " + " ".join(lines)
    )
    sources = tuple(
        dict.fromkeys(
            (row.source, None if pd.isna(row.source_detail) else row.source_detail) for row in signs.itertuples()
        )
    )
    legend = "".join(
        f"<li><strong>{escape(row.sign)}</strong>"
        + (f" (with {escape(row.antibody)})" if pd.notna(row.antibody) else "")
        + f": {escape(row.where)}. Look for {escape(row.look_for)}."
        + cite_html([(row.source, None if pd.isna(row.source_detail) else row.source_detail)], notebook)
        + "</li>"
        for row in signs.itertuples()
    )
    return Picture(
        "dmjak-skin-signs",
        "Where to look for the skin signs of DM (schematic)",
        description,
        "".join(parts),
        760,
        420,
        sources,
        legend=f'<ol style="margin:0.3rem 0">{legend}</ol>',
        summary="A drawing, not a photograph: the numbers mark where each sign sits.",
        notebook=notebook,
    )
