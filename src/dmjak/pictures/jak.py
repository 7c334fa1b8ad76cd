"""Notebook 02's picture: the type I interferon cascade from receptor to gene, with a drug's block.

Labels come from the ``jak_pathways`` row (receptor chains, kinases, STATs, DNA element) and the block from
the course's occupancy model (``dmjak.models.inhibition``), so the picture and the pathway explorer
always show the same numbers: the explorer redraws this picture when a drug or concentration changes.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dmjak.models.inhibition import RULES, kinase_inhibition, pathway_signal
from dmjak.pictures.figure import (
    BLUE,
    GREEN,
    GREY,
    ORANGE,
    PAPER,
    PURPLE,
    VERMILION,
    Picture,
    arrow,
    arrowhead,
    box,
    text,
)

TYPE_I = "type I interferon"
# Which chain carries which kinase: IFNAR1-TYK2, IFNAR2-JAK1 (Kim 2021, Table 1; notebook 02 cites it).
CHAIN_KINASE = (("IFNAR1", "TYK2"), ("IFNAR2", "JAK1"))
CHAINS_SOURCE = ("Kim2021", "Table 1")


@dataclass(frozen=True)
class Block:
    """What a drug at a free concentration does to the type I interferon receptor's two kinases."""

    drug: str
    concentration_nm: float
    rule: str
    inhibited: dict[str, tuple[float, str]]  # kinase -> (fraction inhibited, "estimate" or "at most")
    signal_left: float
    source: tuple[str, str | None]

    @classmethod
    def from_model(
        cls,
        potency: pd.DataFrame,
        pathways: pd.DataFrame,
        drug: str,
        concentration_nm: float,
        rule: str = RULES[0],
        kinases: pd.DataFrame | None = None,
    ) -> Block:
        """The block as the occupancy model computes it (pass ``kinases`` if already computed)."""
        kinases = kinase_inhibition(potency, drug, concentration_nm) if kinases is None else kinases
        signal = pathway_signal(pathways, kinases, rule).set_index("pathway").loc[TYPE_I, "signal_remaining"]
        rows = potency[potency["drug"] == drug]
        detail = rows["source_detail"].iloc[0]
        return cls(
            drug=drug,
            concentration_nm=concentration_nm,
            rule=rule,
            inhibited={r.kinase: (r.inhibited, r.bound) for r in kinases.itertuples()},
            signal_left=float(signal),
            source=(rows["source"].iloc[0], None if pd.isna(detail) else detail),
        )

    def words(self, kinase: str) -> str:
        fraction, bound = self.inhibited[kinase]
        return f"{'at most ' if bound == 'at most' else ''}{fraction:.0%} inhibited"


def _pct(x: float) -> str:
    return f"{x:.0%}"


def interferon_cascade(pathways: pd.DataFrame, block: Block | None = None, notebook: str | None = None) -> Picture:
    """Type I interferon -> IFNAR1/IFNAR2 -> TYK2/JAK1 -> STAT1/STAT2 + IRF9 (ISGF3) -> ISRE, drawn.

    With ``block``, each kinase shows how much the drug inhibits it and the nucleus shows the signal left.
    """
    row = pathways.set_index("pathway").loc[TYPE_I]
    chains = [c.strip() for c in row["receptor_chains"].split("+")]
    kinases = {row["kinase_1"], row["kinase_2"]}
    if set(chains) != {c for c, _ in CHAIN_KINASE} or kinases != {k for _, k in CHAIN_KINASE}:
        raise ValueError(
            f"the picture draws IFNAR1-TYK2 and IFNAR2-JAK1; the table says {chains}, "
            f"{row['kinase_1']} and {row['kinase_2']}"
        )
    element = row["response_element"]
    marker = "dmjak-cascade-arrow"
    parts = [arrowhead(marker), f'<rect width="760" height="540" fill="{PAPER}"/>']
    # steps in words, down the left margin
    steps = [
        "1. Interferon binds",
        "2. Kinases switch on",
        "3. STATs phosphorylated",
        "4. ISGF3 forms",
        f"5. {element} bound: genes on",
    ]
    for y, step in zip((45, 205, 290, 365, 470), steps, strict=True):
        parts.append(text(16, y, step, 13, anchor="start", weight="bold", fill=GREY))
    # 1 ligand
    parts += [
        box(275, 20, 270, 40, "#fff3d6", radius=20),
        text(410, 45, "Type I interferon (IFN-α, IFN-β)", 13, weight="bold"),
        arrow(410, 62, 410, 96, marker),
    ]
    # membrane and receptor chains
    parts += [
        '<rect x="240" y="120" width="460" height="22" fill="#e8e8e8"/>',
        text(696, 112, "cell membrane", 11, anchor="end", fill=GREY, italic=True),
    ]
    for (chain, _), x in zip(CHAIN_KINASE, (350, 440), strict=True):
        parts += [box(x, 98, 30, 100, "#dbe9f6", radius=10), text(x + 15, 92, chain, 12, weight="bold")]
    # 2 kinases
    for (chain, kinase), x in zip(CHAIN_KINASE, (250, 470), strict=True):
        parts.append(box(x, 182, 120, 46, "#d9f2ea", stroke=GREEN, width=2))
        if block is not None:
            fraction, _ = block.inhibited[kinase]
            parts.append(
                f'<rect x="{x}" y="182" width="{120 * fraction:.1f}" height="46" rx="8" fill="url(#dmjak-hatch)"/>'
            )
        parts.append(text(x + 60, 201, kinase, 14, weight="bold", halo=True))
        parts.append(text(x + 60, 220, block.words(kinase) if block else f"on {chain}", 11, halo=True))
    if block is not None:
        parts.insert(
            1,
            '<defs><pattern id="dmjak-hatch" width="8" height="8" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(45)"><rect width="8" height="8" fill="#fbe3d3"/>'
            f'<line x1="0" y1="0" x2="0" y2="8" stroke="{VERMILION}" stroke-width="3"/></pattern></defs>',
        )
        label = f"{block.drug} at {block.concentration_nm:g} nM blocks"
        parts += [
            f'<line x1="250" y1="240" x2="590" y2="240" stroke="{VERMILION}" stroke-width="4"/>',
            f'<line x1="250" y1="234" x2="250" y2="246" stroke="{VERMILION}" stroke-width="4"/>',
            f'<line x1="590" y1="234" x2="590" y2="246" stroke="{VERMILION}" stroke-width="4"/>',
            text(420, 257, f"⊣ {label} (hatched share of each kinase)", 12, weight="bold", fill=VERMILION),
        ]
    # 3 STATs
    parts += [arrow(330, 266, 357, 280, marker), arrow(510, 266, 468, 280, marker)]
    for x, name, fill in ((370, "STAT1", BLUE), (450, "STAT2", BLUE)):
        parts += [
            f'<circle cx="{x}" cy="295" r="24" fill="#dbe9f6" stroke="{fill}" stroke-width="2"/>',
            text(x, 299, name, 11, weight="bold"),
            f'<circle cx="{x + 18}" cy="277" r="8" fill="{ORANGE}"/>',
            text(x + 18, 281, "P", 10),
        ]
    parts += [
        f'<circle cx="560" cy="295" r="24" fill="#f4e1ec" stroke="{PURPLE}" stroke-width="2"/>',
        text(560, 299, "IRF9", 11, weight="bold"),
        arrow(534, 295, 478, 295, marker),
    ]
    # 4 ISGF3
    parts += [
        arrow(410, 322, 410, 342, marker),
        box(300, 344, 220, 36, "#eeeeee"),
        text(410, 367, "ISGF3 = STAT1 + STAT2 + IRF9", 12, weight="bold"),
    ]
    # 5 nucleus, DNA element, genes
    parts += [
        box(240, 398, 460, 120, "none", stroke=GREY, radius=30, dash="6 4"),
        text(690, 416, "nucleus", 11, anchor="end", fill=GREY, italic=True),
        arrow(410, 382, 410, 440, marker),
        f'<line x1="262" y1="462" x2="680" y2="462" stroke="{GREY}" stroke-width="5"/>',
        box(370, 446, 80, 32, "#fff3d6", stroke=ORANGE, width=2),
        text(410, 467, element, 13, weight="bold"),
        arrow(455, 490, 520, 490, marker),
        text(525, 494, "interferon-stimulated genes", 12, anchor="start"),
        text(268, 494, "DNA", 11, anchor="start", fill=GREY, italic=True),
    ]
    if block is not None:
        rule = "both kinases needed" if block.rule == RULES[0] else "either kinase suffices"
        parts.append(
            text(450, 512, f"signal left: {_pct(block.signal_left)} (rule: {rule})", 12, weight="bold", fill=VERMILION)
        )
    description = (
        f"Schematic of type I interferon signalling. Type I interferon binds a receptor of two chains in the cell "
        f"membrane: {CHAIN_KINASE[0][0]} carries the kinase {CHAIN_KINASE[0][1]} and {CHAIN_KINASE[1][0]} carries "
        f"{CHAIN_KINASE[1][1]}. Switched on, the kinases phosphorylate STAT1 and STAT2, which join IRF9 to form "
        f"ISGF3; in the nucleus ISGF3 binds the {element}, a DNA element of interferon-stimulated genes, and "
        f"switches them on."
    )
    sources = [CHAINS_SOURCE, (row["stat_source"], row["stat_source_detail"])]
    if block is not None:
        rule = "both kinases are needed" if block.rule == RULES[0] else "either kinase suffices"
        description += (
            f" At {block.concentration_nm:g} nM free {block.drug}, the course's occupancy model (enzyme IC50s, "
            f"not cells) gives JAK1 {block.words('JAK1')} and TYK2 {block.words('TYK2')}; if {rule}, "
            f"{_pct(block.signal_left)} of the signal is left."
        )
        sources.append(block.source)
    return Picture(
        "dmjak-cascade",
        "Type I interferon: from receptor to gene",
        description,
        "".join(parts),
        760,
        540,
        tuple(sources),
        notebook=notebook,
    )
